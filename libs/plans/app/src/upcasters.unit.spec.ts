import { Upcasters } from '@mandate/event-store';
import { CURRENT_SCHEMA_VERSIONS, PLANS_UPCASTERS } from './upcasters';

describe('Upcasting the plans log', () => {
  const upcasters = new Upcasters([...PLANS_UPCASTERS]);
  const metadata = { cityId: 'ha-noi', actorId: 'u', role: 'office', agencyId: null, correlationId: 'c', causationId: null, occurredAt: '2021-09-01T00:00:00Z' };

  it('reads a v1 status change in the first vocabulary as v2', () => {
    expect(upcasters.apply('TaskStatusChanged', 1, { from: 'in_progress', to: 'pending_confirmation', note: '' }, metadata as never)).toEqual({
      schemaVersion: 2,
      data: { from: 'in_progress', to: 'submitted', note: '' },
    });
    expect(upcasters.apply('TaskStatusChanged', 1, { from: 'suspended', to: 'in_progress', note: '' }, metadata as never).data).toMatchObject({ from: 'paused' });
  });

  it('leaves v2 events and other types alone, and writes status changes as v2', () => {
    expect(upcasters.apply('TaskStatusChanged', 2, { from: 'submitted', to: 'returned' }, metadata as never)).toEqual({ schemaVersion: 2, data: { from: 'submitted', to: 'returned' } });
    expect(upcasters.apply('TaskIssued', 1, { title: 'x' }, metadata as never)).toEqual({ schemaVersion: 1, data: { title: 'x' } });
    expect(CURRENT_SCHEMA_VERSIONS.TaskStatusChanged).toBe(2);
  });
});

import { ValidationError } from '@mandate/kernel';
import stored from './fixtures/task-assigned.v1.stored.json';
import { toStoredEvent, type EventRow } from './rows';
import { Upcasters, type Upcaster } from './upcasting';

const row = (): EventRow => ({ ...structuredClone(stored), recorded_at: new Date(stored.recorded_at), hash_version: 1 }) as EventRow;

// v1 -> v2: agencyId renamed to leadAgencyId, coordinators became required.
const v1ToV2: Upcaster = {
  type: 'TaskAssigned',
  fromVersion: 1,
  toVersion: 2,
  upcast: ({ agencyId, ...rest }) => ({ ...rest, leadAgencyId: agencyId, coordinatorIds: [] }),
};
// v2 -> v3: assignedAt became required; old events take it from metadata.
const v2ToV3: Upcaster = {
  type: 'TaskAssigned',
  fromVersion: 2,
  toVersion: 3,
  upcast: (data, metadata) => ({ ...data, assignedAt: new Date(metadata.occurredAt) }),
};

describe('Upcasters', () => {
  it('runs a stored v1 payload through the whole chain to v3', () => {
    const event = toStoredEvent(row(), new Upcasters([v2ToV3, v1ToV2]));

    expect(event.schemaVersion).toBe(3);
    expect(event.data).toEqual({
      taskId: '0b9f7c52-5a3e-4f0e-9d43-7f0d2a1c9e10',
      leadAgencyId: 'so-xay-dung',
      coordinatorIds: [],
      due: '2026-12-31',
      assignedAt: new Date('2026-03-02T08:15:00.000Z'),
    });
  });

  it('keeps everything else in the stored form, hash included', () => {
    const event = toStoredEvent(row(), new Upcasters([v1ToV2, v2ToV3]));

    expect(event).toMatchObject({
      id: stored.event_id,
      type: 'TaskAssigned',
      streamId: stored.stream_id,
      streamVersion: 1n,
      globalPosition: 4711n,
      transactionId: '981234',
      recordedAt: new Date(stored.recorded_at),
      metadata: stored.metadata,
      hash: stored.hash,
    });
  });

  it('stops where the chain ends', () => {
    const event = toStoredEvent(row(), new Upcasters([v1ToV2]));

    expect(event.schemaVersion).toBe(2);
    expect(event.data).toEqual({ taskId: stored.data.taskId, leadAgencyId: 'so-xay-dung', coordinatorIds: [], due: '2026-12-31' });
  });

  it('leaves other types and current versions alone', () => {
    const upcasters = new Upcasters([v1ToV2, v2ToV3]);
    const data = { a: 1 };

    expect(upcasters.apply('TaskCompleted', 1, data, stored.metadata)).toEqual({ schemaVersion: 1, data });
    expect(upcasters.apply('TaskAssigned', 3, data, stored.metadata)).toEqual({ schemaVersion: 3, data });
  });

  it('does not touch the stored payload it was given', () => {
    const original = row();
    toStoredEvent(original, new Upcasters([v1ToV2, v2ToV3]));

    expect(original.data).toEqual(stored.data);
  });

  it('refuses chains that could loop or are ambiguous', () => {
    expect(() => new Upcasters([{ ...v1ToV2, toVersion: 1 }])).toThrow(ValidationError);
    expect(() => new Upcasters([v1ToV2, { ...v1ToV2, toVersion: 3 }])).toThrow(ValidationError);
  });
});

import { Upcasters } from '@mandate/event-store';
import { CURRENT_SCHEMA_VERSIONS, PLANS_UPCASTERS } from './upcasters';

describe('Upcasting the plans log', () => {
  const upcasters = new Upcasters([...PLANS_UPCASTERS]);
  const metadata = {
    cityId: 'ha-noi',
    actorId: 'u',
    role: 'office',
    agencyId: null,
    correlationId: 'c',
    causationId: null,
    occurredAt: '2021-09-01T00:00:00Z',
  };

  it('reads a v1 status change in the first vocabulary as v2', () => {
    expect(upcasters.apply('TaskStatusChanged', 1, { from: 'in_progress', to: 'pending_confirmation', note: '' }, metadata as never)).toEqual({
      schemaVersion: 2,
      data: { from: 'in_progress', to: 'submitted', note: '' },
    });
    expect(upcasters.apply('TaskStatusChanged', 1, { from: 'suspended', to: 'in_progress', note: '' }, metadata as never).data).toMatchObject({
      from: 'paused',
    });
  });

  it('leaves v2 events and other types alone, and writes status changes as v2', () => {
    expect(upcasters.apply('TaskStatusChanged', 2, { from: 'submitted', to: 'returned' }, metadata as never)).toEqual({
      schemaVersion: 2,
      data: { from: 'submitted', to: 'returned' },
    });
    expect(upcasters.apply('TaskLinkedToParent', 1, { title: 'x' }, metadata as never)).toEqual({ schemaVersion: 1, data: { title: 'x' } });
    expect(CURRENT_SCHEMA_VERSIONS.TaskStatusChanged).toBe(2);
  });

  // As stored in the log before plans could lack a number (a PlanIssued of 183/KH-UBND, v1).
  const storedV1PlanIssued = JSON.parse(`{"planId":"0d2f5d6e-2c71-5b3e-9f43-1d1c2f4b8a10","number":"183/KH-UBND","kind":"plan",
    "title":"Triển khai thực hiện Nghị quyết số 50/NQ-CP","issuedOn":"2021-08-10","effectiveOn":null,"issuer":"UBND thành phố Hà Nội",
    "signer":"Chử Xuân Dũng","fields":[],"implements":["Nghị quyết số 50/NQ-CP ngày 20/5/2021"],
    "source":{"document":"ha-noi-183-KH-UBND-2021.txt","truncated":false,"warnings":[]},
    "tasks":[{"taskId":"4e0c8a57-8b11-5c57-a2a4-3c1b8b2e7a01","ref":"PL2.I.1"}],"issuedAt":"2021-09-01T02:00:00.000Z"}`);

  it("reads a v1 PlanIssued, PlanAmended and TaskIssued as v2 (number, date and a task's plan number as they were), and writes them as v2", () => {
    expect(upcasters.apply('PlanIssued', 1, storedV1PlanIssued, metadata as never)).toEqual({
      schemaVersion: 3,
      data: { ...storedV1PlanIssued, unitId: null },
    });
    expect(upcasters.apply('PlanAmended', 1, { planId: 'p', number: '183/KH-UBND', title: 't' }, metadata as never)).toEqual({
      schemaVersion: 2,
      data: { planId: 'p', number: '183/KH-UBND', title: 't' },
    });
    expect(upcasters.apply('TaskIssued', 1, { taskId: 't', planNumber: '183/KH-UBND' }, metadata as never)).toEqual({
      schemaVersion: 2,
      data: { taskId: 't', planNumber: '183/KH-UBND' },
    });
    expect(upcasters.apply('PlanIssued', 2, { number: null, issuedOn: null }, metadata as never)).toEqual({
      schemaVersion: 3,
      data: { number: null, issuedOn: null, unitId: null },
    });
    expect(CURRENT_SCHEMA_VERSIONS).toMatchObject({ PlanAmended: 2, TaskIssued: 2 });
  });

  it("reads a PlanIssued before units (v1, v2) as the province's own plan, and writes it as v3", () => {
    expect(upcasters.apply('PlanIssued', 2, { planId: 'p', number: '35/KH-UBND' }, metadata as never)).toEqual({
      schemaVersion: 3,
      data: { planId: 'p', number: '35/KH-UBND', unitId: null },
    });
    expect(upcasters.apply('PlanIssued', 3, { planId: 'p', unitId: 'ubnd-dac-khu-bach-long-vi' }, metadata as never).data).toEqual({
      planId: 'p',
      unitId: 'ubnd-dac-khu-bach-long-vi',
    });
    expect(CURRENT_SCHEMA_VERSIONS.PlanIssued).toBe(3);
  });

  const v1 = {
    taskId: 't',
    planId: 'p',
    lead: { agencyId: 'so-tai-chinh', name: 'Sở Tài chính' },
    coordinators: [],
    previousLeadAgencyId: 'so-ke-hoach-va-dau-tu',
    assignedAt: '2025-07-01T00:00:00.000Z',
  };

  it('reads a v1 TaskAssigned (before hand-overs had a reason) as v3 with no reason and no succession', () => {
    expect(upcasters.apply('TaskAssigned', 1, v1, metadata as never)).toEqual({ schemaVersion: 3, data: { ...v1, reason: null, succession: null } });
  });

  it('reads a v2 hand-over (the only TaskAssigned v2 with a reason) as a succession from its previous lead, the day unknown', () => {
    const reason = 'Sáp nhập Sở Kế hoạch và Đầu tư vào Sở Tài chính từ ngày 01/03/2025';
    expect(upcasters.apply('TaskAssigned', 2, { ...v1, reason }, metadata as never)).toEqual({
      schemaVersion: 3,
      data: { ...v1, reason, succession: { predecessorIds: ['so-ke-hoach-va-dau-tu'], effectiveOn: null } },
    });
    expect(upcasters.apply('TaskAssigned', 2, { ...v1, reason: null }, metadata as never).data).toMatchObject({ succession: null });
    const keptLead = { ...v1, previousLeadAgencyId: 'so-tai-chinh', reason };
    expect(upcasters.apply('TaskAssigned', 2, keptLead, metadata as never).data).toMatchObject({ succession: { predecessorIds: [], effectiveOn: null } });
  });

  it('writes TaskAssigned as v3 and leaves v3 alone', () => {
    const v3 = { ...v1, reason: 'x', succession: { predecessorIds: ['a', 'b'], effectiveOn: '2025-07-01' } };
    expect(upcasters.apply('TaskAssigned', 3, v3, metadata as never)).toEqual({ schemaVersion: 3, data: v3 });
    expect(CURRENT_SCHEMA_VERSIONS.TaskAssigned).toBe(3);
  });
});

import { randomUUID } from 'node:crypto';
import { Inbox, type CloudEvent } from '@mandate/messaging';
import {
  PLAN_NUMBERED_V1,
  TASK_ASSIGNED_V1,
  TASK_ASSIGNED_V2,
  TASK_EXTENSION_APPROVED_V1,
  TASK_EXTENSION_REJECTED_V1,
  TASK_EXTENSION_REQUESTED_V1,
  TASK_ISSUED_V1,
  TASK_ISSUED_V2,
  TASK_ISSUED_V3,
  TASK_PROGRESS_REPORTED_V1,
  TASK_REVISED_V1,
  TASK_STATUS_CHANGED_V1,
  TASK_STATUS_CHANGED_V2,
  TASK_WITHDRAWN_V1,
  validateCloudEvent,
  type TaskRevisionV1,
} from '@mandate/plans-contracts';
import { openServiceDatabase } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { WorkQueueProjection, workQueueMigration, workQueuePlanNumbersMigration, workQueueUnnumberedMigration } from './work-queue.projection';

const PLAN = randomUUID();
const [T1, T2, T3, T4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const office = { cityId: 'ha-noi', role: 'office', agencyId: null };

const cloudEvent = (type: string, taskId: string, sequence: number, data: unknown, cityid = 'ha-noi'): CloudEvent => ({
  specversion: '1.0',
  id: randomUUID(),
  type,
  source: `/mandate/${cityid}/plans`,
  subject: `task-${taskId}`,
  time: '2021-09-01T00:00:00.000Z',
  datacontenttype: 'application/json',
  cityid,
  correlationid: 'c',
  sequence: String(sequence),
  data,
});

const resolved = (agencyId: string) => ({ agencyId, name: agencyId, resolution: 'resolved' as const });
const taskIssued = (taskId: string, ref: string, due: string) =>
  cloudEvent(TASK_ISSUED_V2, taskId, 1, {
    taskId,
    planId: PLAN,
    planNumber: '183/KH-UBND',
    ref,
    title: `Task ${ref}`,
    group: 'I. Hoàn thiện thể chế',
    deliverable: 'Đề án',
    deadline: { text: due, kind: 'date', due },
    supervisor: 'PCT TT Lê Hồng Sơn',
    note: null,
    status: 'not_started',
    issuedAt: '2021-09-01T00:00:00.000Z',
  });
/** As published before 2026-12-02, without group, deliverable, supervisor, note or issuedAt. */
const taskIssuedV1 = (taskId: string, ref: string, due: string) =>
  cloudEvent(TASK_ISSUED_V1, taskId, 1, {
    taskId,
    planId: PLAN,
    planNumber: '183/KH-UBND',
    ref,
    title: `Task ${ref}`,
    deadline: { text: due, kind: 'date', due },
    status: 'not_started',
  });
const assigned = (taskId: string, sequence: number, lead: string, coordinators: string[] = []) =>
  cloudEvent(TASK_ASSIGNED_V2, taskId, sequence, {
    taskId,
    planId: PLAN,
    lead: resolved(lead),
    coordinators: coordinators.map(resolved),
    previousLeadAgencyId: null,
    reason: null,
    succession: null,
  });
/** As published before 2026-12-08: no reason, no succession. */
const assignedV1 = (taskId: string, sequence: number, lead: string) =>
  cloudEvent(TASK_ASSIGNED_V1, taskId, sequence, { taskId, planId: PLAN, lead: resolved(lead), coordinators: [], previousLeadAgencyId: null });
const statusChanged = (taskId: string, sequence: number, from: string, to: string, type = TASK_STATUS_CHANGED_V2) =>
  cloudEvent(type, taskId, sequence, {
    taskId,
    planId: PLAN,
    from,
    to,
    note: '',
    changedAt: '2021-09-01T00:00:00.000Z',
    actor: { userId: 'u', role: 'agency', agencyId: 'so-tu-phap' },
  });
/** As published before 2026-12-02, in the five codes of v1. */
const statusChangedV1 = (taskId: string, sequence: number, from: string, to: string) => statusChanged(taskId, sequence, from, to, TASK_STATUS_CHANGED_V1);
const revised = (taskId: string, sequence: number, changes: TaskRevisionV1) =>
  cloudEvent(TASK_REVISED_V1, taskId, sequence, { taskId, planId: PLAN, changes, revisedAt: '2021-10-01T00:00:00.000Z' });
const withdrawn = (taskId: string, sequence: number) =>
  cloudEvent(TASK_WITHDRAWN_V1, taskId, sequence, { taskId, planId: PLAN, reason: 'Not in the amended version', withdrawnAt: '2021-10-01T00:00:00.000Z' });
const lead = { userId: 'u-so-xay-dung', role: 'agency', agencyId: 'so-xay-dung' };
const byOfficeActor = { userId: 'u-office', role: 'office', agencyId: 'van-phong-ubnd' };
const progressReported = (taskId: string, sequence: number) =>
  cloudEvent(TASK_PROGRESS_REPORTED_V1, taskId, sequence, {
    taskId,
    planId: PLAN,
    percent: 40,
    text: 'Đang lấy ý kiến.',
    attachments: [],
    reportedAt: '2021-10-01T00:00:00.000Z',
    actor: lead,
  });
const extensionRequested = (taskId: string, sequence: number, requestId: string, until: string) =>
  cloudEvent(TASK_EXTENSION_REQUESTED_V1, taskId, sequence, {
    taskId,
    planId: PLAN,
    requestId,
    until,
    reason: 'Chờ thẩm định.',
    requestedAt: '2021-10-02T00:00:00.000Z',
    actor: lead,
  });
const extended = (due: string) => ({ text: `Gia hạn đến ngày ${due}`, kind: 'date', due });
const extensionApproved = (taskId: string, sequence: number, requestId: string, previousDue: string | null, due: string) =>
  cloudEvent(TASK_EXTENSION_APPROVED_V1, taskId, sequence, {
    taskId,
    planId: PLAN,
    requestId,
    previousDue,
    deadline: extended(due),
    note: '',
    approvedAt: '2021-10-03T00:00:00.000Z',
    actor: byOfficeActor,
  });
const extensionRejected = (taskId: string, sequence: number, requestId: string) =>
  cloudEvent(TASK_EXTENSION_REJECTED_V1, taskId, sequence, {
    taskId,
    planId: PLAN,
    requestId,
    reason: 'Không gia hạn.',
    rejectedAt: '2021-10-03T00:00:00.000Z',
    actor: byOfficeActor,
  });

describe('Work queue (assignments read model)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let projection: WorkQueueProjection;
  const queue = async (agencyId: string) => projection.queue(office, agencyId);
  const refs = async (agencyId: string) => (await queue(agencyId)).map((item) => `${item.ref}:${item.relation}`);

  beforeAll(async () => {
    db = await createTestDatabase('assignments');
    ds = await openServiceDatabase({
      url: db.url,
      schema: 'assignments',
      migrations: [
        Inbox.migration('assignments'),
        workQueueMigration('assignments'),
        workQueueUnnumberedMigration('assignments'),
        workQueuePlanNumbersMigration('assignments'),
      ],
    });
    projection = new WorkQueueProjection(ds, 'assignments', new Inbox(ds, 'assignments'));
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('queues a task with its lead and its coordinators, soonest due first', async () => {
    for (const e of [
      taskIssued(T1, 'PL2.I.1', '2021-12-31'),
      assigned(T1, 2, 'so-tu-phap', ['so-tai-chinh']),
      taskIssued(T2, 'PL2.I.2', '2021-09-30'),
      assigned(T2, 2, 'so-tu-phap'),
      statusChanged(T2, 3, 'not_started', 'in_progress'),
    ]) {
      await projection.handle(e);
    }
    expect(await refs('so-tu-phap')).toEqual(['PL2.I.2:lead', 'PL2.I.1:lead']);
    expect(await refs('so-tai-chinh')).toEqual(['PL2.I.1:coordinator']);
  });

  it("moves a task handed over after a merger to the successor's queue, and reads a v1 assignment alike", async () => {
    const T9 = '00000000-0000-4000-8000-0000000000f9';
    await projection.handle(taskIssued(T9, 'PL9.1', '2021-11-30'));
    await projection.handle(assignedV1(T9, 2, 'so-ke-hoach-dau-tu'));
    expect(await refs('so-ke-hoach-dau-tu')).toEqual(['PL9.1:lead']);
    await projection.handle(
      cloudEvent(TASK_ASSIGNED_V2, T9, 3, {
        taskId: T9,
        planId: PLAN,
        lead: resolved('so-tai-chinh'),
        coordinators: [],
        previousLeadAgencyId: 'so-ke-hoach-dau-tu',
        reason: 'Sáp nhập Sở Kế hoạch và Đầu tư vào Sở Tài chính',
        succession: { predecessorAgencyIds: ['so-ke-hoach-dau-tu'], effectiveOn: '2025-03-01' },
      }),
    );
    expect(await refs('so-ke-hoach-dau-tu')).toEqual([]);
    expect(await refs('so-tai-chinh')).toContain('PL9.1:lead');
    await projection.handle(withdrawn(T9, 4));
  });

  it('ignores an older assignment that arrives after a newer one', async () => {
    await projection.handle(assigned(T2, 1, 'so-tai-chinh'));
    expect(await refs('so-tu-phap')).toEqual(['PL2.I.2:lead', 'PL2.I.1:lead']);
    expect(await refs('so-tai-chinh')).toEqual(['PL2.I.1:coordinator']);
  });

  it('shows the revised title and deadline, and orders by the new due date', async () => {
    const deadline = { text: 'Tháng 9/2021', kind: 'month', due: '2021-09-15' };
    expect(await projection.handle(revised(T1, 3, { title: 'Task PL2.I.1 (sửa đổi)', deadline, note: 'x' }))).toBe(true);
    const [first, second] = await queue('so-tu-phap');
    expect(first).toMatchObject({ taskId: T1, title: 'Task PL2.I.1 (sửa đổi)', deadline, status: 'not_started', relation: 'lead' });
    expect(second).toMatchObject({ taskId: T2, title: 'Task PL2.I.2', deadline: { due: '2021-09-30' }, status: 'in_progress' });
  });

  it('changes only the fields a revision carries', async () => {
    await projection.handle(revised(T2, 4, { ref: 'PL2.I.3', title: 'Task PL2.I.2 (sửa đổi)' }));
    expect((await queue('so-tu-phap')).find((item) => item.taskId === T2)).toMatchObject({
      ref: 'PL2.I.3',
      title: 'Task PL2.I.2 (sửa đổi)',
      deadline: { text: '2021-09-30', kind: 'date', due: '2021-09-30' },
      status: 'in_progress',
    });
  });

  it('ignores a revision of fields a queue does not show, and one older than what it shows', async () => {
    const before = await queue('so-tu-phap');
    await projection.handle(revised(T1, 4, { note: 'Phối hợp Bộ Tư pháp', supervisor: null, group: null, deliverable: 'Luật' }));
    await projection.handle(revised(T1, 2, { title: 'stale', deadline: { text: '', kind: 'unspecified', due: null } }));
    expect(await queue('so-tu-phap')).toEqual(before);
  });

  it('is unchanged when a revision is delivered a second time', async () => {
    const revision = revised(T2, 5, { deadline: { text: 'Quý IV/2021', kind: 'quarter', due: '2021-12-31' } });
    expect(await projection.handle(revision)).toBe(true);
    expect(await projection.handle(revision)).toBe(false);
    expect(await refs('so-tu-phap')).toEqual(['PL2.I.1:lead', 'PL2.I.3:lead']);
  });

  it('drops a withdrawn task from the queues of its lead and of its coordinators', async () => {
    const withdrawal = withdrawn(T1, 5);
    expect(await projection.handle(withdrawal)).toBe(true);
    expect(await refs('so-tu-phap')).toEqual(['PL2.I.3:lead']);
    expect(await refs('so-tai-chinh')).toEqual([]);
    expect(await projection.handle(withdrawal)).toBe(false);
  });

  it('does not queue a withdrawn task again when an older event of it arrives late', async () => {
    await projection.handle(assigned(T1, 4, 'so-tai-chinh', ['so-tu-phap']));
    await projection.handle(revised(T1, 4, { title: 'stale' }));
    await projection.handle(taskIssued(T1, 'PL2.I.1', '2021-12-31'));
    expect(await refs('so-tu-phap')).toEqual(['PL2.I.3:lead']);
    expect(await refs('so-tai-chinh')).toEqual([]);
  });

  it('ignores progress reports, extension requests and refusals: the deadline stands', async () => {
    for (const e of [
      taskIssued(T3, 'PL2.II.1', '2021-10-31'),
      assigned(T3, 2, 'so-xay-dung'),
      taskIssued(T4, 'PL2.II.2', '2021-11-30'),
      assigned(T4, 2, 'so-xay-dung'),
    ]) {
      await projection.handle(e);
    }
    const before = await queue('so-xay-dung');
    expect(before.map((item) => item.ref)).toEqual(['PL2.II.1', 'PL2.II.2']);
    for (const e of [progressReported(T3, 3), extensionRequested(T3, 4, 'gh-1', '2021-12-31'), extensionRejected(T3, 5, 'gh-1')]) {
      expect(await projection.handle(e)).toBe(true);
    }
    expect(await queue('so-xay-dung')).toEqual(before);
  });

  it('moves a task to the deadline an approved extension gives it, and orders by the new due date', async () => {
    await projection.handle(extensionRequested(T3, 6, 'gh-2', '2021-12-31'));
    expect(await projection.handle(extensionApproved(T3, 7, 'gh-2', '2021-10-31', '2021-12-31'))).toBe(true);
    const [first, second] = await queue('so-xay-dung');
    expect(first).toMatchObject({ taskId: T4, deadline: { text: '2021-11-30', kind: 'date', due: '2021-11-30' } });
    expect(second).toMatchObject({
      taskId: T3,
      ref: 'PL2.II.1',
      title: 'Task PL2.II.1',
      deadline: extended('2021-12-31'),
      status: 'not_started',
      relation: 'lead',
    });
  });

  it('is unchanged when an approval is delivered a second time, or an older one arrives late', async () => {
    const approval = extensionApproved(T4, 4, 'gh-3', '2021-11-30', '2022-01-31');
    expect(await projection.handle(approval)).toBe(true);
    expect(await projection.handle(approval)).toBe(false);
    await projection.handle(statusChanged(T4, 5, 'not_started', 'in_progress'));
    // Replayed from the dead letters after the task moved on: an older approval must not win.
    expect(await projection.handle(extensionApproved(T4, 3, 'gh-0', '2021-11-30', '2021-11-15'))).toBe(true);
    expect((await queue('so-xay-dung')).map((item) => [item.ref, item.deadline.due, item.status])).toEqual([
      ['PL2.II.1', '2021-12-31', 'not_started'],
      ['PL2.II.2', '2022-01-31', 'in_progress'],
    ]);
  });

  it('lets a later revision of the deadline override an approved extension', async () => {
    const deadline = { text: 'Quý I/2022', kind: 'quarter', due: '2022-03-31' };
    await projection.handle(revised(T3, 8, { deadline }));
    expect((await queue('so-xay-dung')).find((item) => item.taskId === T3)?.deadline).toEqual(deadline);
  });

  it('queues a task issued by a v1 message as one issued by a v2 message', async () => {
    const [v1, v2] = [randomUUID(), randomUUID()];
    const messages = [
      taskIssuedV1(v1, 'PL4.1', '2022-04-30'),
      assigned(v1, 2, 'so-cong-thuong'),
      taskIssued(v2, 'PL4.2', '2022-05-31'),
      assigned(v2, 2, 'so-cong-thuong'),
    ];
    for (const m of messages) expect(validateCloudEvent(m)).toEqual({ valid: true, errors: [] });
    for (const m of messages) expect(await projection.handle(m)).toBe(true);
    expect(await queue('so-cong-thuong')).toEqual([
      {
        taskId: v1,
        planId: PLAN,
        planNumber: '183/KH-UBND',
        ref: 'PL4.1',
        title: 'Task PL4.1',
        relation: 'lead',
        deadline: { text: '2022-04-30', kind: 'date', due: '2022-04-30' },
        status: 'not_started',
      },
      {
        taskId: v2,
        planId: PLAN,
        planNumber: '183/KH-UBND',
        ref: 'PL4.2',
        title: 'Task PL4.2',
        relation: 'lead',
        deadline: { text: '2022-05-31', kind: 'date', due: '2022-05-31' },
        status: 'not_started',
      },
    ]);
  });

  it('shows the number a plan tracked before signing gets later, whichever of its events comes first', async () => {
    const unsigned = randomUUID();
    const [before, after] = [randomUUID(), randomUUID()];
    const issuedUnnumbered = (taskId: string, ref: string) =>
      cloudEvent(TASK_ISSUED_V3, taskId, 1, {
        taskId,
        planId: unsigned,
        planNumber: null,
        ref,
        title: `Task ${ref}`,
        group: null,
        deliverable: null,
        deadline: { text: '2022-06-30', kind: 'date', due: '2022-06-30' },
        supervisor: null,
        note: null,
        status: 'not_started',
        issuedAt: '2021-09-01T00:00:00.000Z',
      });
    const numbered = {
      ...cloudEvent(PLAN_NUMBERED_V1, unsigned, 2, {
        planId: unsigned,
        number: '1001/KH-UBND',
        issuedOn: '2021-09-15',
        numberedAt: '2021-09-16T00:00:00.000Z',
      }),
      subject: `plan-${unsigned}`,
    };
    const numbers = async () => Object.fromEntries((await queue('so-ngoai-vu')).map((item) => [item.ref, item.planNumber]));
    await projection.handle(issuedUnnumbered(before, 'U.1'));
    await projection.handle(assigned(before, 2, 'so-ngoai-vu'));
    expect(await numbers()).toEqual({ 'U.1': null });
    // Given the plan numbered, when its task's events come (plans and tasks travel on different topics):
    expect(validateCloudEvent(numbered)).toEqual({ valid: true, errors: [] });
    await projection.handle(numbered);
    await projection.handle(issuedUnnumbered(after, 'U.2'));
    await projection.handle(assigned(after, 2, 'so-ngoai-vu'));
    expect(await numbers()).toEqual({ 'U.1': '1001/KH-UBND', 'U.2': '1001/KH-UBND' });
    // Delivered again: nothing changes.
    expect(await projection.handle(numbered)).toBe(false);
  });

  describe('statuses of both versions', () => {
    const [A, B, C] = [randomUUID(), randomUUID(), randomUUID()];
    const statuses = async (agencyId: string) => (await queue(agencyId)).map((item) => `${item.ref}:${item.status}`);

    beforeAll(async () => {
      for (const e of [
        taskIssued(A, 'PL3.1', '2022-01-31'),
        assigned(A, 2, 'so-y-te', ['so-noi-vu']),
        taskIssued(B, 'PL3.2', '2022-02-28'),
        assigned(B, 2, 'so-y-te'),
        taskIssued(C, 'PL3.3', '2022-03-31'),
        assigned(C, 2, 'so-y-te', ['so-noi-vu']),
      ]) {
        await projection.handle(e);
      }
    });

    it('shows a v1 pending_confirmation as submitted and a v1 suspended as paused', async () => {
      expect(await projection.handle(statusChangedV1(A, 3, 'not_started', 'pending_confirmation'))).toBe(true);
      expect(await projection.handle(statusChangedV1(B, 3, 'not_started', 'suspended'))).toBe(true);
      expect(await statuses('so-y-te')).toEqual(['PL3.1:submitted', 'PL3.2:paused', 'PL3.3:not_started']);
      expect(await statuses('so-noi-vu')).toEqual(['PL3.1:submitted', 'PL3.3:not_started']);
    });

    it('keeps a returned, a resumed and a declined task in the queue, with its status', async () => {
      await projection.handle(statusChanged(A, 4, 'submitted', 'returned'));
      await projection.handle(statusChangedV1(A, 3, 'not_started', 'pending_confirmation')); // an older one, replayed
      await projection.handle(statusChanged(B, 4, 'paused', 'not_started'));
      await projection.handle(statusChanged(C, 3, 'not_started', 'declined'));
      expect(await statuses('so-y-te')).toEqual(['PL3.1:returned', 'PL3.2:not_started', 'PL3.3:declined']);
    });

    it('drops a cancelled task from the queues of its lead and of its coordinators, for good', async () => {
      const cancellation = statusChanged(C, 4, 'declined', 'cancelled');
      expect(await projection.handle(cancellation)).toBe(true);
      expect(await projection.handle(cancellation)).toBe(false);
      expect(await statuses('so-y-te')).toEqual(['PL3.1:returned', 'PL3.2:not_started']);
      expect(await statuses('so-noi-vu')).toEqual(['PL3.1:returned']);
      await projection.handle(assigned(C, 3, 'so-noi-vu')); // older than the cancellation
      expect(await statuses('so-noi-vu')).toEqual(['PL3.1:returned']);
    });

    it('drops a cancelled task even when the cancellation is replayed after a later event', async () => {
      await projection.handle(revised(B, 6, { title: 'Task PL3.2 (sửa đổi)' }));
      await projection.handle(statusChanged(B, 5, 'not_started', 'cancelled'));
      expect(await statuses('so-y-te')).toEqual(['PL3.1:returned']);
    });

    it('reads a row a v1 message left in the old codes as the new ones', async () => {
      await ds.query(`UPDATE assignments.tasks SET status = 'suspended' WHERE task_id = $1`, [A]);
      expect(await statuses('so-y-te')).toEqual(['PL3.1:paused']);
    });
  });
});

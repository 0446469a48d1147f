import { randomUUID } from 'node:crypto';
import { Inbox, type CloudEvent } from '@mandate/messaging';
import {
  PLAN_ISSUED_V1,
  PLAN_ISSUED_V2,
  PLAN_NUMBERED_V1,
  TASK_ISSUED_V3,
  TASK_ISSUED_V1,
  TASK_ISSUED_V2,
  TASK_REVISED_V1,
  TASK_STATUS_CHANGED_V1,
  TASK_STATUS_CHANGED_V2,
  TASK_WITHDRAWN_V1,
  validateCloudEvent,
} from '@mandate/plans-contracts';
import { openServiceDatabase } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { PlanSummaryProjection, planSummaryChangesMigration, planSummaryMigration, planSummaryUnnumberedMigration } from './plan-summary.projection';

const PLAN = randomUUID();
const TASKS = [randomUUID(), randomUUID(), randomUUID()];

const cloudEvent = (type: string, subject: string, sequence: number, data: unknown, cityid = 'ha-noi'): CloudEvent => ({
  specversion: '1.0',
  id: randomUUID(),
  type,
  source: `/mandate/${cityid}/plans`,
  subject,
  time: '2021-09-01T00:00:00.000Z',
  datacontenttype: 'application/json',
  cityid,
  correlationid: 'c',
  sequence: String(sequence),
  data,
});

const planIssuedOf = (planId: string, taskIds: string[]) =>
  cloudEvent(PLAN_ISSUED_V1, `plan-${planId}`, 1, {
    planId,
    number: '183/KH-UBND',
    kind: 'plan',
    title: 'Kế hoạch',
    issuedOn: '2021-08-10',
    issuer: 'UBND',
    taskCount: taskIds.length,
    taskIds,
  });
const planIssued = planIssuedOf(PLAN, TASKS);
const taskIssued = (taskId: string, planId = PLAN) =>
  cloudEvent(TASK_ISSUED_V2, `task-${taskId}`, 1, {
    taskId,
    planId,
    planNumber: '183/KH-UBND',
    ref: 'x',
    title: 't',
    group: 'I. Hoàn thiện thể chế',
    deliverable: null,
    deadline: { text: '', kind: 'unspecified', due: null },
    supervisor: null,
    note: null,
    status: 'not_started',
    issuedAt: '2021-09-01T00:00:00.000Z',
  });
/** As published before 2026-12-02, without group, deliverable, supervisor, note or issuedAt. */
const taskIssuedV1 = (taskId: string, planId = PLAN) =>
  cloudEvent(TASK_ISSUED_V1, `task-${taskId}`, 1, {
    taskId,
    planId,
    planNumber: '183/KH-UBND',
    ref: 'x',
    title: 't',
    deadline: { text: '', kind: 'unspecified', due: null },
    status: 'not_started',
  });
const statusChanged = (taskId: string, from: string, to: string, sequence: number, planId = PLAN, type = TASK_STATUS_CHANGED_V2) =>
  cloudEvent(type, `task-${taskId}`, sequence, {
    taskId,
    planId,
    from,
    to,
    note: '',
    changedAt: '2021-09-01T00:00:00.000Z',
    actor: { userId: 'u', role: 'office', agencyId: null },
  });
/** As published before 2026-12-02, in the five codes of v1. */
const statusChangedV1 = (taskId: string, from: string, to: string, sequence: number, planId = PLAN) =>
  statusChanged(taskId, from, to, sequence, planId, TASK_STATUS_CHANGED_V1);
const none = { not_started: 0, in_progress: 0, submitted: 0, completed: 0, returned: 0, paused: 0, cancelled: 0, declined: 0 };
const withdrawn = (taskId: string, sequence: number, planId = PLAN) =>
  cloudEvent(TASK_WITHDRAWN_V1, `task-${taskId}`, sequence, { taskId, planId, reason: 'Not in the amended version', withdrawnAt: '2021-10-01T00:00:00.000Z' });
const revised = (taskId: string, sequence: number, planId = PLAN) =>
  cloudEvent(TASK_REVISED_V1, `task-${taskId}`, sequence, {
    taskId,
    planId,
    changes: { title: 't2', deadline: { text: 'Quý IV/2021', kind: 'quarter', due: '2021-12-31' } },
    revisedAt: '2021-10-01T00:00:00.000Z',
  });

describe('Plan summary (reporting read model)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let projection: PlanSummaryProjection;

  beforeAll(async () => {
    db = await createTestDatabase('reporting');
    ds = await openServiceDatabase({
      url: db.url,
      schema: 'reporting',
      migrations: [
        Inbox.migration('reporting'),
        planSummaryMigration('reporting'),
        planSummaryChangesMigration('reporting'),
        planSummaryUnnumberedMigration('reporting'),
      ],
    });
    projection = new PlanSummaryProjection(ds, 'reporting', new Inbox(ds, 'reporting'));
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const events = [
    planIssued,
    ...TASKS.map((taskId) => taskIssued(taskId)),
    statusChanged(TASKS[0], 'not_started', 'in_progress', 3),
    statusChanged(TASKS[1], 'not_started', 'in_progress', 3),
    statusChanged(TASKS[1], 'in_progress', 'submitted', 4),
  ];

  it('counts a plan tracked before signing (no number), which takes the number its signed version gives', async () => {
    const planId = randomUUID();
    const taskId = randomUUID();
    const unnumbered = [
      cloudEvent(PLAN_ISSUED_V2, `plan-${planId}`, 1, {
        planId,
        number: null,
        kind: 'plan',
        title: 'Dự thảo',
        issuedOn: null,
        issuer: 'UBND',
        taskCount: 1,
        taskIds: [taskId],
      }),
      cloudEvent(TASK_ISSUED_V3, `task-${taskId}`, 1, {
        taskId,
        planId,
        planNumber: null,
        ref: 'x',
        title: 't',
        group: null,
        deliverable: null,
        deadline: { text: '', kind: 'unspecified', due: null },
        supervisor: null,
        note: null,
        status: 'not_started',
        issuedAt: '2021-09-01T00:00:00.000Z',
      }),
    ];
    for (const e of unnumbered) {
      expect(validateCloudEvent(e)).toEqual({ valid: true, errors: [] });
      await projection.handle(e);
    }
    expect(await projection.summary('ha-noi', planId)).toMatchObject({ planId, number: null, total: 1, byStatus: { ...none, not_started: 1 } });
    const numbered = cloudEvent(PLAN_NUMBERED_V1, `plan-${planId}`, 2, {
      planId,
      number: '1001/KH-UBND',
      issuedOn: '2021-09-15',
      numberedAt: '2021-09-16T00:00:00.000Z',
    });
    expect(validateCloudEvent(numbered)).toEqual({ valid: true, errors: [] });
    await projection.handle(numbered);
    expect(await projection.summary('ha-noi', planId)).toMatchObject({ planId, number: '1001/KH-UBND', total: 1 });
  });

  it('counts the tasks of a plan per status', async () => {
    for (const e of events) await projection.handle(e);
    expect(await projection.summary('ha-noi', PLAN)).toEqual({
      planId: PLAN,
      number: '183/KH-UBND',
      total: 3,
      statusChanges: 3,
      byStatus: { ...none, not_started: 1, in_progress: 1, submitted: 1 },
    });
  });

  it('is unchanged when every event is delivered a second time', async () => {
    for (const e of events) expect(await projection.handle(e)).toBe(false);
    const summary = await projection.summary('ha-noi', PLAN);
    expect(summary.byStatus).toMatchObject({ not_started: 1, in_progress: 1, submitted: 1 });
    expect(summary.statusChanges).toBe(3);
  });

  it('ignores an older status that arrives after a newer one', async () => {
    await projection.handle(statusChanged(TASKS[1], 'not_started', 'in_progress', 2));
    expect((await projection.summary('ha-noi', PLAN)).byStatus.submitted).toBe(1);
  });

  it('ignores a revision: nothing it counts can change', async () => {
    const before = await projection.summary('ha-noi', PLAN);
    expect(await projection.handle(revised(TASKS[0], 4))).toBe(true);
    expect(await projection.summary('ha-noi', PLAN)).toEqual(before);
  });

  it('stops counting a withdrawn task, keeping the status changes it had', async () => {
    const withdrawal = withdrawn(TASKS[1], 5);
    expect(await projection.handle(withdrawal)).toBe(true);
    expect(await projection.summary('ha-noi', PLAN)).toEqual({
      planId: PLAN,
      number: '183/KH-UBND',
      total: 2,
      statusChanges: 4,
      byStatus: { ...none, not_started: 1, in_progress: 1 },
    });
    expect(await projection.handle(withdrawal)).toBe(false);
    expect((await projection.summary('ha-noi', PLAN)).total).toBe(2);
  });

  it('does not count a withdrawn task again when an older event of it arrives late', async () => {
    await projection.handle(statusChanged(TASKS[1], 'submitted', 'completed', 4));
    await projection.handle(taskIssued(TASKS[1]));
    const summary = await projection.summary('ha-noi', PLAN);
    expect(summary.total).toBe(2);
    expect(summary.byStatus).toMatchObject({ not_started: 1, in_progress: 1, submitted: 0, completed: 0 });
  });

  it('does not count a task whose withdrawal overtook its issue (replayed from the dead letters)', async () => {
    const plan = randomUUID();
    const tasks = [randomUUID(), randomUUID()];
    await projection.handle(planIssuedOf(plan, tasks));
    await projection.handle(taskIssued(tasks[0], plan));
    await projection.handle(withdrawn(tasks[1], 2, plan));
    await projection.handle(taskIssued(tasks[1], plan));
    expect(await projection.summary('ha-noi', plan)).toMatchObject({ total: 1, byStatus: { not_started: 1 } });
  });

  it('counts the tasks of v1 and of v2 issue messages alike', async () => {
    const plan = randomUUID();
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const messages = [planIssuedOf(plan, [a, b, c]), taskIssuedV1(a, plan), taskIssued(b, plan), taskIssuedV1(c, plan)];
    for (const m of messages) expect(validateCloudEvent(m)).toEqual({ valid: true, errors: [] });
    for (const m of messages) expect(await projection.handle(m)).toBe(true);
    await projection.handle(statusChanged(a, 'not_started', 'in_progress', 2, plan));
    expect(await projection.summary('ha-noi', plan)).toMatchObject({ total: 3, statusChanges: 1, byStatus: { ...none, not_started: 2, in_progress: 1 } });
    // A v1 issue replayed after the task moved on (from the dead letters) changes nothing.
    expect(await projection.handle(taskIssuedV1(a, plan))).toBe(true);
    expect((await projection.summary('ha-noi', plan)).byStatus).toMatchObject({ not_started: 2, in_progress: 1 });
  });

  describe('status changes of both versions', () => {
    const plan = randomUUID();
    const tasks = Array.from({ length: 8 }, () => randomUUID());
    const summary = () => projection.summary('ha-noi', plan);

    beforeAll(async () => {
      await projection.handle(planIssuedOf(plan, tasks));
      for (const taskId of tasks) await projection.handle(taskIssued(taskId, plan));
    });

    it('counts a v1 message with pending_confirmation as submitted, and suspended as paused', async () => {
      const [a, b] = tasks;
      const messages = [
        statusChangedV1(a, 'not_started', 'in_progress', 2, plan),
        statusChangedV1(a, 'in_progress', 'pending_confirmation', 3, plan),
        statusChangedV1(b, 'not_started', 'suspended', 2, plan),
      ];
      for (const m of messages) expect(validateCloudEvent(m)).toEqual({ valid: true, errors: [] });
      for (const m of messages) expect(await projection.handle(m)).toBe(true);
      expect(await summary()).toMatchObject({ total: 8, statusChanges: 3, byStatus: { ...none, not_started: 6, submitted: 1, paused: 1 } });
    });

    it('orders the v1 and v2 messages of a task by their sequence', async () => {
      const [a, b] = tasks;
      await projection.handle(statusChanged(a, 'submitted', 'returned', 4, plan));
      await projection.handle(statusChangedV1(a, 'in_progress', 'pending_confirmation', 3, plan)); // late, and older
      await projection.handle(statusChanged(b, 'paused', 'not_started', 3, plan));
      expect((await summary()).byStatus).toEqual({ ...none, not_started: 7, returned: 1 });
    });

    it('counts every code of the lifecycle, cancelled tasks under cancelled', async () => {
      const [a, b, c, d, e, f, g] = tasks;
      for (const m of [
        statusChanged(a, 'returned', 'in_progress', 5, plan),
        statusChanged(b, 'not_started', 'submitted', 4, plan),
        statusChanged(c, 'not_started', 'submitted', 2, plan),
        statusChanged(c, 'submitted', 'completed', 3, plan),
        statusChanged(d, 'not_started', 'submitted', 2, plan),
        statusChanged(d, 'submitted', 'returned', 3, plan),
        statusChanged(e, 'not_started', 'paused', 2, plan),
        statusChanged(f, 'not_started', 'cancelled', 2, plan),
        statusChanged(g, 'not_started', 'declined', 2, plan),
      ]) {
        await projection.handle(m);
      }
      expect(await summary()).toMatchObject({
        total: 8,
        byStatus: { not_started: 1, in_progress: 1, submitted: 1, completed: 1, returned: 1, paused: 1, cancelled: 1, declined: 1 },
      });
    });

    it('reads rows a v1 message left in the old codes as the new ones', async () => {
      const [a, b] = tasks;
      await ds.query(`UPDATE reporting.task_status SET status = 'pending_confirmation' WHERE task_id = $1`, [a]);
      await ds.query(`UPDATE reporting.task_status SET status = 'suspended' WHERE task_id = $1`, [b]);
      expect((await summary()).byStatus).toEqual({
        not_started: 1,
        in_progress: 0,
        submitted: 1,
        completed: 1,
        returned: 1,
        paused: 2,
        cancelled: 1,
        declined: 1,
      });
    });
  });

  it('answers 404 for another city', async () => {
    await expect(projection.summary('hai-phong', PLAN)).rejects.toMatchObject({ kind: 'not-found' });
  });
});

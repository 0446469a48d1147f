import { randomUUID } from 'node:crypto';
import { Inbox, type CloudEvent } from '@mandate/messaging';
import { PLAN_ISSUED_V1, TASK_ISSUED_V1, TASK_REVISED_V1, TASK_STATUS_CHANGED_V1, TASK_WITHDRAWN_V1 } from '@mandate/plans-contracts';
import { openServiceDatabase } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { PlanSummaryProjection, planSummaryChangesMigration, planSummaryMigration } from './plan-summary.projection';

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
    planId, number: '183/KH-UBND', kind: 'plan', title: 'Kế hoạch', issuedOn: '2021-08-10', issuer: 'UBND', taskCount: taskIds.length, taskIds,
  });
const planIssued = planIssuedOf(PLAN, TASKS);
const taskIssued = (taskId: string, planId = PLAN) =>
  cloudEvent(TASK_ISSUED_V1, `task-${taskId}`, 1, {
    taskId, planId, planNumber: '183/KH-UBND', ref: 'x', title: 't', deadline: { text: '', kind: 'unspecified', due: null }, status: 'not_started',
  });
const statusChanged = (taskId: string, from: string, to: string, sequence: number, planId = PLAN) =>
  cloudEvent(TASK_STATUS_CHANGED_V1, `task-${taskId}`, sequence, {
    taskId, planId, from, to, note: '', changedAt: '2021-09-01T00:00:00.000Z', actor: { userId: 'u', role: 'office', agencyId: null },
  });
const withdrawn = (taskId: string, sequence: number, planId = PLAN) =>
  cloudEvent(TASK_WITHDRAWN_V1, `task-${taskId}`, sequence, { taskId, planId, reason: 'Not in the amended version', withdrawnAt: '2021-10-01T00:00:00.000Z' });
const revised = (taskId: string, sequence: number, planId = PLAN) =>
  cloudEvent(TASK_REVISED_V1, `task-${taskId}`, sequence, {
    taskId, planId, changes: { title: 't2', deadline: { text: 'Quý IV/2021', kind: 'quarter', due: '2021-12-31' } }, revisedAt: '2021-10-01T00:00:00.000Z',
  });

describe('Plan summary (reporting read model)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let projection: PlanSummaryProjection;

  beforeAll(async () => {
    db = await createTestDatabase('reporting');
    ds = await openServiceDatabase({ url: db.url, schema: 'reporting', migrations: [Inbox.migration('reporting'), planSummaryMigration('reporting'), planSummaryChangesMigration('reporting')] });
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
    statusChanged(TASKS[1], 'in_progress', 'pending_confirmation', 4),
  ];

  it('counts the tasks of a plan per status', async () => {
    for (const e of events) await projection.handle(e);
    expect(await projection.summary('ha-noi', PLAN)).toEqual({
      planId: PLAN,
      number: '183/KH-UBND',
      total: 3,
      statusChanges: 3,
      byStatus: { not_started: 1, in_progress: 1, pending_confirmation: 1, completed: 0, suspended: 0 },
    });
  });

  it('is unchanged when every event is delivered a second time', async () => {
    for (const e of events) expect(await projection.handle(e)).toBe(false);
    const summary = await projection.summary('ha-noi', PLAN);
    expect(summary.byStatus).toMatchObject({ not_started: 1, in_progress: 1, pending_confirmation: 1 });
    expect(summary.statusChanges).toBe(3);
  });

  it('ignores an older status that arrives after a newer one', async () => {
    await projection.handle(statusChanged(TASKS[1], 'not_started', 'in_progress', 2));
    expect((await projection.summary('ha-noi', PLAN)).byStatus.pending_confirmation).toBe(1);
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
      byStatus: { not_started: 1, in_progress: 1, pending_confirmation: 0, completed: 0, suspended: 0 },
    });
    expect(await projection.handle(withdrawal)).toBe(false);
    expect((await projection.summary('ha-noi', PLAN)).total).toBe(2);
  });

  it('does not count a withdrawn task again when an older event of it arrives late', async () => {
    await projection.handle(statusChanged(TASKS[1], 'pending_confirmation', 'completed', 4));
    await projection.handle(taskIssued(TASKS[1]));
    const summary = await projection.summary('ha-noi', PLAN);
    expect(summary.total).toBe(2);
    expect(summary.byStatus).toMatchObject({ not_started: 1, in_progress: 1, pending_confirmation: 0, completed: 0 });
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

  it('answers 404 for another city', async () => {
    await expect(projection.summary('hai-phong', PLAN)).rejects.toMatchObject({ kind: 'not-found' });
  });
});

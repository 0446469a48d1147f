import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@mandate/messaging';
import { SUBJECTS } from '@mandate/notifications-domain';
import {
  PLAN_NUMBERED_V1,
  REPORT_OVERDUE_V1,
  REPORT_REQUESTED_V1,
  TASK_ASSIGNED_V1,
  TASK_DUE_SOON_V1,
  TASK_ISSUED_V2,
  TASK_ISSUED_V3,
  TASK_OVERDUE_V1,
  TASK_STATUS_CHANGED_V1,
  TASK_STATUS_CHANGED_V2,
} from '@mandate/plans-contracts';
import { openServiceDatabase } from '@mandate/runtime';
import { aCloudEvent, createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { notificationsMigrations } from './migrations';
import { movingClock, notificationsInstance, SCHEMA } from './notifications.fixture';
import type { NotificationLog } from './notification-log';
import { NoticeTasks } from './notice-tasks';

const PLAN = randomUUID();
const cloudEvent = (type: string, taskId: string, sequence: number, data: unknown, cityid = 'ha-noi'): CloudEvent =>
  aCloudEvent(type, data, { sequence: String(sequence), subject: `task-${taskId}`, cityid, source: `/mandate/${cityid}/plans` });
const agency = (agencyId: string | null, name = agencyId ?? 'các Sở, ngành') => ({ agencyId, name, resolution: agencyId ? 'resolved' : 'group' }) as const;
const issued = (taskId: string, due: string, supervisor: string | null = null, ref = 'PL2.I.1', cityid = 'ha-noi') =>
  cloudEvent(
    TASK_ISSUED_V2,
    taskId,
    1,
    {
      taskId,
      planId: PLAN,
      planNumber: '183/KH-UBND',
      ref,
      title: `Nhiệm vụ ${ref}`,
      status: 'not_started',
      deadline: { text: due, kind: 'date', due },
      group: null,
      deliverable: null,
      supervisor,
      note: null,
      issuedAt: '2026-01-05T02:00:00.000Z',
    },
    cityid,
  );
const assigned = (taskId: string, sequence: number, lead: string | null, coordinators: string[] = [], cityid = 'ha-noi') =>
  cloudEvent(
    TASK_ASSIGNED_V1,
    taskId,
    sequence,
    { taskId, planId: PLAN, lead: agency(lead), coordinators: coordinators.map((c) => agency(c)), previousLeadAgencyId: null },
    cityid,
  );
const statusChanged = (taskId: string, sequence: number, from: string, to: string, type = TASK_STATUS_CHANGED_V2, cityid = 'ha-noi') =>
  cloudEvent(
    type,
    taskId,
    sequence,
    {
      taskId,
      planId: PLAN,
      from,
      to,
      note: 'Lý do.',
      changedAt: '2021-09-01T00:00:00.000Z',
      actor: { userId: 'u', role: 'office', agencyId: 'van-phong-ubnd' },
    },
    cityid,
  );
const marked = (type: typeof TASK_DUE_SOON_V1 | typeof TASK_OVERDUE_V1, taskId: string, sequence: number, due = '2021-09-30') =>
  cloudEvent(type, taskId, sequence, { taskId, planId: PLAN, due, at: '2021-09-30T17:00:00.000Z' });

describe('Notification log (who is told, once)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let log: NotificationLog;
  const told = async (cityId: string, taskId: string) =>
    (await log.list(cityId, null))
      .filter((n) => n.taskId === taskId)
      .map((n) => `${n.recipientAgencyId}: ${n.subject}`)
      .reverse();

  beforeAll(async () => {
    db = await createTestDatabase('notifications');
    ds = await openServiceDatabase({ url: db.url, schema: SCHEMA, migrations: notificationsMigrations(SCHEMA) });
    log = notificationsInstance(ds).log;
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('keeps a task of a plan without a number (task.issued.v3) with none, until plan.numbered.v1 gives its plan one', async () => {
    const tasks = new NoticeTasks(SCHEMA);
    const planId = randomUUID();
    const taskId = randomUUID();
    await tasks.apply(
      ds.manager,
      cloudEvent(TASK_ISSUED_V3, taskId, 1, {
        taskId,
        planId,
        planNumber: null,
        ref: 'PL2.I.1',
        title: 'Nhiệm vụ của dự thảo',
        status: 'not_started',
        deadline: { text: 'Quý I/2026', kind: 'quarter', due: '2026-03-31' },
        group: null,
        deliverable: null,
        supervisor: null,
        note: null,
        issuedAt: '2026-01-05T02:00:00.000Z',
      }),
    );
    expect(await tasks.mailTaskOf(ds.manager, taskId)).toMatchObject({ ref: 'PL2.I.1', planNumber: null });
    await tasks.apply(
      ds.manager,
      aCloudEvent(
        PLAN_NUMBERED_V1,
        { planId, number: '1001/KH-UBND', issuedOn: '2026-01-15', numberedAt: '2026-01-16T02:00:00.000Z' },
        { subject: `plan-${planId}`, cityid: 'ha-noi' },
      ),
    );
    expect(await tasks.mailTaskOf(ds.manager, taskId)).toMatchObject({ planNumber: '1001/KH-UBND' });
  });

  it('tells the confirming agency of a submission, the lead of a return and of a confirmation, the city office of a refusal', async () => {
    const task = randomUUID();
    for (const e of [
      assigned(task, 2, 'so-tu-phap', ['so-tai-chinh']),
      statusChanged(task, 3, 'not_started', 'submitted'),
      statusChanged(task, 4, 'submitted', 'returned'),
      statusChanged(task, 5, 'returned', 'in_progress'),
      statusChanged(task, 6, 'in_progress', 'declined'),
      statusChanged(task, 7, 'declined', 'submitted'),
      statusChanged(task, 8, 'submitted', 'completed'),
    ]) {
      expect(await log.handle(e)).toBe(true);
    }
    expect(await told('ha-noi', task)).toEqual([
      `so-tu-phap: ${SUBJECTS.lead}`,
      `so-tai-chinh: ${SUBJECTS.coordinator}`,
      'so-ke-hoach-dau-tu: Nhiệm vụ chờ xác nhận hoàn thành',
      'so-tu-phap: Nhiệm vụ bị trả lại, đề nghị thực hiện lại',
      'van-phong-ubnd: Cơ quan chủ trì từ chối thực hiện nhiệm vụ',
      'so-ke-hoach-dau-tu: Nhiệm vụ chờ xác nhận hoàn thành',
      `so-tu-phap: ${SUBJECTS.confirmed}`,
    ]);
  });

  it('tells of a v1 pending_confirmation as of a submission', async () => {
    const task = randomUUID();
    await log.handle(assigned(task, 2, 'so-xay-dung'));
    expect(await log.handle(statusChanged(task, 3, 'in_progress', 'pending_confirmation', TASK_STATUS_CHANGED_V1))).toBe(true);
    expect(await log.handle(statusChanged(task, 4, 'pending_confirmation', 'suspended', TASK_STATUS_CHANGED_V1))).toBe(true);
    expect(await told('ha-noi', task)).toEqual([`so-xay-dung: ${SUBJECTS.lead}`, `so-ke-hoach-dau-tu: ${SUBJECTS.submitted}`]);
  });

  it('tells the lead of the latest assignment of a return, once, whether or not the task was heard of first', async () => {
    const task = randomUUID();
    await log.handle(assigned(task, 2, 'so-tu-phap'));
    await log.handle(issued(task, '2026-12-31'));
    await log.handle(assigned(task, 3, 'so-tai-chinh', ['so-tu-phap']));
    const returned = statusChanged(task, 5, 'submitted', 'returned');
    expect(await log.handle(returned)).toBe(true);
    expect(await log.handle(returned)).toBe(false);
    expect((await told('ha-noi', task)).filter((n) => n.endsWith(SUBJECTS.returned))).toEqual([`so-tai-chinh: ${SUBJECTS.returned}`]);
  });

  it('tells the lead of the latest assignment that the task is due soon, then overdue, once each', async () => {
    const task = randomUUID();
    await log.handle(assigned(task, 2, 'so-tu-phap'));
    await log.handle(assigned(task, 3, 'so-tai-chinh'));
    const overdue = marked(TASK_OVERDUE_V1, task, 5);
    expect(await log.handle(marked(TASK_DUE_SOON_V1, task, 4))).toBe(true);
    expect(await log.handle(overdue)).toBe(true);
    expect(await log.handle(overdue)).toBe(false);
    expect((await told('ha-noi', task)).slice(2)).toEqual([`so-tai-chinh: ${SUBJECTS.dueSoon}`, `so-tai-chinh: ${SUBJECTS.overdue}`]);
    const unassigned = randomUUID();
    await log.handle(assigned(unassigned, 2, null));
    expect(await log.handle(marked(TASK_OVERDUE_V1, unassigned, 3))).toBe(true);
    expect(await told('ha-noi', unassigned)).toEqual([]);
  });

  it('takes the lead from the same city, and tells nobody of a return when no lead agency is known', async () => {
    const task = randomUUID();
    await log.handle(assigned(task, 2, 'so-tu-phap', [], 'hai-phong'));
    expect(await log.handle(statusChanged(task, 4, 'submitted', 'returned'))).toBe(true);
    const unassigned = randomUUID();
    await log.handle(assigned(unassigned, 2, null));
    expect(await log.handle(statusChanged(unassigned, 4, 'submitted', 'returned'))).toBe(true);
    expect(await told('ha-noi', task)).toEqual([]);
    expect(await told('ha-noi', unassigned)).toEqual([]);
    expect(await told('hai-phong', task)).toEqual([`so-tu-phap: ${SUBJECTS.lead}`]);
  });
});

describe('Notification log: agency reports', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('report_notices');
    ds = await openServiceDatabase({ url: db.url, schema: SCHEMA, migrations: notificationsMigrations(SCHEMA) });
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('tells the agency asked for a report, and when it is late, the agency and the planning department; once each', async () => {
    const { log } = notificationsInstance(ds);
    const reportId = randomUUID();
    const report = (type: string, data: object) =>
      aCloudEvent(
        type,
        { reportId, planId: PLAN, agencyId: 'so-y-te', periodKey: '2026-Q4', dueOn: '2026-12-20', ...data },
        { subject: `report-${reportId}`, source: '/mandate/ha-noi/reporting' },
      );
    const requested = report(REPORT_REQUESTED_V1, {
      planNumber: '183/KH-UBND',
      receiver: 'Sở Kế hoạch và Đầu tư',
      taskIds: [],
      requestedAt: '2026-12-01T02:00:00.000Z',
    });
    expect(await log.handle(requested)).toBe(true);
    expect(await log.handle(requested)).toBe(false);
    await log.handle(report(REPORT_OVERDUE_V1, { markedAt: '2026-12-20T17:00:00.000Z' }));
    const notices = (await log.list('ha-noi', null)).reverse().map((n) => [n.recipientAgencyId, n.rule, n.reportId]);
    expect(notices).toEqual([
      ['so-y-te', 'report-requested', reportId],
      ['so-y-te', 'report-late', reportId],
      ['so-ke-hoach-dau-tu', 'report-late', reportId],
    ]);
  });
});

describe('Reminders: still overdue, and the weekly digest', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('reminders');
    ds = await openServiceDatabase({ url: db.url, schema: SCHEMA, migrations: notificationsMigrations(SCHEMA) });
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('reminds the lead agency every 7 days while the task stays overdue, once per reminder across two instances, and stops when the work is submitted', async () => {
    const clock = movingClock('2026-10-01T09:00:00+07:00');
    const cities = { 'ha-noi': { digest: { weekday: 7, time: '23:59' } } }; // digests out of the way
    const [one, two] = [notificationsInstance(ds, { clock, cities }), notificationsInstance(ds, { clock, cities })];
    const task = randomUUID();
    for (const e of [issued(task, '2026-09-30'), assigned(task, 2, 'so-tu-phap'), marked(TASK_OVERDUE_V1, task, 3, '2026-09-30')]) await one.log.handle(e);
    const reminders = async () => (await one.log.list('ha-noi', 'so-tu-phap')).filter((n) => n.taskId === task && n.subject === SUBJECTS.overdueAgain).length;

    expect(await Promise.all([one.reminders.run(), two.reminders.run()])).toEqual([0, 0]);
    clock.set('2026-10-08T08:00:00+07:00'); // 7 days after the first overdue day
    await Promise.all([one.reminders.run(), two.reminders.run(), one.reminders.run()]);
    expect(await reminders()).toBe(1);
    clock.set('2026-10-14T08:00:00+07:00');
    await one.reminders.run();
    expect(await reminders()).toBe(1);
    clock.set('2026-10-15T08:00:00+07:00');
    await two.reminders.run();
    expect(await reminders()).toBe(2);
    await one.log.handle(statusChanged(task, 4, 'in_progress', 'submitted'));
    clock.set('2026-10-30T08:00:00+07:00');
    await one.reminders.run();
    expect(await reminders()).toBe(2);
  });

  it("sends each agency a digest of its tasks once a week from the city's digest time, and none to an agency with nothing to say", async () => {
    const clock = movingClock('2026-11-30T07:29:00+07:00'); // a Monday, a minute before the default digest time
    const cities = { 'hai-phong': { overdueRepeatDays: 0 }, 'ha-noi': { rules: { 'weekly-digest': false, 'task-overdue-again': false } } };
    const instance = notificationsInstance(ds, { clock, cities });
    const [late, soon, far] = [randomUUID(), randomUUID(), randomUUID()];
    for (const e of [
      issued(late, '2026-11-20', null, '1', 'hai-phong'),
      assigned(late, 2, 'so-noi-vu', [], 'hai-phong'),
      issued(soon, '2026-12-03', null, '2', 'hai-phong'),
      assigned(soon, 2, 'so-noi-vu', [], 'hai-phong'),
      issued(far, '2027-06-30', null, '3', 'hai-phong'),
      assigned(far, 2, 'so-y-te', [], 'hai-phong'),
    ])
      await instance.log.handle(e);
    const digests = async (agencyId: string) =>
      (await instance.log.list('hai-phong', agencyId)).filter((n) => n.rule === 'weekly-digest').map((n) => n.subject);

    expect(await instance.reminders.run()).toBe(0);
    clock.set('2026-11-30T07:30:00+07:00');
    expect(await instance.reminders.run()).toBe(1);
    expect(await instance.reminders.run()).toBe(0);
    expect(await digests('so-noi-vu')).toEqual([SUBJECTS.weeklyDigest]);
    expect(await digests('so-y-te')).toEqual([]);
    clock.set('2026-12-07T08:00:00+07:00');
    expect(await instance.reminders.run()).toBe(1);
    expect(await digests('so-noi-vu')).toHaveLength(2);
  });
});

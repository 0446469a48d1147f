import { randomUUID } from 'node:crypto';
import { Inbox, type CloudEvent } from '@mandate/messaging';
import { TASK_ASSIGNED_V1, TASK_DUE_SOON_V1, TASK_OVERDUE_V1, TASK_STATUS_CHANGED_V1, TASK_STATUS_CHANGED_V2 } from '@mandate/plans-contracts';
import { openServiceDatabase } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { NotificationLog, notificationLogMigration, notificationReadStateMigration, SUBJECTS } from './notification-log';

const PLAN = randomUUID();

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
const agency = (agencyId: string | null, name = agencyId ?? 'các Sở, ngành') =>
  ({ agencyId, name, resolution: agencyId ? 'resolved' : 'group' }) as const;
const assigned = (taskId: string, sequence: number, lead: string | null, coordinators: string[] = [], cityid = 'ha-noi') =>
  cloudEvent(TASK_ASSIGNED_V1, taskId, sequence, { taskId, planId: PLAN, lead: agency(lead), coordinators: coordinators.map((c) => agency(c)), previousLeadAgencyId: null }, cityid);
const statusChanged = (taskId: string, sequence: number, from: string, to: string, type = TASK_STATUS_CHANGED_V2, cityid = 'ha-noi') =>
  cloudEvent(
    type,
    taskId,
    sequence,
    { taskId, planId: PLAN, from, to, note: 'Lý do.', changedAt: '2021-09-01T00:00:00.000Z', actor: { userId: 'u', role: 'office', agencyId: 'van-phong-ubnd' } },
    cityid,
  );
const marked = (type: typeof TASK_DUE_SOON_V1 | typeof TASK_OVERDUE_V1, taskId: string, sequence: number, due = '2021-09-30') =>
  cloudEvent(type, taskId, sequence, { taskId, planId: PLAN, due, at: '2021-09-30T17:00:00.000Z' });

describe('Notification log (notifications read model)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let log: NotificationLog;
  const told = async (cityId: string, taskId: string) =>
    (await log.list(cityId, null)).filter((n) => n.taskId === taskId).map((n) => `${n.recipientAgencyId}: ${n.subject}`).reverse();

  beforeAll(async () => {
    db = await createTestDatabase('notifications');
    ds = await openServiceDatabase({ url: db.url, schema: 'notifications', migrations: [Inbox.migration('notifications'), notificationLogMigration('notifications'), notificationReadStateMigration('notifications')] });
    log = new NotificationLog(ds, 'notifications', new Inbox(ds, 'notifications'));
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('tells the confirming agency of a submission, the lead of a return, the city office of a refusal', async () => {
    const task = randomUUID();
    for (const e of [
      assigned(task, 2, 'so-tu-phap', ['so-tai-chinh']),
      statusChanged(task, 3, 'not_started', 'submitted'),
      statusChanged(task, 4, 'submitted', 'returned'),
      statusChanged(task, 5, 'returned', 'in_progress'),
      statusChanged(task, 6, 'in_progress', 'declined'),
      statusChanged(task, 7, 'declined', 'not_started'),
    ]) {
      expect(await log.handle(e)).toBe(true);
    }
    expect(await told('ha-noi', task)).toEqual([
      `so-tu-phap: ${SUBJECTS.lead}`,
      `so-tai-chinh: ${SUBJECTS.coordinator}`,
      'so-ke-hoach-dau-tu: Nhiệm vụ chờ xác nhận hoàn thành',
      'so-tu-phap: Nhiệm vụ bị trả lại, đề nghị thực hiện lại',
      'van-phong-ubnd: Cơ quan chủ trì từ chối thực hiện nhiệm vụ',
    ]);
  });

  it('tells of a v1 pending_confirmation as of a submission', async () => {
    const task = randomUUID();
    await log.handle(assigned(task, 2, 'so-xay-dung'));
    expect(await log.handle(statusChanged(task, 3, 'in_progress', 'pending_confirmation', TASK_STATUS_CHANGED_V1))).toBe(true);
    expect(await log.handle(statusChanged(task, 4, 'pending_confirmation', 'suspended', TASK_STATUS_CHANGED_V1))).toBe(true);
    expect(await told('ha-noi', task)).toEqual([`so-xay-dung: ${SUBJECTS.lead}`, `so-ke-hoach-dau-tu: ${SUBJECTS.submitted}`]);
  });

  it('tells the lead of the latest assignment of a return, once', async () => {
    const task = randomUUID();
    await log.handle(assigned(task, 2, 'so-tu-phap'));
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

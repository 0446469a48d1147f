// The deadline scheduler against the real PostgreSQL: two instances, a restart, a moved deadline.
import { createLogger } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import { PostgresLeaderLock } from '@mandate/messaging';
import { DeadlineScheduler } from '@mandate/plans-app';
import type { Clock } from '@mandate/kernel';
import { startPlans, type PlansHost } from './plans.service-host';

jest.setTimeout(120_000);

const logger = createLogger('silent');

describe('Deadline marks (TaskBecameDueSoon, TaskBecameOverdue)', () => {
  let db: TestDatabase;
  let now = new Date('2021-08-20T00:00:00Z');
  const clock: Clock = { now: () => now };
  const hosts: PlansHost[] = [];
  const open = async () => {
    const host = await startPlans({ databaseUrl: db.url, logger, clock });
    hosts.push(host);
    return host;
  };
  const schedulerOf = (host: PlansHost) =>
    new DeadlineScheduler(host.service, new PostgresLeaderLock(db.url, 'plans-deadlines', logger), {
      intervalMs: 60_000,
      dueSoonDaysOf: () => undefined,
      dueSoonWindowDays: () => 3,
      logger,
    });
  const marks = async (host: PlansHost) =>
    (await host.db.query(
      `SELECT type, data->>'due' AS due, count(*)::int AS n FROM plans.events WHERE type LIKE 'TaskBecame%' GROUP BY 1, 2 ORDER BY 1, 2`,
    )) as {
      type: string;
      due: string;
      n: number;
    }[];
  const perTask = async (host: PlansHost) =>
    (await host.db.query(
      `SELECT stream_id, type, data->>'due' AS due, count(*)::int AS n FROM plans.events
       WHERE type LIKE 'TaskBecame%' OR type = 'TaskOccurrenceOpened' GROUP BY 1, 2, 3 HAVING count(*) > 1`,
    )) as unknown[];
  const occurrences = async (host: PlansHost) =>
    (await host.db.query(
      `SELECT t.deadline->>'kind' AS kind, t.deadline->>'recurrence' AS every, e.data->>'due' AS due, count(*)::int AS n
       FROM plans.events e JOIN plans.task_list t ON 'task-' || t.task_id::text = e.stream_id
       WHERE e.type = 'TaskOccurrenceOpened' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    )) as { kind: string; every: string | null; due: string; n: number }[];

  beforeAll(async () => {
    db = await createTestDatabase('deadlines');
    await (await open()).seed();
  });

  afterAll(async () => {
    for (const host of hosts) await host.stop().catch(() => undefined);
    await db?.drop();
  });

  it('two instances scanning at the same time mark each task once; a restart marks nothing again', async () => {
    // 28 September 2021, 10:00 in Hà Nội: tasks due 30/9 are due soon, those due in August overdue.
    now = new Date('2021-09-28T03:00:00Z');
    const [a, b] = [await open(), await open()];
    const [first, second] = [schedulerOf(a), schedulerOf(b)];
    const counts = await Promise.all([first.tick(), second.tick(), first.tick(), second.tick()]);
    await Promise.all([first.stop(), second.stop()]);
    const total = counts.reduce((x, y) => x + y, 0);
    expect(total).toBeGreaterThan(0);
    const recorded = await marks(a);
    const [{ opened }] = (await a.db.query(`SELECT count(*)::int AS opened FROM plans.events WHERE type = 'TaskOccurrenceOpened'`)) as { opened: number }[];
    expect(recorded.reduce((x, r) => x + r.n, 0) + opened).toBe(total);
    expect(recorded.find((r) => r.type === 'TaskBecameDueSoon' && r.due === '2021-09-30')?.n).toBeGreaterThan(0);
    expect(await perTask(a)).toEqual([]);

    await a.stop();
    await b.stop();
    const restarted = schedulerOf(await open());
    expect(await restarted.tick()).toBe(0);
    await restarted.stop();
  });

  it('marks the due-soon tasks overdue once their day has ended, once each', async () => {
    now = new Date('2021-10-01T03:00:00Z');
    const host = hosts.at(-1)!;
    const [x, y] = [schedulerOf(host), schedulerOf(host)];
    await Promise.all([x.tick(), y.tick()]);
    await Promise.all([x.stop(), y.stop()]);
    const recorded = await marks(host);
    const dueSoon = recorded.find((r) => r.type === 'TaskBecameDueSoon' && r.due === '2021-09-30')!.n;
    expect(recorded.find((r) => r.type === 'TaskBecameOverdue' && r.due === '2021-09-30')?.n).toBe(dueSoon);
    expect(await perTask(host)).toEqual([]);
  });

  it('opens each period of a repeating duty once, catching up the periods it missed', async () => {
    const host = hosts.at(-1)!;
    const byKind = await occurrences(host);
    // Issued on 20/8/2021, scanned on 28/9 and 1/10: yearly reports owe 2021 once; the seeds' 14
    // continuous duties (thường xuyên) check in for the third quarter, then the fourth.
    expect(byKind).toEqual([
      { kind: 'continuous', every: null, due: '2021-09-30', n: 14 },
      { kind: 'continuous', every: null, due: '2021-12-31', n: 14 },
      { kind: 'recurring', every: 'yearly', due: '2021-12-31', n: 6 },
    ]);
    // Down until April 2022: the first quarter of 2022 and the second are opened at once.
    now = new Date('2022-04-02T03:00:00Z');
    const scheduler = schedulerOf(host);
    await scheduler.tick();
    await scheduler.stop();
    const after = await occurrences(host);
    expect(after.filter((o) => o.kind === 'continuous').map((o) => o.due)).toEqual(['2021-09-30', '2021-12-31', '2022-03-31', '2022-06-30']);
    expect(after.filter((o) => o.every === 'yearly').map((o) => o.due)).toEqual(['2021-12-31', '2022-12-31']);
    expect(await perTask(host)).toEqual([]);
    now = new Date('2021-10-01T03:00:00Z');
  });

  it('marks a task again after its deadline moved, for the new due date', async () => {
    const host = hosts.at(-1)!;
    const [row] = (await host.db.query(
      `SELECT task_id, lead->>'agencyId' AS lead FROM plans.task_list WHERE city_id = 'ha-noi' AND overdue_marked = '2021-09-30' AND lead->>'agencyId' IS NOT NULL LIMIT 1`,
    )) as { task_id: string; lead: string }[];
    const officer = { userId: 'u', role: 'agency' as const, agencyId: row.lead, cityId: 'ha-noi' };
    const planning = { userId: 'p', role: 'planning' as const, agencyId: 'so-ke-hoach-dau-tu', cityId: 'ha-noi' };
    await host.service.actOnTask(
      row.task_id,
      { type: 'RequestExtension', data: { taskId: row.task_id, requestId: 'r1', until: '2021-10-31', reason: 'Thêm thời gian' } },
      officer,
      { correlationId: 'c' },
    );
    await host.service.actOnTask(row.task_id, { type: 'ApproveExtension', data: { taskId: row.task_id, requestId: 'r1', note: '' } }, planning, {
      correlationId: 'c',
    });
    now = new Date('2021-11-01T03:00:00Z');
    const scheduler = schedulerOf(host);
    await scheduler.tick();
    await scheduler.stop();
    const events = (await host.db.query(
      `SELECT type, data->>'due' AS due FROM plans.events WHERE stream_id = $1 AND type LIKE 'TaskBecame%' ORDER BY global_position`,
      [`task-${row.task_id}`],
    )) as { type: string; due: string }[];
    expect(events.filter((e) => e.type === 'TaskBecameOverdue').map((e) => e.due)).toEqual(['2021-09-30', '2021-10-31']);
  });
});

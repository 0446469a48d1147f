// Many writers on one task at once, against the real PostgreSQL: without If-Match none of them may
// lose to the others (they queue on the stream); with If-Match a stale version is still refused.
import { randomUUID } from 'node:crypto';
import { ConcurrencyError, systemClock } from '@mandate/kernel';
import { createLogger } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import { startPlans, type PlansHost } from './plans.service-host';

jest.setTimeout(120_000);

const WRITERS = 20;

describe('Concurrent commands on one task', () => {
  let db: TestDatabase;
  let host: PlansHost;
  let task: { task_id: string; city_id: string };
  const office = () => ({ userId: 'vp', role: 'office' as const, agencyId: null, cityId: task.city_id });
  const report = (percent: number, expectedVersion?: bigint) =>
    host.service.actOnTask(
      task.task_id,
      { type: 'ReportProgress', data: { taskId: task.task_id, percent, text: `Báo cáo ${percent}`, attachments: [] } },
      office(),
      { correlationId: randomUUID(), expectedVersion },
    );
  const progressEvents = async () =>
    (await host.db.query(
      `SELECT stream_version::int AS version, (data->>'percent')::int AS percent FROM plans.events
        WHERE stream_id = $1 AND type = 'ProgressReported' ORDER BY stream_version`,
      [`task-${task.task_id}`],
    )) as { version: number; percent: number }[];

  beforeAll(async () => {
    db = await createTestDatabase('concurrent_writers');
    host = await startPlans({ databaseUrl: db.url, logger: createLogger('silent'), clock: systemClock });
    await host.seed();
    [task] = (await host.db.query(`SELECT task_id, city_id FROM plans.task_list ORDER BY task_id LIMIT 1`)) as (typeof task)[];
  });
  afterAll(async () => {
    await host?.stop();
    await db?.drop();
  });

  it(`${WRITERS} progress reports at once without If-Match all succeed, each appended once, one version apart`, async () => {
    const before = (await host.service.getTask(task.task_id, office())).version;
    const results = await Promise.allSettled(Array.from({ length: WRITERS }, (_, i) => report(i + 1)));

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const versions = results.map((r) => (r as PromiseFulfilledResult<{ version: bigint }>).value.version).sort((a, b) => Number(a - b));
    expect(versions).toEqual(Array.from({ length: WRITERS }, (_, i) => before + BigInt(i + 1)));
    const events = await progressEvents();
    expect(events).toHaveLength(WRITERS);
    expect(events.map((e) => e.version)).toEqual(versions.map(Number));
    expect(new Set(events.map((e) => e.percent)).size).toBe(WRITERS);
    expect((await host.service.getTask(task.task_id, office())).version).toBe(before + BigInt(WRITERS));
  });

  it('with If-Match, only the writer that saw the current version wins; the others get a version conflict', async () => {
    const { version } = await host.service.getTask(task.task_id, office());
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => report(50 + i, version)));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) expect(r.reason).toBeInstanceOf(ConcurrencyError);
    expect((await host.service.getTask(task.task_id, office())).version).toBe(version + 1n);
  });

  it('a command sent again with its command id (a retry after a lost answer) is applied once, whatever its If-Match says', async () => {
    const { version } = await host.service.getTask(task.task_id, office());
    const progress = { type: 'ReportProgress' as const, data: { taskId: task.task_id, percent: 77, text: 'Gửi lại sau sự cố', attachments: [] } };
    const send = (expectedVersion?: bigint) =>
      host.service.actOnTask(task.task_id, progress, office(), { correlationId: randomUUID(), commandId: 'vp\nretry-1', expectedVersion });

    const first = await send(version);
    const again = await send(version); // the If-Match it was first sent with, now stale
    const onceMore = await send();

    expect(first.version).toBe(version + 1n);
    expect(again.version).toBe(first.version);
    expect(onceMore.version).toBe(first.version);
    expect(again.events).toEqual(first.events);
    expect((await progressEvents()).filter((e) => e.percent === 77)).toHaveLength(1);
    // Another command id is another command.
    const other = await host.service.actOnTask(task.task_id, progress, office(), { correlationId: randomUUID(), commandId: 'vp\nretry-2' });
    expect(other.version).toBe(first.version + 1n);
  });
});

// The plans read model rebuilt while commands keep arriving: nothing written meanwhile is lost.
import { randomUUID } from 'node:crypto';
import { systemClock } from '@mandate/kernel';
import { PostgresEventStore } from '@mandate/event-store';
import { PLANS_UPCASTERS, rebuildPlansReadModel } from '@mandate/plans-app';
import { createLogger } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import { PLANS_SCHEMA, startPlans, type PlansHost } from './plans.service-host';

jest.setTimeout(120_000);

describe('Rebuilding the plans read model under load', () => {
  let db: TestDatabase;
  let host: PlansHost;
  let store: PostgresEventStore;
  const rows = async () => ({
    plans: await host.db.query(`SELECT * FROM plans.plan_list ORDER BY plan_id`),
    tasks: await host.db.query(`SELECT * FROM plans.task_list ORDER BY task_id`),
  });
  const reportProgress = async (task: { task_id: string; city_id: string }, percent: number) =>
    host.service.actOnTask(
      task.task_id,
      { type: 'ReportProgress', data: { taskId: task.task_id, percent, text: `Đã thực hiện ${percent}%`, attachments: [] } },
      { userId: 'vp', role: 'office', agencyId: null, cityId: task.city_id },
      { correlationId: randomUUID() },
    );

  beforeAll(async () => {
    db = await createTestDatabase('plans_rebuild');
    host = await startPlans({ databaseUrl: db.url, logger: createLogger('silent'), clock: systemClock });
    await host.seed();
    store = new PostgresEventStore(host.db, { schema: PLANS_SCHEMA, upcasters: [...PLANS_UPCASTERS] });
  });
  afterAll(async () => {
    await host?.stop();
    await db?.drop();
  });

  it('keeps what commits during the scan and what waits for the tables, and equals a quiet rebuild', async () => {
    const tasks = (await host.db.query(`SELECT task_id, city_id FROM plans.task_list ORDER BY task_id LIMIT 40`)) as { task_id: string; city_id: string }[];
    const inline = await rows();

    // Commands committed after the scan's snapshot (awaited inside the first page's progress call),
    // and more racing the rebuild's write to the end.
    // Assigned in the callback below: the assertion keeps TypeScript from narrowing it to null here.
    let racing = null as Promise<unknown> | null;
    const result = await rebuildPlansReadModel(host.db, store, PLANS_SCHEMA, async ({ events }) => {
      if (racing) return;
      await Promise.all(tasks.slice(0, 20).map((t) => reportProgress(t, 10)));
      racing = Promise.all(tasks.slice(20).map((t, i) => new Promise((r) => setTimeout(r, i * 5)).then(() => reportProgress(t, 20))));
      expect(events).toBeGreaterThan(0);
    });
    await racing;
    expect(result.tailEvents).toBeGreaterThanOrEqual(20);
    const afterRace = await rows();
    const versions = new Map((afterRace.tasks as { task_id: string; version: string }[]).map((t) => [t.task_id, t.version]));
    for (const t of tasks) {
      const before = (inline.tasks as { task_id: string; version: string }[]).find((r) => r.task_id === t.task_id)!;
      expect(BigInt(versions.get(t.task_id)!)).toBe(BigInt(before.version) + 1n);
    }

    // The log is the truth: a rebuild with nothing running gives the very same rows.
    const quiet = await rebuildPlansReadModel(host.db, store, PLANS_SCHEMA);
    expect(quiet.tailEvents).toBe(0);
    expect(await rows()).toEqual(afterRace);
  });
});

// Task commands on a large generated data set, and the plans read model rebuilt from its log,
// against a plain pass over the same log in the same process (the unavoidable part of a rebuild).
import { randomUUID } from 'node:crypto';
import { PostgresEventStore, type Checkpoint } from '@mandate/event-store';
import { PLANS_UPCASTERS, rebuildPlansReadModel } from '@mandate/plans-app';
import { createLogger } from '@mandate/runtime';
import { createTestDatabase } from '@mandate/testing';
import { systemClock } from '@mandate/kernel';
import { generate } from '../apps/cli/src/generate';
import { startPlans } from '../apps/plans/src/plans.service-host';

const CITIES = Number(process.env.BENCH_CITIES ?? 5);
const PLANS = Number(process.env.BENCH_PLANS ?? 10);
const TASKS = Number(process.env.BENCH_TASKS ?? 100);
const EVENTS_PER_TASK = Number(process.env.BENCH_EVENTS_PER_TASK ?? 10);
const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 300);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const main = async () => {
  const logger = createLogger('silent');
  const db = await createTestDatabase('bench_lifecycle');
  const host = await startPlans({ databaseUrl: db.url, logger, clock: systemClock });
  try {
    console.log(`Lifecycle benchmark: ${CITIES} cities × ${PLANS} plans × ${TASKS} tasks × ${EVENTS_PER_TASK} events (Node ${process.version})\n`);
    const generated = await generate(host.store, { cities: CITIES, plans: PLANS, tasks: TASKS, eventsPerTask: EVENTS_PER_TASK, progress: true });
    const store = new PostgresEventStore(host.db, { schema: 'plans', upcasters: [...PLANS_UPCASTERS] });

    // Baseline: the log read once, page by page, with nothing done to it.
    // A long-lived log is vacuumed; without this the first pass pays for setting hint bits.
    await host.db.query('VACUUM ANALYZE plans.events');
    const started = Date.now();
    let read = 0;
    for (let after: Checkpoint | null = null; ;) {
      const page = await store.readAll({ after, limit: 5000 });
      if (page.events.length === 0) break;
      read += page.events.length;
      after = page.checkpoint;
    }
    const readSeconds = (Date.now() - started) / 1000;

    // Rebuild: a snapshot scan folded page by page, then the tables rewritten in bulk.
    const rebuilt = await rebuildPlansReadModel(host.db, store, 'plans');

    // Commands through the service, as HTTP calls them: a progress report on a random task each.
    const tasks = (await host.db.query(`SELECT task_id, city_id FROM plans.task_list ORDER BY random() LIMIT $1`, [COMMANDS])) as {
      task_id: string;
      city_id: string;
    }[];
    const latencies: number[] = [];
    for (const task of tasks) {
      const t0 = process.hrtime.bigint();
      await host.service.actOnTask(
        task.task_id,
        { type: 'ReportProgress', data: { taskId: task.task_id, percent: 50, text: 'Đang triển khai', attachments: [] } },
        { userId: 'bench', role: 'office', agencyId: null, cityId: task.city_id },
        { correlationId: randomUUID() },
      );
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    latencies.sort((a, b) => a - b);

    const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en');
    console.log('\n| step | events | seconds | events/s |');
    console.log('|---|---:|---:|---:|');
    console.log(`| generate (append, 8 writers) | ${generated.events} | ${generated.seconds.toFixed(1)} | ${rate(generated.events, generated.seconds)} |`);
    console.log(`| baseline: read the log | ${read} | ${readSeconds.toFixed(2)} | ${rate(read, readSeconds)} |`);
    console.log(`| rebuild: scan + fold | ${rebuilt.events} | ${rebuilt.foldSeconds.toFixed(2)} | ${rate(rebuilt.events, rebuilt.foldSeconds)} |`);
    console.log(
      `| rebuild: scan + fold + write ${rebuilt.streams} streams' rows | ${rebuilt.events} | ${rebuilt.seconds.toFixed(2)} | ${rate(rebuilt.events, rebuilt.seconds)} |`,
    );
    const rebuildRate = rebuilt.events / rebuilt.seconds;
    console.log(
      `\nrebuild / baseline read rate: ${(readSeconds / rebuilt.seconds).toFixed(2)}x (goal >= 50,000 events/s: ${rebuildRate >= 50_000 ? 'met' : 'not met'}; 1M events at this rate: ${(1e6 / rebuildRate).toFixed(1)} s, goal < 30 s)`,
    );
    console.log(
      `command (progress report, read + decide + append + inline projection) over ${latencies.length}: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
    );
  } finally {
    await host.stop();
    await db.drop();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

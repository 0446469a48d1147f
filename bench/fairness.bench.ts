// Fairness between cities (issue 20, item 6): one city's task list read at a fixed rate, alone and
// while another city imports large plans back to back (its office's burst at a reporting deadline).
// The embedded platform in a child process of its own; autocannon and the importing office in this one.
import autocannon from 'autocannon';
import { cpus, loadavg } from 'node:os';
import { signToken } from '@mandate/http';
import { syntheticPlan } from '@mandate/plan-import';
import { TEST_SECRET } from '../apps/cli/src/testing/deployments';
import { startEmbeddedChild } from './e2e/children';
import { plansWithTasks } from './e2e/platform-api';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 100);
/** Imports the busy city keeps in flight, and the tasks of each plan it imports. */
const IN_FLIGHT = Number(process.env.BENCH_IMPORTS_IN_FLIGHT ?? 6);
const TASKS = Number(process.env.BENCH_IMPORT_TASKS ?? 1000);
const READER_CITY = 'hai-phong';
const BUSY_CITY = 'ha-noi';

type Run = { rps: number; p50: number; p99: number; max: number; non2xx: number };
const log = (message: string) => process.stderr.write(`[fairness ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const readers = Array.from({ length: 50 }, (_, n) => signToken(TEST_SECRET, { userId: `bench-reader-${n}`, role: 'office', agencyId: null, cityId: READER_CITY }));
const busyOffice = signToken(TEST_SECRET, { userId: 'bench-busy-office', role: 'office', agencyId: null, cityId: BUSY_CITY });

/** The reader city's task lists at RATE requests a second for SECONDS. */
const readLists = (url: string, paths: string[]): Promise<Run> => {
  let n = 0;
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url,
        connections: 10,
        duration: SECONDS,
        overallRate: RATE,
        requests: [{ setupRequest: (request: Record<string, any>) => (n++, { ...request, path: paths[n % paths.length], headers: { ...request.headers, authorization: `Bearer ${readers[n % readers.length]}` } }) }],
      },
      (error: Error | null, r: Record<string, any>) =>
        error ? reject(error) : resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, non2xx: r.non2xx }),
    ),
  );
};

/** The busy city's office importing plans of TASKS tasks, IN_FLIGHT at a time, until `stop`. */
const importBurst = (url: string, stop: Promise<void>) => {
  const outcome = { imported: 0, refused: new Map<number, number>(), ms: [] as number[] };
  let running = true;
  void stop.then(() => (running = false));
  let next = 0;
  const office = async () => {
    while (running) {
      const started = Date.now();
      const response = await fetch(`${url}/api/v1/imports?city=${BUSY_CITY}&document=burst-${next}.txt`, {
        method: 'POST',
        headers: { authorization: `Bearer ${busyOffice}`, 'content-type': 'text/plain; charset=utf-8' },
        body: syntheticPlan(TASKS, `${9000 + next++}/KH-UBND`),
      });
      await response.arrayBuffer();
      if (response.ok) {
        outcome.imported++;
        outcome.ms.push(Date.now() - started);
      } else {
        outcome.refused.set(response.status, (outcome.refused.get(response.status) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };
  return { outcome, done: Promise.all(Array.from({ length: IN_FLIGHT }, office)) };
};

const main = async () => {
  log(`starting the embedded platform (CPUs here: ${cpus().length}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  const platform = await startEmbeddedChild();
  try {
    const listed = await plansWithTasks(platform.url, readers[0]);
    const paths = listed.map((l) => `/api/v1/plans/${l.plan.id}/tasks`);
    log(`${READER_CITY}: ${paths.length} plans read round robin at ${RATE} req/s; ${BUSY_CITY} imports plans of ${TASKS} tasks, ${IN_FLIGHT} in flight`);
    await readLists(platform.url, paths); // warm-up, discarded
    const alone = await readLists(platform.url, paths);
    log(`alone: p50 ${alone.p50} ms, p99 ${alone.p99} ms`);
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const burst = importBurst(platform.url, stopped);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // the burst under way
    const during = await readLists(platform.url, paths);
    stop();
    await burst.done;
    log(`during ${BUSY_CITY}'s imports: p50 ${during.p50} ms, p99 ${during.p99} ms`);

    const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
    console.log(`\nFairness: ${READER_CITY}'s task lists at ${RATE} req/s for ${SECONDS} s, alone and while ${BUSY_CITY}'s office imports plans of ${TASKS} tasks, ${IN_FLIGHT} at a time (Node ${process.version}). Latencies in ms.\n`);
    console.log(row(['', 'achieved req/s', 'p50', 'p99', 'max', 'non-2xx', 'p99 vs alone']));
    console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:']));
    console.log(row([`${READER_CITY} alone`, alone.rps.toFixed(0), alone.p50, alone.p99, alone.max, alone.non2xx, '1.00x']));
    console.log(row([`${READER_CITY} during the imports`, during.rps.toFixed(0), during.p50, during.p99, during.max, during.non2xx, `${(during.p99 / Math.max(1, alone.p99)).toFixed(2)}x`]));
    const ms = burst.outcome.ms.sort((a, b) => a - b);
    const refused = [...burst.outcome.refused].map(([status, n]) => `${n}×${status}`).join(', ') || 'none';
    console.log(`\n${BUSY_CITY}: ${burst.outcome.imported} plans imported meanwhile (median ${ms[Math.floor(ms.length / 2)] ?? '-'} ms each), refused: ${refused}.`);
  } finally {
    await platform.stop();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

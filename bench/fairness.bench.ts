// Fairness between cities (issue 20, item 6): one city's task list read at a fixed rate, alone and
// while another city imports large plans back to back (its office's burst at a reporting deadline).
// The embedded platform in a child process of its own; autocannon and the importing office in this one.
import { cpus, loadavg } from 'node:os';
import { signToken } from '@mandate/http';
import { TEST_SECRET } from '../apps/cli/src/testing/deployments';
import { startEmbeddedChild } from './e2e/children';
import { CITY_LOAD, medianImportMs, readerTokens, readLists, readListsDuringImports, refusedText } from './e2e/city-load';
import { plansWithTasks } from './e2e/platform-api';

const { seconds: SECONDS, rate: RATE, inFlight: IN_FLIGHT, tasks: TASKS, readerCity: READER_CITY, busyCity: BUSY_CITY } = CITY_LOAD;

const log = (message: string) => process.stderr.write(`[fairness ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

const main = async () => {
  const readers = await readerTokens();
  const busyOffice = await signToken(TEST_SECRET, { userId: 'bench-busy-office', role: 'office', agencyId: null, cityId: BUSY_CITY });
  log(
    `starting the embedded platform (CPUs here: ${cpus().length}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  const platform = await startEmbeddedChild();
  try {
    const listed = await plansWithTasks(platform.url, readers[0]);
    const paths = listed.map((l) => `/api/v1/plans/${l.plan.id}/tasks`);
    log(`${READER_CITY}: ${paths.length} plans read round robin at ${RATE} req/s; ${BUSY_CITY} imports plans of ${TASKS} tasks, ${IN_FLIGHT} in flight`);
    const load = { rate: RATE, seconds: SECONDS };
    await readLists(platform.url, paths, readers, load); // warm-up, discarded
    const alone = await readLists(platform.url, paths, readers, load);
    log(`alone: p50 ${alone.p50} ms, p99 ${alone.p99} ms`);
    const { run: during, burst } = await readListsDuringImports(
      platform.url,
      paths,
      readers,
      load,
      { cityId: BUSY_CITY, token: busyOffice },
      { inFlight: IN_FLIGHT, tasks: TASKS },
    );
    log(`during ${BUSY_CITY}'s imports: p50 ${during.p50} ms, p99 ${during.p99} ms`);

    const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
    console.log(
      `\nFairness: ${READER_CITY}'s task lists at ${RATE} req/s for ${SECONDS} s, alone and while ${BUSY_CITY}'s office imports plans of ${TASKS} tasks, ${IN_FLIGHT} at a time (Node ${process.version}). Latencies in ms.\n`,
    );
    console.log(row(['', 'achieved req/s', 'p50', 'p99', 'max', 'non-2xx', 'p99 vs alone']));
    console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:']));
    console.log(row([`${READER_CITY} alone`, alone.rps.toFixed(0), alone.p50, alone.p99, alone.max, alone.non2xx, '1.00x']));
    console.log(
      row([
        `${READER_CITY} during the imports`,
        during.rps.toFixed(0),
        during.p50,
        during.p99,
        during.max,
        during.non2xx,
        `${(during.p99 / Math.max(1, alone.p99)).toFixed(2)}x`,
      ]),
    );
    console.log(`\n${BUSY_CITY}: ${burst.imported} plans imported meanwhile (median ${medianImportMs(burst) || '-'} ms each), refused: ${refusedText(burst)}.`);
  } finally {
    await platform.stop();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

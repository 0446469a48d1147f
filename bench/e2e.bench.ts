// End to end: a status change POSTed through the gateway until the reporting read model shows it.
// Distributed (5 processes, relay -> Kafka -> consumer groups) and embedded (in-process bus, in a
// child process of its own). The driver and poller run in a third process (bench/e2e/driver.ts), so
// nothing the bench does shares an event loop with the platform it measures.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { PROVINCES } from './e2e/provinces';
import { distributedDeployment } from '../apps/cli/src/testing/deployments';
import { exited, forkTs, nextMessage, startEmbeddedChild } from './e2e/children';
import { summariseProfile, type ProfileSummary, type Window } from './e2e/cpu-profile';
import { cpuSpent, cpuTimes, settle, type Proc } from './e2e/machine';
import type { DriverReply, DriverRequest, StepResult } from './e2e/driver';
import { rawCommitRates } from './raw-commit';

const MODE = process.env.BENCH_MODE === 'max' ? 'max' : 'open';
const RATE = Number(process.env.BENCH_RATE ?? 200); // open loop: status changes per second
const SECONDS = Number(process.env.BENCH_SECONDS ?? (MODE === 'max' ? 5 : 10)); // per step
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? (MODE === 'max' ? 1 : 2)); // before each step, samples discarded
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 5);
const P99_MS = Number(process.env.BENCH_P99_MS ?? 250); // closed loop: the visibility p99 a sustained rate must stay under
const MAX_START = Number(process.env.BENCH_MAX_START ?? 25);
const MAX_STEP = Number(process.env.BENCH_MAX_STEP ?? 25);
const MAX_STEPS = Number(process.env.BENCH_MAX_STEPS ?? 12);
const CITIES_WANTED = Number(process.env.BENCH_CITIES ?? 20);
const PROFILE = process.env.BENCH_PROFILE === '1';
const BASELINE = process.env.BENCH_BASELINE !== '0';
// Every city onboarded gets the seed documents, so traffic spreads over all of them; `0` keeps the seeds' own plans only.
const IMPORT_SEEDS = process.env.BENCH_IMPORT_SEEDS !== '0';
const VISIBLE_TIMEOUT_MS = 15_000;
const DEPLOYMENTS = (process.env.BENCH_DEPLOYMENTS ?? 'distributed,embedded').split(',');

type DbStats = { commits: number; rollbacks: number; written: number };
type Step = StepResult & { cpuMs: Map<string, number>; db: DbStats; windowMs: number; holds: boolean };
type Result = {
  deployment: string;
  startSeconds: number;
  cities: string[];
  plans: number;
  tasks: number;
  steps: Step[];
  profiles: { name: string; summary: ProfileSummary }[];
  profileDir: string | null;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
const log = (message: string) => process.stderr.write(`[e2e ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const hrMicros = () => Number(process.hrtime.bigint() / 1000n);

/**
 * The deployment database's counters (pg_stat_database). Backends report them at most once a second,
 * so a step's figures are approximate (both ends lag alike under steady load).
 */
const dbStats = async (pool: Pool): Promise<DbStats> => {
  const { rows } = await pool.query(
    `SELECT xact_commit, xact_rollback, tup_inserted + tup_updated + tup_deleted AS written
       FROM pg_stat_database WHERE datname = current_database()`,
  );
  const r = rows[0];
  return { commits: Number(r.xact_commit), rollbacks: Number(r.xact_rollback), written: Number(r.written) };
};

type Running = { url: string; databaseUrl: string; procs: Proc[]; stop(): Promise<void> };

const start = async (name: string, nodeArgs: string[]): Promise<Running> => {
  if (name === 'distributed') {
    const deployment = await distributedDeployment({}, { nodeArgs });
    return {
      url: deployment.url(),
      databaseUrl: deployment.db.url,
      procs: [...deployment.services.values()].map((s) => ({ name: s.name, pid: s.child.pid! })),
      stop: () => deployment.stop(),
    };
  }
  const embedded = await startEmbeddedChild(nodeArgs);
  return { url: embedded.url, databaseUrl: embedded.databaseUrl, procs: [{ name: 'embedded', pid: embedded.child.pid! }], stop: embedded.stop };
};

const visibility = (r: StepResult) => {
  const seen = r.samples.filter((s) => s[2] !== null);
  return {
    seen: seen.length,
    vis: seen.map((s) => Math.max(0, s[2]! - s[1])).sort((a, b) => a - b),
    fromSend: seen.map((s) => s[2]! - s[0]).sort((a, b) => a - b),
    post: r.samples.map((s) => s[1] - s[0]).sort((a, b) => a - b),
  };
};

const holds = (r: StepResult) => {
  const v = visibility(r);
  return r.failed === 0 && v.seen === r.samples.length && r.achievedRate >= 0.95 * r.rate && percentile(v.vis, 99) <= P99_MS;
};

const measure = async (name: string, cities: string[], profileRoot: string | null): Promise<Result> => {
  const profileDir = profileRoot ? path.join(profileRoot, name) : null;
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  log(`${name}: starting the deployment${profileDir ? ` (profiles in ${profileDir})` : ''}`);
  const started = Date.now();
  const running = await start(name, nodeArgs);
  const startSeconds = (Date.now() - started) / 1000;
  const driver = forkTs('e2e/driver.ts');
  const send = (request: DriverRequest) => driver.send(request);
  const procs = [...running.procs, { name: 'driver (bench)', pid: driver.pid! }, { name: "bench (reads the services' logs)", pid: process.pid }];
  const steps: Step[] = [];
  const windows: Window[] = [];
  const stats = new Pool({ connectionString: running.databaseUrl, max: 1, application_name: 'mandate-bench-e2e-stats' });
  let ready: Extract<DriverReply, { type: 'ready' }>;
  try {
    send({
      type: 'setup',
      base: running.url,
      databaseUrl: running.databaseUrl,
      cities,
      run: randomUUID().slice(0, 6),
      pollMs: POLL_MS,
      importSeeds: IMPORT_SEEDS,
    });
    ready = await nextMessage(driver, 'ready');
    log(
      `${name}: started in ${startSeconds.toFixed(1)} s; ${ready.tasks} tasks in ${ready.plans} plans of ${ready.cities.join(', ')}${ready.imported ? ` (${ready.imported} seed documents imported into the other cities)` : ''}`,
    );
    log(`${name}: settled after the setup in ${(await settle()).toFixed(0)} s`);
    const rates = MODE === 'open' ? [RATE] : Array.from({ length: MAX_STEPS }, (_, i) => MAX_START + i * MAX_STEP);
    for (const rate of rates) {
      log(`${name}: ${rate}/s for ${SECONDS} s (after ${WARMUP_SECONDS} s of warm-up)`);
      send({ type: 'step', rate, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, visibleTimeoutMs: VISIBLE_TIMEOUT_MS });
      await nextMessage(driver, 'measuring');
      const before = cpuTimes(procs);
      const dbBefore = await dbStats(stats);
      const window = { start: hrMicros(), end: 0 };
      const { result } = await nextMessage<Extract<DriverReply, { type: 'step-done' }>>(driver, 'step-done');
      const after = cpuTimes(procs);
      window.end = hrMicros();
      windows.push(window);
      const dbAfter = await dbStats(stats);
      const db = Object.fromEntries(Object.keys(dbAfter).map((k) => [k, dbAfter[k as keyof DbStats] - dbBefore[k as keyof DbStats]])) as DbStats;
      const cpuMs = cpuSpent(before, after);
      const step = { ...result, cpuMs, db, windowMs: (window.end - window.start) / 1000, holds: holds(result) };
      steps.push(step);
      const v = visibility(result);
      log(
        `${name}: ${result.achievedRate.toFixed(1)}/s achieved, vis p99 ${percentile(v.vis, 99).toFixed(1)} ms, POST p99 ${percentile(v.post, 99).toFixed(1)} ms: ${step.holds ? 'holds' : 'does not hold'}`,
      );
      if (MODE === 'max' && !step.holds) break;
    }
  } finally {
    send({ type: 'exit' });
    await exited(driver);
    await stats.end();
    log(`${name}: stopping`);
    await running.stop();
  }
  const profiles: Result['profiles'] = [];
  if (profileDir) {
    const names = new Map(running.procs.map((p) => [String(p.pid), p.name]));
    for (const file of fs
      .readdirSync(profileDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort()) {
      // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread
      const [, , , pid, thread] = file.split('.');
      const label = `${names.get(pid) ?? `pid ${pid}`}${thread === '0' ? '' : ` (thread ${thread})`}`;
      profiles.push({ name: label, summary: summariseProfile(path.join(profileDir, file), windows) });
    }
  }
  return { deployment: name, startSeconds, cities: ready!.cities, plans: ready!.plans, tasks: ready!.tasks, steps, profiles, profileDir };
};

const table = (header: string[], rows: string[][]) => {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
};
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');

const printResults = (results: Result[], baseline: { oneWriter: number; eightWriters: number } | null, load: number[]) => {
  console.log(
    `\nE2E benchmark (${MODE === 'max' ? `closed loop: rate raised by ${MAX_STEP}/s from ${MAX_START}/s until the visibility p99 passes ${P99_MS} ms` : `open loop at ${RATE}/s`}; ` +
      `${SECONDS} s per step after ${WARMUP_SECONDS} s of warm-up; ${cpus().length} CPUs, Node ${process.version}; load average before ${load.map((l) => l.toFixed(2)).join(' ')}). ` +
      `Latencies in ms; "vis" is from the POST's response to the first poll of reporting.task_status showing sequence >= the new version.`,
  );
  if (baseline) {
    console.log(
      `Physical baseline, same run: raw PostgreSQL single-row commits ${Math.round(baseline.oneWriter).toLocaleString('en-US')}/s from 1 writer, ${Math.round(baseline.eightWriters).toLocaleString('en-US')}/s from 8 writers.\n`,
    );
  }
  const header = [
    'deployment',
    'target (/s)',
    'achieved (/s)',
    'changes',
    'skipped',
    'not seen',
    'vis p50',
    'vis p95',
    'vis p99',
    'vis max',
    'from send p99',
    'POST p50',
    'POST p95',
    'POST p99',
    'holds',
  ];
  const rows = results.flatMap((r) =>
    r.steps.map((s) => {
      const v = visibility(s);
      return [
        r.deployment,
        String(s.rate),
        s.achievedRate.toFixed(1),
        String(s.samples.length),
        String(s.skipped),
        String(s.samples.length - v.seen),
        ms(percentile(v.vis, 50)),
        ms(percentile(v.vis, 95)),
        ms(percentile(v.vis, 99)),
        ms(v.vis.at(-1) ?? NaN),
        ms(percentile(v.fromSend, 99)),
        ms(percentile(v.post, 50)),
        ms(percentile(v.post, 95)),
        ms(percentile(v.post, 99)),
        s.holds ? 'yes' : 'no',
      ];
    }),
  );
  console.log(table(header, rows));
  console.log('');
  for (const r of results) {
    const sustained = r.steps.filter((s) => s.holds).map((s) => s.rate);
    console.log(
      `${r.deployment}: ${r.tasks} tasks in ${r.plans} plans of ${r.cities.length} cities (${r.cities.join(', ')}); started in ${r.startSeconds.toFixed(1)} s.` +
        (MODE === 'max'
          ? ` Maximum sustained rate with visibility p99 <= ${P99_MS} ms: ${sustained.length ? `${Math.max(...sustained)}/s` : `none (${MAX_START}/s already fails)`}.`
          : ''),
    );
    for (const s of r.steps) {
      const intervals = [...s.pollIntervals].sort((a, b) => a - b);
      console.log(
        `  ${s.rate}/s: ${s.failed} failed POSTs, ${s.skipped} skipped; poll interval p50 ${ms(percentile(intervals, 50))} / p99 ${ms(percentile(intervals, 99))} ms`,
      );
    }
    // CPU per status change, per process, over the measured windows (drain included).
    const names = [...r.steps[0].cpuMs.keys()];
    const cpuRows = names.map((name) => [
      name,
      ...r.steps.map((s) => `${(s.cpuMs.get(name)! / Math.max(1, s.samples.length)).toFixed(2)} (${Math.round((100 * s.cpuMs.get(name)!) / s.windowMs)} %)`),
    ]);
    console.log(`\n${r.deployment}: CPU ms per status change (and % of one core) per process, by step\n`);
    console.log(table(['process', ...r.steps.map((s) => `${s.rate}/s`)], cpuRows));
    const perChange = (s: Step, n: number) => (n / Math.max(1, s.samples.length)).toFixed(1);
    console.log(`\n${r.deployment}: the deployment database per status change (pg_stat_database, approximate)\n`);
    console.log(
      table(
        ['counter', ...r.steps.map((s) => `${s.rate}/s`)],
        [
          // Each poll of the driver is a transaction of its own: not the platform's.
          ['commits (polls left out)', ...r.steps.map((s) => perChange(s, s.db.commits - s.pollIntervals.length - 1))],
          ['rollbacks', ...r.steps.map((s) => perChange(s, s.db.rollbacks))],
          ['rows inserted, updated or deleted', ...r.steps.map((s) => perChange(s, s.db.written))],
        ],
      ),
    );
    for (const p of r.profiles) {
      const s = p.summary;
      console.log(
        `\n${r.deployment} / ${p.name}: profile ${ms(s.totalMs)} ms sampled, ${ms(s.busyMs)} ms busy${s.windowed ? ' (measured windows only)' : ' (WHOLE profile: no sample in the windows)'}`,
      );
      const busy = s.categories.filter((c) => c.name !== 'idle');
      console.log(
        table(
          ['category', 'self ms', '% busy'],
          busy.map((c) => [c.name, ms(c.ms), ((100 * c.ms) / s.busyMs).toFixed(1)]),
        ),
      );
      console.log('');
      console.log(
        table(
          ['top functions (self)', 'self ms', '% busy'],
          s.functions.slice(0, 15).map((f) => [f.name, ms(f.ms), ((100 * f.ms) / s.busyMs).toFixed(1)]),
        ),
      );
    }
    if (r.profileDir) console.log(`\nProfiles kept in ${r.profileDir} (open them in Chrome DevTools or speedscope).`);
  }
  if (results.some((r) => r.steps.some((s) => s.failed > 0))) process.exitCode = 1;
};

const main = async () => {
  // The seeds' cities, then as many of the 34 provinces as asked, onboarded through the operator API.
  const cities = PROVINCES.slice(0, Math.max(1, Math.min(CITIES_WANTED, PROVINCES.length))).map((p) => p.id);
  const load = loadavg();
  let baseline: { oneWriter: number; eightWriters: number } | null = null;
  if (BASELINE) {
    log('raw PostgreSQL commit rate (1 and 8 writers, 2.5 s each)');
    baseline = await rawCommitRates();
  }
  const profileRoot = PROFILE ? (process.env.BENCH_PROFILE_DIR ?? fs.mkdtempSync(path.join(tmpdir(), 'mandate-e2e-profiles-'))) : null;
  const results: Result[] = [];
  for (const name of DEPLOYMENTS) {
    results.push(await measure(name, cities, profileRoot));
    await sleep(500);
  }
  printResults(results, baseline, load);
};

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

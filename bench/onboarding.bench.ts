// Onboarding every province (issue 20, "Running many cities"): the operator creates the 34 provinces
// and centrally-run cities through the API and each city's office imports its agency directory (about
// 40 departments, boards and units, and one UBND per commune: 3,321 communes in all) as an XLSX file.
// Both deployments, one after the other. Measured: the time to onboard them (per city and in total),
// each platform process's memory before and after (per city added), and one city's task-list latency
// alone and while another imports plans, with 2 cities and with 34.
// The embedded platform in a child process of its own; the operator, the offices and autocannon in this one.
import { cpus, loadavg } from 'node:os';
import { Presets, SingleBar } from 'cli-progress';
import { Pool } from 'pg';
import { signToken } from '@mandate/http';
import { distributedDeployment, TEST_SECRET } from '../apps/cli/src/testing/deployments';
import { startEmbeddedChild } from './e2e/children';
import { CITY_LOAD, medianImportMs, readerTokens, readLists, readListsDuringImports, refusedText, type BurstOutcome, type ListRun } from './e2e/city-load';
import { backendsSpent, backendTimes, cpuSpent, cpuTimes, settle, type CpuTimes, type Proc } from './e2e/machine';
import { plansWithTasks } from './e2e/platform-api';
import { PROVINCES } from './e2e/provinces';
import { COMMUNES, directoryRows, directoryXlsx } from './onboarding/directory';
import { memoryOverIpc, memoryOverStdout, PROBE_NODE_ARGS, type Memory } from './onboarding/memory';

/** The first BENCH_CITIES of the 34 (the seeds' two first, served from the start: their offices only import). */
const CITIES = Math.max(1, Math.min(Number(process.env.BENCH_CITIES ?? PROVINCES.length), PROVINCES.length));
/** Cities onboarded at once (1: the operator and the offices one city after another). */
const CONCURRENCY = Math.max(1, Number(process.env.BENCH_CONCURRENCY ?? 1));
/** Cities onboarded before the middle memory reading: the first city pays for code loaded once, not per city. */
const WARM_CITIES = Number(process.env.BENCH_WARM_CITIES ?? 4);
const DEPLOYMENTS = (process.env.BENCH_DEPLOYMENTS ?? 'embedded,distributed').split(',');
// The task lists (as bench/fairness.bench.ts reads them).
const { seconds: SECONDS, rate: RATE, inFlight: IN_FLIGHT, tasks: TASKS, readerCity: READER_CITY, busyCity: BUSY_CITY } = CITY_LOAD;
const SERVED_TIMEOUT_MS = 60_000;

type Json = Record<string, any>;
type Province = (typeof PROVINCES)[number];
type Prepared = { province: Province; file: Buffer; rows: number; communes: number };
type Onboarded = { cityId: string; created: boolean; createMs: number; servedMs: number; importMs: number; totalMs: number; rows: number; added: number };
type Measured = { name: string; pid: number; memory: () => Promise<Memory> };
type Snapshot = { memory: Map<string, Memory>; databaseBytes: number };
type Lists = { alone: ListRun; during: ListRun; burst: BurstOutcome };
/** What the deployment costs at rest and what the operator's all-city routes take, with some number of cities. */
type AtRest = { idleCpu: CpuTimes; idleSeconds: number; routes: Map<string, number> };
type Result = {
  deployment: string;
  startSeconds: number;
  /** Cities the deployment served before the onboarding (the seeds'). */
  servedBefore: number;
  onboarded: Onboarded[];
  wallSeconds: number;
  reportingServedSeconds: number;
  snapshots: { before: Snapshot; warm: Snapshot; after: Snapshot };
  warmCreated: number;
  cpu: CpuTimes;
  rest: { before: AtRest; after: AtRest };
  before: Lists;
  after: Lists;
};

const log = (message: string) => process.stderr.write(`[onboarding ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
};

const operator = signToken(TEST_SECRET, { userId: 'bench-operator', role: 'operator', agencyId: null, cityId: 'platform' });
const officeOf = (cityId: string) => signToken(TEST_SECRET, { userId: `bench-office-${cityId}`, role: 'office', agencyId: null, cityId });
const readers = readerTokens();

const call = async (base: string, url: string, token: string | Promise<string>, init: RequestInit = {}) => {
  const res = await fetch(`${base}${url}`, { ...init, headers: { authorization: `Bearer ${await token}`, ...init.headers } });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
};

/**
 * One city onboarded as it is done by hand: the operator creates it (unless the deployment serves it
 * already); its office opens its directory as soon as it is let in, and imports its spreadsheet.
 */
const onboard = async (base: string, { province, file, rows }: Prepared, existing: Set<string>): Promise<Onboarded> => {
  const started = now();
  const created = !existing.has(province.id);
  if (created) {
    const res = await call(base, '/api/v1/cities', operator, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: province.id, name: province.name, level: province.level, reason: 'bench: onboarding' }),
    });
    if (res.status !== 201) throw new Error(`creating ${province.id}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const createdAt = now();
  const office = await officeOf(province.id);
  // Every service learns of a city from the operator log (the gateway too, in the distributed deployment): 401 until then.
  for (;;) {
    const res = await call(base, '/api/v1/directory', office);
    if (res.status === 200) break;
    if (res.status !== 401 || now() - createdAt > SERVED_TIMEOUT_MS) throw new Error(`${province.id}'s office: ${res.status} ${JSON.stringify(res.body)}`);
    await sleep(20);
  }
  const servedAt = now();
  const res = await call(base, '/api/v1/directory/import?reason=bench%3A%20onboarding', office, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    body: file,
  });
  if (res.status !== 200 || res.body.rows !== rows)
    throw new Error(`${province.id}'s directory import: ${res.status} ${JSON.stringify(res.body).slice(0, 2000)}`);
  const done = now();
  return {
    cityId: province.id,
    created,
    createMs: createdAt - started,
    servedMs: servedAt - createdAt,
    importMs: done - servedAt,
    totalMs: done - started,
    rows,
    added: res.body.changes.added,
  };
};

/** `cities` onboarded `CONCURRENCY` at a time, the bar counting them. */
const onboardAll = async (
  base: string,
  cities: Prepared[],
  existing: Set<string>,
  bar: SingleBar,
  counts: { cities: number; agencies: number; startedAt: number; pausedMs: number },
) => {
  const out: Onboarded[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cities.length) {
      const city = cities[next++];
      const done = await onboard(base, city, existing);
      out.push(done);
      counts.cities++;
      counts.agencies += done.added;
      const minutes = (now() - counts.startedAt - counts.pausedMs) / 60_000;
      bar.update(counts.cities, {
        agencies: counts.agencies.toLocaleString('en-US'),
        rate: (counts.cities / Math.max(minutes, 1e-6)).toFixed(1),
        last: city.province.id,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, cities.length) }, worker));
  return out;
};

/** Waits until every city's dashboard answers: the reporting service knows them all. Answers the seconds waited. */
const reportingServes = async (base: string, cityIds: string[]) => {
  const started = now();
  for (const cityId of cityIds) {
    for (;;) {
      const res = await call(base, '/api/v1/reporting/dashboard', officeOf(cityId));
      if (res.status === 200) break;
      if (now() - started > SERVED_TIMEOUT_MS) throw new Error(`reporting does not serve ${cityId}: ${res.status}`);
      await sleep(50);
    }
  }
  return (now() - started) / 1000;
};

const snapshot = async (procs: Measured[], db: Pool): Promise<Snapshot> => {
  const memory = new Map<string, Memory>();
  for (const p of procs) memory.set(p.name, await p.memory());
  const { rows } = await db.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size');
  return { memory, databaseBytes: Number(rows[0].size) };
};

type CpuReading = { processes: CpuTimes; backends: Map<string, number> };
const OWN_BACKENDS = "PostgreSQL (this deployment's backends)";
const cpuReading = (procs: Proc[], database: string): CpuReading => ({ processes: cpuTimes(procs), backends: backendTimes(database) });
/** CPU ms per process between two readings, the deployment's database backends among them. */
const cpuBetween = (before: CpuReading, after: CpuReading): CpuTimes => {
  const spent = cpuSpent(before.processes, after.processes);
  const rows = [...spent];
  // After "all backends": the other databases of the server (other people's tests) are the difference.
  rows.splice(rows.findIndex(([name]) => name === 'PostgreSQL (all backends)') + 1, 0, [OWN_BACKENDS, backendsSpent(before.backends, after.backends)]);
  return new Map(rows);
};

const IDLE_SECONDS = 10;
/** The operator's routes that go over every city. */
const OPERATOR_ROUTES = ['/api/v1/cities', '/api/v1/operator/overview'];

/**
 * Each process's CPU over IDLE_SECONDS with no request (what it does per city in the background
 * shows here), then each operator route's median of 5 calls (after one discarded).
 */
const atRest = async (base: string, procs: Proc[], database: string): Promise<AtRest> => {
  const before = cpuReading(procs, database);
  const started = now();
  await sleep(IDLE_SECONDS * 1000);
  const idleCpu = cpuBetween(before, cpuReading(procs, database));
  const idleSeconds = (now() - started) / 1000;
  const routes = new Map<string, number>();
  for (const route of OPERATOR_ROUTES) {
    const times: number[] = [];
    for (let n = 0; n < 6; n++) {
      const at = now();
      const res = await call(base, route, operator);
      if (res.status !== 200) throw new Error(`GET ${route}: ${res.status} ${JSON.stringify(res.body)}`);
      if (n > 0) times.push(now() - at);
    }
    routes.set(route, percentile(times, 50));
  }
  return { idleCpu, idleSeconds, routes };
};

type Running = { url: string; databaseUrl: string; procs: Measured[]; stop(): Promise<void> };

const start = async (name: string): Promise<Running> => {
  if (name === 'distributed') {
    const deployment = await distributedDeployment({}, { nodeArgs: PROBE_NODE_ARGS });
    return {
      url: deployment.url(),
      databaseUrl: deployment.db.url,
      procs: [...deployment.services.values()].map((s) => ({ name: s.name, pid: s.child.pid!, memory: memoryOverStdout(s.child) })),
      stop: () => deployment.stop(),
    };
  }
  if (name !== 'embedded') throw new Error(`BENCH_DEPLOYMENTS: no deployment "${name}" (embedded, distributed)`);
  const embedded = await startEmbeddedChild(PROBE_NODE_ARGS);
  return {
    url: embedded.url,
    databaseUrl: embedded.databaseUrl,
    procs: [{ name: 'embedded', pid: embedded.child.pid!, memory: memoryOverIpc(embedded.child) }],
    stop: embedded.stop,
  };
};

/** Hải Phòng's task lists alone, then while Hà Nội's office imports plans (as bench/fairness.bench.ts). */
const taskLists = async (base: string, paths: string[], firstNumber: number): Promise<Lists> => {
  const load = { rate: RATE, seconds: SECONDS };
  const alone = await readLists(base, paths, await readers, load);
  const { run: during, burst } = await readListsDuringImports(
    base,
    paths,
    await readers,
    load,
    { cityId: BUSY_CITY, token: await officeOf(BUSY_CITY) },
    { inFlight: IN_FLIGHT, tasks: TASKS, firstNumber },
  );
  return { alone, during, burst };
};

const measure = async (name: string, prepared: Prepared[]): Promise<Result> => {
  log(`${name}: starting the deployment`);
  const startedAt = Date.now();
  const running = await start(name);
  const startSeconds = (Date.now() - startedAt) / 1000;
  const db = new Pool({ connectionString: running.databaseUrl, max: 1, application_name: 'mandate-bench-onboarding' });
  try {
    const base = running.url;
    const paths = (await plansWithTasks(base, (await readers)[0])).map((l) => `/api/v1/plans/${l.plan.id}/tasks`);
    const existing = new Set(((await call(base, '/api/v1/cities', operator)).body.cities as Json[]).map((c) => c.id as string));
    log(
      `${name}: started in ${startSeconds.toFixed(1)} s, serving ${[...existing].join(', ')}; ${READER_CITY}'s ${paths.length} plans read at ${RATE} req/s (warm-up, then alone and during ${BUSY_CITY}'s imports)`,
    );
    // Warm-up, discarded: the first imports of a process are slower (the parser cold, the readers'
    // workers starting), which would weigh on the 2-city figures only.
    await readListsDuringImports(
      base,
      paths,
      await readers,
      { rate: RATE, seconds: SECONDS },
      { cityId: BUSY_CITY, token: await officeOf(BUSY_CITY) },
      { inFlight: IN_FLIGHT, tasks: TASKS, firstNumber: 8000 },
    );
    log(`${name}: warmed up; settled in ${(await settle()).toFixed(0)} s`);
    const before = await taskLists(base, paths, 9000);
    log(
      `${name}: ${existing.size} cities: p99 alone ${before.alone.p99} ms, during the imports ${before.during.p99} ms; settled in ${(await settle()).toFixed(0)} s`,
    );

    const procs: Proc[] = [...running.procs.map(({ name, pid }) => ({ name, pid })), { name: 'bench (operator and offices)', pid: process.pid }];
    const database = new URL(running.databaseUrl).pathname.slice(1);
    const snapBefore = await snapshot(running.procs, db);
    const restBefore = await atRest(base, procs, database);
    const total = prepared.length;
    const bar = new SingleBar(
      {
        format: `onboarding ${name} [{bar}] {value}/{total} cities | {agencies} agencies | {rate} cities/min | {last}`,
        stream: process.stderr,
        noTTYOutput: true,
        notTTYSchedule: 2000,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    const counts = { cities: 0, agencies: 0, startedAt: now(), pausedMs: 0 };
    bar.start(total, 0, { agencies: '0', rate: '0.0', last: '' });
    const cpu0 = cpuReading(procs, database);
    const first = await onboardAll(base, prepared.slice(0, WARM_CITIES), existing, bar, counts);
    const cpu1 = cpuReading(procs, database);
    const pausedAt = now();
    bar.update(counts.cities, { last: 'paused for the middle memory reading (not counted)' });
    await settle(60);
    const snapWarm = await snapshot(running.procs, db);
    counts.pausedMs += now() - pausedAt;
    const cpu2 = cpuReading(procs, database);
    const rest = await onboardAll(base, prepared.slice(WARM_CITIES), existing, bar, counts);
    const cpu3 = cpuReading(procs, database);
    bar.stop();
    const wallSeconds = (now() - counts.startedAt - counts.pausedMs) / 1000;
    const onboarded = [...first, ...rest];
    const reportingServedSeconds = await reportingServes(
      base,
      onboarded.map((o) => o.cityId),
    );
    const secondPart = cpuBetween(cpu2, cpu3);
    const cpu = new Map([...cpuBetween(cpu0, cpu1)].map(([key, ms]) => [key, ms + (secondPart.get(key) ?? 0)]));
    log(
      `${name}: ${onboarded.length} cities onboarded in ${wallSeconds.toFixed(1)} s; reporting served them all ${reportingServedSeconds.toFixed(1)} s later; settled in ${(await settle()).toFixed(0)} s`,
    );
    const snapAfter = await snapshot(running.procs, db);
    const restAfter = await atRest(base, procs, database);

    const after = await taskLists(base, paths, 20_000);
    log(
      `${name}: ${existing.size + onboarded.filter((o) => o.created).length} cities: p99 alone ${after.alone.p99} ms, during the imports ${after.during.p99} ms`,
    );
    return {
      deployment: name,
      startSeconds,
      servedBefore: existing.size,
      onboarded,
      wallSeconds,
      reportingServedSeconds,
      snapshots: { before: snapBefore, warm: snapWarm, after: snapAfter },
      warmCreated: first.filter((o) => o.created).length,
      cpu,
      rest: { before: restBefore, after: restAfter },
      before,
      after,
    };
  } finally {
    await db.end();
    log(`${name}: stopping`);
    await running.stop();
  }
};

const table = (header: string[], rows: string[][]) => {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
};
const MB = 1024 * 1024;
const mb = (bytes: number) => (bytes / MB).toFixed(1);
const kb = (bytes: number) => (bytes / 1024).toFixed(0);
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
const pp = (values: number[]) => `${ms(percentile(values, 50))} / ${ms(percentile(values, 95))}`;
const ratio = (after: number, before: number) => `${(after / Math.max(1e-9, before)).toFixed(2)}x`;

const print = (results: Result[], prepared: Prepared[], load: number[]) => {
  const agencies = prepared.reduce((n, p) => n + p.rows, 0);
  const communes = prepared.reduce((n, p) => n + p.communes, 0);
  console.log(
    `\nOnboarding ${prepared.length} provinces and centrally-run cities (${communes.toLocaleString('en-US')} communes, wards and special zones; ${agencies.toLocaleString('en-US')} agencies in their directories, ` +
      `${(prepared.reduce((n, p) => n + p.file.length, 0) / 1024).toFixed(0)} KB of XLSX), ${CONCURRENCY} at a time; ${cpus().length} CPUs, Node ${process.version}; load average before ${load.map((l) => l.toFixed(2)).join(' ')}. Times in ms.\n`,
  );
  const rows = results.map((r) => {
    const created = r.onboarded.filter((o) => o.created);
    return [
      r.deployment,
      String(created.length),
      String(r.onboarded.length),
      r.onboarded.reduce((n, o) => n + o.added, 0).toLocaleString('en-US'),
      r.wallSeconds.toFixed(1),
      pp(created.map((o) => o.createMs)),
      pp(created.map((o) => o.servedMs)),
      pp(r.onboarded.map((o) => o.importMs)),
      pp(created.map((o) => o.totalMs)),
      r.reportingServedSeconds.toFixed(1),
    ];
  });
  console.log(
    table(
      [
        'deployment',
        'cities created',
        'directories imported',
        'agencies added',
        'total (s)',
        'create p50 / p95',
        'let in p50 / p95',
        'import p50 / p95',
        'create + import p50 / p95',
        'reporting serves all after (s)',
      ],
      rows,
    ),
  );
  console.log(
    `\n"let in": from the city's creation until its office's first GET /api/v1/directory is answered (401 until the city reached the process answering); "create + import" adds the three, for the cities created.`,
  );

  for (const r of results) {
    const added = r.onboarded.filter((o) => o.created).length;
    const afterWarm = added - r.warmCreated;
    const { before, warm, after } = r.snapshots;
    console.log(
      `\n${r.deployment}: memory per process after a full GC, before the onboarding (serving ${r.servedBefore} cities) and after it (${r.servedBefore + added}); per city: the growth over the ${added} cities created, ` +
        `"marginal" over the ${afterWarm} created after the middle reading (taken after the first ${WARM_CITIES} cities onboarded). RSS and heap in MB, per city in KB. The memory reading (a full GC first, then process.memoryUsage) is bench/onboarding/memory-probe.cjs.\n`,
    );
    const perCity = (b: number, w: number, a: number) => `${kb((a - b) / Math.max(1, added))} (${kb((a - w) / Math.max(1, afterWarm))})`;
    const row = (name: string, b: Memory, w: Memory, a: Memory) => [
      name,
      mb(b.rss),
      mb(a.rss),
      ratio(a.rss, b.rss),
      perCity(b.rss, w.rss, a.rss),
      mb(b.heapUsed),
      mb(a.heapUsed),
      ratio(a.heapUsed, b.heapUsed),
      perCity(b.heapUsed, w.heapUsed, a.heapUsed),
      `${mb(b.heapTotal)} → ${mb(a.heapTotal)}`,
      `${mb(b.external)} → ${mb(a.external)}`,
    ];
    const memRows = [...before.memory.keys()].map((name) => row(name, before.memory.get(name)!, warm.memory.get(name)!, after.memory.get(name)!));
    if (before.memory.size > 1) {
      const sum = (s: Snapshot): Memory => {
        const all = [...s.memory.values()];
        const total = (key: 'rss' | 'heapUsed' | 'heapTotal' | 'external') => all.reduce((n, m) => n + m[key], 0);
        return { rss: total('rss'), heapUsed: total('heapUsed'), heapTotal: total('heapTotal'), external: total('external'), collected: true };
      };
      memRows.push(row('all processes', sum(before), sum(warm), sum(after)));
    }
    memRows.push([
      'database (pg_database_size)',
      mb(before.databaseBytes),
      mb(after.databaseBytes),
      ratio(after.databaseBytes, before.databaseBytes),
      perCity(before.databaseBytes, warm.databaseBytes, after.databaseBytes),
      ...Array.from({ length: 6 }, () => ''),
    ]);
    console.log(
      table(
        [
          'process',
          'RSS before',
          'RSS after',
          'after / before',
          'RSS per city (marginal)',
          'heap used before',
          'heap used after',
          'after / before',
          'heap used per city (marginal)',
          'heap total',
          'external',
        ],
        memRows,
      ),
    );
    if ([...before.memory.values()].some((m) => !m.collected)) console.log('(some process had no gc(): its figures include garbage)');

    console.log(
      `\n${r.deployment}: CPU ms per city onboarded (${r.onboarded.length}), over the onboarding (the pause for the middle memory reading left out)\n`,
    );
    console.log(
      table(
        ['process', 'CPU ms per city', '% of one core'],
        [...r.cpu].map(([name, cpuMs]) => [name, (cpuMs / r.onboarded.length).toFixed(0), `${Math.round((100 * cpuMs) / (r.wallSeconds * 1000))} %`]),
      ),
    );

    const { before: restBefore, after: restAfter } = r.rest;
    const idle = (rest: AtRest, name: string) => (100 * (rest.idleCpu.get(name) ?? NaN)) / (rest.idleSeconds * 1000);
    console.log(
      `\n${r.deployment}: at rest (${IDLE_SECONDS} s with no request, after the memory reading), and the operator's all-city routes (median of 5), with ${r.servedBefore} cities and with ${r.servedBefore + added}\n`,
    );
    console.log(
      table(
        ['', `${r.servedBefore} cities`, `${r.servedBefore + added} cities`, 'after / before'],
        [
          ...[...restBefore.idleCpu.keys()].map((name) => [
            `${name}: CPU at rest (% of one core)`,
            idle(restBefore, name).toFixed(1),
            idle(restAfter, name).toFixed(1),
            ratio(idle(restAfter, name), idle(restBefore, name)),
          ]),
          ...OPERATOR_ROUTES.map((route) => [
            `GET ${route} (ms)`,
            restBefore.routes.get(route)!.toFixed(1),
            restAfter.routes.get(route)!.toFixed(1),
            ratio(restAfter.routes.get(route)!, restBefore.routes.get(route)!),
          ]),
        ],
      ),
    );

    const cities = (lists: 'before' | 'after') => (lists === 'before' ? r.servedBefore : r.servedBefore + added);
    console.log(
      `\n${r.deployment}: ${READER_CITY}'s task lists at ${RATE} req/s for ${SECONDS} s, alone and while ${BUSY_CITY}'s office imports plans of ${TASKS} tasks, ${IN_FLIGHT} at a time, before and after the onboarding\n`,
    );
    const listRow = (label: string, run: ListRun, alone: ListRun, same: ListRun) => [
      label,
      run.rps.toFixed(0),
      String(run.p50),
      String(run.p99),
      String(run.max),
      String(run.non2xx + run.errors),
      ratio(run.p99, alone.p99),
      ratio(run.p99, same.p99),
    ];
    console.log(
      table(
        ['', 'achieved req/s', 'p50', 'p99', 'max', 'non-2xx + errors', 'p99 vs alone', 'p99 after / before'],
        [
          listRow(`alone, ${cities('before')} cities`, r.before.alone, r.before.alone, r.before.alone),
          listRow(`during the imports, ${cities('before')} cities`, r.before.during, r.before.alone, r.before.during),
          listRow(`alone, ${cities('after')} cities`, r.after.alone, r.after.alone, r.before.alone),
          listRow(`during the imports, ${cities('after')} cities`, r.after.during, r.after.alone, r.before.during),
        ],
      ),
    );
    for (const [when, lists] of [
      ['before', r.before],
      ['after', r.after],
    ] as const) {
      console.log(
        `${BUSY_CITY} ${when}: ${lists.burst.imported} plans imported meanwhile (median ${ms(medianImportMs(lists.burst))} ms each), refused: ${refusedText(lists.burst)}.`,
      );
    }
    const slowest = [...r.onboarded].sort((a, b) => b.totalMs - a.totalMs).slice(0, 3);
    console.log(
      `Slowest cities: ${slowest.map((o) => `${o.cityId} ${ms(o.totalMs)} ms (${o.rows} rows: create ${ms(o.createMs)}, let in ${ms(o.servedMs)}, import ${ms(o.importMs)})`).join('; ')}. Started in ${r.startSeconds.toFixed(1)} s.`,
    );
  }
};

const main = async () => {
  const load = loadavg();
  const prepared: Prepared[] = [];
  for (const [index, province] of PROVINCES.slice(0, CITIES).entries()) {
    const rows = directoryRows(province, index);
    prepared.push({ province, file: await directoryXlsx(province, rows), rows: rows.length, communes: COMMUNES[province.id] ?? 0 });
  }
  log(
    `${prepared.length} cities, ${prepared.reduce((n, p) => n + p.communes, 0)} communes, ${prepared.reduce((n, p) => n + p.rows, 0)} agencies; deployments ${DEPLOYMENTS.join(', ')} ` +
      `(CPUs: ${cpus().length}; load average ${load.map((l) => l.toFixed(2)).join(' ')})`,
  );
  const results: Result[] = [];
  for (const name of DEPLOYMENTS) {
    results.push(await measure(name, prepared));
    await sleep(500);
  }
  print(results, prepared, load);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

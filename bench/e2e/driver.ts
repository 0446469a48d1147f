// The e2e bench's load driver and read-model poller, in a process of its own (forked by
// bench/e2e.bench.ts), so the platform it measures never shares its event loop. Steered over IPC.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import { signToken } from '@mandate/http';
import { plansWithTasks } from './platform-api';
import { SEEDS_DIR } from '@mandate/runtime';
import { PROVINCES } from './provinces';
import { TEST_SECRET } from '../../apps/cli/src/testing/deployments';

export type Json = Record<string, any>;
export type DriverRequest =
  | { type: 'setup'; base: string; databaseUrl: string; cities: string[]; run: string; pollMs: number; importSeeds: boolean }
  | { type: 'step'; rate: number; seconds: number; warmupSeconds: number; visibleTimeoutMs: number }
  | { type: 'exit' };
/** [sent, responded, visible or null], ms on the driver's clock. */
export type Sample = [number, number, number | null];
export type StepResult = {
  rate: number;
  achievedRate: number;
  skipped: number;
  failed: number;
  samples: Sample[];
  pollIntervals: number[];
  pollQueryMs: number[];
};
export type DriverReply =
  | { type: 'ready'; cities: string[]; plans: number; tasks: number; imported: number }
  | { type: 'measuring' }
  | { type: 'step-done'; result: StepResult }
  | { type: 'error'; message: string };

type TaskState = { id: string; status: string; version: number; inFlight: boolean; token: string };
type Change = { taskId: string; version: number; sentAt: number; respondedAt: number; visibleAt: number | null };

const now = () => performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const reply = (message: DriverReply) => process.send!(message);

/** not_started -> in_progress once, then submitted <-> returned (the office sends it back, with the note as reason). */
const CYCLE = new Set(['not_started', 'in_progress', 'submitted', 'returned']);
const nextStatus = (status: string) => (status === 'not_started' ? 'in_progress' : status === 'submitted' ? 'returned' : 'submitted');

/**
 * One office user per task, so the gateway's per-user rate limit (600/min by default) stays in the
 * path without being the bottleneck.
 */
const officeToken = (cityId: string, n: number, run: string) =>
  signToken(TEST_SECRET, { userId: `bench-office-${run}-${cityId}-${n}`, role: 'office', agencyId: null, cityId });

/**
 * Imports into each city, through the API as an office does, the seed documents of the other cities
 * (seeds/manifest.json), so every city has several plans. Returns how many were imported.
 */
const importSeeds = async (base: string, cities: string[], run: string) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(SEEDS_DIR, 'manifest.json'), 'utf8')) as { file: string; cityId: string }[];
  let imported = 0;
  for (const cityId of cities) {
    for (const entry of manifest.filter((e) => e.cityId !== cityId)) {
      const res = await fetch(`${base}/api/v1/imports?city=${cityId}&document=${encodeURIComponent(`bench-${entry.file}`)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await officeToken(cityId, -1, run)}`, 'content-type': 'text/plain; charset=utf-8' },
        body: fs.readFileSync(path.join(SEEDS_DIR, 'documents', entry.file), 'utf8'),
      });
      if (!res.ok) throw new Error(`import of ${entry.file} into ${cityId}: ${res.status} ${await res.text()}`);
      imported++;
    }
  }
  return imported;
};

/** Creates, as the platform operator would, the cities the deployment does not serve yet. */
const onboardCities = async (base: string, cities: string[]) => {
  const operator = await signToken(TEST_SECRET, { userId: 'bench-operator', role: 'operator', agencyId: null, cityId: 'platform' });
  for (const cityId of cities) {
    const province = PROVINCES.find((p) => p.id === cityId) ?? { id: cityId, name: cityId, level: 'province' };
    const res = await fetch(`${base}/api/v1/cities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: province.id, name: province.name, level: province.level, reason: 'bench: onboarding' }),
    });
    if (!res.ok && res.status !== 422) throw new Error(`creating the city ${cityId}: ${res.status} ${await res.text()}`);
  }
  // Every service learns of them from the cities topic: wait until the city's own office is served.
  for (const cityId of cities) {
    for (let tries = 0; ; tries++) {
      const res = await fetch(`${base}/api/v1/reporting/dashboard`, { headers: { authorization: `Bearer ${await officeToken(cityId, -1, 'onboarding')}` } });
      if (res.ok) break;
      if (tries > 300) throw new Error(`${cityId} is not served 30 s after its creation`);
      await sleep(100);
    }
  }
};

/** Every plan of each city, and their tasks whose status is on the bench's cycle. */
const tasksOf = async (base: string, cities: string[], run: string) => {
  const tasks: TaskState[] = [];
  const planIds: string[] = [];
  for (const cityId of cities) {
    for (const { plan, tasks: listed } of await plansWithTasks(base, await officeToken(cityId, -1, run))) {
      planIds.push(plan.id);
      for (const t of listed) {
        if (CYCLE.has(t.status.code))
          tasks.push({ id: t.id, status: t.status.code, version: Number(t.version), inFlight: false, token: await officeToken(cityId, tasks.length, run) });
      }
    }
  }
  return { tasks, planIds };
};

/**
 * Sends `rate` changes/s for `seconds`, on the next task with no change in flight (round robin over
 * every city's plans). A due change with every task busy is skipped and counted, not queued: the
 * schedule stays fixed (open loop).
 */
const drive = async (base: string, tasks: TaskState[], rate: number, seconds: number, onChange: (change: Change) => void = () => undefined) => {
  const changes: Change[] = [];
  const pending: Promise<void>[] = [];
  let skipped = 0;
  let failed = 0;
  let sent = 0;
  let cursor = 0;
  const total = Math.round(rate * seconds);
  const started = now();
  const send = async (task: TaskState) => {
    task.inFlight = true;
    const to = nextStatus(task.status);
    const sentAt = now();
    try {
      const res = await fetch(`${base}/api/v1/tasks/${task.id}/status`, {
        method: 'POST',
        headers: { authorization: `Bearer ${task.token}`, 'content-type': 'application/json', 'if-match': `"${task.version}"` },
        body: JSON.stringify({ status: to, note: 'bench' }),
      });
      const respondedAt = now();
      const body = (await res.json()) as Json;
      if (res.status !== 200) throw new Error(`POST status ${res.status}: ${JSON.stringify(body)}`);
      const version = Number(JSON.parse(res.headers.get('etag') ?? 'null'));
      if (!(version > task.version)) throw new Error(`ETag ${res.headers.get('etag')} after version ${task.version}`);
      task.version = version;
      task.status = body.status?.code ?? to;
      const change: Change = { taskId: task.id, version, sentAt, respondedAt, visibleAt: null };
      changes.push(change);
      onChange(change);
    } catch (error) {
      failed++;
      if (failed <= 3) console.error(`\nchange of ${task.id} failed: ${(error as Error).message}`);
    } finally {
      task.inFlight = false;
    }
  };
  while (sent + skipped < total) {
    const due = Math.min(total, Math.floor(((now() - started) / 1000) * rate));
    while (sent + skipped < due) {
      let task: TaskState | null = null;
      for (let i = 0; i < tasks.length && !task; i++) {
        const candidate = tasks[(cursor + i) % tasks.length];
        if (!candidate.inFlight) {
          task = candidate;
          cursor = (cursor + i + 1) % tasks.length;
        }
      }
      if (!task) {
        skipped++;
        continue;
      }
      sent++;
      pending.push(send(task));
    }
    await sleep(1);
  }
  const sendSeconds = (now() - started) / 1000;
  await Promise.all(pending);
  return { changes, skipped, failed, achievedRate: sent / sendSeconds };
};

/**
 * Polls reporting.task_status every `pollMs` for the tasks with a change waiting; a change is visible
 * from the first poll whose snapshot has `sequence >= version`. The poll's send time is recorded: the commit happened before that
 * snapshot, and after the previous one, so the error is at most one poll interval (reported).
 */
const watch = (databaseUrl: string, pollMs: number) => {
  const pool = new Pool({ connectionString: databaseUrl, max: 1, application_name: 'mandate-bench-e2e-poller' });
  const waiting = new Map<string, Change[]>();
  const pollIntervals: number[] = [];
  const pollQueryMs: number[] = [];
  let running = true;
  let lastPoll: number | null = null;
  const loop = (async () => {
    while (running) {
      const at = now();
      if (lastPoll !== null) pollIntervals.push(at - lastPoll);
      lastPoll = at;
      // Only the tasks with a change not yet seen (tens, not every task of every city): the poller's
      // own cost was as much CPU per change as the platform's.
      const ids = [...waiting.keys()];
      const { rows } = ids.length
        ? await pool.query<{ task_id: string; sequence: string }>('SELECT task_id, sequence FROM reporting.task_status WHERE task_id = ANY($1::uuid[])', [ids])
        : { rows: [] };
      pollQueryMs.push(now() - at);
      for (const row of rows) {
        const list = waiting.get(row.task_id);
        if (!list) continue;
        const sequence = Number(row.sequence);
        while (list.length && list[0].version <= sequence) list.shift()!.visibleAt = at;
        if (!list.length) waiting.delete(row.task_id);
      }
      const wait = pollMs - (now() - at);
      if (wait > 0) await sleep(wait);
    }
  })();
  return {
    track(change: Change) {
      const list = waiting.get(change.taskId) ?? [];
      list.push(change);
      list.sort((a, b) => a.version - b.version);
      waiting.set(change.taskId, list);
    },
    outstanding: () => [...waiting.values()].reduce((n, l) => n + l.length, 0),
    pollIntervals,
    pollQueryMs,
    async stop() {
      running = false;
      await loop;
      await pool.end();
    },
  };
};

let setup: Extract<DriverRequest, { type: 'setup' }> | null = null;
let tasks: TaskState[] = [];
let planIds: string[] = [];

const handle = async (request: DriverRequest) => {
  if (request.type === 'exit') process.exit(0);
  if (request.type === 'setup') {
    setup = request;
    await onboardCities(request.base, request.cities);
    const imported = request.importSeeds ? await importSeeds(request.base, request.cities, request.run) : 0;
    ({ tasks, planIds } = await tasksOf(request.base, request.cities, request.run));
    if (!tasks.length) throw new Error(`no task to change in ${request.cities.join(', ')}`);
    // The read model must hold every task before the clock starts (consumers catch up on the seed).
    const pool = new Pool({ connectionString: request.databaseUrl, max: 1 });
    const ready = Date.now() + 60_000;
    const ids = tasks.map((t) => t.id);
    while (
      Number(
        (await pool.query('SELECT count(*) FROM reporting.task_status WHERE task_id = ANY($1)', [ids]).catch(() => ({ rows: [{ count: 0 }] }))).rows[0].count,
      ) < ids.length
    ) {
      if (Date.now() > ready) throw new Error('reporting never caught up with the seed');
      await sleep(100);
    }
    await pool.end();
    return reply({ type: 'ready', cities: request.cities, plans: planIds.length, tasks: tasks.length, imported });
  }
  if (!setup) throw new Error('step before setup');
  if (request.warmupSeconds > 0) await drive(setup.base, tasks, request.rate, request.warmupSeconds);
  const watcher = watch(setup.databaseUrl, setup.pollMs);
  reply({ type: 'measuring' });
  // Each change is handed to the poller as soon as its response arrives.
  const { changes, skipped, failed, achievedRate } = await drive(setup.base, tasks, request.rate, request.seconds, watcher.track);
  const deadline = Date.now() + request.visibleTimeoutMs;
  while (watcher.outstanding() > 0 && Date.now() < deadline) await sleep(20);
  await watcher.stop();
  const samples: Sample[] = changes.map((c) => [c.sentAt, c.respondedAt, c.visibleAt]);
  reply({
    type: 'step-done',
    result: { rate: request.rate, achievedRate, skipped, failed, samples, pollIntervals: watcher.pollIntervals, pollQueryMs: watcher.pollQueryMs },
  });
};

process.on('message', (request: DriverRequest) => {
  handle(request).catch((error) => reply({ type: 'error', message: (error as Error).stack ?? String(error) }));
});
process.on('disconnect', () => process.exit(0));

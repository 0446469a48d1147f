// End to end: a status change POSTed through the gateway until the reporting read model shows it.
// Distributed (5 processes, relay -> Kafka -> consumer group) and embedded (in-process bus), same driver.
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { Pool } from 'pg';
import { signToken } from '@mandate/http';
import { distributedDeployment, embeddedDeployment, TEST_SECRET } from '../apps/cli/src/testing/deployments';

const RATE = Number(process.env.BENCH_RATE ?? 200); // status changes per second
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2); // same driver, samples discarded
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 5);
const VISIBLE_TIMEOUT_MS = 15_000;
const CITY = 'hai-phong';
const PLAN = '86/KH-UBND';
const DEPLOYMENTS = (process.env.BENCH_DEPLOYMENTS ?? 'distributed,embedded').split(',');

type Json = Record<string, any>;
type TaskState = { id: string; status: string; version: number; inFlight: boolean; token: string };
type Change = {
  taskId: string;
  version: number;
  sentAt: number;
  respondedAt: number;
  visibleAt: number | null;
};
type Result = {
  deployment: string;
  changes: Change[];
  achievedRate: number;
  skipped: number;
  failed: number;
  pollIntervals: number[];
  pollQueryMs: number[];
  startSeconds?: number;
};

const now = () => performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/**
 * One office user per task (175 officers), so the gateway's per-user rate limit (600/min by default)
 * stays in the path without being the bottleneck.
 */
const officeToken = (n: number, run: string) =>
  signToken(TEST_SECRET, { userId: `bench-office-${run}-${n}`, role: 'office', agencyId: null, cityId: CITY });

const plan86 = async (base: string, token: string) => {
  const get = async (url: string): Promise<Json> => {
    const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Json;
  };
  const plan = (await get('/api/v1/plans')).items.find((p: Json) => p.number === PLAN);
  if (!plan) throw new Error(`plan ${PLAN} not seeded`);
  const tasks: Json[] = [];
  let cursor: string | null = null;
  do {
    const page: Json = await get(`/api/v1/plans/${plan.id}/tasks?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    tasks.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return { plan, tasks };
};

/** not_started -> in_progress once, then submitted <-> returned (the office sends it back, with the note as reason). */
const nextStatus = (status: string) => (status === 'not_started' ? 'in_progress' : status === 'submitted' ? 'returned' : 'submitted');

/**
 * Sends RATE changes/s for `seconds`, on the next task with no change in flight (round robin).
 * A due change with every task busy is skipped and counted, not queued: the schedule stays fixed.
 */
const drive = async (base: string, tasks: TaskState[], seconds: number, bar: SingleBar | null, onChange: (change: Change) => void = () => undefined) => {
  const changes: Change[] = [];
  const pending: Promise<void>[] = [];
  let skipped = 0;
  let failed = 0;
  let sent = 0;
  let cursor = 0;
  const total = Math.round(RATE * seconds);
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
      bar?.increment();
    }
  };
  while (sent + skipped < total) {
    const due = Math.min(total, Math.floor(((now() - started) / 1000) * RATE));
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
 * Polls reporting.task_status every POLL_MS; a change is visible from the first poll whose snapshot
 * has `sequence >= version`. The poll's send time is recorded: the commit happened before that
 * snapshot, and after the previous one, so the error is at most one poll interval (reported).
 */
const watch = (databaseUrl: string, planId: string) => {
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
      const { rows } = await pool.query<{ task_id: string; sequence: string }>(
        'SELECT task_id, sequence FROM reporting.task_status WHERE plan_id = $1',
        [planId],
      );
      pollQueryMs.push(now() - at);
      for (const row of rows) {
        const list = waiting.get(row.task_id);
        if (!list) continue;
        const sequence = Number(row.sequence);
        while (list.length && list[0].version <= sequence) list.shift()!.visibleAt = at;
        if (!list.length) waiting.delete(row.task_id);
      }
      const wait = POLL_MS - (now() - at);
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

const measure = async (name: string, base: string, databaseUrl: string, bar: SingleBar): Promise<Result> => {
  const run = randomUUID().slice(0, 6);
  const { plan, tasks: listed } = await plan86(base, officeToken(-1, run));
  if (listed.length !== 175) throw new Error(`expected 175 tasks in ${PLAN}, got ${listed.length}`);
  const tasks: TaskState[] = listed.map((t, i) => ({ id: t.id, status: t.status.code, version: Number(t.version), inFlight: false, token: officeToken(i, run) }));
  // The read model must hold every task before the clock starts (consumers catch up on the seed).
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  const ready = Date.now() + 60_000;
  while (Number((await pool.query('SELECT count(*) FROM reporting.task_status WHERE plan_id = $1', [plan.id]).catch(() => ({ rows: [{ count: 0 }] }))).rows[0].count) < 175) {
    if (Date.now() > ready) throw new Error('reporting never caught up with the seed');
    await sleep(100);
  }
  await pool.end();

  if (WARMUP_SECONDS > 0) {
    bar.update({ phase: `${name}: warm-up ${WARMUP_SECONDS} s` });
    await drive(base, tasks, WARMUP_SECONDS, bar);
  }
  const watcher = watch(databaseUrl, plan.id);
  bar.update({ phase: `${name}: ${RATE}/s for ${SECONDS} s` });
  // Each change is handed to the poller as soon as its response arrives.
  const { changes, skipped, failed, achievedRate } = await drive(base, tasks, SECONDS, bar, watcher.track);
  bar.update({ phase: `${name}: waiting for the read model` });
  const deadline = Date.now() + VISIBLE_TIMEOUT_MS;
  while (watcher.outstanding() > 0 && Date.now() < deadline) await sleep(20);
  await watcher.stop();
  return { deployment: name, changes, skipped, failed, achievedRate, pollIntervals: watcher.pollIntervals, pollQueryMs: watcher.pollQueryMs };
};

const main = async () => {
  const totalChanges = DEPLOYMENTS.length * Math.round(RATE * (SECONDS + WARMUP_SECONDS));
  const bars = new MultiBar({ format: ' {bar} {percentage}% | {value}/{total} changes | {phase}', hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
  const bar = bars.create(totalChanges, 0, { phase: 'starting' });
  const results: Result[] = [];
  try {
    for (const name of DEPLOYMENTS) {
      bar.update({ phase: `${name}: starting the deployment` });
      const started = Date.now();
      const deployment = name === 'distributed' ? await distributedDeployment() : await embeddedDeployment();
      const startSeconds = (Date.now() - started) / 1000;
      try {
        results.push({ ...(await measure(name, deployment.url(), deployment.db.url, bar)), startSeconds });
      } finally {
        bar.update({ phase: `${name}: stopping` });
        await deployment.stop();
      }
    }
  } finally {
    bars.stop();
  }
  printResults(results);
};

const printResults = (results: Result[]) => {
  const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
  const header = ['deployment', 'rate (/s)', 'changes', 'not seen', 'vis p50', 'vis p95', 'vis p99', 'vis max', 'from send p99', 'POST p50', 'POST p95', 'POST p99', 'POST max'];
  const rows = results.map((r) => {
    const seen = r.changes.filter((c) => c.visibleAt !== null);
    const vis = seen.map((c) => Math.max(0, c.visibleAt! - c.respondedAt)).sort((a, b) => a - b);
    const fromSend = seen.map((c) => c.visibleAt! - c.sentAt).sort((a, b) => a - b);
    const post = r.changes.map((c) => c.respondedAt - c.sentAt).sort((a, b) => a - b);
    return [
      r.deployment,
      r.achievedRate.toFixed(1),
      String(r.changes.length),
      String(r.changes.length - seen.length),
      ms(percentile(vis, 50)),
      ms(percentile(vis, 95)),
      ms(percentile(vis, 99)),
      ms(vis.at(-1) ?? NaN),
      ms(percentile(fromSend, 99)),
      ms(percentile(post, 50)),
      ms(percentile(post, 95)),
      ms(percentile(post, 99)),
      ms(post.at(-1) ?? NaN),
    ];
  });
  const table = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  console.log(
    `\nE2E visibility benchmark: plan ${PLAN} (175 tasks), target ${RATE} changes/s for ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up ` +
      `(${cpus().length} CPUs, Node ${process.version}). Latencies in ms; "vis" is from the POST's response to the first poll of ` +
      `reporting.task_status showing sequence >= the new version.\n`,
  );
  console.log(line(header));
  console.log(`|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  rows.forEach((row) => console.log(line(row)));
  console.log('');
  for (const r of results) {
    const intervals = [...r.pollIntervals].sort((a, b) => a - b);
    const queries = [...r.pollQueryMs].sort((a, b) => a - b);
    console.log(
      `  ${r.deployment}: started in ${r.startSeconds?.toFixed(1)} s; ${r.failed} failed POSTs, ${r.skipped} changes skipped (every task busy); ` +
        `poll interval p50 ${ms(percentile(intervals, 50))} / p99 ${ms(percentile(intervals, 99))} / max ${ms(intervals.at(-1) ?? NaN)} ms ` +
        `(query p50 ${ms(percentile(queries, 50))} ms) over ${intervals.length + 1} polls`,
    );
  }
  for (const r of results.filter((r) => r.achievedRate < 0.95 * RATE)) {
    console.log(`  ${r.deployment}: the target rate was not sustained (${r.achievedRate.toFixed(1)}/s of ${RATE}/s): the latencies above are mostly queueing`);
  }
  if (results.some((r) => r.failed > 0 || r.changes.some((c) => c.visibleAt === null))) process.exitCode = 1;
};

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

// The read path (issue 19, item 6): GET /api/v1/tasks/{id} and GET /api/v1/plans/{id}/tasks of the
// embedded platform against a bare NestJS route answering a body of the same size, in the same run.
// Each server in a child process of its own; autocannon in this one.
import autocannon from 'autocannon';
import * as fs from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { signToken } from '@mandate/http';
import { TEST_SECRET } from '../apps/cli/src/testing/deployments';
import { exited, forkTs, nextMessage, startEmbeddedChild } from './e2e/children';
import { summariseProfile, type Window } from './e2e/cpu-profile';
import { getJson, plansWithTasks } from './e2e/platform-api';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const USERS = Number(process.env.BENCH_USERS ?? 200); // the per-user rate limit (600/min) stays in the path without being what limits
const CITY = 'hai-phong';
// `1`: the platform runs with --cpu-prof; its busy time while serving the platform routes at their maximum, by category and function.
const PROFILE = process.env.BENCH_PROFILE === '1';
const hrMicros = () => Number(process.hrtime.bigint() / 1000n);

type Json = Record<string, any>;
/** `baseline`: the bare route a platform route is compared with. */
type Target = { name: string; url: string; paths: string[]; platform: boolean; baseline?: string };
type Run = { rps: number; p50: number; p99: number; non2xx: number; errors: number };

const log = (message: string) => process.stderr.write(`[read-api ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
/** The readers' tokens, signed when main starts. */
let tokens: string[] = [];

const load = (target: Target, options: { seconds: number; rate?: number }): Promise<Run> => {
  let n = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: target.url,
        connections: CONNECTIONS,
        duration: options.seconds,
        ...(options.rate ? { overallRate: options.rate } : {}),
        requests: [
          {
            setupRequest: (request: Json) => {
              n++;
              return {
                ...request,
                path: target.paths[n % target.paths.length],
                headers: { ...request.headers, authorization: `Bearer ${tokens[n % tokens.length]}` },
              };
            },
          },
        ],
      },
      (error: Error | null, result: Json) =>
        error
          ? reject(error)
          : resolve({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors }),
    );
  });
};

const main = async () => {
  log(
    `starting the embedded platform and a bare NestJS app (2 CPUs here: ${cpus().length}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  const profileDir = PROFILE ? fs.mkdtempSync(path.join(tmpdir(), 'mandate-read-prof-')) : null;
  const platform = await startEmbeddedChild(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []);
  const windows: Window[] = [];
  const bare = forkTs('read-api/bare-nest.ts');
  try {
    tokens = await Promise.all(
      Array.from({ length: USERS }, (_, n) => signToken(TEST_SECRET, { userId: `bench-reader-${n}`, role: 'office', agencyId: null, cityId: CITY })),
    );
    const [token] = tokens;
    const listed = await plansWithTasks(platform.url, token);
    const plans = listed.map((l) => l.plan);
    const tasks = listed.flatMap((l) => l.tasks);
    const taskBody = await getJson(platform.url, `/api/v1/tasks/${tasks[0].id}`, token);
    const listBody = await getJson(platform.url, `/api/v1/plans/${plans[0].id}/tasks`, token);
    bare.send({ type: 'bodies', bodies: { task: taskBody, list: listBody } });
    const { url: bareUrl } = await nextMessage<{ type: 'ready'; url: string }>(bare, 'ready');
    log(
      `${CITY}: ${plans.length} plans, ${tasks.length} tasks; a task answer is ${JSON.stringify(taskBody).length} bytes, a plan's task list ${JSON.stringify(listBody).length}`,
    );

    const targets: Target[] = [
      { name: 'bare NestJS route (task-sized body)', url: bareUrl, paths: ['/bare/task'], platform: false },
      {
        name: 'GET /api/v1/tasks/{id}',
        url: platform.url,
        paths: tasks.map((t) => `/api/v1/tasks/${t.id}`),
        platform: true,
        baseline: 'bare NestJS route (task-sized body)',
      },
      { name: 'bare NestJS route (list-sized body)', url: bareUrl, paths: ['/bare/task/list'], platform: false },
      {
        name: 'GET /api/v1/plans/{id}/tasks',
        url: platform.url,
        paths: plans.map((p) => `/api/v1/plans/${p.id}/tasks`),
        platform: true,
        baseline: 'bare NestJS route (list-sized body)',
      },
      // The platform's middleware chain alone (security headers, correlation, metrics, request log, token, rate limit, body
      // parser, city scope…) on a route that reads no database: what a read costs before its queries.
      {
        name: 'GET /api/v1/session (middleware only, no database)',
        url: platform.url,
        paths: ['/api/v1/session'],
        platform: true,
        baseline: 'bare NestJS route (task-sized body)',
      },
    ];
    const max = new Map<string, Run>();
    const fixed = new Map<string, Run>();
    for (const target of targets) {
      await load(target, { seconds: 1 }); // warm-up, discarded
      const window = { start: hrMicros(), end: 0 };
      max.set(target.name, await load(target, { seconds: SECONDS }));
      window.end = hrMicros();
      if (target.platform) windows.push(window);
      log(`${target.name}: ${max.get(target.name)!.rps.toFixed(0)} req/s at most`);
      fixed.set(target.name, await load(target, { seconds: SECONDS, rate: RATE }));
      log(`${target.name}: p99 ${fixed.get(target.name)!.p99} ms at ${RATE} req/s`);
    }

    const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
    console.log(
      `\nRead API benchmark (${CONNECTIONS} connections, ${SECONDS} s per run after 1 s of warm-up; ${USERS} office users of ${CITY}, round robin; Node ${process.version}). Latencies in ms.\n`,
    );
    console.log(row(['route', 'max req/s', 'vs bare', 'p99 at max', `achieved at ${RATE}/s`, `p50 at ${RATE}/s`, `p99 at ${RATE}/s`, 'non-2xx', 'errors']));
    console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
    for (const target of targets) {
      const m = max.get(target.name)!;
      const f = fixed.get(target.name)!;
      const baseline = target.baseline ? max.get(target.baseline)!.rps : m.rps;
      console.log(
        row([
          target.name,
          m.rps.toFixed(0),
          `${(m.rps / baseline).toFixed(2)}x`,
          m.p99,
          f.rps.toFixed(0),
          f.p50,
          f.p99,
          m.non2xx + f.non2xx,
          m.errors + f.errors,
        ]),
      );
    }
  } finally {
    bare.send({ type: 'stop' });
    await exited(bare);
    await platform.stop();
  }
  if (profileDir) {
    for (const file of fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
      const summary = summariseProfile(path.join(profileDir, file), windows);
      console.log(
        `\nPlatform profile (${file}, kept in ${profileDir}): busy ${summary.busyMs.toFixed(0)} of ${summary.totalMs.toFixed(0)} ms sampled while serving the platform routes at their maximum.`,
      );
      for (const c of summary.categories) console.log(`  ${c.name.padEnd(40)} ${((100 * c.ms) / summary.busyMs).toFixed(1).padStart(5)} %`);
      console.log('  top functions (self):');
      for (const f of summary.functions.slice(0, 25)) console.log(`    ${f.name.padEnd(70)} ${((100 * f.ms) / summary.busyMs).toFixed(1).padStart(5)} %`);
    }
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

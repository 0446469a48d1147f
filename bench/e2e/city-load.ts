// Load one city puts on a platform, for the benches that measure how cities share it (fairness,
// onboarding): one city's task lists read at a fixed rate, another city's office importing plans.
import autocannon from 'autocannon';
import { signToken } from '@mandate/http';
import { syntheticPlan } from '@mandate/plan-import';
import { TEST_SECRET } from '../../apps/cli/src/testing/deployments';

/**
 * The load both benches put on: Hải Phòng's task lists read at `rate` for `seconds`, while Hà Nội's
 * office keeps `inFlight` imports of `tasks`-task plans going (BENCH_SECONDS, BENCH_RATE,
 * BENCH_IMPORTS_IN_FLIGHT, BENCH_IMPORT_TASKS).
 */
export const CITY_LOAD = {
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  rate: Number(process.env.BENCH_RATE ?? 100),
  inFlight: Number(process.env.BENCH_IMPORTS_IN_FLIGHT ?? 6),
  tasks: Number(process.env.BENCH_IMPORT_TASKS ?? 1000),
  readerCity: 'hai-phong',
  busyCity: 'ha-noi',
} as const;

/** The reading city's 50 office users, so the per-user rate limit stays out of the way. */
export const readerTokens = (): Promise<string[]> =>
  Promise.all(
    Array.from({ length: 50 }, (_, n) => signToken(TEST_SECRET, { userId: `bench-reader-${n}`, role: 'office', agencyId: null, cityId: CITY_LOAD.readerCity })),
  );

export type ListRun = { rps: number; p50: number; p99: number; max: number; non2xx: number; errors: number };

/**
 * GET `paths` round robin (each with the next of `tokens`) at `rate` requests a second from 10
 * connections, for `seconds`.
 */
export const readLists = (url: string, paths: string[], tokens: string[], options: { rate: number; seconds: number }): Promise<ListRun> => {
  let n = 0;
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url,
        connections: 10,
        duration: options.seconds,
        overallRate: options.rate,
        requests: [
          {
            setupRequest: (request: Record<string, any>) => (
              n++,
              { ...request, path: paths[n % paths.length], headers: { ...request.headers, authorization: `Bearer ${tokens[n % tokens.length]}` } }
            ),
          },
        ],
      },
      (error: Error | null, r: Record<string, any>) =>
        error
          ? reject(error)
          : resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, non2xx: r.non2xx, errors: r.errors }),
    ),
  );
};

export type BurstOutcome = { imported: number; refused: Map<number, number>; ms: number[] };

/**
 * A city's office importing plans of `tasks` tasks (`syntheticPlan`), `inFlight` at a time, back to
 * back, until `stop` resolves; a refused import (429 while the city's turn is taken) waits 200 ms.
 * `done` resolves once the imports in flight have answered.
 */
export const importBurst = (
  url: string,
  city: { cityId: string; token: string },
  options: { inFlight: number; tasks: number; firstNumber?: number },
  stop: Promise<void>,
) => {
  const outcome: BurstOutcome = { imported: 0, refused: new Map(), ms: [] };
  let running = true;
  void stop.then(() => (running = false));
  let next = options.firstNumber ?? 9000;
  const office = async () => {
    while (running) {
      const started = Date.now();
      const number = next++;
      const response = await fetch(`${url}/api/v1/imports?city=${city.cityId}&document=burst-${number}.txt`, {
        method: 'POST',
        headers: { authorization: `Bearer ${city.token}`, 'content-type': 'text/plain; charset=utf-8' },
        body: syntheticPlan(options.tasks, `${number}/KH-UBND`),
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
  return { outcome, done: Promise.all(Array.from({ length: options.inFlight }, office)) };
};

/** "n×status, …" of the refused imports, or "none". */
export const refusedText = (outcome: BurstOutcome) => [...outcome.refused].map(([status, n]) => `${n}×${status}`).join(', ') || 'none';

/** The median of the imports' times, in ms, or '-'. */
export const medianImportMs = (outcome: BurstOutcome) => {
  const ms = [...outcome.ms].sort((a, b) => a - b);
  return ms.length ? ms[Math.floor(ms.length / 2)] : NaN;
};

/** Reads `paths` at `options.rate` for `options.seconds` while `city`'s office imports (started 2 s before, so it is under way). */
export const readListsDuringImports = async (
  url: string,
  paths: string[],
  tokens: string[],
  options: { rate: number; seconds: number },
  city: { cityId: string; token: string },
  burstOptions: { inFlight: number; tasks: number; firstNumber?: number },
) => {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const burst = importBurst(url, city, burstOptions, stopped);
  await new Promise((resolve) => setTimeout(resolve, 2000)); // the burst under way
  try {
    return { run: await readLists(url, paths, tokens, options), burst: burst.outcome };
  } finally {
    stop();
    await burst.done;
  }
};

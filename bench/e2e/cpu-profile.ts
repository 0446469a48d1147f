// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by category, within the
// measured windows only (start-up, seeding and warm-up are left out).
import * as fs from 'node:fs';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

/** A measured window in microseconds of the monotonic clock V8 stamps its samples with (process.hrtime's). */
export type Window = { start: number; end: number };

export type ProfileSummary = {
  /** Sampled milliseconds inside the windows (idle included). */
  totalMs: number;
  busyMs: number;
  categories: { name: string; ms: number }[];
  functions: { name: string; ms: number }[];
  /** False when no sample fell in the windows (clocks not comparable): the whole profile was summarised. */
  windowed: boolean;
};

/**
 * Categories a frame can name, most specific first. A sample goes to the innermost frame of its
 * stack that matches a specific rule; failing that, to the first generic rule any of its frames
 * matches (so a socket write under pg counts as SQL driver, not as Node internals); failing that, "other". Stacks are synchronous only: a pg reply parsed
 * in a socket callback shows no caller, hence "SQL driver" as a category of its own.
 */
const SPECIFIC: [string, (f: CallFrame) => boolean][] = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['idle', (f) => f.functionName === '(idle)'],
  [
    'logging (pino)',
    (f) =>
      /node_modules\/(pino|pino-http|nestjs-pino|pino-std-serializers|sonic-boom|thread-stream|fast-redact|on-exit-leak-free)\/|\/logger\.ts|\/logging\.ts/.test(
        f.url,
      ),
  ],
  ['Kafka (kafkajs)', (f) => /node_modules\/kafkajs\//.test(f.url)],
  ['relay (outbox -> bus or Kafka)', (f) => /libs\/messaging\/src\/(relay|nudge|kafka\/kafka-publisher)/.test(f.url)],
  [
    'consumers (inbox, bus, subscribers)',
    (f) => /libs\/messaging\/src\/(kafka|inbox|in-process-bus|cloud-event|integration-topics)|consum|subscri/i.test(f.url),
  ],
  ['projections / read models', (f) => /projection|read-model|libs\/reporting\/|libs\/assignments\/|libs\/notifications\//i.test(f.url)],
  ['append SQL', (f) => /libs\/event-store\//.test(f.url) && /append/i.test(f.functionName)],
  ['event store read / fold', (f) => /libs\/event-store\/|libs\/plans\/domain\//.test(f.url)],
  ['commands (plans app)', (f) => /libs\/plans\/app\//.test(f.url)],
  [
    'auth / JWT / rate limit',
    (f) => /node_modules\/(jose|ioredis|@ioredis|redis-parser)\/|auth-guard|\/identity\.ts|\/auth\.ts|rate-limit|request-policies/.test(f.url),
  ],
  ['validation (zod/ajv)', (f) => /node_modules\/(zod|ajv|ajv-formats|class-validator|class-transformer)\//.test(f.url)],
];
const GENERIC: [string, (f: CallFrame) => boolean][] = [
  ['SQL driver (pg, TypeORM)', (f) => /node_modules\/(pg|pg-protocol|pg-pool|pg-types|typeorm|postgres-array|postgres-date)\//.test(f.url)],
  [
    'HTTP / Nest / gateway',
    (f) =>
      /node_modules\/(@nestjs|express|body-parser|router|raw-body|finalhandler|send|on-finished|undici|http-proxy|path-to-regexp|qs|cookie)\/|libs\/shared\/http\/|apps\/gateway\/|node:_http|node:http|node:internal\/deps\/undici/.test(
        f.url,
      ),
  ],
  ['platform code (other)', (f) => /\/(apps|libs)\//.test(f.url) && !f.url.includes('node_modules')],
  ['module loading (SWC)', (f) => /@swc|node:internal\/modules/.test(f.url)],
  ['Node internals (net, streams, timers)', (f) => f.url.startsWith('node:')],
];

const shortUrl = (url: string) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/^.*?node_modules\//, '~/')
    .replace(/^.*?\/(apps|libs)\//, '$1/');

export const summariseProfile = (file: string, windows: Window[]): ProfileSummary => {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const categoryOf = new Map<number, string>();
  const category = (id: number): string => {
    const known = categoryOf.get(id);
    if (known) return known;
    let generic = GENERIC.length;
    let found: string | null = null;
    for (let at: number | undefined = id; at !== undefined && !found; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      found = SPECIFIC.find(([, match]) => match(frame))?.[0] ?? null;
      const rule = GENERIC.findIndex(([, match]) => match(frame));
      if (rule >= 0 && rule < generic) generic = rule;
    }
    const name =
      found ??
      GENERIC[generic]?.[0] ??
      (byId.get(id)!.callFrame.functionName.startsWith('(') ? byId.get(id)!.callFrame.functionName : 'other (builtins, native)');
    categoryOf.set(id, name);
    return name;
  };
  // Sample i stands for the time until sample i+1 (what DevTools does).
  const times: number[] = [];
  let t = profile.startTime;
  for (const delta of profile.timeDeltas) times.push((t += delta));
  const inWindow = (at: number) => windows.some((w) => at >= w.start && at <= w.end);
  const windowed = times.some(inWindow);
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    if (windowed && !inWindow(times[i])) continue;
    const us = (times[i + 1] ?? profile.endTime) - times[i];
    const node = byId.get(profile.samples[i])!;
    const cat = category(node.id);
    total += us;
    if (cat === 'idle') idle += us;
    categories.set(cat, (categories.get(cat) ?? 0) + us);
    const f = node.callFrame;
    const name = f.url ? `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}` : f.functionName || '(anonymous)';
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) => [...m].map(([name, us]) => ({ name, ms: us / 1000 })).sort((a, b) => b.ms - a.ms);
  return {
    totalMs: total / 1000,
    busyMs: (total - idle) / 1000,
    categories: sorted(categories),
    functions: sorted(functions).filter((f) => f.name !== '(idle)'),
    windowed,
  };
};

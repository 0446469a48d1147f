// Relay (log -> Kafka through KafkaPublisher, with its checkpoint and leader lock) vs a raw kafkajs
// producer sending the same, already encoded messages with the same producer settings.
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { Message } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, type NewEvent } from '@mandate/event-store';
import {
  createKafka,
  encodeCloudEvent,
  ensureTopics,
  KafkaNames,
  KafkaPublisher,
  PostgresLeaderLock,
  Relay,
  type OutgoingMessage,
  type Publisher,
  type TopicSource,
} from '@mandate/messaging';
import { plansTopicSource } from '@mandate/plans-app';
import { PLANS_TOPIC, TASKS_TOPIC } from '@mandate/plans-contracts';
import { createLogger, openServiceDatabase } from '@mandate/runtime';
import { createTestDatabase } from '@mandate/testing';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 2_000);
const BATCH = 500; // the Relay's default batchSize; the raw producer sends batches of the same size
const PARTITIONS = 3;
const APPEND_WRITERS = 8;
const RUN_TIMEOUT_MS = 60_000;
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const CITY = 'hai-phong';
const SCHEMA = 'plans';
const STATUSES = ['in_progress', 'submitted'] as const;

type Side = 'raw' | 'relay';
type Run = {
  side: Side;
  namespace: string;
  events: number;
  seconds: number;
  /** Relay only: wall time inside source.read (log read + mapping) and publisher.publish. */
  readMs?: number;
  publishMs?: number;
  batches?: number;
  /** Raw only: encodeCloudEvent over all messages, done before its clock starts. */
  encodeMs?: number;
};

const statusChanged = (taskId: string, planId: string, n: number): NewEvent => ({
  id: randomUUID(),
  type: 'TaskStatusChanged',
  schemaVersion: 1,
  data: {
    taskId,
    planId,
    from: n === 0 ? 'not_started' : STATUSES[(n + 1) % 2],
    to: STATUSES[n % 2],
    note: 'Đã báo cáo tiến độ cho Văn phòng UBND thành phố',
    changedAt: new Date().toISOString(),
  },
  metadata: {
    cityId: CITY,
    actorId: 'office-user',
    role: 'office',
    agencyId: null,
    correlationId: randomUUID(),
    causationId: null,
    occurredAt: new Date().toISOString(),
  },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const main = async () => {
  const logger = createLogger('silent');
  const db = await createTestDatabase('bench_relay');
  // As the plans service opens its schema (CREATE SCHEMA, then the event store and relay migrations).
  const dataSource = await openServiceDatabase({
    url: db.url,
    schema: SCHEMA,
    migrations: [...PostgresEventStore.migrations(SCHEMA), Relay.migration(SCHEMA)],
    poolSize: APPEND_WRITERS + 1,
  }).catch(async (error) => {
    await db.drop();
    throw error;
  });
  const store = new PostgresEventStore(dataSource, { schema: SCHEMA });
  const source = plansTopicSource(store);
  const kafka = createKafka(BROKERS, 'mandate-bench-relay', logger);
  const runTag = randomUUID().slice(0, 8);
  const topicsCreated: string[] = [];

  const perStream = Math.ceil(EVENTS / STREAMS);
  const slots = 4; // raw, relay, raw, relay
  const bars = new MultiBar({ format: ' {bar} {percentage}% | {value}/{total} | {phase}', hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
  const bar: SingleBar = bars.create(EVENTS * (2 + slots), 0, { phase: 'appending' });

  const runs: Run[] = [];
  let lastCheckpoint: string | null = null;
  let offsetsOk = true;
  const offsetLines: string[] = [];
  try {
    // 1. The log: EVENTS status changes over STREAMS task streams, each stream written in one append.
    const planId = randomUUID();
    let appended = 0;
    let nextStream = 0;
    await Promise.all(
      Array.from({ length: APPEND_WRITERS }, async () => {
        while (nextStream < STREAMS && appended < EVENTS) {
          nextStream++;
          const taskId = randomUUID();
          const count = Math.min(perStream, EVENTS - appended);
          appended += count;
          const events = Array.from({ length: count }, (_, n) => statusChanged(taskId, planId, n));
          await store.append(`task-${taskId}`, events, { expectedVersion: 'no_stream', cityId: CITY });
          bar.increment(count);
        }
      }),
    );

    // 2. The same messages, read once through the source (the raw side sends these, pre-encoded).
    bar.update({ phase: 'reading the log once through plansTopicSource' });
    const messages: OutgoingMessage[] = [];
    const readUntil = Date.now() + RUN_TIMEOUT_MS;
    while (messages.length < EVENTS) {
      if (Date.now() > readUntil) throw new Error(`read only ${messages.length}/${EVENTS} messages (a long transaction elsewhere on the server?)`);
      const page = await source.read(lastCheckpoint, BATCH);
      if (page.messages.length === 0) {
        await sleep(5); // readAll waits for transactions open below its snapshot's xmin
        continue;
      }
      messages.push(...page.messages.map(({ topic, key, event }) => ({ topic, key, event })));
      lastCheckpoint = page.checkpoint;
      bar.increment(page.messages.length);
    }
    if (messages.some((m) => m.topic !== TASKS_TOPIC)) throw new Error('expected every message on mandate.tasks.v1');

    // 3. raw, relay, raw, relay — each under its own namespace, topics created before the clock starts.
    for (const [i, side] of (['raw', 'relay', 'raw', 'relay'] as Side[]).entries()) {
      const names = new KafkaNames(`bench-${runTag}-${side}-${i + 1}`);
      await ensureTopics(kafka, source.topics, { names, partitions: PARTITIONS });
      topicsCreated.push(...source.topics.flatMap((t) => [names.topic(t), names.topic(`${t}.dlq`)]));
      bar.update({ phase: `run ${i + 1}/4: ${side}` });
      const run =
        side === 'raw' ? await runRaw(kafka, names, messages, bar) : await runRelay(dataSource, db.url, source, kafka, names, lastCheckpoint!, i, logger, bar);
      runs.push({ ...run, side, namespace: names.namespace });
    }

    // 4. Every namespace got exactly EVENTS messages on the tasks topic, none on the plans topic.
    bar.update({ phase: 'checking topic end offsets' });
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const run of runs) {
        const names = new KafkaNames(run.namespace);
        const sum = async (topic: string) => (await admin.fetchTopicOffsets(names.topic(topic))).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
        const tasks = await sum(TASKS_TOPIC);
        const plans = await sum(PLANS_TOPIC);
        const ok = tasks === EVENTS && plans === 0;
        offsetsOk &&= ok;
        offsetLines.push(`${run.namespace}: ${tasks} on ${TASKS_TOPIC}, ${plans} on ${PLANS_TOPIC} ${ok ? 'ok' : `MISMATCH (expected ${EVENTS})`}`);
      }
      // Namespaced topics would be harmless, but nobody reads them again.
      if (process.env.BENCH_KEEP_TOPICS !== '1') await admin.deleteTopics({ topics: topicsCreated, timeout: 30_000 });
    } finally {
      await admin.disconnect();
    }
  } finally {
    bar.update(bar.getTotal());
    bars.stop();
    await dataSource.destroy();
    await db.drop();
  }

  printTable(runs);
  console.log(`\nEnd offsets per namespace (sum over ${PARTITIONS} partitions):`);
  for (const line of offsetLines) console.log(`  ${line}`);
  console.log(
    process.env.BENCH_KEEP_TOPICS === '1'
      ? `\nTopics kept (BENCH_KEEP_TOPICS=1): ${topicsCreated.length} under bench-${runTag}-*.`
      : `\n${topicsCreated.length} bench-${runTag}-* topics deleted; database dropped.`,
  );
  if (!offsetsOk) process.exitCode = 1;
};

/** The baseline: the KafkaPublisher's producer settings, the same messages already encoded, same batch size. */
const runRaw = async (
  kafka: ReturnType<typeof createKafka>,
  names: KafkaNames,
  messages: OutgoingMessage[],
  bar: SingleBar,
): Promise<Omit<Run, 'side' | 'namespace'>> => {
  const topic = names.topic(TASKS_TOPIC);
  const t = performance.now();
  const encoded: Message[] = messages.map(encodeCloudEvent); // outside the clock: the raw side measures Kafka alone
  const encodeMs = performance.now() - t;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  const started = process.hrtime.bigint(); // connect included, as the relay's publisher connects on its first batch
  await producer.connect();
  for (let i = 0; i < encoded.length; i += BATCH) {
    await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: encoded.slice(i, i + BATCH) }] });
    bar.increment(Math.min(BATCH, encoded.length - i));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await producer.disconnect();
  return { events: encoded.length, seconds, encodeMs };
};

/** The Relay from checkpoint zero (a source name of its own) until its status checkpoint is the log's last. */
const runRelay = async (
  dataSource: DataSource,
  url: string,
  base: TopicSource,
  kafka: ReturnType<typeof createKafka>,
  names: KafkaNames,
  last: string,
  run: number,
  logger: ReturnType<typeof createLogger>,
  bar: SingleBar,
): Promise<Omit<Run, 'side' | 'namespace'>> => {
  let readMs = 0;
  let publishMs = 0;
  let batches = 0;
  const timedSource: TopicSource = {
    name: `plans-bench-${run}`,
    topics: base.topics,
    async read(after, limit) {
      const t = performance.now();
      try {
        return await base.read(after, limit);
      } finally {
        readMs += performance.now() - t;
      }
    },
  };
  const kafkaPublisher = new KafkaPublisher(kafka, names);
  const publisher: Publisher = {
    async publish(messages) {
      const t = performance.now();
      await kafkaPublisher.publish(messages);
      publishMs += performance.now() - t;
      batches++;
      bar.increment(messages.length);
    },
  };
  const relay = new Relay(dataSource, timedSource, publisher, new PostgresLeaderLock(url, `bench-relay-${run}`, logger), { schema: SCHEMA, logger });
  const started = process.hrtime.bigint();
  relay.start();
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  while (relay.status().checkpoint !== last) {
    if (Date.now() > deadline) throw new Error(`relay did not reach the end of the log in ${RUN_TIMEOUT_MS} ms: ${JSON.stringify(relay.status())}`);
    await sleep(2);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { published } = relay.status();
  await relay.stop();
  await kafkaPublisher.close();
  return { events: published, seconds, readMs, publishMs, batches };
};

const printTable = (runs: Run[]) => {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const rate = (r: Run) => r.events / r.seconds;
  const raw = runs.filter((r) => r.side === 'raw');
  const relay = runs.filter((r) => r.side === 'relay');
  const total = (rs: Run[]) => rs.reduce((n, r) => n + r.events, 0) / rs.reduce((s, r) => s + r.seconds, 0);
  const rows = [
    ...raw.map((r, i) => [`round ${i + 1}`, fmt(rate(r)), fmt(rate(relay[i])), (rate(relay[i]) / rate(r)).toFixed(2)]),
    ['both rounds', fmt(total(raw)), fmt(total(relay)), (total(relay) / total(raw)).toFixed(2)],
  ];
  const table = [['run', 'raw kafkajs (events/s)', 'relay (events/s)', 'relay / raw'], ...rows];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  console.log(
    `\nRelay benchmark: ${EVENTS.toLocaleString('en-US')} TaskStatusChanged events over ${STREAMS.toLocaleString('en-US')} streams, ` +
      `batches of ${BATCH}, ${PARTITIONS} partitions, acks -1, idempotent (${cpus().length} CPUs, Node ${process.version})\n`,
  );
  console.log(line(table[0]));
  console.log(`|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  table.slice(1).forEach((row) => console.log(line(row)));
  console.log('\nWhere the relay spends its time (wall ms; the rest is checkpoint UPDATEs, lock, loop):');
  for (const r of relay) {
    const ms = r.seconds * 1000;
    console.log(
      `  ${r.namespace}: ${fmt(ms)} ms total, ${r.batches} batches, source.read ${fmt(r.readMs!)} ms (${Math.round((100 * r.readMs!) / ms)} %), ` +
        `publish ${fmt(r.publishMs!)} ms (${Math.round((100 * r.publishMs!) / ms)} %)`,
    );
  }
  for (const r of raw)
    console.log(
      `  ${r.namespace}: ${fmt(r.seconds * 1000)} ms total (connect + ${Math.ceil(r.events / BATCH)} sendBatch calls; encoding beforehand took ${fmt(r.encodeMs!)} ms)`,
    );
};

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

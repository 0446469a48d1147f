import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka } from 'kafkajs';
import { decodeCloudEvent } from './cloud-event-codec';
import type { KafkaPublisher } from './kafka-publisher';
import { KafkaNames } from './kafka-names';
import { ensureTopic } from './topics';

export type DeadLetter = {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  eventId: string | null;
  type: string | null;
  error: string;
  attempts: number;
  group: string;
  originalTopic: string;
  failedAt: string;
  /** Already sent back to its topic by `replay`. */
  replayed: boolean;
  value: Buffer | null;
  headers: Record<string, string>;
};

/** Which dead letters were sent back: one marker per letter, keyed `<dlq topic>:<partition>:<offset>`. */
export const DLQ_REPLAYS_TOPIC = 'mandate.dlq-replays';

const text = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers ?? {}).flatMap(([k, v]) => {
      const first = Array.isArray(v) ? v[0] : v;
      return first === undefined ? [] : [[k, Buffer.isBuffer(first) ? first.toString('utf8') : String(first)]];
    }),
  );

type RawRecord = { topic: string; partition: number; offset: string; key: Buffer | null; value: Buffer | null; headers: IHeaders | undefined };

/**
 * Reads topics from their start up to their current end, without joining any consumer group that
 * matters: an inspection never moves an offset.
 */
const readToEnd = async (kafka: Kafka, topics: readonly string[], names: KafkaNames): Promise<RawRecord[]> => {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  try {
    const existing = new Set(await admin.listTopics());
    for (const topic of topics.filter((t) => existing.has(t))) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (Number(p.high) > Number(p.low)) ends.set(`${topic}:${p.partition}`, Number(p.high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return [];
  const records: RawRecord[] = [];
  const consumer = kafka.consumer({ groupId: names.group(`mandate.inspect-${randomUUID()}`), allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...new Set([...ends.keys()].map((k) => k.slice(0, k.lastIndexOf(':'))))], fromBeginning: true });
    const remaining = new Set(ends.keys());
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            const slot = `${topic}:${partition}`;
            if (Number(message.offset) < (ends.get(slot) ?? 0)) {
              records.push({ topic, partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers });
            }
            if (Number(message.offset) + 1 >= (ends.get(slot) ?? 0)) remaining.delete(slot);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
};

const slotOf = (topic: string, partition: number, offset: string) => `${topic}:${partition}:${offset}`;

/** Every dead letter of the given (logical) dead-letter topics, oldest first, marked when replayed. */
export const readDeadLetters = async (kafka: Kafka, logicalDlqTopics: readonly string[], names = new KafkaNames()): Promise<DeadLetter[]> => {
  const records = await readToEnd(kafka, [...logicalDlqTopics.map((t) => names.topic(t)), names.topic(DLQ_REPLAYS_TOPIC)], names);
  const replays = new Set(records.filter((r) => names.logicalTopic(r.topic) === DLQ_REPLAYS_TOPIC).map((r) => r.key?.toString('utf8') ?? ''));
  return records
    .filter((r) => names.logicalTopic(r.topic) !== DLQ_REPLAYS_TOPIC)
    .map((record): DeadLetter => {
      const headers = text(record.headers);
      let eventId: string | null = null;
      let type: string | null = null;
      try {
        const event = decodeCloudEvent(record);
        eventId = event.id;
        type = event.type;
      } catch {
        // an undecodable message is exactly what a dead-letter topic may hold
      }
      const topic = names.logicalTopic(record.topic);
      return {
        topic,
        partition: record.partition,
        offset: record.offset,
        key: record.key?.toString('utf8') ?? null,
        eventId,
        type,
        error: headers['x-dlq-error'] ?? '',
        attempts: Number(headers['x-dlq-attempts'] ?? 0),
        group: headers['x-dlq-group'] ?? '',
        originalTopic: headers['x-dlq-topic'] ?? topic.replace(/\.dlq$/, ''),
        failedAt: headers['x-dlq-failed-at'] ?? '',
        replayed: replays.has(slotOf(topic, record.partition, record.offset)),
        value: record.value,
        headers,
      };
    })
    .sort((a, b) => a.failedAt.localeCompare(b.failedAt) || a.topic.localeCompare(b.topic) || Number(a.offset) - Number(b.offset));
};

/**
 * Sends dead letters not yet replayed back to their original topic (without the x-dlq headers),
 * marking each one, so a second replay sends nothing twice. Consumers' inboxes drop events they
 * had applied after all; a message that fails again becomes a new dead letter.
 */
export const replayDeadLetters = async (
  kafka: Kafka,
  publisher: KafkaPublisher,
  dlqTopics: readonly string[],
  filter: (letter: DeadLetter) => boolean = () => true,
  onReplayed: (letter: DeadLetter) => void = () => undefined,
): Promise<{ replayed: DeadLetter[] }> => {
  const names = publisher.names;
  const letters = (await readDeadLetters(kafka, dlqTopics, names)).filter((l) => !l.replayed && filter(l));
  const replayed: DeadLetter[] = [];
  if (letters.length > 0) {
    await ensureTopic(kafka, names.topic(DLQ_REPLAYS_TOPIC), { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] });
  }
  for (const letter of letters) {
    const headers = Object.fromEntries(Object.entries(letter.headers).filter(([k]) => !k.startsWith('x-dlq-')));
    await publisher.sendRaw(names.topic(letter.originalTopic), [{ key: letter.key, value: letter.value, headers }]);
    await publisher.sendRaw(names.topic(DLQ_REPLAYS_TOPIC), [
      { key: slotOf(letter.topic, letter.partition, letter.offset), value: new Date().toISOString(), headers: {} },
    ]);
    replayed.push(letter);
    onReplayed(letter);
  }
  return { replayed };
};

import type { Kafka } from 'kafkajs';
import { KafkaNames } from './kafka-names';

export const deadLetterTopic = (topic: string) => `${topic}.dlq`;

/** How the services' topics are created: 3 partitions, the broker's default replication factor. */
export type TopicSettings = { partitions?: number; replicationFactor?: number };

/**
 * Creates the topics (and their dead-letter twins) if missing. Brokers run with auto-creation off,
 * so a consumer never subscribes to a topic that does not exist yet.
 */
export const ensureTopics = async (kafka: Kafka, topics: readonly string[], options: TopicSettings & { names?: KafkaNames } = {}) => {
  const names = options.names ?? new KafkaNames();
  await createMissingTopics(
    kafka,
    topics.flatMap((t) => [names.topic(t), names.topic(deadLetterTopic(t))]),
    options,
  );
};

/**
 * Creates the broker topics (names as on the broker, no dead-letter twins) that do not exist yet,
 * with the same settings as `ensureTopics`. Another process creating one at the same moment is fine.
 */
export const createMissingTopics = async (kafka: Kafka, topics: readonly string[], settings: TopicSettings = {}) => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set(topics)].filter((t) => !existing.has(t));
    if (wanted.length === 0) return;
    // Resolves false when every one of them exists by now (created by another process meanwhile).
    await admin.createTopics({
      waitForLeaders: true,
      topics: wanted.map((topic) => ({
        topic,
        numPartitions: settings.partitions ?? 3,
        replicationFactor: settings.replicationFactor ?? -1,
      })),
    });
  } finally {
    await admin.disconnect();
  }
};

/** Creates one topic by its broker name if missing (e.g. a compacted bookkeeping topic). */
export const ensureTopic = async (kafka: Kafka, topic: string, options: { partitions?: number; configEntries?: { name: string; value: string }[] } = {}) => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(topic)) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: options.partitions ?? 1, replicationFactor: -1, configEntries: options.configEntries }],
    });
  } finally {
    await admin.disconnect();
  }
};

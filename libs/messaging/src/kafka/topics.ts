import type { Kafka } from 'kafkajs';
import { KafkaNames } from './kafka-names';

export const deadLetterTopic = (topic: string) => `${topic}.dlq`;

/**
 * Creates the topics (and their dead-letter twins) if missing. Brokers run with auto-creation off,
 * so a consumer never subscribes to a topic that does not exist yet.
 */
export const ensureTopics = async (
  kafka: Kafka,
  topics: readonly string[],
  options: { partitions?: number; replicationFactor?: number; names?: KafkaNames } = {},
) => {
  const names = options.names ?? new KafkaNames();
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set(topics.flatMap((t) => [names.topic(t), names.topic(deadLetterTopic(t))]))].filter((t) => !existing.has(t));
    if (wanted.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: wanted.map((topic) => ({
        topic,
        numPartitions: options.partitions ?? 3,
        replicationFactor: options.replicationFactor ?? -1,
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

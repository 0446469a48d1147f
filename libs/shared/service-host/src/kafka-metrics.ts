import type { Admin, Kafka } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';

/**
 * Consumer lag (end of each partition minus the group's committed offset) and dead-letter topic
 * sizes, read from the broker when Prometheus scrapes.
 */
export const registerKafkaMetrics = (registry: Registry, kafka: Kafka, group: string, topics: readonly string[]) => {
  let admin: Admin | null = null;
  const connected = async () => {
    if (!admin) {
      const created = kafka.admin();
      await created.connect();
      admin = created;
    }
    return admin;
  };
  const partitionsEnd = async (a: Admin, topic: string) => (await a.fetchTopicOffsets(topic)).map((p) => ({ ...p, high: Number(p.high), low: Number(p.low) }));

  new Gauge({
    name: 'mandate_consumer_lag_messages',
    help: 'Messages not yet processed by this consumer group',
    labelNames: ['group', 'topic'],
    registers: [registry],
    async collect() {
      const a = await connected();
      const committed = await a.fetchOffsets({ groupId: group, topics: [...topics] });
      for (const topic of topics) {
        const ends = await partitionsEnd(a, topic);
        const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
        const lag = ends.reduce((sum, p) => {
          const offset = Number(done.find((d) => d.partition === p.partition)?.offset ?? -1);
          return sum + (p.high - (offset < 0 ? p.low : offset));
        }, 0);
        this.set({ group, topic }, lag);
      }
    },
  });
  new Gauge({
    name: 'mandate_dlq_messages',
    help: 'Messages in the dead-letter topics this service feeds',
    labelNames: ['topic'],
    registers: [registry],
    async collect() {
      const a = await connected();
      for (const topic of topics) {
        const ends = await partitionsEnd(a, `${topic}.dlq`);
        this.set(
          { topic: `${topic}.dlq` },
          ends.reduce((sum, p) => sum + p.high - p.low, 0),
        );
      }
    },
  });
  return async () => {
    if (admin) await admin.disconnect();
    admin = null;
  };
};

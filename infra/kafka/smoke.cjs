#!/usr/bin/env node
// Smoke check for the local broker: create a 3-partition topic, produce 10
// keyed messages, consume them in a consumer group, commit, verify offsets.
// Usage: node infra/kafka/smoke.cjs [host:port]   (broker must be running)
'use strict';
const { Kafka, logLevel } = require('kafkajs');

const broker = process.argv[2] || '127.0.0.1:9092';
const kafka = new Kafka({ clientId: 'mandate-kafka-smoke', brokers: [broker], logLevel: logLevel.WARN });
const topic = `smoke-${Date.now()}`;
const groupId = `${topic}-group`;
const N = 10;

async function main() {
  const t0 = Date.now();
  const admin = kafka.admin();
  await admin.connect();
  const created = await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  if (!created) throw new Error('topic not created');
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitions = meta.topics[0].partitions.length;
  if (partitions !== 3) throw new Error(`expected 3 partitions, got ${partitions}`);

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: N }, (_, i) => ({ key: `k${i % 5}`, value: `v${i}` })),
  });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = [];
  const byKeyPartition = new Map();
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout: consumed ${seen.length}/${N}`)), 30000);
    consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const key = message.key.toString();
          if (byKeyPartition.has(key) && byKeyPartition.get(key) !== partition) reject(new Error(`key ${key} on two partitions`));
          byKeyPartition.set(key, partition);
          seen.push(message.value.toString());
          await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
          if (seen.length === N) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();

  const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committed = offsets[0].partitions.reduce((s, p) => s + Number(p.offset), 0);
  if (committed !== N) throw new Error(`committed offsets sum ${committed}, expected ${N}`);
  const partitionsUsed = new Set(byKeyPartition.values()).size;
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  console.log(
    `smoke OK: topic ${topic} (3 partitions, ${partitionsUsed} used), produced+consumed ${N}, committed ${committed} in group ${groupId}, ${Date.now() - t0} ms`,
  );
}

main().catch((err) => {
  console.error('smoke FAILED:', err);
  process.exit(1);
});

#!/usr/bin/env node
// Readiness probe for the local test broker, used by start.sh.
// Exit 0 once a kafkajs admin client can connect to the broker and list topics
// (that needs the KRaft controller to be up and the broker to be unfenced);
// exit 1 otherwise. One attempt per run: start.sh does the looping.
// With --warm (run once by start.sh after a start): also wait until the group
// coordinator answers, which creates __consumer_offsets on a fresh data dir,
// and the transaction coordinator (idempotent producer ids), so the first test
// does not hit "coordinator not available" / "coordinator is loading".
// Usage: node probe.cjs [host:port] [--warm]   (default 127.0.0.1:9092)
'use strict';

let kafkajs;
try {
  kafkajs = require('kafkajs');
} catch {
  process.exit(3); // kafkajs not installed (no `npm ci` yet): caller falls back
}

const args = process.argv.slice(2);
const warm = args.includes('--warm');
const broker = args.find((a) => !a.startsWith('--')) || '127.0.0.1:9092';
const kafka = new kafkajs.Kafka({
  clientId: 'mandate-kafka-probe',
  brokers: [broker],
  logLevel: kafkajs.logLevel.NOTHING,
  connectionTimeout: 1000,
  requestTimeout: 2000,
  retry: warm ? { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 } : { retries: 0 },
});
const admin = kafka.admin();
const timer = setTimeout(() => process.exit(1), warm ? 20000 : 4000);

// An idempotent producer's InitProducerId waits for the transaction
// coordinator (__transaction_state), which loads after every start.
async function warmProducerIds() {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.disconnect();
}

admin
  .connect()
  .then(() => admin.listTopics())
  .then(() => (warm ? admin.describeGroups(['mandate-kafka-probe-warmup']) : undefined))
  .then(() => (warm ? warmProducerIds() : undefined))
  .then(() => admin.disconnect())
  .then(() => {
    clearTimeout(timer);
    process.exit(0);
  })
  .catch(() => process.exit(1));

import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { createLogger } from '@mandate/runtime';
import { readDeadLetters } from './kafka/dead-letters';
import { KafkaPublisher } from './kafka/kafka-publisher';
import { KafkaSubscriber } from './kafka/kafka-subscriber';
import { deadLetterTopic, ensureTopics } from './kafka/topics';
import { messagingPortContract, type MessagingHarness } from './messaging-port.contract';

const kafka = new Kafka({
  clientId: 'mandate-contract-test',
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  logLevel: logLevel.NOTHING,
});
const publisher = new KafkaPublisher(kafka);
const subscriber = new KafkaSubscriber(kafka, {
  logger: createLogger('silent'),
  deadLetters: publisher,
  maxAttempts: 3,
  retryDelayMs: 10,
  sessionTimeoutMs: 6000,
});

const created: string[] = [];

afterAll(async () => {
  await subscriber.stop();
  await publisher.close();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: created.flatMap((t) => [t, deadLetterTopic(t)]) }).catch(() => undefined);
  await admin.disconnect();
});

messagingPortContract(
  'Kafka',
  (): MessagingHarness => ({
    async topic() {
      const topic = `mandate.test-${randomUUID()}.v1`;
      await ensureTopics(kafka, [topic]);
      created.push(topic);
      return topic;
    },
    publish: (messages) => publisher.publish(messages),
    subscriber,
    async deadLetters(group, topic) {
      return (await readDeadLetters(kafka, [deadLetterTopic(topic)])).filter((l) => l.group === group).map((l) => l.eventId ?? '');
    },
  }),
  30_000,
);

import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '@mandate/runtime';
import type { Subscriber, Subscription, SubscriptionSpec } from '../ports';
import { decodeCloudEvent } from './cloud-event-codec';
import type { KafkaPublisher } from './kafka-publisher';
import { deadLetterTopic } from './topics';

export type KafkaSubscriberOptions = {
  logger: Logger;
  /** Where dead letters go (`<topic>.dlq`); its names map logical topics and groups to the broker's. */
  deadLetters: KafkaPublisher;
  maxAttempts?: number;
  retryDelayMs?: number;
  /** Partitions handled in parallel by one instance: a message being retried holds only its own. */
  partitionsConsumedConcurrently?: number;
  sessionTimeoutMs?: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const COMMIT_EVERY = 100;

/**
 * Consumer groups over kafkajs, driven directly rather than through Nest's Kafka transport: we need
 * manual offset commits after the effect, our own retry/backoff and dead-lettering, and the same
 * port as the in-process bus (docs/architecture.md explains the choice).
 */
export class KafkaSubscriber implements Subscriber {
  private readonly consumers = new Set<Consumer>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaSubscriberOptions,
  ) {}

  async subscribe(spec: SubscriptionSpec): Promise<Subscription> {
    const { logger } = this.options;
    const state: { stopped: boolean; consumer: Consumer | null } = { stopped: false, consumer: null };
    // kafkajs restarts a consumer after retriable errors; after any other crash it stays down, so
    // we start a new one: a service must not sit "healthy" with a dead consumer.
    const restart = async (crashed: Consumer): Promise<void> => {
      if (state.stopped || state.consumer !== crashed) return;
      this.consumers.delete(crashed);
      await crashed.disconnect().catch(() => undefined);
      logger.warn({ group: spec.group }, 'restarting a consumer that stopped');
      try {
        await start();
      } catch (error) {
        logger.error({ err: error, group: spec.group }, 'consumer could not be restarted; retrying');
        setTimeout(() => void restart(crashed), 2000);
      }
    };
    const start = async () => {
      const consumer: Consumer = await this.startConsumer(spec, () => setTimeout(() => void restart(consumer), 1000));
      state.consumer = consumer;
    };
    await start();
    return {
      stop: async () => {
        state.stopped = true;
        const consumer = state.consumer;
        if (!consumer) return;
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  private async startConsumer(spec: SubscriptionSpec, onFatalCrash: () => void): Promise<Consumer> {
    const names = this.options.deadLetters.names;
    const consumer = this.kafka.consumer({
      groupId: names.group(spec.group),
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: 1_000,
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.options.logger.error({ err: event.payload.error, group: spec.group, restart: event.payload.restart }, 'consumer crashed');
      if (!event.payload.restart) onFatalCrash();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: spec.topics.map((t) => names.topic(t)), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.processBatch(consumer, spec, payload),
    });
    this.consumers.add(consumer);
    return consumer;
  }

  /**
   * Messages of a partition one after another, in order. Offsets are committed after the effects
   * (every COMMIT_EVERY messages and at the end of the batch): a crash redelivers at most those, and
   * the consumer's inbox drops what it had applied.
   */
  private async processBatch(consumer: Consumer, spec: SubscriptionSpec, { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) {
    const { topic, partition } = batch;
    let pending: string | null = null;
    const commit = async () => {
      if (pending === null) return;
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(pending) + 1n).toString() }]);
      pending = null;
    };
    let sinceCommit = 0;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      await this.process(spec, topic, partition, message, heartbeat);
      resolveOffset(message.offset);
      pending = message.offset;
      if (++sinceCommit >= COMMIT_EVERY) {
        await commit();
        sinceCommit = 0;
      }
      await heartbeat();
    }
    await commit();
  }

  private async process(spec: SubscriptionSpec, topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>) {
    const { logger } = this.options;
    const names = this.options.deadLetters.names;
    const logicalTopic = names.logicalTopic(topic);
    const maxAttempts = this.options.maxAttempts ?? 5;
    const retryDelayMs = this.options.retryDelayMs ?? 200;
    let lastError: unknown = null;
    let attempts = 0;
    try {
      const event = decodeCloudEvent(message);
      for (attempts = 1; attempts <= maxAttempts; attempts++) {
        try {
          await spec.handle(event, { topic: logicalTopic, key: message.key?.toString('utf8') ?? '' });
          lastError = null;
          break;
        } catch (error) {
          lastError = error;
          if (attempts < maxAttempts) {
            await sleep(retryDelayMs * 2 ** (attempts - 1));
            await heartbeat();
          }
        }
      }
    } catch (undecodable) {
      lastError = undecodable; // no retry: it will never decode
      attempts = 1;
    }
    if (!lastError) return;
    logger.error({ err: lastError, group: spec.group, topic, partition, offset: message.offset }, 'message sent to the dead-letter topic');
    await this.options.deadLetters.sendRaw(names.topic(deadLetterTopic(logicalTopic)), [
      {
        key: message.key,
        value: message.value,
        headers: {
          ...Object.fromEntries(
            Object.entries(message.headers ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v[0] : v]])),
          ),
          'x-dlq-error': String(lastError instanceof Error ? lastError.message : lastError).slice(0, 2000),
          'x-dlq-attempts': String(attempts),
          'x-dlq-group': spec.group,
          'x-dlq-topic': logicalTopic,
          'x-dlq-partition': String(partition),
          'x-dlq-offset': message.offset,
          'x-dlq-failed-at': new Date().toISOString(),
        },
      },
    ]);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
  }
}

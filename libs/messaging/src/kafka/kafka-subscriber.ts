import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '@mandate/runtime';
import { deliverBatch } from '../delivery';
import type { ConsumedMessage, Subscriber, Subscription, SubscriptionSpec } from '../ports';
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
  /** Messages handed to the consumer in one call (one transaction); a fetched batch larger than this is sliced. */
  maxBatch?: number;
  sessionTimeoutMs?: number;
};

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
   * A partition's fetched messages handed over in order, in slices of up to `maxBatch` (one
   * consumer transaction each); offsets are committed after each slice's effects, so a crash
   * redelivers at most one slice and the consumer's inbox drops what it had applied.
   */
  private async processBatch(consumer: Consumer, spec: SubscriptionSpec, { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) {
    const { topic, partition } = batch;
    const names = this.options.deadLetters.names;
    const logicalTopic = names.logicalTopic(topic);
    const maxBatch = this.options.maxBatch ?? 100;
    const running = () => isRunning() && !isStale();
    for (let from = 0; from < batch.messages.length && running(); from += maxBatch) {
      const slice = batch.messages.slice(from, from + maxBatch);
      const decoded: { message: KafkaMessage; consumed: ConsumedMessage }[] = [];
      for (const message of slice) {
        try {
          decoded.push({
            message,
            consumed: { event: decodeCloudEvent(message), delivery: { topic: logicalTopic, key: message.key?.toString('utf8') ?? '' } },
          });
        } catch (undecodable) {
          await this.deadLetter(spec, topic, partition, message, undecodable, 1); // no retry: it will never decode
        }
      }
      const byEvent = new Map(decoded.map((d) => [d.consumed, d.message]));
      const done = await deliverBatch(
        spec,
        decoded.map((d) => d.consumed),
        {
          maxAttempts: this.options.maxAttempts ?? 5,
          retryDelayMs: this.options.retryDelayMs ?? 200,
          isRunning: running,
          heartbeat,
          deadLetter: (consumed, error, attempts) => this.deadLetter(spec, topic, partition, byEvent.get(consumed)!, error, attempts),
        },
      );
      // What was handled (or set aside), up to the first message left for redelivery.
      const last = done === decoded.length ? slice.at(-1)! : slice[slice.indexOf(decoded[done].message) - 1];
      if (!last) break;
      resolveOffset(last.offset);
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(last.offset) + 1n).toString() }]);
      await heartbeat();
      if (done < decoded.length) break;
    }
  }

  private async deadLetter(spec: SubscriptionSpec, topic: string, partition: number, message: KafkaMessage, error: unknown, attempts: number) {
    const names = this.options.deadLetters.names;
    const logicalTopic = names.logicalTopic(topic);
    this.options.logger.error({ err: error, group: spec.group, topic, partition, offset: message.offset }, 'message sent to the dead-letter topic');
    await this.options.deadLetters.sendRaw(names.topic(deadLetterTopic(logicalTopic)), [
      {
        key: message.key,
        value: message.value,
        headers: {
          ...Object.fromEntries(Object.entries(message.headers ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v[0] : v]]))),
          'x-dlq-error': String(error instanceof Error ? error.message : error).slice(0, 2000),
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

import type { Kafka, Producer } from 'kafkajs';
import type { OutgoingMessage } from '../cloud-event';
import type { Publisher } from '../ports';
import { encodeCloudEvent } from './cloud-event-codec';
import { KafkaNames } from './kafka-names';
import { createMissingTopics, type TopicSettings } from './topics';

export type KafkaPublisherOptions = {
  /**
   * Create a topic before the first message to it (`true`: with the settings of `ensureTopics`), for
   * topics that cannot be listed at start, such as one per city. Unset: every topic must exist
   * already (`ensureTopics` at start), and a send to another one fails.
   */
  createTopics?: boolean | TopicSettings;
};

/**
 * Publishes integration events to Kafka: idempotent producer, acks from all in-sync replicas, one
 * request in flight, so a retried send can neither duplicate nor reorder messages of a key.
 */
export class KafkaPublisher implements Publisher {
  private producer: Producer;
  private connected: Promise<void> | null = null;
  /** Broker topics known to exist (created or found), when this publisher creates topics. */
  private readonly ready = new Map<string, Promise<void>>();

  constructor(
    private readonly kafka: Kafka,
    readonly names = new KafkaNames(),
    private readonly options: KafkaPublisherOptions = {},
  ) {
    this.producer = this.create();
  }

  private create(): Producer {
    return this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  private connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error) => {
      this.connected = null;
      throw error;
    });
    return this.connected;
  }

  /**
   * After a failed send (a broker restart, a fenced or unknown producer id) the next send starts
   * from a new producer: the caller retries, and at-least-once delivery tolerates the duplicate.
   */
  private async guarded<T>(send: () => Promise<T>): Promise<T> {
    await this.connect();
    try {
      return await send();
    } catch (error) {
      const broken = this.producer;
      this.producer = this.create();
      this.connected = null;
      await broken.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, ReturnType<typeof encodeCloudEvent>[]>();
    for (const message of messages) {
      const topic = this.names.topic(message.topic);
      const list = byTopic.get(topic) ?? [];
      list.push(encodeCloudEvent(message));
      byTopic.set(topic, list);
    }
    const topics = [...byTopic.keys()];
    await this.ensureCreated(topics);
    try {
      await this.guarded(() =>
        this.producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
        }),
      );
    } catch (error) {
      // An operator may have deleted a topic since: the retry looks again instead of trusting the cache.
      for (const topic of topics) this.ready.delete(topic);
      throw error;
    }
  }

  /** One admin round trip for the topics not seen yet; a failure is not cached, so the next publish tries again. */
  private async ensureCreated(topics: readonly string[]): Promise<void> {
    const { createTopics } = this.options;
    if (!createTopics) return;
    const settings = createTopics === true ? {} : createTopics;
    const unseen = topics.filter((topic) => !this.ready.has(topic));
    if (unseen.length > 0) {
      const creating = createMissingTopics(this.kafka, unseen, settings);
      for (const topic of unseen) {
        this.ready.set(
          topic,
          creating.catch((error: unknown) => {
            this.ready.delete(topic);
            throw error;
          }),
        );
      }
    }
    await Promise.all(topics.map((topic) => this.ready.get(topic) ?? Promise.resolve()));
  }

  /** Sends raw messages (dead letters, replays) through the same producer; `topic` is a broker name. */
  async sendRaw(topic: string, messages: { key: string | Buffer | null; value: string | Buffer | null; headers: Record<string, string | Buffer> }[]) {
    await this.guarded(() => this.producer.send({ topic, acks: -1, messages }));
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = null;
  }
}

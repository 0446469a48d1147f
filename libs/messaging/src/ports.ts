import type { CloudEvent, OutgoingMessage } from './cloud-event';

/** Opaque position in a source's log; text order is log order. */
export type SourceCheckpoint = string;

/**
 * A service's published events, read from its event log and already mapped to contracts. The
 * in-process bus pulls from it directly; the Kafka relay pulls from it and produces.
 */
export interface TopicSource {
  /** Also the name of the relay's checkpoint: two sources of one log keep two checkpoints. */
  readonly name: string;
  /**
   * The topics known up front: the relay's process creates them at start and the in-process bus
   * routes subscriptions by them. A source whose topics appear with the data (one per city) lists
   * none; it is relayed to Kafka only, by a publisher that creates each topic on first use.
   */
  readonly topics: readonly string[];
  read(
    after: SourceCheckpoint | null,
    limit: number,
  ): Promise<{
    messages: (OutgoingMessage & { checkpoint: SourceCheckpoint })[];
    checkpoint: SourceCheckpoint | null;
  }>;
}

export type Delivery = { readonly topic: string; readonly key: string };

/** One message as a consumer receives it: the event and where it came from. */
export type ConsumedMessage = { readonly event: CloudEvent; readonly delivery: Delivery };

export type SubscriptionSpec = {
  /** Consumer group: one checkpoint per group, shared by every instance of the consumer. */
  readonly group: string;
  readonly topics: readonly string[];
  /**
   * Handles messages of one source or partition, in their order, all or nothing (one transaction):
   * throwing means none took effect, and the transport retries them one at a time, so one message
   * that keeps failing is set aside alone. Must be idempotent by `event.id` (see Inbox).
   */
  handle(messages: readonly ConsumedMessage[]): Promise<void>;
};

export interface Subscription {
  stop(): Promise<void>;
}

export interface Subscriber {
  subscribe(spec: SubscriptionSpec): Promise<Subscription>;
}

export interface Publisher {
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
}

import type { DynamicModule } from '@nestjs/common';
import { decodeCheckpoint } from '@mandate/event-store';
import { createMetricsRegistry } from '@mandate/http';
import {
  createKafka,
  ensureTopics,
  KafkaNames,
  KafkaPublisher,
  KafkaSubscriber,
  PostgresLeaderLock,
  Relay,
  type Subscriber,
  type TopicSource,
} from '@mandate/messaging';
import { cities, stopInReverse, type Config, type Logger, type RunningService } from '@mandate/runtime';
import { followCities } from './city-feed';
import type { Kafka } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { registerKafkaMetrics } from './kafka-metrics';
import { serveServiceHttp } from './service-http';

/** A consuming service's own event log, published to Kafka by a relay (one leader among its instances). */
export type PublishedLog = {
  readonly source: TopicSource;
  /** The service's database: the relay keeps its checkpoint there (`Relay.migration` among its migrations). */
  readonly db: DataSource;
  readonly schema: string;
  /** The name of the relay's leader lock, e.g. `reporting-relay`. */
  readonly lockName: string;
  /** The log's head position, for the relay lag metric. */
  head(): Promise<bigint>;
};

/** What a consuming service (assignments, reporting, notifications) hands to its process. */
export type ConsumerHost = {
  readonly module: DynamicModule;
  subscribe(): Promise<void>;
  ping(): Promise<void>;
  stop(): Promise<void>;
  /** Its own log, when it publishes events too: relayed to Kafka. */
  readonly publishes?: PublishedLog;
};

/** Handed to `start`: what the service calls after each append to its published log, so the relay reads it now. */
export type RelayNotifier = { notify(): void };

/**
 * A consuming service as its own process: its database, a Kafka consumer group feeding its read
 * models, and its HTTP API with health and metrics; and, for a service that publishes events of
 * its own (`ConsumerHost.publishes`), the relay of its log to Kafka.
 */
export const runConsumerService = async (options: {
  name: string;
  group: string;
  topics: readonly string[];
  config: Config & { DATABASE_URL: string };
  logger: Logger;
  jwtSecret: string;
  start: (subscriber: Subscriber, appended: RelayNotifier) => Promise<ConsumerHost>;
}): Promise<RunningService> => {
  const { config, logger } = options;
  const stops: (() => Promise<unknown>)[] = [];
  const stop = stopInReverse(logger, stops);
  try {
    const kafka = createKafka(config.KAFKA_BROKERS, `mandate-${options.name}`, logger);
    const names = new KafkaNames(config.KAFKA_NAMESPACE);
    // The cities served, before anything that may serve one.
    const cityFeed = await followCities(kafka, names, cities, logger.child({ component: 'cities' }));
    stops.push(cityFeed.stop);
    await ensureTopics(kafka, options.topics, { names, partitions: config.KAFKA_PARTITIONS });
    const deadLetters = new KafkaPublisher(kafka, names);
    stops.push(() => deadLetters.close());
    const subscriber = new KafkaSubscriber(kafka, { logger, deadLetters });
    let relay: Relay | null = null;
    const host = await options.start(subscriber, { notify: () => relay?.notify() });
    stops.push(host.stop);
    stops.push(() => subscriber.stop());
    if (host.publishes) relay = await startRelay(kafka, names, host.publishes, config, logger, stops);
    await host.subscribe();
    const metrics = createMetricsRegistry(options.name);
    stops.push(
      registerKafkaMetrics(
        metrics,
        kafka,
        names.group(options.group),
        options.topics.map((t) => names.topic(t)),
      ),
    );
    if (relay && host.publishes) registerRelayLag(metrics, relay, host.publishes);
    const http = await serveServiceHttp({ module: host.module, config, logger, jwtSecret: options.jwtSecret, metrics, ping: host.ping });
    stops.push(http.close);
    return { url: http.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

/**
 * Publishes a service's log to Kafka from the instance holding the leader lock (every publishing
 * service: plans, its integration topics, reporting). `createTopics`: topics named as events come
 * (one per city) are created before their first message.
 */
export const startRelay = async (
  kafka: Kafka,
  names: KafkaNames,
  log: PublishedLog,
  config: Config & { DATABASE_URL: string },
  logger: Logger,
  stops: (() => Promise<unknown>)[],
  options: { createTopics?: boolean; component?: string } = {},
): Promise<Relay> => {
  await ensureTopics(kafka, log.source.topics, { names, partitions: config.KAFKA_PARTITIONS });
  const publisher = new KafkaPublisher(kafka, names, { createTopics: options.createTopics ? { partitions: config.KAFKA_PARTITIONS } : false });
  stops.push(() => publisher.close());
  const relay = new Relay(log.db, log.source, publisher, new PostgresLeaderLock(config.DATABASE_URL, log.lockName, logger), {
    schema: log.schema,
    logger: logger.child({ component: options.component ?? 'relay' }),
  });
  relay.start();
  stops.push(() => relay.stop());
  return relay;
};

/** `mandate_relay_lag_events`: the log's head minus what the relay has published (on the leader; 0 elsewhere). */
export const registerRelayLag = (metrics: Registry, relay: Relay, log: Pick<PublishedLog, 'head'>) =>
  new Gauge({
    name: 'mandate_relay_lag_events',
    help: 'Log head position minus the position the relay has published (on the leader; 0 elsewhere)',
    registers: [metrics],
    collect: async function (this: Gauge) {
      const { leader, checkpoint } = relay.status();
      const head = Number(await log.head());
      this.set(leader ? head - (checkpoint ? Number(decodeCheckpoint(checkpoint).globalPosition) : 0) : 0);
    },
  });

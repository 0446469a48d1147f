import type { DynamicModule } from '@nestjs/common';
import { createMetricsRegistry } from '@mandate/http';
import { createKafka, ensureTopics, KafkaNames, KafkaPublisher, KafkaSubscriber, type Subscriber } from '@mandate/messaging';
import { stopInReverse, type Config, type Logger, type RunningService } from '@mandate/runtime';
import { registerKafkaMetrics } from './kafka-metrics';
import { serveServiceHttp } from './service-http';

/** What a consuming service (assignments, reporting, notifications) hands to its process. */
export type ConsumerHost = {
  readonly module: DynamicModule;
  subscribe(): Promise<void>;
  ping(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * A consuming service as its own process: its database, a Kafka consumer group feeding its read
 * models, and its HTTP API with health and metrics.
 */
export const runConsumerService = async (options: {
  name: string;
  group: string;
  topics: readonly string[];
  config: Config & { DATABASE_URL: string };
  logger: Logger;
  jwtSecret: string;
  start: (subscriber: Subscriber) => Promise<ConsumerHost>;
}): Promise<RunningService> => {
  const { config, logger } = options;
  const stops: (() => Promise<unknown>)[] = [];
  const stop = stopInReverse(logger, stops);
  try {
    const kafka = createKafka(config.KAFKA_BROKERS, `mandate-${options.name}`, logger);
    const names = new KafkaNames(config.KAFKA_NAMESPACE);
    await ensureTopics(kafka, options.topics, { names });
    const deadLetters = new KafkaPublisher(kafka, names);
    stops.push(() => deadLetters.close());
    const subscriber = new KafkaSubscriber(kafka, { logger, deadLetters });
    const host = await options.start(subscriber);
    stops.push(host.stop);
    stops.push(() => subscriber.stop());
    await host.subscribe();
    const metrics = createMetricsRegistry(options.name);
    stops.push(registerKafkaMetrics(metrics, kafka, names.group(options.group), options.topics.map((t) => names.topic(t))));
    const http = await serveServiceHttp({ module: host.module, config, logger, jwtSecret: options.jwtSecret, metrics, ping: host.ping });
    stops.push(http.close);
    return { url: http.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

import { createMetricsRegistry } from '@mandate/http';
import { systemClock } from '@mandate/kernel';
import { createKafka, KafkaNames } from '@mandate/messaging';
import { integrationTopicSource } from '@mandate/plans-app';
import { followCities, registerRelayLag, serveServiceHttp, startRelay } from '@mandate/service-host';
import { cities, stopInReverse, type Config, type Logger, type RunningService } from '@mandate/runtime';
import { Gauge } from 'prom-client';
import { PLANS_SCHEMA, startPlans } from './plans.service-host';

/** The plans service as its own process: its log, its HTTP API, and the relay to Kafka. */
export const runPlansService = async (config: Config & { DATABASE_URL: string }, logger: Logger, jwtSecret: string): Promise<RunningService> => {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = stopInReverse(logger, stops);
  try {
    const kafka = createKafka(config.KAFKA_BROKERS, 'mandate-plans', logger);
    const names = new KafkaNames(config.KAFKA_NAMESPACE);
    // Another instance of plans may change a city: this one learns it as every process does. First,
    // so the cities topic is created compacted before the relay creates its topics.
    const cityFeed = await followCities(kafka, names, cities, logger.child({ component: 'cities' }));
    stops.push(cityFeed.stop);
    let notifyRelay = () => undefined as void;
    const host = await startPlans({
      databaseUrl: config.DATABASE_URL,
      logger,
      clock: systemClock,
      onAppended: () => notifyRelay(),
      deadlineScanMs: config.MANDATE_DEADLINE_SCAN_SECONDS * 1000,
      parseTimeoutMs: config.MANDATE_IMPORT_PARSE_TIMEOUT_MS,
    });
    stops.push(host.stop);
    const log = { db: host.db, schema: PLANS_SCHEMA, head: async () => (await host.store.head()).globalPosition };
    const relay = await startRelay(kafka, names, { ...log, source: host.source, lockName: 'plans-relay' }, config, logger, stops);
    // Each city's events on a topic of its own, for integrators: a relay of its own (checkpoint
    // `integration`, its own leader), so integrators never hold up the services' topics.
    const integrationRelay = config.MANDATE_INTEGRATION_TOPICS
      ? await startRelay(
          kafka,
          names,
          {
            ...log,
            source: integrationTopicSource(host.store, { logger: logger.child({ component: 'integration-relay' }) }),
            lockName: 'plans-integration-relay',
          },
          config,
          logger,
          stops,
          { createTopics: true, component: 'integration-relay' },
        )
      : null;
    notifyRelay = () => {
      relay.notify();
      integrationRelay?.notify();
    };
    if (config.MANDATE_SEED) logger.info(await host.seed(), 'seed documents checked');

    const metrics = createMetricsRegistry('plans');
    new Gauge({
      name: 'mandate_events_appended',
      help: 'Events in the plans log (its head position)',
      registers: [metrics],
      collect: async function (this: Gauge) {
        this.set(Number(await log.head()));
      },
    });
    registerRelayLag(metrics, relay, log);
    const http = await serveServiceHttp({ module: host.module, config, logger, jwtSecret, metrics, ping: host.ping });
    stops.push(http.close);
    return { url: http.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

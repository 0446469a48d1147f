import { createMetricsRegistry } from '@mandate/http';
import { systemClock } from '@mandate/kernel';
import { createKafka, ensureTopics, KafkaNames, KafkaPublisher, PostgresLeaderLock, Relay } from '@mandate/messaging';
import { integrationTopicSource } from '@mandate/plans-app';
import { serveServiceHttp } from '@mandate/service-host';
import { stopInReverse, type Config, type Logger, type RunningService } from '@mandate/runtime';
import { Gauge } from 'prom-client';
import { decodeCheckpoint } from '@mandate/event-store';
import { PLANS_SCHEMA, startPlans } from './plans.service-host';

/** The plans service as its own process: its log, its HTTP API, and the relay to Kafka. */
export const runPlansService = async (config: Config & { DATABASE_URL: string }, logger: Logger, jwtSecret: string): Promise<RunningService> => {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = stopInReverse(logger, stops);
  try {
    let notifyRelay = () => undefined as void;
    const host = await startPlans({
      databaseUrl: config.DATABASE_URL,
      logger,
      clock: systemClock,
      onAppended: () => notifyRelay(),
      deadlineScanMs: config.MANDATE_DEADLINE_SCAN_SECONDS * 1000,
    });
    stops.push(host.stop);
    const kafka = createKafka(config.KAFKA_BROKERS, 'mandate-plans', logger);
    const names = new KafkaNames(config.KAFKA_NAMESPACE);
    await ensureTopics(kafka, host.source.topics, { names });
    const publisher = new KafkaPublisher(kafka, names);
    stops.push(() => publisher.close());
    const relay = new Relay(host.db, host.source, publisher, new PostgresLeaderLock(config.DATABASE_URL, 'plans-relay', logger), {
      schema: PLANS_SCHEMA,
      logger: logger.child({ component: 'relay' }),
    });
    relay.start();
    stops.push(() => relay.stop());
    // Each city's events on a topic of its own, for integrators: a relay of its own (checkpoint
    // `integration`, its own leader), so integrators never hold up the services' topics.
    let integrationRelay: Relay | null = null;
    if (config.MANDATE_INTEGRATION_TOPICS) {
      const integrationPublisher = new KafkaPublisher(kafka, names, { createTopics: true });
      stops.push(() => integrationPublisher.close());
      const integrationLogger = logger.child({ component: 'integration-relay' });
      const started = new Relay(
        host.db,
        integrationTopicSource(host.store, { logger: integrationLogger }),
        integrationPublisher,
        new PostgresLeaderLock(config.DATABASE_URL, 'plans-integration-relay', logger),
        { schema: PLANS_SCHEMA, logger: integrationLogger },
      );
      started.start();
      stops.push(() => started.stop());
      integrationRelay = started;
    }
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
        this.set(Number((await host.store.head()).globalPosition));
      },
    });
    new Gauge({
      name: 'mandate_relay_lag_events',
      help: 'Log head position minus the position the relay has published (on the leader; 0 elsewhere)',
      registers: [metrics],
      collect: async function (this: Gauge) {
        const { leader, checkpoint } = relay.status();
        const head = Number((await host.store.head()).globalPosition);
        this.set(leader ? head - (checkpoint ? Number(decodeCheckpoint(checkpoint).globalPosition) : 0) : 0);
      },
    });
    const http = await serveServiceHttp({ module: host.module, config, logger, jwtSecret, metrics, ping: host.ping });
    stops.push(http.close);
    return { url: http.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

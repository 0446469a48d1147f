import type { Config, Logger } from '@mandate/runtime';
import { runConsumerService } from '@mandate/service-host';
import { REPORTING_CONSUMPTION, REPORTING_SCHEMA, startReporting } from './reporting.service-host';

/**
 * The reporting service as its own process: fed by its Kafka consumer group, and its own log of
 * agency reports relayed to Kafka (mandate.reports.v1) by the instance holding `reporting-relay`.
 */
export const runReportingService = (config: Config & { DATABASE_URL: string }, logger: Logger, jwtSecret: string) =>
  runConsumerService({
    name: 'reporting',
    ...REPORTING_CONSUMPTION,
    config,
    logger,
    jwtSecret,
    start: async (subscriber, relay) => {
      const host = await startReporting({
        databaseUrl: config.DATABASE_URL,
        logger,
        subscriber,
        onAppended: () => relay.notify(),
        overdueScanMs: config.MANDATE_DEADLINE_SCAN_SECONDS * 1000,
      });
      const publishes = {
        source: host.source,
        db: host.db,
        schema: REPORTING_SCHEMA,
        lockName: 'reporting-relay',
        head: async () => (await host.store.head()).globalPosition,
      };
      return { ...host, publishes };
    },
  });

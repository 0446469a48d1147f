import type { Config, Logger } from '@mandate/runtime';
import { runConsumerService } from '@mandate/service-host';
import { REPORTING_CONSUMPTION, startReporting } from './reporting.service-host';

/** The reporting service as its own process, fed by its Kafka consumer group. */
export const runReportingService = (config: Config & { DATABASE_URL: string }, logger: Logger, jwtSecret: string) =>
  runConsumerService({
    name: 'reporting',
    ...REPORTING_CONSUMPTION,
    config,
    logger,
    jwtSecret,
    start: (subscriber) => startReporting({ databaseUrl: config.DATABASE_URL, logger, subscriber }),
  });

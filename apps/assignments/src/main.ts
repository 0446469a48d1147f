import type { Config, Logger } from '@mandate/runtime';
import { runConsumerService } from '@mandate/service-host';
import { ASSIGNMENTS_CONSUMPTION, startAssignments } from './assignments.service-host';

/** The assignments service as its own process, fed by its Kafka consumer group. */
export const runAssignmentsService = (config: Config & { DATABASE_URL: string }, logger: Logger, jwtSecret: string) =>
  runConsumerService({
    name: 'assignments',
    ...ASSIGNMENTS_CONSUMPTION,
    config,
    logger,
    jwtSecret,
    start: (subscriber) => startAssignments({ databaseUrl: config.DATABASE_URL, logger, subscriber }),
  });

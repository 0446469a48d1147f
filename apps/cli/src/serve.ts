import { ConfigError, type Config, type Logger, type RunningService } from '@mandate/runtime';
import { runAssignmentsService } from '../../assignments/src/main';
import { runGateway } from '../../gateway/src/main';
import { runNotificationsService } from '../../notifications/src/main';
import { runPlansService } from '../../plans/src/main';
import { runReportingService } from '../../reporting/src/main';

type Runner = (config: Config & { DATABASE_URL: string }, logger: Logger, jwtSecret: string) => Promise<RunningService>;

const RUNNERS: Record<'plans' | 'assignments' | 'reporting' | 'notifications', Runner> = {
  plans: runPlansService,
  assignments: runAssignmentsService,
  reporting: runReportingService,
  notifications: runNotificationsService,
};

/** One process, one service: the distributed deployment's entry point (`mandate serve <service>`). */
export const serve = (service: 'gateway' | keyof typeof RUNNERS, config: Config, logger: Logger, jwtSecret: string): Promise<RunningService> => {
  if (service === 'gateway') return runGateway(config, logger, jwtSecret);
  const databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) throw new ConfigError(`DATABASE_URL is required to serve ${service}`);
  return RUNNERS[service]({ ...config, DATABASE_URL: databaseUrl }, logger, jwtSecret);
};

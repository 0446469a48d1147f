import type { DynamicModule, INestApplication } from '@nestjs/common';
import { systemClock, type Clock } from '@mandate/kernel';
import { createHttpApp, createMetricsRegistry, identityOfConfig } from '@mandate/http';
import { InProcessBus } from '@mandate/messaging';
import {
  ensureDatabase,
  MemorySharedState,
  openServiceDatabase,
  PostgresSharedState,
  sharedStateMigration,
  startEmbeddedPostgres,
  type Config,
  type Logger,
} from '@mandate/runtime';
import { startAssignments } from '../../assignments/src/assignments.service-host';
import { startNotifications } from '../../notifications/src/notifications.service-host';
import { startPlans } from '../../plans/src/plans.service-host';
import { startReporting } from '../../reporting/src/reporting.service-host';
import { ApiKeys, ApiKeysModule, apiKeysMigration } from '@mandate/identity';
import { jwtSecret } from './secret';

export type Platform = {
  readonly app: INestApplication;
  readonly url: string;
  readonly databaseUrl: string;
  readonly bus: InProcessBus;
  readonly plans: Awaited<ReturnType<typeof startPlans>>;
  /** Every service's HTTP module, as served here. */
  readonly modules: readonly DynamicModule[];
  stop(): Promise<void>;
};

const BUS_SCHEMA = 'mandate_bus';
const IDENTITY_SCHEMA = 'identity';

/**
 * The embedded deployment: every service in one process, sharing one PostgreSQL (each in its own
 * schema) and talking only through the in-process bus, which carries the same contracts Kafka
 * carries in the distributed deployment.
 */
export const startEmbeddedPlatform = async (options: {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Use this server instead of starting the embedded one (tests, or an existing PostgreSQL). */
  databaseUrl?: string;
}): Promise<Platform> => {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => logger.error({ err }, 'error while stopping'));
  };
  try {
    let databaseUrl = options.databaseUrl ?? config.DATABASE_URL;
    if (databaseUrl) {
      await ensureDatabase(databaseUrl);
    } else {
      // Started with its database made (startEmbeddedPostgres).
      const embedded = await startEmbeddedPostgres(config, logger);
      stops.push(embedded.stop);
      databaseUrl = embedded.url;
    }

    const busDb = await openServiceDatabase({ url: databaseUrl, schema: BUS_SCHEMA, migrations: [InProcessBus.migration(BUS_SCHEMA)] });
    stops.push(() => busDb.destroy());
    const bus = new InProcessBus(busDb, { schema: BUS_SCHEMA, logger: logger.child({ component: 'bus' }) });
    stops.push(() => bus.stop());

    let ready = false;
    const plans = await startPlans({
      databaseUrl,
      logger,
      clock,
      onAppended: () => bus.notify(),
      deadlineScanMs: config.MANDATE_DEADLINE_SCAN_SECONDS * 1000,
      parseTimeoutMs: config.MANDATE_IMPORT_PARSE_TIMEOUT_MS,
    });
    stops.push(plans.stop);
    bus.addSource(plans.source);
    const reporting = await startReporting({
      databaseUrl,
      logger,
      subscriber: bus,
      clock,
      onAppended: () => bus.notify(),
      overdueScanMs: config.MANDATE_DEADLINE_SCAN_SECONDS * 1000,
    });
    bus.addSource(reporting.source);
    const consumers = [
      await startAssignments({ databaseUrl, logger, subscriber: bus }),
      reporting,
      await startNotifications({
        databaseUrl,
        logger,
        subscriber: bus,
        webhooks: { allowPrivate: config.MANDATE_WEBHOOK_ALLOW_PRIVATE, backoffMs: config.MANDATE_WEBHOOK_BACKOFF_MS },
        mail: {
          smtpUrl: config.SMTP_URL,
          from: config.MAIL_FROM,
          contactsFile: config.MANDATE_CONTACTS_FILE,
          publicUrl: config.MANDATE_PUBLIC_URL,
          backoffMs: config.MANDATE_WEBHOOK_BACKOFF_MS,
        },
        clock,
        reminderScanMs: config.MANDATE_DEADLINE_SCAN_SECONDS * 1000,
      }),
    ];
    // Stopped in reverse: each consumer stops its subscription before closing its pool.
    for (const consumer of consumers) stops.push(consumer.stop);
    for (const consumer of consumers) await consumer.subscribe();

    if (config.MANDATE_SEED) {
      const seeded = await plans.seed();
      logger.info(seeded, 'seed documents checked');
    }

    // The edge's own data: the API keys of the cities' integrators.
    const identityDb = await openServiceDatabase({
      url: databaseUrl,
      schema: IDENTITY_SCHEMA,
      migrations: [apiKeysMigration(IDENTITY_SCHEMA), sharedStateMigration(IDENTITY_SCHEMA)],
    });
    stops.push(() => identityDb.destroy());
    // One process: rate limits and lockouts can live in its memory; idempotency records must outlive it.
    const state = new MemorySharedState();
    const idempotency = new PostgresSharedState(identityDb, IDENTITY_SCHEMA, {
      onError: (err) => logger.warn({ err }, 'could not delete expired idempotency records'),
    });
    stops.push(() => idempotency.close());
    const secret = jwtSecret(config);
    const apiKeys = new ApiKeys(identityDb, IDENTITY_SCHEMA, { pepper: secret, state });
    const modules = [plans.module, ...consumers.map((c) => c.module), ApiKeysModule.with(apiKeys)];
    const app = await createHttpApp({
      modules,
      jwtSecret: secret,
      corsOrigins: config.MANDATE_CORS_ORIGINS,
      trustProxy: config.MANDATE_TRUST_PROXY,
      webRoot: config.webDir,
      identity: { ...identityOfConfig(config), apiKeys: apiKeys.resolve },
      logger,
      maxBody: config.MANDATE_MAX_BODY,
      metrics: createMetricsRegistry('embedded'),
      policies: { state, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE, idempotency, soleInstance: true },
      readiness: async () => {
        if (!ready) return false;
        await Promise.all([plans.ping(), ...consumers.map((c) => c.ping())]);
        return true;
      },
    });
    stops.push(() => app.close());
    await app.listen(config.PORT, config.HOST);
    ready = true;
    const address = app.getHttpServer().address() as { port: number };
    const url = `http://${config.HOST}:${address.port}`;
    logger.info({ url, mode: 'embedded' }, 'Mandate is ready');
    return { app, url, databaseUrl, bus, plans, modules, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
};

import { createHttpApp, createMetricsRegistry, identityOfConfig, internalTokens } from '@mandate/http';
import { ApiKeys, ApiKeysModule, apiKeysMigration } from '@mandate/identity';
import {
  cities,
  openServiceDatabase,
  RedisSharedState,
  stopInReverse,
  type Config,
  type Logger,
  type RunningService,
  type SharedState,
} from '@mandate/runtime';
import type { OpenAPIObject } from '@nestjs/swagger';
import express from 'express';
import { createKafka, KafkaNames } from '@mandate/messaging';
import { followCities } from '@mandate/service-host';
import { forwarder, isOwnRoute, routesFor } from './forwarder';

/**
 * The public entry of the distributed deployment: authentication, rate limits and idempotency
 * keys (shared by every gateway instance through Redis), then forwarding to the owning service.
 */
export const runGateway = async (config: Config, logger: Logger, jwtSecret: string): Promise<RunningService> => {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = stopInReverse(logger, stops);
  try {
    // Deployments that share one Redis (staging beside production, test runs) must not answer
    // each other's Idempotency-Keys: the namespace that separates their topics separates these too.
    const state = await RedisSharedState.connect(config.REDIS_URL, config.KAFKA_NAMESPACE ? `mandate:${config.KAFKA_NAMESPACE}:` : 'mandate:');
    stops.push(() => state.close());
    // The cities served: a token of a city created after this gateway started is accepted without a restart.
    const cityFeed = await followCities(
      createKafka(config.KAFKA_BROKERS, 'mandate-gateway', logger),
      new KafkaNames(config.KAFKA_NAMESPACE),
      cities,
      logger.child({ component: 'cities' }),
    );
    stops.push(cityFeed.stop);
    // The edge keeps the cities' API keys (its own schema); without a database it accepts none.
    const apiKeys = config.DATABASE_URL ? await openApiKeys(config.DATABASE_URL, jwtSecret, state) : null;
    if (apiKeys) stops.push(() => apiKeys.db.destroy());
    const urls = { plans: config.PLANS_URL, assignments: config.ASSIGNMENTS_URL, reporting: config.REPORTING_URL, notifications: config.NOTIFICATIONS_URL };
    const app = await createHttpApp({
      // One document for the whole API: the services' own, read once they answer.
      openApi: { include: await servicesOpenApi(Object.values(urls), logger) },
      modules: apiKeys ? [ApiKeysModule.with(apiKeys.keys)] : [],
      jwtSecret,
      corsOrigins: config.MANDATE_CORS_ORIGINS,
      trustProxy: config.MANDATE_TRUST_PROXY,
      webRoot: config.webDir,
      identity: { ...identityOfConfig(config), apiKeys: apiKeys?.keys.resolve },
      logger,
      maxBody: config.MANDATE_MAX_BODY,
      metrics: createMetricsRegistry('gateway'),
      policies: { state, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE },
      // Forwarded bodies stay raw (fingerprinted, then sent on unchanged); the gateway's own routes read JSON.
      bodyParser: (
        (raw, json): express.RequestHandler =>
        (req, res, next) =>
          (isOwnRoute(req.path) ? json : raw)(req, res, next)
      )(express.raw({ type: () => true, limit: config.MANDATE_MAX_BODY }), express.json({ limit: config.MANDATE_MAX_BODY, strict: true })),
      handlers: [forwarder(routesFor(urls), logger, { internalToken: internalTokens(jwtSecret) })],
      readiness: async () => {
        await state.ping();
        if (apiKeys) await apiKeys.db.query('SELECT 1');
        const answers = await Promise.all(
          Object.values(urls).map((url) =>
            fetch(new URL('/health', url), { signal: AbortSignal.timeout(2000) }).then(
              (r) => r.ok,
              () => false,
            ),
          ),
        );
        return answers.every(Boolean);
      },
    });
    stops.push(() => app.close());
    await app.listen(config.PORT, config.HOST);
    const { port } = app.getHttpServer().address() as { port: number };
    return { url: `http://${config.HOST}:${port}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

const IDENTITY_SCHEMA = 'identity';

const openApiKeys = async (databaseUrl: string, pepper: string, state: SharedState) => {
  const db = await openServiceDatabase({ url: databaseUrl, schema: IDENTITY_SCHEMA, migrations: [apiKeysMigration(IDENTITY_SCHEMA)] });
  return { db, keys: new ApiKeys(db, IDENTITY_SCHEMA, { pepper, state }) };
};

/** Each service's OpenAPI document (public, /api/docs-json); one that does not answer in time is left out, with a warning. */
const servicesOpenApi = async (urls: readonly string[], logger: Logger): Promise<OpenAPIObject[]> => {
  const documents = await Promise.all(
    urls.map(async (url) => {
      for (let attempt = 1; attempt <= 10; attempt++) {
        try {
          const response = await fetch(new URL('/api/docs-json', url), { signal: AbortSignal.timeout(2000) });
          if (response.ok) return (await response.json()) as OpenAPIObject;
        } catch {
          // not up yet
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      logger.warn({ url }, 'no OpenAPI document from this service; /api/docs leaves its routes out');
      return null;
    }),
  );
  return documents.filter((d): d is OpenAPIObject => d !== null);
};

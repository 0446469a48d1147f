import { createHttpApp, createMetricsRegistry } from '@mandate/http';
import { RedisSharedState, stopInReverse, type Config, type Logger, type RunningService } from '@mandate/runtime';
import express from 'express';
import { forwarder, routesFor } from './forwarder';

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
    const urls = { plans: config.PLANS_URL, assignments: config.ASSIGNMENTS_URL, reporting: config.REPORTING_URL, notifications: config.NOTIFICATIONS_URL };
    const app = await createHttpApp({
      modules: [],
      jwtSecret,
      logger,
      maxBody: config.MANDATE_MAX_BODY,
      metrics: createMetricsRegistry('gateway'),
      policies: { state, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE },
      bodyParser: express.raw({ type: () => true, limit: config.MANDATE_MAX_BODY }),
      handlers: [forwarder(routesFor(urls), logger)],
      readiness: async () => {
        await state.ping();
        const answers = await Promise.all(
          Object.values(urls).map((url) => fetch(new URL('/health', url), { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false)),
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

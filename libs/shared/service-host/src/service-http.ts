import type { DynamicModule } from '@nestjs/common';
import { createHttpApp, identityOfConfig } from '@mandate/http';
import type { Config, Logger } from '@mandate/runtime';
import type { Registry } from 'prom-client';

/**
 * A service process's own HTTP server (behind the gateway): its controllers, health, metrics.
 * Returns the listening URL and how to close it.
 */
export const serveServiceHttp = async (options: {
  module: DynamicModule;
  config: Config;
  logger: Logger;
  jwtSecret: string;
  metrics: Registry;
  ping: () => Promise<void>;
}): Promise<{ url: string; close: () => Promise<void> }> => {
  const app = await createHttpApp({
    modules: [options.module],
    jwtSecret: options.jwtSecret,
    // Behind the gateway callers arrive with the gateway's internal token (API keys are resolved there).
    identity: identityOfConfig(options.config),
    logger: options.logger,
    maxBody: options.config.MANDATE_MAX_BODY,
    metrics: options.metrics,
    readiness: async () => (await options.ping(), true),
  });
  await app.listen(options.config.PORT, options.config.HOST);
  const { port } = app.getHttpServer().address() as { port: number };
  return { url: `http://${options.config.HOST}:${port}`, close: () => app.close() };
};

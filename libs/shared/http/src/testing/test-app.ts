import type { INestApplication } from '@nestjs/common';
import { createLogger } from '@mandate/runtime';
import { createHttpApp, type HttpAppOptions } from '../http-app';
import { createMetricsRegistry } from '../metrics';

/**
 * An app of this library's specs, listening on a free port of 127.0.0.1: no modules unless given,
 * silent, always ready, 1 MB bodies; `options` add to that or replace it.
 */
export const listenTestApp = async (options: Pick<HttpAppOptions, 'jwtSecret'> & Partial<HttpAppOptions>): Promise<{ app: INestApplication; url: string }> => {
  const app = await createHttpApp({
    modules: [],
    logger: createLogger('silent'),
    readiness: async () => true,
    maxBody: '1mb',
    metrics: createMetricsRegistry('test'),
    ...options,
  });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
};

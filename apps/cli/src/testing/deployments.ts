// Test-only: the two deployments the HTTP suite runs against, on the real local servers.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Kafka, logLevel } from 'kafkajs';
import type { Clock } from '@mandate/kernel';
import { createLogger, loadConfig } from '@mandate/runtime';
import { createTestDatabase, smtpSink, type SmtpSink, type TestDatabase } from '@mandate/testing';
import { startEmbeddedPlatform, type Platform } from '../platform';

export const TEST_SECRET = 'e2e-secret-e2e-secret-e2e-secret-e2e-secret';
const ROOT = path.resolve(__dirname, '../../../..');

export type Deployment = {
  readonly name: string;
  url(): string;
  /** The SMTP server the deployment sends its e-mail to (it outlives restarts). */
  readonly mail: SmtpSink;
  /** Stops everything and starts it again on the same data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
};

/** The address book of the test deployments: Sở Tư pháp of each city has a mailbox; in Hà Nội one officer gets e-mail too. */
export const TEST_ADDRESS_BOOK = {
  'ha-noi': {
    agencies: { 'so-tu-phap': 'vanthu@stp.hanoi.test' },
    people: [{ userId: 'nguyen-van-a', email: 'nguyen-van-a@stp.hanoi.test', agencyId: 'so-tu-phap' }],
  },
  'hai-phong': { agencies: { 'so-tu-phap': 'vanthu@stp.haiphong.test' }, people: [] },
};

/** A running SMTP sink and the address book file pointing at it, for one deployment. */
const mailFor = async (dir: string) => {
  const mail = await smtpSink();
  const contactsFile = path.join(dir, 'contacts.json');
  fs.writeFileSync(contactsFile, JSON.stringify(TEST_ADDRESS_BOOK));
  return { mail, env: { SMTP_URL: mail.url, MANDATE_CONTACTS_FILE: contactsFile, MANDATE_PUBLIC_URL: 'https://mandate.test' } };
};

/** The embedded platform on a test database; `clock` lets a scenario move through the calendar. */
export const embeddedDeployment = async (
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<Deployment & { db: TestDatabase; platform(): Platform }> => {
  const db = await createTestDatabase('e2e_embedded');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-e2e-'));
  const mail = await mailFor(dataDir);
  const start = () =>
    startEmbeddedPlatform({
      config: loadConfig({
        MANDATE_JWT_SECRET: TEST_SECRET,
        PORT: '0',
        LOG_LEVEL: 'silent',
        MANDATE_DATA_DIR: dataDir,
        MANDATE_DEADLINE_SCAN_SECONDS: '0',
        MANDATE_WEBHOOK_ALLOW_PRIVATE: 'true',
        MANDATE_WEBHOOK_BACKOFF_MS: '100',
        ...mail.env,
        ...options.env,
      }),
      logger: createLogger('silent'),
      databaseUrl: db.url,
      clock: options.clock,
    });
  let platform: Platform = await start();
  return {
    name: 'embedded',
    db,
    mail: mail.mail,
    platform: () => platform,
    url: () => platform.url,
    async restart() {
      await platform.stop();
      platform = await start();
    },
    async stop() {
      await platform.stop();
      await mail.mail.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export type ServiceName = 'plans' | 'assignments' | 'reporting' | 'notifications' | 'gateway';

export type ServiceProcess = {
  readonly name: ServiceName;
  readonly child: ChildProcess;
  readonly url: string;
  readonly logs: string[];
};

/**
 * Starts `mandate serve <service>` and resolves when it says it is ready. `nodeArgs` go to node
 * before the script (the e2e bench passes `--cpu-prof`).
 */
export const spawnService = (name: ServiceName, env: NodeJS.ProcessEnv, timeoutMs = 60_000, nodeArgs: readonly string[] = []): Promise<ServiceProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'bin/mandate.js'), 'serve', name], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: string[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} not ready in ${timeoutMs} ms:\n${logs.slice(-20).join('\n')}`));
    }, timeoutMs);
    for (const stream of [child.stdout!, child.stderr!]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        logs.push(line);
        if (logs.length > 500) logs.shift();
        if (line.includes('"Mandate service is ready"')) {
          clearTimeout(timer);
          resolve({ name, child, url: (JSON.parse(line) as { url: string }).url, logs });
        }
      });
    }
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${logs.slice(-20).join('\n')}`));
    });
  });

export const stopService = (service: ServiceProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> =>
  new Promise((resolve) => {
    if (service.child.exitCode !== null || service.child.signalCode !== null) return resolve();
    service.child.once('exit', () => resolve());
    service.child.kill(signal);
  });

export type DistributedDeployment = Deployment & {
  db: TestDatabase;
  env: NodeJS.ProcessEnv;
  services: Map<ServiceName, ServiceProcess>;
  /** Starts (another instance of) a service with this deployment's settings (a gateway forwards to the first instances). */
  startService(name: ServiceName): Promise<ServiceProcess>;
};

const BACKENDS = ['plans', 'assignments', 'reporting', 'notifications'] as const;

/**
 * The distributed deployment: one process per service against the local PostgreSQL (a fresh
 * database), Redis and the infra/ Kafka broker, under a Kafka namespace of its own.
 */
export const distributedDeployment = async (
  overrides: NodeJS.ProcessEnv = {},
  options: { nodeArgs?: readonly string[] } = {},
): Promise<DistributedDeployment> => {
  const db = await createTestDatabase('e2e_distributed');
  const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-e2e-mail-'));
  const mail = await mailFor(mailDir);
  const env: NodeJS.ProcessEnv = {
    ...mail.env,
    DATABASE_URL: db.url,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    KAFKA_NAMESPACE: `test-${randomUUID().slice(0, 8)}`,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    MANDATE_JWT_SECRET: TEST_SECRET,
    // The suites count versions and events: time-driven marks run in their own test.
    MANDATE_DEADLINE_SCAN_SECONDS: '0',
    // The tests' webhook receivers listen on loopback.
    MANDATE_WEBHOOK_ALLOW_PRIVATE: 'true',
    MANDATE_WEBHOOK_BACKOFF_MS: '100',
    PORT: '0',
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    ...overrides,
  };
  const services = new Map<ServiceName, ServiceProcess>();
  const spawnOne = (name: ServiceName, serviceEnv: NodeJS.ProcessEnv) => spawnService(name, serviceEnv, undefined, options.nodeArgs);
  const backendUrls = () => Object.fromEntries(BACKENDS.map((name) => [`${name.toUpperCase()}_URL`, services.get(name)!.url]));
  const startAll = async () => {
    // Plans first: it migrates, seeds and creates the topics before the consumers subscribe.
    services.set('plans', await spawnOne('plans', env));
    const consumers = await Promise.all(BACKENDS.slice(1).map((name) => spawnOne(name, env)));
    for (const consumer of consumers) services.set(consumer.name, consumer);
    services.set('gateway', await spawnOne('gateway', { ...env, ...backendUrls() }));
  };
  const stopAll = async () => {
    await Promise.all([...services.values()].map((s) => stopService(s)));
    services.clear();
  };
  try {
    await startAll();
  } catch (error) {
    await stopAll();
    await db.drop();
    await mail.mail.close();
    throw error;
  }
  return {
    name: 'distributed',
    db,
    env,
    mail: mail.mail,
    services,
    url: () => services.get('gateway')!.url,
    async restart() {
      await stopAll();
      await startAll();
    },
    async stop() {
      await stopAll();
      await mail.mail.close();
      fs.rmSync(mailDir, { recursive: true, force: true });
      await db.drop();
      await deleteTopics(String(env.KAFKA_BROKERS), `${env.KAFKA_NAMESPACE}.`);
    },
    startService: (name) => spawnOne(name, name === 'gateway' ? { ...env, ...backendUrls() } : env),
  };
};

/** Removes a test run's namespaced topics, so the development broker does not pile them up. */
export const deleteTopics = async (brokers: string, prefix: string): Promise<void> => {
  const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await admin.deleteTopics({ topics, timeout: 10_000 });
  } catch {
    // best effort: a broker stopped by a fault test, or already gone
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
};

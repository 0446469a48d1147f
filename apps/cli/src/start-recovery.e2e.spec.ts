// `mandate start` with embedded PostgreSQL where it used to fail: after the platform was killed (its
// PostgreSQL left running), beside a stale postmaster.pid, beside another platform, and when it cannot
// start at all (it must say why). And the data directory: the service's own, its secrets private, the
// superuser's password generated (a data directory of the old code, password `postgres`, taken over).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { BIN, ROOT, startMandate, stopMandate, type MandateProcess } from './testing/mandate-process';

const envFor = (dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, MANDATE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', MANDATE_DEADLINE_SCAN_SECONDS: '0', ...extra };
  for (const name of ['DATABASE_URL', 'MANDATE_JWT_SECRET', 'MANDATE_AUDIT_SIGNING_KEY', 'MANDATE_EMBEDDED_PG_PORT']) if (!(name in extra)) delete env[name];
  return env;
};

const mandate = (args: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !/ Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop() ?? '');
  } catch {
    return false;
  }
};

const postmasterPid = (dataDir: string) => Number(fs.readFileSync(path.join(dataDir, 'postgres/postmaster.pid'), 'utf8').split('\n')[0]);
const portOf = (dataDir: string) => Number(fs.readFileSync(path.join(dataDir, 'postgres-port'), 'utf8'));

/** Signs in as the superuser; the error's SQLSTATE when refused. */
const signIn = async (dataDir: string, password: string): Promise<string> => {
  const client = new Client({ host: '127.0.0.1', port: portOf(dataDir), user: 'postgres', password, database: 'mandate' });
  try {
    await client.connect();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
};

const planCount = async (running: MandateProcess, env: NodeJS.ProcessEnv): Promise<number> => {
  const token = mandate(['token', '--city', 'hai-phong', '--role', 'auditor'], env).stdout.trim();
  const res = await fetch(`${running.url}/api/v1/plans`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: unknown[] }).items.length;
};

describe('mandate start: recovery, side by side, failures in words, a private data directory', () => {
  const dirs: string[] = [];
  const running: MandateProcess[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-recovery-'));
    dirs.push(dir);
    return dir;
  };
  let dataDir: string;

  beforeAll(() => (dataDir = tempDir()));

  afterEach(async () => {
    for (const r of running.splice(0)) await stopMandate(r.child);
  });

  afterAll(() => {
    for (const dir of dirs) {
      // A server a failed test left behind must not keep running.
      if (fs.existsSync(path.join(dir, 'postgres/postmaster.pid')) && alive(postmasterPid(dir))) process.kill(postmasterPid(dir), 'SIGQUIT');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const start = async (env: NodeJS.ProcessEnv) => {
    const r = await startMandate(env, 150_000);
    running.push(r);
    return r;
  };

  it('starts again after a kill -9: the PostgreSQL the killed platform left running is stopped and started again, the data kept', async () => {
    const env = envFor(dataDir);
    const first = await start(env);
    const plans = await planCount(first, env);
    const orphan = postmasterPid(dataDir);
    running.splice(running.indexOf(first), 1);
    await stopMandate(first.child, 'SIGKILL');
    expect(alive(orphan)).toBe(true);

    const second = await start(env);
    expect(second.lines.find((l) => l.msg === 'seed documents checked')).toMatchObject({ imported: 0, skipped: 5 });
    expect(second.lines.some((l) => l.msg === 'stopping the embedded PostgreSQL an earlier run left running')).toBe(true);
    expect(alive(orphan)).toBe(false);
    expect(await planCount(second, env)).toBe(plans);
    // A command finds the running platform's database as the platform does (port and password of the data dir).
    const rebuild = mandate(['projections', 'rebuild', 'plans'], env);
    expect({ status: rebuild.status, stderr: rebuild.stderr }).toMatchObject({ status: 0 });
  }, 300_000);

  it('starts beside a stale postmaster.pid that names another program', async () => {
    const pidFile = path.join(dataDir, 'postgres/postmaster.pid');
    expect(fs.existsSync(pidFile)).toBe(false); // stopped cleanly by the test before
    const clusterDir = path.join(dataDir, 'postgres');
    // This Jest process: alive, not a PostgreSQL, and another user's when the server runs as `postgres`.
    fs.writeFileSync(
      pidFile,
      `${process.pid}\n${clusterDir}\n${Math.floor(Date.now() / 1000)}\n${portOf(dataDir)}\n/tmp\nlocalhost\n  5432001  1\nready   \n`,
      { mode: 0o600 },
    );
    const owner = fs.statSync(clusterDir);
    fs.chownSync(pidFile, owner.uid, owner.gid);

    const again = await start(envFor(dataDir));
    expect(again.lines.find((l) => l.msg === 'seed documents checked')).toMatchObject({ imported: 0, skipped: 5 });
    expect(postmasterPid(dataDir)).not.toBe(process.pid);
  }, 180_000);

  it('keeps the data directory to the service: no one else writes in it, its secrets are private, the superuser password is generated', async () => {
    const env = envFor(dataDir);
    await start(env);
    mandate(['audit', 'public-key'], env); // makes audit-signing-key.pem
    expect(fs.statSync(dataDir).mode & 0o027).toBe(0);
    for (const secret of ['jwt-secret', 'audit-signing-key.pem', 'postgres-password']) {
      const stat = fs.statSync(path.join(dataDir, secret));
      expect({ secret, mode: stat.mode & 0o777, uid: stat.uid }).toEqual({ secret, mode: 0o600, uid: process.getuid!() });
    }
    const cluster = fs.statSync(path.join(dataDir, 'postgres'));
    expect(cluster.mode & 0o077).toBe(0);
    const password = fs.readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(await signIn(dataDir, 'postgres')).toBe('28P01');
    expect(await signIn(dataDir, password)).toBe('ok');
  }, 180_000);

  it('takes over a data directory of the old code: mode 0777, password postgres, no port remembered', async () => {
    const env = envFor(dataDir);
    await start(env);
    const admin = new Client({
      host: '127.0.0.1',
      port: portOf(dataDir),
      user: 'postgres',
      password: fs.readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim(),
      database: 'postgres',
    });
    await admin.connect();
    await admin.query("ALTER ROLE postgres PASSWORD 'postgres'");
    await admin.end();
    await stopMandate(running.pop()!.child);
    fs.rmSync(path.join(dataDir, 'postgres-password'));
    fs.rmSync(path.join(dataDir, 'postgres-port'));
    fs.chmodSync(dataDir, 0o777);

    const taken = await start(env);
    expect(taken.lines.find((l) => l.msg === 'seed documents checked')).toMatchObject({ imported: 0, skipped: 5 });
    expect(fs.statSync(dataDir).mode & 0o027).toBe(0);
    expect(await signIn(dataDir, 'postgres')).toBe('28P01');
    expect(await signIn(dataDir, fs.readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim())).toBe('ok');
  }, 180_000);

  it('says why a start fails, in words, with a non-zero exit', async () => {
    const failing = (env: NodeJS.ProcessEnv) => {
      const run = mandate(['start'], env);
      // What it printed last (the log lines before it are JSON on stdout).
      return { status: run.status, stderr: run.stderr.slice(run.stderr.indexOf('mandate:')).trim() };
    };
    // PostgreSQL refuses its configuration: its own words are printed.
    const conf = path.join(dataDir, 'postgres/postgresql.conf');
    const original = fs.readFileSync(conf, 'utf8');
    fs.appendFileSync(conf, 'nonsense_setting = 1\n');
    try {
      const refused = failing(envFor(dataDir));
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/did not start; PostgreSQL said:/);
      expect(refused.stderr).toMatch(/nonsense_setting/);
      expect(refused.stderr).not.toMatch(/undefined/);
    } finally {
      fs.writeFileSync(conf, original);
    }
    // The configured port is another program's.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const taken = (server.address() as net.AddressInfo).port;
    try {
      const busy = failing(envFor(tempDir(), { MANDATE_EMBEDDED_PG_PORT: String(taken) }));
      expect(busy).toEqual({
        status: 1,
        stderr: `mandate: Port ${taken} (MANDATE_EMBEDDED_PG_PORT) is used by another program: set another port, or unset it to let Mandate choose one`,
      });
    } finally {
      server.close();
    }
    // The data directory is a file.
    const file = path.join(tempDir(), 'not-a-dir');
    fs.writeFileSync(file, '');
    expect(failing(envFor(file))).toEqual({ status: 1, stderr: `mandate: The data directory ${file} (MANDATE_DATA_DIR) is not a directory` });
  }, 180_000);

  it('runs two platforms on two data directories side by side, each command finding its own', async () => {
    const [a, b] = [tempDir(), tempDir()];
    const [first, second] = await Promise.all([start(envFor(a)), start(envFor(b))]);
    expect(portOf(a)).not.toBe(portOf(b));
    expect(await planCount(first, envFor(a))).toBeGreaterThan(0);
    expect(await planCount(second, envFor(b))).toBeGreaterThan(0);
    for (const dir of [a, b]) expect(mandate(['projections', 'rebuild', 'plans'], envFor(dir)).status).toBe(0);
    // A second platform on a data directory in use is refused, in words.
    const twice = mandate(['start'], envFor(a));
    expect(twice.status).toBe(1);
    expect(twice.stderr).toContain(`mandate: Another Mandate (pid ${first.child.pid}) is running on the data directory ${a}`);
  }, 300_000);
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/mandate.js');

type LogLine = { msg?: string; url?: string; imported?: number; skipped?: number };

/** `npm start` as a user runs it: embedded PostgreSQL in the data dir, seeds, HTTP. */
const start = (env: NodeJS.ProcessEnv) =>
  new Promise<{ child: ChildProcess; url: string; lines: LogLine[] }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: LogLine[] = [];
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as LogLine;
        lines.push(parsed);
        if (parsed.msg === 'Mandate is ready' && parsed.url) resolve({ child, url: parsed.url, lines });
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`mandate start exited with ${code}: ${stderr}`)));
  });

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

describe('mandate start (the embedded default)', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-start-'));
    env = { ...process.env, MANDATE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '', MANDATE_JWT_SECRET: '' };
    delete env.DATABASE_URL;
    delete env.MANDATE_JWT_SECRET;
  });

  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('runs with no external services, serves the seeds to a CLI token, stops cleanly and restarts without re-importing', async () => {
    const first = await start(env);
    try {
      expect(first.lines.find((l) => l.msg === 'seed documents checked')).toMatchObject({ imported: 5, skipped: 0 });
      const token = spawnSync(process.execPath, [BIN, 'token', '--city', 'hai-phong', '--role', 'auditor'], { cwd: ROOT, env, encoding: 'utf8' });
      expect(token.status).toBe(0);
      const res = await fetch(`${first.url}/api/v1/plans`, { headers: { authorization: `Bearer ${token.stdout.trim()}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: { number: string }[] };
      expect(body.items.map((p) => p.number).sort()).toEqual(['02/CT-UBND', '35/KH-UBND', '40/KH-UBND', '86/KH-UBND']);
    } finally {
      expect(await stop(first.child)).toBe(0);
    }
    const second = await start(env);
    try {
      expect(second.lines.find((l) => l.msg === 'seed documents checked')).toMatchObject({ imported: 0, skipped: 5 });
    } finally {
      expect(await stop(second.child)).toBe(0);
    }
  }, 120_000);
});

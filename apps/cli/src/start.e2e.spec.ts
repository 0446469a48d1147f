import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliToken, startMandate as start, stopMandate as stop } from './testing/mandate-process';

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
      const token = cliToken(env, ['--city', 'hai-phong', '--role', 'auditor']);
      const res = await fetch(`${first.url}/api/v1/plans`, { headers: { authorization: `Bearer ${token}` } });
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

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { verifyToken } from '@mandate/http';

const ROOT = path.resolve(__dirname, '../../..');
const SECRET = 'token-test-secret-token-test-secret-0123';

const mandate = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [path.join(ROOT, 'bin/mandate.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, MANDATE_JWT_SECRET: SECRET, NODE_ENV: 'development', ...env },
  });

describe('mandate token', () => {
  it('prints a token carrying city, role, agency and user', async () => {
    const run = mandate(['token', '--city', 'ha-noi', '--role', 'agency', '--agency', 'so-tu-phap', '--user', 'nguyen-van-a']);
    expect(run.status).toBe(0);
    expect(await verifyToken(SECRET, run.stdout.trim())).toEqual({ userId: 'nguyen-van-a', cityId: 'ha-noi', role: 'agency', agencyId: 'so-tu-phap' });
  });

  it.each([
    [['--city', 'Đà Nẵng', '--role', 'office'], /"Đà Nẵng" is not a city id/],
    [['--city', 'ha-noi', '--role', 'mayor'], /one of office, planning, agency/],
    [['--city', 'ha-noi', '--role', 'agency'], /needs --agency/],
    [['--city', 'ha-noi', '--role', 'agency', '--agency', 'so-khong-co'], /not in the directory of ha-noi/],
    [['--city', 'ha-noi', '--role', 'operator'], /only it, has the city "platform"/],
    [['--city', 'platform', '--role', 'office'], /only it, has the city "platform"/],
  ])('refuses %j with a clear message', (args, message) => {
    const run = mandate(['token', ...args]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('prints a token of a city the seeds do not list: the deployment, whose operator may have created it, decides', async () => {
    const run = mandate(['token', '--city', 'quang-ninh', '--role', 'office']);
    expect(run.status).toBe(0);
    expect(await verifyToken(SECRET, run.stdout.trim())).toMatchObject({ cityId: 'quang-ninh', role: 'office' });
  });

  it('prints the platform operator a token for the platform, not a city', async () => {
    const run = mandate(['token', '--city', 'platform', '--role', 'operator']);
    expect(run.status).toBe(0);
    expect(await verifyToken(SECRET, run.stdout.trim())).toMatchObject({ cityId: 'platform', role: 'operator', agencyId: null });
  });

  it('is refused in production', () => {
    const run = mandate(['token', '--city', 'ha-noi', '--role', 'office'], { NODE_ENV: 'production' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/refused in production/);
  });

  it('generates the signing key once into the data directory when none is configured', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-token-'));
    try {
      const env = { MANDATE_JWT_SECRET: '', MANDATE_DATA_DIR: dataDir };
      const first = mandate(['token', '--city', 'hai-phong', '--role', 'office'], env);
      const second = mandate(['token', '--city', 'hai-phong', '--role', 'office'], env);
      expect(first.status).toBe(0);
      const key = fs.readFileSync(path.join(dataDir, 'jwt-secret'), 'utf8');
      expect((await verifyToken(key, first.stdout.trim())).cityId).toBe('hai-phong');
      expect((await verifyToken(key, second.stdout.trim())).cityId).toBe('hai-phong');
      expect(fs.statSync(path.join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

// `mandate parse` and `mandate import`, as a person runs them: a child process, files on disk.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { signToken } from '@mandate/http';
import { syntheticPlan } from '@mandate/plan-import';
import { embeddedDeployment, TEST_SECRET, type Deployment } from './testing/deployments';
import { runMandate } from './testing/mandate-process';

const ROOT = path.resolve(__dirname, '../../..');
const SEEDS = path.join(ROOT, 'seeds/documents');
const GOLDEN = path.join(ROOT, 'libs/plan-import/src/golden');

const mandate = (args: string[], env: NodeJS.ProcessEnv = {}) => runMandate(args, { MANDATE_JWT_SECRET: TEST_SECRET, ...env });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-import-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer) => {
  const target = path.join(tmp, name);
  fs.writeFileSync(target, content);
  return target;
};

describe('mandate parse', () => {
  jest.setTimeout(60_000);

  it.each(fs.readdirSync(SEEDS))('%s --json prints the ParsedPlan of its golden file, and only JSON', async (seed) => {
    const run = await mandate(['parse', path.join(SEEDS, seed), '--json']);
    expect(run.status).toBe(0);
    const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN, seed.replace(/\.txt$/, '.json')), 'utf8'));
    // The CLI names the document by the path it was given; the rest is the same reading.
    expect(JSON.parse(run.stdout)).toEqual(golden);
  });

  it('prints a readable summary: what the document is, the counts, the tasks and the warnings', async () => {
    const run = await mandate(['parse', path.join(SEEDS, 'ha-noi-183-KH-UBND-2021.txt')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^183\/KH-UBND \(KH\) · UBND thành phố Hà Nội · Hà Nội, 2021-08-10/);
    expect(run.stdout).toMatch(/43 tasks \(43 with a lead agency, 43 with a deadline read\) · 42 indicators · 4 warnings/);
    expect(run.stdout).toMatch(/PL2\.I\.1\s+1225\s+Sở Tư pháp\s+done\s+Xây dựng, trình Quốc hội/);
    expect(run.stdout).toMatch(/\[leader-corrected\] PL2\.I\.7: supervisor "Dương Đức Tuần" is read as "Dương Đức Tuấn"/);
  });

  it('reads the same plan from CRLF line ends and decomposed Unicode', async () => {
    const seed = fs.readFileSync(path.join(SEEDS, 'bach-long-vi-35-KH-UBND-2024.txt'), 'utf8');
    const crlf = file('blv-crlf.txt', seed.replace(/\n/g, '\r\n').normalize('NFD'));
    const [a, b] = await Promise.all([
      mandate(['parse', crlf, '--json', '--city', 'hai-phong']),
      mandate(['parse', path.join(SEEDS, 'bach-long-vi-35-KH-UBND-2024.txt'), '--json', '--city', 'hai-phong']),
    ]);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout));
  });

  it.each([
    ['a missing file', () => path.join(tmp, 'khong-co.txt'), /cannot read .*no such file/],
    ['a folder', () => tmp, /it is a folder/],
    ['an empty file', () => file('empty.txt', '  \n'), /is empty/],
    ['a binary file', () => file('scan.pdf', Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0xff])), /binary, not text/],
    ['text that is not UTF-8', () => file('cp1258.txt', Buffer.from([0x53, 0xf4, 0x3a, 0x20, 0x31])), /not UTF-8/],
    ['text that is not a plan', () => file('note.txt', 'Một đoạn ghi chú, không phải kế hoạch.'), /does not look like a plan/],
    ['an unknown city', () => path.join(SEEDS, 'ha-noi-183-KH-UBND-2021.txt'), /unknown city "da-nang"/, ['--city', 'da-nang']],
  ])('refuses %s with exit 2 and a clear message', async (_what, target, message, extra: string[] = []) => {
    const run = await mandate(['parse', target(), '--json', ...extra]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});

describe('mandate import into a running deployment', () => {
  jest.setTimeout(180_000);
  let deployment: Deployment;
  beforeAll(async () => {
    deployment = await embeddedDeployment();
  }, 120_000);
  afterAll(async () => deployment?.stop());

  it('uploads a large plan with a progress bar, issues it, and a second run changes nothing', async () => {
    const large = file('ke-hoach-999.txt', syntheticPlan(3000));
    expect(fs.statSync(large).size).toBeGreaterThan(800 * 1024);
    const first = await mandate(['import', large, '--city', 'ha-noi', '--url', deployment.url()]);
    expect(first.stderr).toMatch(/uploading \[[=\-\s#░█]*\] 100% \| \d+\/\d+ KB \| \d+ KB\/s/);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^999\/KH-UBND issued with 3000 tasks; 0 indicators, 0 warnings/);
    const again = await mandate(['import', large, '--city', 'ha-noi', '--url', deployment.url()]);
    expect(again.stdout).toMatch(/^999\/KH-UBND unchanged \(already imported, 3000 tasks\)/);
  });

  it('records an edited version as an amendment', async () => {
    const edited = file('ke-hoach-999-v2.txt', syntheticPlan(3000).replace('Quý IV/2025 |', 'Quý I/2026 |'));
    const run = await mandate(['import', edited, '--city', 'ha-noi', '--url', deployment.url(), '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'amended', tasks: { count: 3000, added: 0, revised: 1, withdrawn: 0 } });
  });

  it("refuses another city's token and a file that is not a plan, with exit 2", async () => {
    const seed = path.join(SEEDS, 'ha-noi-183-KH-UBND-2021.txt');
    const haiPhong = await signToken(TEST_SECRET, { userId: 'o', role: 'office', agencyId: null, cityId: 'hai-phong' });
    const wrongCity = await mandate(['import', seed, '--city', 'ha-noi', '--url', deployment.url(), '--token', haiPhong]);
    expect(wrongCity.status).toBe(2);
    expect(wrongCity.stderr).toMatch(/import refused \(403\): You act for hai-phong/);
    const forged = await mandate(['import', seed, '--city', 'ha-noi', '--url', deployment.url(), '--token', 'not-a-token']);
    expect(forged.status).toBe(1); // 401 is not the document's fault
    const note = await mandate(['import', file('note2.txt', 'Không phải kế hoạch.'), '--city', 'ha-noi', '--url', deployment.url()]);
    expect(note.status).toBe(2);
    expect(note.stderr).toMatch(/import refused \(400\): .*does not look like a plan/);
  });

  it('says clearly when no deployment answers', async () => {
    const run = await mandate(['import', path.join(SEEDS, 'ha-noi-183-KH-UBND-2021.txt'), '--city', 'ha-noi', '--url', 'http://127.0.0.1:9']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot reach Mandate at http:\/\/127\.0\.0\.1:9/);
  });
});

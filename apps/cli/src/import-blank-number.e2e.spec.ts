// A plan before signing ("Số:      /KH-UBND", "ngày      tháng 1 năm 2025"), as most Word files an office
// holds are (issue 18 item 2): read with warnings, and imported once the office gives its number and date.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { signToken } from '@mandate/http';
import { syntheticPlan } from '@mandate/plan-import';
import { embeddedDeployment, TEST_SECRET, type Deployment } from './testing/deployments';

const ROOT = path.resolve(__dirname, '../../..');

const mandate = async (args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/mandate.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, MANDATE_JWT_SECRET: TEST_SECRET, NODE_ENV: 'development', LOG_LEVEL: 'silent' },
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-blank-number-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The synthetic plan as a copy before signing: number and day left for the clerk. */
const unsigned = (): string => {
  const file = path.join(tmp, 'du-thao.txt');
  fs.writeFileSync(file, syntheticPlan(5, '     /KH-UBND').replace('Hà Nội, ngày 15 tháng 1 năm 2025', 'Hà Nội, ngày      tháng 1 năm 2025'));
  return file;
};

describe('mandate import of a plan whose number and date are left blank', () => {
  jest.setTimeout(180_000);
  let deployment: Deployment;
  beforeAll(async () => {
    deployment = await embeddedDeployment();
  }, 120_000);
  afterAll(async () => deployment?.stop());

  it('reads it in a dry run, with null number and date and a warning for each', async () => {
    const run = await mandate(['import', unsigned(), '--city', 'ha-noi', '--url', deployment.url(), '--dry-run', '--json']);
    expect(run.status).toBe(0);
    const parsed = JSON.parse(run.stdout);
    expect(parsed.document).toMatchObject({ number: null, issuedOn: null, issuer: 'UBND thành phố Hà Nội' });
    expect(parsed.tasks).toHaveLength(5);
    expect(parsed.warnings.map((w: { code: string }) => w.code)).toEqual(expect.arrayContaining(['number-missing', 'date-missing']));
  });

  it('asks for the number and date instead of storing a plan without them', async () => {
    const run = await mandate(['import', unsigned(), '--city', 'ha-noi', '--url', deployment.url()]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/import refused \(400\): .*does not state its number .*--number.* and its issue date .*--issued-on/);
  });

  it('refuses a number or date that is not one', async () => {
    const badDate = await mandate(['import', unsigned(), '--city', 'ha-noi', '--url', deployment.url(), '--number', '1001/KH-UBND', '--issued-on', '20/01/2025']);
    expect(badDate.status).toBe(2);
    expect(badDate.stderr).toMatch(/import refused \(400\): issuedOn: issuedOn must be a date such as 2025-12-31/);
    const badNumber = await mandate(['import', unsigned(), '--city', 'ha-noi', '--url', deployment.url(), '--number', 'một nghìn', '--issued-on', '2025-01-20']);
    expect(badNumber.status).toBe(2);
    expect(badNumber.stderr).toMatch(/number must be a document number such as 183\/KH-UBND/);
  });

  it('issues it under the number and date the office gives; the same document again changes nothing', async () => {
    const args = ['import', unsigned(), '--city', 'ha-noi', '--url', deployment.url(), '--number', '1001/KH-UBND', '--issued-on', '2025-01-20'];
    const first = await mandate([...args, '--json']);
    expect(first.status).toBe(0);
    const answer = JSON.parse(first.stdout);
    expect(answer).toMatchObject({ number: '1001/KH-UBND', outcome: 'created', tasks: { count: 5 } });
    // What the office gave is no longer missing.
    expect(answer.warnings.map((w: { code: string }) => w.code)).not.toContain('number-missing');
    const plan = await fetch(`${deployment.url()}/api/v1/plans/${answer.planId}`, {
      headers: { authorization: `Bearer ${signToken(TEST_SECRET, { userId: 'office-1', role: 'office', agencyId: null, cityId: 'ha-noi' })}` },
    });
    expect(await plan.json()).toMatchObject({ number: '1001/KH-UBND', issuedOn: '2025-01-20' });
    const again = await mandate(args);
    expect(again.stdout).toMatch(/^1001\/KH-UBND unchanged \(already imported, 5 tasks\)/);
  });
});

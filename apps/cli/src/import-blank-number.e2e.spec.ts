// A plan before signing ("Số:      /KH-UBND", "ngày      tháng 1 năm 2025"), as most Word files an office
// holds are (issue 18 item 2): read with warnings and stored as it is, number and date null; known by its
// content until its signed version, imported as its amendment (--amends), gives it its number and date.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { signToken } from '@mandate/http';
import { syntheticPlan } from '@mandate/plan-import';
import { embeddedDeployment, TEST_SECRET, type Deployment } from './testing/deployments';
import { runMandate } from './testing/mandate-process';

const ROOT = path.resolve(__dirname, '../../..');

const mandate = (args: string[], env: NodeJS.ProcessEnv = {}) => runMandate(args, { MANDATE_JWT_SECRET: TEST_SECRET, ...env });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-blank-number-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The synthetic plan as a copy before signing: number and day left for the clerk. */
const unsigned = (rows = 5, name = 'du-thao.txt'): string => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, syntheticPlan(rows, '     /KH-UBND').replace('Hà Nội, ngày 15 tháng 1 năm 2025', 'Hà Nội, ngày      tháng 1 năm 2025'));
  return file;
};

/** The same plan signed: number 1001/KH-UBND, issued on 15 January 2025. */
const signed = (): string => {
  const file = path.join(tmp, 'da-ky.txt');
  fs.writeFileSync(file, syntheticPlan(5, '1001/KH-UBND'));
  return file;
};

const office = async () => ({
  authorization: `Bearer ${await signToken(TEST_SECRET, { userId: 'office-1', role: 'office', agencyId: null, cityId: 'ha-noi' })}`,
});
const planOf = async (deployment: Deployment, planId: string): Promise<unknown> =>
  (await fetch(`${deployment.url()}/api/v1/plans/${planId}`, { headers: await office() })).json();

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

  it('refuses a number, date or amended plan that is not one', async () => {
    const badDate = await mandate([
      'import',
      unsigned(),
      '--city',
      'ha-noi',
      '--url',
      deployment.url(),
      '--number',
      '1001/KH-UBND',
      '--issued-on',
      '20/01/2025',
    ]);
    expect(badDate.status).toBe(2);
    expect(badDate.stderr).toMatch(/import refused \(400\): issuedOn: issuedOn must be a date such as 2025-12-31/);
    const badNumber = await mandate([
      'import',
      unsigned(),
      '--city',
      'ha-noi',
      '--url',
      deployment.url(),
      '--number',
      'một nghìn',
      '--issued-on',
      '2025-01-20',
    ]);
    expect(badNumber.status).toBe(2);
    expect(badNumber.stderr).toMatch(/number must be a document number such as 183\/KH-UBND/);
    const badPlan = await mandate(['import', unsigned(), '--city', 'ha-noi', '--url', deployment.url(), '--amends', 'not-a-plan']);
    expect(badPlan.status).toBe(2);
    expect(badPlan.stderr).toMatch(/import refused \(400\): amends: amends must be a plan id/);
    const unknown = await mandate(['import', unsigned(), '--city', 'ha-noi', '--url', deployment.url(), '--amends', '6f1c8a52-4c1e-4d0f-9a57-1b1f0c9e2d11']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/import refused \(404\): Plan 6f1c8a52-4c1e-4d0f-9a57-1b1f0c9e2d11 not found/);
  });

  it('stores it as it is (201, number and date null, warned); the same copy again changes nothing; its signed version, named as the plan it amends, gives it its number and date', async () => {
    const answer = await fetch(`${deployment.url()}/api/v1/imports?city=ha-noi&document=du-thao.txt`, {
      method: 'POST',
      headers: { ...(await office()), 'content-type': 'text/plain; charset=utf-8' },
      body: fs.readFileSync(unsigned()),
    });
    expect(answer.status).toBe(201);
    const created = (await answer.json()) as { planId: string; warnings: { code: string }[] };
    expect(created).toMatchObject({ number: null, outcome: 'created', tasks: { count: 5 } });
    expect(created.warnings.map((w: { code: string }) => w.code)).toEqual(expect.arrayContaining(['number-missing', 'date-missing']));
    expect(answer.headers.get('location')).toBe(`/api/v1/plans/${created.planId}`);
    expect(await planOf(deployment, created.planId)).toMatchObject({ number: null, issuedOn: null, taskCount: 5 });

    // The same copy, under another file name: the same plan, nothing new.
    const again = await mandate(['import', unsigned(5, 'du-thao (1).txt'), '--city', 'ha-noi', '--url', deployment.url()]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^\(no number\) unchanged \(already imported, 5 tasks\)/);
    expect(again.stdout).toContain(`/api/v1/plans/${created.planId}`);

    // A changed copy, not said to amend anything: another plan.
    const changed = JSON.parse((await mandate(['import', unsigned(6, 'du-thao-2.txt'), '--city', 'ha-noi', '--url', deployment.url(), '--json'])).stdout);
    expect(changed).toMatchObject({ number: null, outcome: 'created', tasks: { count: 6 } });
    expect(changed.planId).not.toBe(created.planId);

    // The signed version, amending the copy: the plan records its number and date, and keeps its id and tasks.
    const numbered = await mandate(['import', signed(), '--city', 'ha-noi', '--url', deployment.url(), '--amends', created.planId, '--json']);
    expect(numbered.status).toBe(0);
    expect(JSON.parse(numbered.stdout)).toMatchObject({
      planId: created.planId,
      number: '1001/KH-UBND',
      outcome: 'amended',
      tasks: { count: 5, added: 0, withdrawn: 0 },
    });
    expect(await planOf(deployment, created.planId)).toMatchObject({ number: '1001/KH-UBND', issuedOn: '2025-01-15', taskCount: 5 });

    // From now on the plan is known by its number: the signed version again (no --amends) changes nothing.
    const signedAgain = await mandate(['import', signed(), '--city', 'ha-noi', '--url', deployment.url()]);
    expect(signedAgain.stdout).toMatch(/^1001\/KH-UBND unchanged \(already imported, 5 tasks\)/);
    expect(signedAgain.stdout).toContain(`/api/v1/plans/${created.planId}`);
  });

  it('issues it under the number and date the office gives (?number=&issuedOn=); the same document again changes nothing', async () => {
    const args = [
      'import',
      unsigned(4, 'du-thao-3.txt'),
      '--city',
      'ha-noi',
      '--url',
      deployment.url(),
      '--number',
      '1002/KH-UBND',
      '--issued-on',
      '2025-01-20',
    ];
    const first = await mandate([...args, '--json']);
    expect(first.status).toBe(0);
    const answer = JSON.parse(first.stdout);
    expect(answer).toMatchObject({ number: '1002/KH-UBND', outcome: 'created', tasks: { count: 4 } });
    // What the office gave is no longer missing.
    expect(answer.warnings.map((w: { code: string }) => w.code)).not.toContain('number-missing');
    expect(await planOf(deployment, answer.planId)).toMatchObject({ number: '1002/KH-UBND', issuedOn: '2025-01-20' });
    const again = await mandate(args);
    expect(again.stdout).toMatch(/^1002\/KH-UBND unchanged \(already imported, 4 tasks\)/);
  });
});

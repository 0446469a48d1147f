// `mandate projections rebuild`: the read model rebuilt from the log equals the one kept inline.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { signToken } from '@mandate/http';
import { embeddedDeployment, TEST_SECRET } from './testing/deployments';

jest.setTimeout(180_000);
const ROOT = path.resolve(__dirname, '../../..');

describe('mandate projections rebuild', () => {
  it('rebuilds the plans read model from the log, row for row, with progress and rate', async () => {
    const deployment = await embeddedDeployment();
    const db = new Client({ connectionString: deployment.db.url });
    await db.connect();
    try {
      const office = signToken(TEST_SECRET, { userId: 'o', role: 'office', agencyId: null, cityId: 'hai-phong' });
      const plans = (await (await fetch(`${deployment.url()}/api/v1/plans`, { headers: { authorization: `Bearer ${office}` } })).json()) as { items: { id: string }[] };
      const tasks = (await (await fetch(`${deployment.url()}/api/v1/plans/${plans.items[0].id}/tasks?limit=1`, { headers: { authorization: `Bearer ${office}` } })).json()) as {
        items: { id: string; version: number }[];
      };
      const moved = await fetch(`${deployment.url()}/api/v1/tasks/${tasks.items[0].id}/status`, {
        method: 'POST',
        headers: { authorization: `Bearer ${office}`, 'content-type': 'application/json', 'if-match': `"${tasks.items[0].version}"` },
        body: JSON.stringify({ status: 'in_progress', note: '' }),
      });
      expect(moved.status).toBe(200);
      const snapshot = async () => ({
        plans: (await db.query('SELECT * FROM plans.plan_list ORDER BY plan_id')).rows,
        tasks: (await db.query('SELECT * FROM plans.task_list ORDER BY task_id')).rows,
      });
      const before = await snapshot();
      expect(before.tasks.length).toBeGreaterThan(200);

      const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/mandate.js'), 'projections', 'rebuild', 'plans'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: deployment.db.url, LOG_LEVEL: 'silent' },
      });
      expect(stdout).toMatch(/^plans: \d+ events replayed in [\d.]+ s \(\d+ events\/s\)/);
      expect(stderr).toMatch(/plans \[.*\] 100% \| \d+\/\d+ events \| \d+ events\/s/);
      expect(await snapshot()).toEqual(before);

      const unknown = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/mandate.js'), 'projections', 'rebuild', 'nothing'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: deployment.db.url },
      }).catch((e: { code: number; stderr: string }) => e);
      expect(unknown).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown projection "nothing"; one of plans/) });
    } finally {
      await db.end();
      await deployment.stop();
    }
  });
});

// `mandate projections rebuild`: the read model rebuilt from the log equals the one kept inline.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { signToken } from '@mandate/http';
import { eventually } from './testing/http-contract';
import { embeddedDeployment, TEST_SECRET } from './testing/deployments';

jest.setTimeout(180_000);
const ROOT = path.resolve(__dirname, '../../..');

describe('mandate projections rebuild', () => {
  it('rebuilds the plans read model from the log, row for row, with progress and rate', async () => {
    const deployment = await embeddedDeployment();
    const db = new Client({ connectionString: deployment.db.url });
    await db.connect();
    try {
      const office = await signToken(TEST_SECRET, { userId: 'o', role: 'office', agencyId: null, cityId: 'hai-phong' });
      const plans = (await (await fetch(`${deployment.url()}/api/v1/plans`, { headers: { authorization: `Bearer ${office}` } })).json()) as {
        items: { id: string }[];
      };
      const tasks = (await (
        await fetch(`${deployment.url()}/api/v1/plans/${plans.items[0].id}/tasks?limit=1`, { headers: { authorization: `Bearer ${office}` } })
      ).json()) as {
        items: { id: string; version: number }[];
      };
      const moved = await fetch(`${deployment.url()}/api/v1/tasks/${tasks.items[0].id}/status`, {
        method: 'POST',
        headers: { authorization: `Bearer ${office}`, 'content-type': 'application/json', 'if-match': `"${tasks.items[0].version}"` },
        body: JSON.stringify({ status: 'in_progress', note: '' }),
      });
      expect(moved.status).toBe(200);
      // An amendment (a task revised and renumbered, one withdrawn, one added) and an extension,
      // so the rebuild meets deletions, new positions and moved deadlines.
      const doc = (rows: string[][]) =>
        [
          'ỦY BAN NHÂN DÂN',
          'THÀNH PHỐ HẢI PHÒNG',
          'Số: 9/KH-UBND',
          'Hải Phòng, ngày 2 tháng 1 năm 2025',
          'KẾ HOẠCH',
          'THỬ NGHIỆM',
          'PHỤ LỤC',
          'TT |',
          'Nhiệm vụ |',
          'Cơ quan chủ trì |',
          'Thời hạn |',
          ...rows.flatMap((r, i) => [`${i + 1} |`, ...r.map((c) => `${c} |`)]),
        ].join('\n');
      const upload = (text: string) =>
        fetch(`${deployment.url()}/api/v1/imports?city=hai-phong`, {
          method: 'POST',
          headers: { authorization: `Bearer ${office}`, 'content-type': 'text/plain' },
          body: text,
        });
      expect(
        (
          await upload(
            doc([
              ['Rà soát hồ sơ', 'Sở Tư pháp', 'Quý I/2025'],
              ['Đào tạo cán bộ', 'Sở Nội vụ', 'Quý II/2025'],
            ]),
          )
        ).status,
      ).toBe(201);
      expect(
        (
          await upload(
            doc([
              ['Kiểm tra kết quả', 'Sở Nội vụ', 'Quý IV/2025'],
              ['Rà soát hồ sơ', 'Sở Tư pháp', 'Quý II/2025'],
            ]),
          )
        ).status,
      ).toBe(200);
      const planning = await signToken(TEST_SECRET, { userId: 'p', role: 'planning', agencyId: 'so-ke-hoach-dau-tu', cityId: 'hai-phong' });
      const lead = await signToken(TEST_SECRET, { userId: 'l', role: 'agency', agencyId: 'so-tu-phap', cityId: 'hai-phong' });
      const plan9 = (
        (await (await fetch(`${deployment.url()}/api/v1/plans`, { headers: { authorization: `Bearer ${office}` } })).json()) as {
          items: { id: string; number: string }[];
        }
      ).items.find((p) => p.number === '9/KH-UBND')!;
      const rasoat = (
        (await (await fetch(`${deployment.url()}/api/v1/plans/${plan9.id}/tasks`, { headers: { authorization: `Bearer ${office}` } })).json()) as {
          items: { id: string; title: string }[];
        }
      ).items.find((t) => t.title === 'Rà soát hồ sơ')!;
      const asked = (await (
        await fetch(`${deployment.url()}/api/v1/tasks/${rasoat.id}/extension-requests`, {
          method: 'POST',
          headers: { authorization: `Bearer ${lead}`, 'content-type': 'application/json' },
          body: JSON.stringify({ until: '2025-09-30', reason: 'Thêm thời gian' }),
        })
      ).json()) as { id: string };
      expect(
        (
          await fetch(`${deployment.url()}/api/v1/tasks/${rasoat.id}/extension-requests/${asked.id}/approve`, {
            method: 'POST',
            headers: { authorization: `Bearer ${planning}`, 'content-type': 'application/json' },
            body: '{}',
          })
        ).status,
      ).toBe(200);
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

      // Reporting's read models (summary from its feed, agency reports from its own log), rebuilt beside and switched.
      // The reporting service knows the plan once its feed has it (404 until then; a request is made once per agency and period).
      const requested = await eventually(
        () =>
          fetch(`${deployment.url()}/api/v1/plans/${plan9.id}/report-requests`, {
            method: 'POST',
            headers: { authorization: `Bearer ${planning}`, 'content-type': 'application/json' },
            body: JSON.stringify({ period: '2025-Q2' }),
          }),
        (r) => r.status !== 404,
      );
      expect(requested.status).toBe(201);
      const reportingTables = async () => ({
        plans: (await db.query('SELECT * FROM reporting.plans ORDER BY plan_id')).rows,
        tasks: (await db.query('SELECT * FROM reporting.task_status ORDER BY task_id')).rows,
        reports: (await db.query('SELECT * FROM reporting.agency_reports ORDER BY report_id')).rows,
      });
      // The intake is asynchronous: wait until the summary holds every task the plans service lists.
      for (let i = 0; i < 100 && (await reportingTables()).tasks.length < before.tasks.length; i++) await new Promise((r) => setTimeout(r, 100));
      const reportingBefore = await reportingTables();
      expect(reportingBefore.reports.length).toBeGreaterThan(0);
      const rebuiltReporting = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/mandate.js'), 'projections', 'rebuild', 'reporting'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: deployment.db.url, LOG_LEVEL: 'silent' },
      });
      expect(rebuiltReporting.stdout).toMatch(/^reporting: \d+ events replayed in [\d.]+ s \(\d+ events\/s\)/);
      expect(await reportingTables()).toEqual(reportingBefore);

      const unknown = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/mandate.js'), 'projections', 'rebuild', 'nothing'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: deployment.db.url },
      }).catch((e: { code: number; stderr: string }) => e);
      expect(unknown).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown projection "nothing"; one of plans, reporting/) });
    } finally {
      await db.end();
      await deployment.stop();
    }
  });
});

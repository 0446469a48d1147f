// The consolidated report of a large plan from reporting's own feed, and its XLSX export, against a
// plain read of the same feed rows in the same process.
import { randomUUID } from 'node:crypto';
import { renderXlsx } from '@mandate/documents';
import { periodOfKey, periodEnd } from '@mandate/kernel';
import { PLAN_ISSUED_V1, TASK_ASSIGNED_V1, TASK_ISSUED_V2, TASK_PROGRESS_REPORTED_V1, TASK_STATUS_CHANGED_V2 } from '@mandate/plans-contracts';
import { PlanFeedStore, planFeedMigration } from '@mandate/reporting-app';
import { consolidatePlan, planFeedAt, planReportDocument } from '@mandate/reporting-domain';
import { openServiceDatabase } from '@mandate/runtime';
import { createTestDatabase } from '@mandate/testing';

const TASKS = Number(process.env.BENCH_TASKS ?? 2000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CITY = 'ha-noi';
const AGENCIES = ['Sở Tư pháp', 'Sở Tài chính', 'Sở Nội vụ', 'Sở Xây dựng', 'Sở Y tế', 'Sở Giáo dục và Đào tạo', 'UBND quận Hoàn Kiếm'];
const LEADERS = ['Chủ tịch Trần Sỹ Thanh', 'PCT Dương Đức Tuấn', 'PCT Nguyễn Trọng Đông', 'PCT Hà Minh Hải'];
const STATUSES = ['in_progress', 'submitted', 'returned', 'submitted', 'completed'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const main = async () => {
  const db = await createTestDatabase('bench_reporting');
  const ds = await openServiceDatabase({ url: db.url, schema: 'reporting', migrations: [planFeedMigration('reporting')] });
  try {
    const planId = randomUUID();
    const taskIds = Array.from({ length: TASKS }, () => randomUUID());
    const start = Date.parse('2024-01-05T02:00:00Z');
    const rows: unknown[][] = [];
    const sequences = new Map<string, number>();
    const push = (type: string, at: number, data: Record<string, unknown>) => {
      const subject = typeof data.taskId === 'string' ? `task-${data.taskId}` : `plan-${planId}`;
      const sequence = (sequences.get(subject) ?? 0) + 1;
      sequences.set(subject, sequence);
      rows.push([randomUUID(), CITY, planId, type, new Date(at).toISOString(), JSON.stringify({ planId, ...data }), subject, sequence, 'bench']);
    };
    push(PLAN_ISSUED_V1, start, {
      number: '999/KH-UBND',
      kind: 'plan',
      title: 'Kế hoạch thử tải',
      issuedOn: '2024-01-05',
      issuer: 'UBND Thành phố Hà Nội',
      taskCount: TASKS,
      taskIds,
    });
    const perTask = Math.max(2, Math.round((EVENTS - 1) / TASKS));
    taskIds.forEach((taskId, i) => {
      const due = `2024-${String(1 + (i % 12)).padStart(2, '0')}-28`;
      push(TASK_ISSUED_V2, start, {
        taskId,
        planNumber: '999/KH-UBND',
        ref: `PL.${Math.floor(i / 100) + 1}.${(i % 100) + 1}`,
        title: `Nhiệm vụ số ${i + 1} về chuyển đổi số`,
        deadline: { text: `Tháng ${1 + (i % 12)}/2024`, kind: 'month', due },
        status: 'not_started',
        group: `Nhóm ${Math.floor(i / 100) + 1}`,
        deliverable: 'Báo cáo UBND Thành phố',
        supervisor: LEADERS[i % LEADERS.length],
        note: null,
        issuedAt: new Date(start).toISOString(),
      });
      push(TASK_ASSIGNED_V1, start, {
        taskId,
        lead: { agencyId: `a${i % AGENCIES.length}`, name: AGENCIES[i % AGENCIES.length], resolution: 'resolved' },
        coordinators: [],
        previousLeadAgencyId: null,
      });
      let status = 'not_started';
      for (let k = 2; k < perTask; k++) {
        const at = start + (k * 86_400_000 * 300) / perTask + i * 1000;
        // A third of the tasks stay in progress: some of them are overdue at the cut-off.
        if (k % 2 === 0 && status !== 'completed' && (i % 3 !== 0 || status === 'not_started')) {
          const to = STATUSES[Math.min(STATUSES.length - 1, k / 2 - 1)];
          push(TASK_STATUS_CHANGED_V2, at, {
            taskId,
            from: status,
            to,
            note: '',
            changedAt: new Date(at).toISOString(),
            actor: { userId: 'u', role: 'agency', agencyId: null },
          });
          status = to;
        } else {
          push(TASK_PROGRESS_REPORTED_V1, at, {
            taskId,
            percent: Math.min(100, k * 5),
            text: 'Đang triển khai',
            attachments: [],
            reportedAt: new Date(at).toISOString(),
            actor: { userId: 'u', role: 'agency', agencyId: null },
          });
        }
      }
    });
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      await ds.query(
        `INSERT INTO reporting.plan_feed (event_id, city_id, plan_id, type, time, data, subject, sequence, correlation_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[], $6::jsonb[], $7::text[], $8::bigint[], $9::text[])`,
        [0, 1, 2, 3, 4, 5, 6, 7, 8].map((c) => chunk.map((r) => r[c])),
      );
    }
    await ds.query('VACUUM ANALYZE reporting.plan_feed');
    console.log(`Reporting benchmark: one plan of ${TASKS} tasks, ${rows.length} feed events, median of ${RUNS} runs (Node ${process.version})\n`);

    const feed = new PlanFeedStore(ds, 'reporting');
    const q4 = periodOfKey('2024-Q4')!;
    const asOf = periodEnd(q4);
    const baseline: number[] = [];
    const load: number[] = [];
    const report: number[] = [];
    const xlsx: number[] = [];
    let size = 0;
    let overdue = 0;
    for (let run = 0; run < RUNS; run++) {
      let t = performance.now();
      await ds.query(`SELECT type, time, data FROM reporting.plan_feed WHERE city_id = $1 AND plan_id = $2 ORDER BY position`, [CITY, planId]);
      baseline.push(performance.now() - t);
      t = performance.now();
      const events = await feed.events(CITY, planId, asOf);
      load.push(performance.now() - t);
      const consolidated = consolidatePlan(planFeedAt(events, asOf), asOf, q4)!;
      report.push(performance.now() - t);
      overdue = consolidated.totals.openOverdue;
      t = performance.now();
      size = (await renderXlsx(planReportDocument(consolidated))).length;
      xlsx.push(performance.now() - t);
    }
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    console.log('| step | median | goal |');
    console.log('|---|---:|---:|');
    console.log(`| baseline: read the plan's feed rows | ${ms(median(baseline))} | |`);
    console.log(`| read the feed through PlanFeedStore | ${ms(median(load))} | |`);
    console.log(`| consolidated report (read + fold + counts) | ${ms(median(report))} | < 1000 ms |`);
    console.log(`| XLSX export of it (${Math.round(size / 1024)} KB) | ${ms(median(xlsx))} | < 2000 ms |`);
    console.log(`\nreport / baseline read: ${(median(report) / median(baseline)).toFixed(2)}x; ${overdue} tasks open and overdue at the cut-off of 2024-Q4`);
    console.log(`goals: report ${median(report) < 1000 ? 'met' : 'not met'}, XLSX ${median(xlsx) < 2000 ? 'met' : 'not met'}`);
  } finally {
    await ds.destroy();
    await db.drop();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

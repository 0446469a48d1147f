// Two quarters of reporting on the Hà Nội seed plan, on a calendar the test moves: requests, reports
// filed on time and late, one returned and refiled, consolidated per quarter, indicator trends, exports.
import ExcelJS from 'exceljs';
import { signToken } from '@mandate/http';
import type { Clock } from '@mandate/kernel';
import { embeddedDeployment, TEST_SECRET, type Deployment } from './testing/deployments';
import { eventually } from './testing/http-contract';

jest.setTimeout(180_000);
type Json = Record<string, any>;

describe('Reporting across two quarters of 2022 on plan 183/KH-UBND', () => {
  let now = new Date('2022-01-05T02:00:00Z');
  const clock: Clock = { now: () => now };
  const at = (iso: string) => (now = new Date(iso));
  let deployment: Deployment;
  const token = (role: string, agencyId: string | null = null) =>
    signToken(TEST_SECRET, { userId: `${role}-${agencyId ?? 'x'}`, role: role as never, agencyId, cityId: 'ha-noi' });
  let office: string;
  let planning: string;
  let justice: string;
  beforeAll(async () => {
    [office, planning, justice] = await Promise.all([token('office'), token('planning', 'so-ke-hoach-dau-tu'), token('agency', 'so-tu-phap')]);
  });
  const call = async (method: string, url: string, as: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${deployment.url()}${url}`, {
      method,
      headers: { authorization: `Bearer ${as}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Json };
  };
  let plan: Json;
  let task: Json;

  beforeAll(async () => {
    deployment = await embeddedDeployment({ clock });
    plan = ((await call('GET', '/api/v1/plans', office)).body.items as Json[]).find((p) => p.number === '183/KH-UBND')!;
    const tasks = (await call('GET', `/api/v1/plans/${plan.id}/tasks?limit=200&agency=so-tu-phap`, office)).body.items as Json[];
    task = tasks[0];
    // The reporting service has read the plan, its indicators and every assignment from the published events.
    const led = ((await call('GET', `/api/v1/plans/${plan.id}/tasks?limit=200`, office)).body.items as Json[]).filter((t) => t.lead).length;
    await eventually(
      () => call('GET', `/api/v1/plans/${plan.id}/report`, office),
      (r) => r.status === 200 && r.body.indicators.length === 42 && r.body.tasks.filter((t: Json) => t.lead).length === led,
      60_000,
    );
  });
  afterAll(() => deployment?.stop());

  const fileReport = async (period: string, actual: string, progress: number) => {
    const [report] = (await call('GET', `/api/v1/reporting/reports?planId=${plan.id}&period=${period}`, justice)).body.items as Json[];
    const content = {
      summary: `Sở Tư pháp báo cáo ${period}`,
      tasks: [{ taskId: task.id, progress, result: `Đạt ${progress}% khối lượng`, difficulties: 'Thiếu cán bộ', proposals: 'Bổ sung biên chế' }],
      indicators: [{ indicator: 'PL1.1', actual }],
    };
    expect((await call('PUT', `/api/v1/reporting/reports/${report.id}`, justice, content)).status).toBe(200);
    return { id: report.id as string, content };
  };

  it('files Q1: requested in January, sent on time, returned, sent again after the 20 March sending day, accepted (late)', async () => {
    at('2022-01-10T02:00:00Z');
    const started = await call('POST', `/api/v1/tasks/${task.id}/start`, justice, {}, { 'if-match': `"${task.version}"` });
    expect(started.status).toBe(200);
    at('2022-02-01T02:00:00Z');
    const requested = await call('POST', `/api/v1/plans/${plan.id}/report-requests`, planning, { period: '2022-Q1' });
    expect(requested.status).toBe(201);
    expect(requested.body.items.every((r: Json) => r.period.due === '2022-03-20')).toBe(true);
    // Sở Tư pháp is told in its inbox and, through its mailbox and its officer, by e-mail, once.
    const asked = requested.body.items.find((r: Json) => r.agency.agencyId === 'so-tu-phap');
    const inbox = await eventually(
      () => call('GET', '/api/v1/notifications', justice),
      (r) => r.body.items.some((n: Json) => n.rule === 'report-requested'),
    );
    expect(inbox.body.items.filter((n: Json) => n.rule === 'report-requested')).toMatchObject([
      { recipientAgencyId: 'so-tu-phap', subject: 'Đề nghị gửi báo cáo', reportId: asked.id },
    ]);
    const mails = await eventually(
      async () => deployment.mail.received.filter((m) => m.subject?.startsWith('[Mandate] Đề nghị gửi báo cáo')),
      (m) => m.length >= 2,
    );
    expect(mails.map((m) => m.subject)).toEqual([
      '[Mandate] Đề nghị gửi báo cáo: kỳ 2022-Q1, hạn 20/03/2022',
      '[Mandate] Đề nghị gửi báo cáo: kỳ 2022-Q1, hạn 20/03/2022',
    ]);
    expect(mails[0].text).toContain(`https://mandate.test/reports/${asked.id}`);
    at('2022-03-10T02:00:00Z');
    const { id } = await fileReport('2022-Q1', '7,1', 40);
    expect((await call('POST', `/api/v1/reporting/reports/${id}/submit`, justice, {})).body).toMatchObject({ status: 'submitted', late: false });
    at('2022-03-12T02:00:00Z');
    expect((await call('POST', `/api/v1/reporting/reports/${id}/return`, planning, { reason: 'Bổ sung số liệu' })).body.status).toBe('returned');
    at('2022-03-25T02:00:00Z');
    expect((await call('POST', `/api/v1/reporting/reports/${id}/submit`, justice, {})).body).toMatchObject({ status: 'submitted', late: true });
    expect((await call('POST', `/api/v1/reporting/reports/${id}/accept`, planning, {})).body).toMatchObject({ status: 'accepted', late: true });
  });

  it('files Q2 on time with a better actual; the task is reported done in June', async () => {
    at('2022-04-20T02:00:00Z');
    expect((await call('POST', `/api/v1/plans/${plan.id}/report-requests`, planning, { period: '2022-Q2' })).status).toBe(201);
    at('2022-06-01T02:00:00Z');
    const current = (await call('GET', `/api/v1/tasks/${task.id}`, office)).body;
    expect((await call('POST', `/api/v1/tasks/${task.id}/submit`, justice, { text: 'Đã xong' }, { 'if-match': `"${current.version}"` })).status).toBe(200);
    at('2022-06-10T02:00:00Z');
    const { id } = await fileReport('2022-Q2', '7,6', 100);
    expect((await call('POST', `/api/v1/reporting/reports/${id}/submit`, justice, {})).body).toMatchObject({ status: 'submitted', late: false });
    expect((await call('POST', `/api/v1/reporting/reports/${id}/accept`, planning, {})).body.status).toBe('accepted');
  });

  it('consolidates each quarter as it stood at its cut-off, by hand count, with the indicator judged and its trend', async () => {
    at('2022-07-01T02:00:00Z');
    const mine = (r: Json) => r.tasks.find((t: Json) => t.taskId === task.id);
    // The reporting service reads the published events asynchronously: wait for the last one of the task.
    const q2 = (
      await eventually(
        () => call('GET', `/api/v1/plans/${plan.id}/report?period=2022-Q2`, planning),
        (r) => mine(r.body)?.status === 'submitted',
        60_000,
      )
    ).body;
    const q1 = (await call('GET', `/api/v1/plans/${plan.id}/report?period=2022-Q1`, planning)).body;
    expect(mine(q1)).toMatchObject({ status: 'in_progress', reported: { progress: 40 } });
    expect(mine(q2)).toMatchObject({ status: 'submitted', label: 'Chờ xác nhận', reported: { progress: 100 } });
    // Hand count: the plan's 43 tasks; only this one was touched; at 14/3/2022 and 14/6/2022 the tasks
    // due by then are those whose due day has come.
    for (const r of [q1, q2]) {
      const due = r.tasks.filter((t: Json) => t.deadline.due !== null && t.deadline.kind !== 'done' && t.deadline.due <= r.period.to).length;
      expect(r.totals).toMatchObject({ assigned: 43, due, completedOnTime: 0, completedLate: 0 });
      expect(r.totals.openOnTime + r.totals.openOverdue + r.totals.cancelled).toBe(43);
      expect(r.overdue).toHaveLength(r.totals.openOverdue);
    }
    expect(q1.agencyReports.find((a: Json) => a.agencyId === 'so-tu-phap')).toMatchObject({ status: 'accepted', late: true, difficulties: ['Thiếu cán bộ'] });
    expect(q1.indicators[0]).toMatchObject({ ref: 'PL1.1', actual: '7,1', achievement: 'not_met', trend: null });
    expect(q2.indicators[0]).toMatchObject({
      ref: 'PL1.1',
      actual: '7,6',
      achievement: 'met',
      trend: 'up',
      history: [{ period: '2022-Q1', actual: '7,1', value: 7.1 }],
    });

    const xlsx = await fetch(`${deployment.url()}/api/v1/plans/${plan.id}/report?period=2022-Q2&format=xlsx`, {
      headers: { authorization: `Bearer ${planning}` },
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await xlsx.arrayBuffer()) as ArrayBuffer);
    const sheet = workbook.worksheets.find((w) => w.name.startsWith('Chỉ tiêu'))!;
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
    const header = rows.findIndex((r) => r[0] === 'TT' && r[1] === 'Chỉ tiêu');
    expect(rows[header]).toEqual(['TT', 'Chỉ tiêu', 'Đơn vị tính', 'Mục tiêu', 'Thực hiện', 'Đánh giá', 'Xu hướng', 'Cơ quan chủ trì']);
    expect(rows[header + 1]).toEqual(['1', q2.indicators[0].name, '%', '7,5-8,0 (2025)', '7,6', 'Đạt', 'Tăng', 'Sở Kế hoạch và Đầu tư']);
  });
});

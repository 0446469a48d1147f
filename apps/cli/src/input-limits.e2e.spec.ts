// Input PostgreSQL would refuse, or read as something else, answered as a 400 naming it, never a 500:
// text with NUL or lone surrogates in any field, cursors beyond the column's range, unreadable deadlines.
import { signToken, type RequestActor } from '@mandate/http';
import { embeddedDeployment, TEST_SECRET } from './testing/deployments';

jest.setTimeout(180_000);
type Json = Record<string, any>;

const token = (actor: Partial<RequestActor> & Pick<RequestActor, 'role'>) =>
  signToken(TEST_SECRET, { userId: `${actor.role}-probe`, agencyId: null, cityId: 'ha-noi', ...actor });
let office: string;
let auditor: string;
let integrator: string;
beforeAll(async () => {
  [office, auditor, integrator] = await Promise.all([token({ role: 'office' }), token({ role: 'auditor' }), token({ role: 'integrator' })]);
});
const cursor = (text: string) => Buffer.from(text).toString('base64url');

describe('Input the database cannot take as sent', () => {
  let deployment: Awaited<ReturnType<typeof embeddedDeployment>>;
  let planId: string;
  let taskId: string;

  const call = async (method: string, url: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; form?: FormData } = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? office}`, ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${deployment.url()}${url}`, {
      method,
      headers,
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), body: (text ? JSON.parse(text) : null) as Json };
  };
  const etagOf = async (id: string) =>
    (await fetch(`${deployment.url()}/api/v1/tasks/${id}`, { headers: { authorization: `Bearer ${office}` } })).headers.get('etag')!;

  beforeAll(async () => {
    deployment = await embeddedDeployment();
    const plans = await call('GET', '/api/v1/plans');
    planId = plans.body.items.find((p: Json) => p.number === '183/KH-UBND').id;
    taskId = (await call('GET', `/api/v1/plans/${planId}/tasks?limit=1`)).body.items[0].id;
  });
  afterAll(() => deployment?.stop());

  const refused = (field: string) => ({
    status: 400,
    type: expect.stringMatching(/^application\/problem\+json/),
    body: expect.objectContaining({ type: expect.stringContaining('invalid-text'), detail: expect.stringContaining(field), details: { field } }),
  });

  it('refuses a NUL or a lone surrogate in any text field with a 400 naming it', async () => {
    expect(await call('POST', `/api/v1/tasks/${taskId}/progress`, { body: { percent: 10, text: 'Đã xong\u0000' } })).toMatchObject(refused('body.text'));
    expect(await call('POST', `/api/v1/tasks/${taskId}/progress`, { body: { percent: 10, text: 'xin chào \ud83d' } })).toMatchObject(refused('body.text'));
    expect(
      await call('POST', `/api/v1/tasks/${taskId}/progress`, {
        body: { percent: 10, text: 'ổn', attachments: [{ name: '\udc00.pdf', contentType: 'application/pdf', size: 1 }] },
      }),
    ).toMatchObject(refused('body.attachments.0.name'));
    const etag = await etagOf(taskId);
    expect(
      await call('POST', `/api/v1/tasks/${taskId}/status`, { body: { status: 'in_progress', note: 'bắt đầu\u0000' }, headers: { 'if-match': etag } }),
    ).toMatchObject(refused('body.note'));
    expect(await call('POST', '/api/v1/api-keys', { body: { name: 'Cổng\u0000dữ liệu' } })).toMatchObject(refused('body.name'));
    expect(await call('GET', '/api/v1/audit/events?actor=a%00b', { token: auditor })).toMatchObject(refused('query.actor'));
    expect(await call('GET', '/api/v1/tasks/%00')).toMatchObject(refused('path'));
    // Nothing of it was stored, and the task still takes a clean report.
    expect(await etagOf(taskId)).toBe(etag);
    expect((await call('POST', `/api/v1/tasks/${taskId}/progress`, { body: { percent: 10, text: 'Đã xong phần 1 😀' } })).status).toBe(200);
  });

  it('refuses an uploaded document whose file name holds a NUL', async () => {
    const form = new FormData();
    const document = [
      'ỦY BAN NHÂN DÂN',
      'THÀNH PHỐ HÀ NỘI',
      'Số: 999/KH-UBND',
      'Hà Nội, ngày 5 tháng 12 năm 2022',
      'KẾ HOẠCH',
      'THỬ TÊN TỆP',
      '',
      '| STT | Nội dung nhiệm vụ | Đơn vị chủ trì | Thời gian hoàn thành |',
      '|---|---|---|---|',
      '| 1 | Rà soát văn bản | Sở Tư pháp | Quý IV/2023 |',
    ].join('\n');
    form.set('file', new File([document], 'ke-hoach\u0000.txt', { type: 'text/plain' }));
    expect(await call('POST', '/api/v1/imports?city=ha-noi', { form })).toMatchObject({
      status: 400,
      body: { type: expect.stringContaining('invalid-text'), details: { field: 'file name' } },
    });
  });

  it('refuses cursors beyond what the log or the plan can hold with a 400', async () => {
    const feed = await call('GET', '/api/v1/events?after=99999999999999999999:9999999999999999999', { token: integrator });
    expect(feed).toMatchObject({ status: 400, body: { type: expect.stringContaining('invalid-checkpoint') } });
    const search = await call('GET', `/api/v1/audit/events?cursor=${cursor('e:newest:00000000000000000001:9999999999999999999')}`, { token: auditor });
    expect(search).toMatchObject({ status: 400, body: { type: expect.stringContaining('invalid-checkpoint') } });
    const tasks = await call('GET', `/api/v1/plans/${planId}/tasks?cursor=${cursor('p:99999999999')}`);
    expect(tasks).toMatchObject({ status: 400, body: { type: expect.stringContaining('cursor-invalid') } });
    expect((await call('GET', `/api/v1/plans/${planId}/tasks?cursor=${cursor('p:2147483647')}`)).body).toMatchObject({ items: [], next: null });
  });

  it('refuses instants and days outside the calendar PostgreSQL keeps, and extensions to a year no plan means', async () => {
    const badInstant = encodeURIComponent('-010000-01-01T00:00:00Z');
    expect((await call('GET', `/api/v1/tasks/${taskId}?asOf=${badInstant}`)).status).toBe(400);
    expect((await call('GET', `/api/v1/plans/${planId}/tasks?asOf=${badInstant}`)).status).toBe(400);
    expect((await call('GET', `/api/v1/tasks/${taskId}?asOf=${encodeURIComponent(new Date().toISOString())}`)).status).toBe(200);
    expect((await call('GET', '/api/v1/audit/export?from=0000-01-01&to=0000-01-02', { token: auditor })).status).toBe(400);
    expect((await call('GET', '/api/v1/audit/anchors?from=0000-01-01', { token: auditor })).status).toBe(400);
    const lead = await token({ role: 'agency', agencyId: 'so-tu-phap' });
    for (const until of ['0000-01-01', '3000-01-01']) {
      const asked = await call('POST', `/api/v1/tasks/${taskId}/extension-requests`, { token: lead, body: { until, reason: 'cần thêm thời gian' } });
      expect(asked).toMatchObject({ status: 400, body: { type: expect.stringContaining('extension-until-invalid') } });
    }
  });

  it('refuses a deadline whose year cannot be read, naming it, and keeps the task as it was', async () => {
    const etag = await etagOf(taskId);
    const edit = await call('PATCH', `/api/v1/tasks/${taskId}`, {
      body: { deadline: 'trước ngày 31/12/99999', reason: 'điều chỉnh' },
      headers: { 'if-match': etag },
    });
    expect(edit).toMatchObject({ status: 400, body: { type: expect.stringContaining('deadline-unreadable'), detail: expect.stringContaining('31/12/99999') } });
    expect(await etagOf(taskId)).toBe(etag);
  });
});

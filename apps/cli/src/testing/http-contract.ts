// The HTTP contract of issue #3, as scripts and integrators rely on it; run against each deployment.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { periodContaining } from '@mandate/kernel';
import { SEEDS_DIR } from '@mandate/runtime';
import { signToken, type RequestActor } from '@mandate/http';
import { SignJWT } from 'jose';
import { TEST_SECRET, type Deployment } from './deployments';

const SECRET = TEST_SECRET;
/** A bearer token, or the promise of one as signToken gives it: `call` awaits it. */
type Bearer = string | Promise<string>;
const token = (actor: Partial<RequestActor> & { cityId: string; role: RequestActor['role'] }) =>
  signToken(SECRET, { userId: `${actor.role}-user`, agencyId: null, ...actor });

const office = token({ cityId: 'ha-noi', role: 'office' });
const justiceOfficer = token({ cityId: 'ha-noi', role: 'agency', agencyId: 'so-tu-phap', userId: 'nguyen-van-a' });
const financeOfficer = token({ cityId: 'ha-noi', role: 'agency', agencyId: 'so-tai-chinh' });
const haiPhongOffice = token({ cityId: 'hai-phong', role: 'office' });

type Json = Record<string, any>;

export const eventually = async <T>(probe: () => Promise<T>, accept: (value: T) => boolean, ms = 20_000): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
};

export const httpContract = (name: string, deploy: () => Promise<Deployment>) =>
  describe(`HTTP API v1 (${name} deployment): one status change, end to end`, () => {
    jest.setTimeout(120_000);
    let deployment: Deployment;

    const call = async (method: string, url: string, options: { token?: Bearer; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${await options.token}`;
      if (options.body !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
      const response = await fetch(`${deployment.url()}${url}`, {
        method,
        headers,
        body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Json };
    };

    beforeAll(async () => {
      deployment = await deploy();
    }, 180_000);

    afterAll(async () => {
      await deployment?.stop();
    });

    let haNoiPlan: Json;
    /** A command sent with an Idempotency-Key, retried again after the restart. */
    let retriedStatus: { task: string; key: string; post: (body: unknown, key: string) => ReturnType<typeof call> };
    let firstTask: Json;
    let secondTask: Json;

    it('answers /health without a token, with security headers and no CORS grant to other origins', async () => {
      const res = await call('GET', '/health', { headers: { origin: 'https://evil.example' } });
      expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('x-powered-by')).toBeNull();
    });

    it("serves one OpenAPI document of every service's routes without a token, and its page", async () => {
      const response = await fetch(`${deployment.url()}/api/docs-json`);
      expect(response.status).toBe(200);
      const paths = Object.keys(((await response.json()) as Json).paths);
      for (const path of [
        '/api/v1/tasks/{taskId}/status',
        '/api/v1/reporting/dashboard',
        '/api/v1/webhooks',
        '/api/v1/agencies/{agencyId}/tasks',
        '/api/v1/notifications/preferences',
        '/api/v1/api-keys',
      ]) {
        expect(paths).toContain(path);
      }
      expect((await fetch(`${deployment.url()}/api/docs`)).status).toBe(200);
    });

    it('publishes its event contract without a token: AsyncAPI, every JSON Schema, a readable page', async () => {
      const yamlResponse = await fetch(`${deployment.url()}/api/v1/asyncapi.yaml`);
      expect(yamlResponse.status).toBe(200);
      const text = await yamlResponse.text();
      const { parse } = await import('yaml');
      const doc = parse(text) as Json;
      expect(doc.asyncapi).toBe('3.0.0');
      const refs = [...text.matchAll(/\$ref: '([^'#][^']*)'/g)].map((m) => m[1]);
      expect(refs.length).toBeGreaterThan(20);
      expect(refs.every((r) => r.startsWith('/api/v1/schemas/'))).toBe(true);
      const schema = await fetch(`${deployment.url()}/api/v1/schemas/vn.mandate.task.status-changed.v2.schema.json`);
      expect(schema.status).toBe(200);
      expect(((await schema.json()) as Json).$id).toBe('urn:mandate:schema:vn.mandate.task.status-changed.v2');
      for (const ref of new Set(refs)) expect((await fetch(`${deployment.url()}${ref}`)).status).toBe(200);
      expect((await fetch(`${deployment.url()}/api/v1/schemas/passwd`)).status).toBe(404);
      const page = await fetch(`${deployment.url()}/api/v1/asyncapi`);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const html = await page.text();
      expect(html).toContain('vn.mandate.task.status-changed.v2');
      expect(html).toContain('mandate.tasks.v1');
    });

    it('refuses the API without a token, as problem+json', async () => {
      const res = await call('GET', '/api/v1/plans');
      expect(res.status).toBe(401);
      expect((await call('GET', '/api/v1/plans', { token: 'not-a-jwt' })).status).toBe(401);
      const forged = signToken('another-secret-another-secret-another-secret', { userId: 'x', role: 'office', agencyId: null, cityId: 'ha-noi' });
      expect((await call('GET', '/api/v1/plans', { token: forged })).status).toBe(401);
      // Well signed, but of a city this deployment does not serve, or never expiring.
      expect((await call('GET', '/api/v1/plans', { token: token({ cityId: 'atlantis', role: 'office' }) })).status).toBe(401);
      const forever = await new SignJWT({ sub: 'x', city: 'ha-noi', role: 'office' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setIssuer('mandate')
        .sign(new TextEncoder().encode(SECRET));
      expect((await call('GET', '/api/v1/plans', { token: forever })).status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: expect.stringContaining('missing-token'), title: expect.any(String), status: 401 });
    });

    it("names the caller's city's agencies and leaders (the directory), and no other city's", async () => {
      const haNoi = await call('GET', '/api/v1/directory', { token: justiceOfficer });
      expect(haNoi.status).toBe(200);
      expect(haNoi.body.cityId).toBe('ha-noi');
      expect(haNoi.body.agencies).toContainEqual(expect.objectContaining({ id: 'so-tu-phap', name: 'Sở Tư pháp' }));
      expect(haNoi.body.leaders.length).toBeGreaterThan(0);
      const haiPhong = await call('GET', '/api/v1/directory', { token: haiPhongOffice });
      expect(haiPhong.body.cityId).toBe('hai-phong');
      const names = (haiPhong.body.agencies as Json[]).map((a) => a.name);
      expect(names).toContain('Văn phòng UBND thành phố Hải Phòng');
      expect(names).not.toContain('Văn phòng UBND thành phố Hà Nội');
      expect((await call('GET', '/api/v1/directory')).status).toBe(401);
    });

    it('lists the seeded plans of the caller’s city only', async () => {
      const haNoi = await call('GET', '/api/v1/plans', { token: office });
      expect(haNoi.status).toBe(200);
      haNoiPlan = haNoi.body.items.find((p: Json) => p.number === '183/KH-UBND');
      expect(haNoiPlan).toMatchObject({ number: '183/KH-UBND', issuedOn: '2021-08-10', taskCount: 43 });
      expect(haNoi.body.items.map((p: Json) => p.number)).not.toContain('86/KH-UBND');

      const haiPhong = await call('GET', '/api/v1/plans', { token: haiPhongOffice });
      expect(haiPhong.body.items.map((p: Json) => p.number).sort()).toEqual(['02/CT-UBND', '35/KH-UBND', '40/KH-UBND', '86/KH-UBND']);
    });

    it('pages through a plan’s tasks in document order', async () => {
      const page1 = await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?limit=20`, { token: office });
      expect(page1.status).toBe(200);
      expect(page1.body.items).toHaveLength(20);
      firstTask = page1.body.items[0];
      secondTask = page1.body.items[1];
      expect(firstTask).toMatchObject({
        title: 'Xây dựng, trình Quốc hội thông qua Luật Thủ đô sửa đổi.',
        lead: { agencyId: 'so-tu-phap', name: 'Sở Tư pháp' },
        deadline: { kind: 'done' },
        status: { code: 'not_started', label: 'Chưa thực hiện' },
        version: 2,
      });
      const page2 = await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?limit=20&cursor=${page1.body.next}`, { token: office });
      const page3 = await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?limit=20&cursor=${page2.body.next}`, { token: office });
      const ids = [...page1.body.items, ...page2.body.items, ...page3.body.items].map((t: Json) => t.id);
      expect(new Set(ids).size).toBe(43);
      expect(page3.body.next).toBeNull();
      const bad = await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?limit=5000`, { token: office });
      expect(bad.status).toBe(400);
    });

    it('serves a task with its version as a strong ETag', async () => {
      const res = await call('GET', `/api/v1/tasks/${firstTask.id}`, { token: office });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"2"');
      expect(res.body).toMatchObject({ id: firstTask.id, planNumber: '183/KH-UBND', supervisor: 'PCT TT Lê Hồng Sơn' });
    });

    it('hides another city’s plans and tasks behind 404', async () => {
      expect((await call('GET', `/api/v1/tasks/${firstTask.id}`, { token: haiPhongOffice })).status).toBe(404);
      expect((await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks`, { token: haiPhongOffice })).status).toBe(404);
      expect((await call('GET', `/api/v1/plans/${haNoiPlan.id}/summary`, { token: haiPhongOffice })).status).toBe(404);
      const write = await call('POST', `/api/v1/tasks/${firstTask.id}/status`, {
        token: haiPhongOffice,
        body: { status: 'in_progress' },
        headers: { 'if-match': '"2"' },
      });
      expect(write.status).toBe(404);
      expect((await call('GET', '/api/v1/tasks/not-a-uuid', { token: office })).status).toBe(404);
    });

    describe('changing the status', () => {
      const change = (body: unknown, headers: Record<string, string>, as = justiceOfficer) =>
        call('POST', `/api/v1/tasks/${firstTask.id}/status`, { token: as, body, headers });

      it('requires If-Match (428), a fresh one (412), a known status (400) and well-formed JSON (400)', async () => {
        expect((await change({ status: 'in_progress' }, {})).status).toBe(428);
        const stale = await change({ status: 'in_progress' }, { 'if-match': '"1"' });
        expect(stale.status).toBe(412);
        expect(stale.body.type).toContain('concurrency');
        expect((await change({ status: 'in_progress' }, { 'if-match': 'W/"2"' })).status).toBe(412);
        const unknown = await change({ status: 'finished' }, { 'if-match': '"2"' });
        expect(unknown.status).toBe(400);
        expect(unknown.body.detail).toContain('not_started');
        const malformed = await call('POST', `/api/v1/tasks/${firstTask.id}/status`, {
          token: justiceOfficer,
          raw: '{"status":',
          headers: { 'if-match': '"2"' },
        });
        expect(malformed.status).toBe(400);
        expect(malformed.body.type).toContain('malformed-json');
        const huge = await call('POST', `/api/v1/tasks/${firstTask.id}/status`, {
          token: justiceOfficer,
          body: { status: 'in_progress', note: 'x'.repeat(2_000_000) },
          headers: { 'if-match': '"2"' },
        });
        expect(huge.status).toBe(413);
      });

      it('refuses an agency that does not lead the task (403)', async () => {
        const res = await change({ status: 'in_progress' }, { 'if-match': '"2"' }, financeOfficer);
        expect(res.status).toBe(403);
      });

      it('lets the lead agency start the task: 200 and the new ETag', async () => {
        const res = await change({ status: 'in_progress', note: 'Đã giao phòng Pháp chế' }, { 'if-match': '"2"', 'x-correlation-id': 'corr-e2e-1' });
        expect(res.status).toBe(200);
        expect(res.headers.get('etag')).toBe('"3"');
        expect(res.body.status).toMatchObject({ code: 'in_progress' });
      });

      it('answers a retried command with an Idempotency-Key once, and applies it once', async () => {
        const task = secondTask.id as string;
        const post = (body: unknown, key: string) =>
          call('POST', `/api/v1/tasks/${task}/status`, { token: office, body, headers: { 'if-match': '"2"', 'idempotency-key': key } });
        const key = `retry-${Date.now()}`;
        retriedStatus = { task, key, post };
        const first = await post({ status: 'in_progress', note: 'Bắt đầu' }, key);
        const retry = await post({ status: 'in_progress', note: 'Bắt đầu' }, key);
        expect(first.status).toBe(200);
        expect(retry.status).toBe(200);
        expect(retry.headers.get('idempotent-replayed')).toBe('true');
        expect(retry.headers.get('etag')).toBe('"3"');
        expect(retry.body).toEqual(first.body);
        const history = await call('GET', `/api/v1/tasks/${task}/history`, { token: office });
        expect(history.body.items).toHaveLength(3); // applied once
        const reused = await post({ status: 'paused', note: 'Chờ chủ trương' }, key);
        expect(reused.status).toBe(422);
        expect(reused.body.type).toContain('idempotency-key-reused');
      });

      it('refuses a transition the rules forbid (422)', async () => {
        const res = await change({ status: 'completed' }, { 'if-match': '"3"' }, office);
        expect(res.status).toBe(422);
        expect(res.body.type).toContain('transition-not-allowed');
      });

      it('records the change in the task’s history with its actor, correlation id and hash', async () => {
        const res = await call('GET', `/api/v1/tasks/${firstTask.id}/history`, { token: office });
        expect(res.body.items.map((i: Json) => i.type)).toEqual(['TaskIssued', 'TaskAssigned', 'TaskStatusChanged']);
        const last = res.body.items[2];
        expect(last).toMatchObject({
          version: 3,
          actor: { userId: 'nguyen-van-a', role: 'agency', agencyId: 'so-tu-phap' },
          correlationId: 'corr-e2e-1',
          data: { from: 'not_started', to: 'in_progress', note: 'Đã giao phòng Pháp chế' },
        });
        expect(last.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(last.position).toBeGreaterThan(res.body.items[1].position);
      });

      it('reaches the reporting summary and the agency’s work queue through the bus', async () => {
        const summary = await eventually(
          () => call('GET', `/api/v1/plans/${haNoiPlan.id}/summary`, { token: office }),
          (r) => r.body?.byStatus?.in_progress === 2,
        );
        expect(summary.body.byStatus).toMatchObject({ not_started: 41, in_progress: 2, completed: 0 });
        const queue = await eventually(
          () => call('GET', '/api/v1/agencies/so-tu-phap/tasks', { token: justiceOfficer }),
          (r) => r.body?.items?.some((i: Json) => i.taskId === firstTask.id && i.status === 'in_progress'),
        );
        expect(queue.body.items.find((i: Json) => i.taskId === firstTask.id)).toMatchObject({ relation: 'lead', status: 'in_progress' });
        expect((await call('GET', '/api/v1/agencies/so-tai-chinh/tasks', { token: justiceOfficer })).status).toBe(403);
      });
    });

    describe('following a task up: progress and extensions', () => {
      const planning = token({ cityId: 'ha-noi', role: 'planning', agencyId: 'so-ke-hoach-dau-tu' });
      const natureOfficer = token({ cityId: 'ha-noi', role: 'agency', agencyId: 'so-tai-nguyen-moi-truong' });
      const healthOfficer = token({ cityId: 'ha-noi', role: 'agency', agencyId: 'so-y-te' });
      const post = (path: string, body: unknown, as: Bearer, headers: Record<string, string> = {}) =>
        call('POST', `/api/v1/tasks/${secondTask.id}${path}`, { token: as, body, headers });

      let beforeFollowUp: string;

      it('takes progress reports from the lead and coordinating agencies, not from others', async () => {
        beforeFollowUp = new Date().toISOString();
        await new Promise((r) => setTimeout(r, 20));
        const before = Number((await call('GET', `/api/v1/tasks/${secondTask.id}`, { token: office })).body.version);
        const lead = await post('/progress', { percent: 30, text: 'Đã dự thảo Đề án' }, financeOfficer);
        expect(lead.status).toBe(200);
        expect(lead.body.progress).toMatchObject({ percent: 30, text: 'Đã dự thảo Đề án' });
        expect(lead.headers.get('etag')).toBe(`"${before + 1}"`);
        const coordinator = await post('/progress', { percent: 40, text: 'Đã góp ý dự thảo' }, natureOfficer, { 'if-match': `"${before + 1}"` });
        expect(coordinator.status).toBe(200);
        expect((await post('/progress', { percent: 50, text: 'x' }, healthOfficer)).body).toMatchObject({
          status: 403,
          type: expect.stringContaining('progress-forbidden'),
        });
        expect((await post('/progress', { percent: 150, text: 'x' }, financeOfficer)).status).toBe(400);
        expect((await post('/progress', { percent: 50, text: 'x' }, financeOfficer, { 'if-match': `"${before + 1}"` })).status).toBe(412);
      });

      it('lets the lead ask for more time, and the planning department grant it: a new due date as an event', async () => {
        expect((await post('/extension-requests', { until: '2021-09-01', reason: 'x' }, financeOfficer)).status).toBe(400); // before the due date
        expect((await post('/extension-requests', { until: '2021-12-31', reason: 'x' }, natureOfficer)).status).toBe(403);
        const asked = await post('/extension-requests', { until: '2021-12-31', reason: 'Chờ ý kiến của Bộ Tài chính' }, financeOfficer);
        expect(asked).toMatchObject({ status: 201, body: { status: 'pending', until: '2021-12-31' } });
        expect(asked.headers.get('location')).toBe(`/api/v1/tasks/${secondTask.id}/extension-requests/${asked.body.id}`);
        expect((await post('/extension-requests', { until: '2022-01-31', reason: 'y' }, financeOfficer)).body).toMatchObject({
          status: 422,
          type: expect.stringContaining('extension-pending'),
        });
        expect((await post(`/extension-requests/${asked.body.id}/approve`, {}, financeOfficer)).status).toBe(403);
        const granted = await post(`/extension-requests/${asked.body.id}/approve`, { note: 'Đồng ý' }, planning);
        expect(granted.status).toBe(200);
        expect(granted.body.deadline).toEqual({ text: 'Gia hạn đến ngày 31/12/2021', kind: 'date', due: '2021-12-31', start: null, recurrence: null });
        expect(granted.body.extensions).toEqual([{ requestId: asked.body.id, until: '2021-12-31', reason: 'Chờ ý kiến của Bộ Tài chính', status: 'approved' }]);
        const listed = await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?limit=2`, { token: office });
        expect(listed.body.items[1]).toMatchObject({
          id: secondTask.id,
          deadline: { due: '2021-12-31' },
          version: Number(granted.headers.get('etag')!.replace(/"/g, '')),
        });
        const history = await call('GET', `/api/v1/tasks/${secondTask.id}/history`, { token: office });
        expect(history.body.items.map((e: Json) => e.type).slice(-4)).toEqual([
          'ProgressReported',
          'ProgressReported',
          'ExtensionRequested',
          'ExtensionApproved',
        ]);
        expect(history.body.items.at(-1)).toMatchObject({ actor: { role: 'planning' }, data: { previousDeadline: { due: '2021-09-30' } } });
      });

      it('records a refusal with its reason; an unknown request is 404', async () => {
        const asked = await post('/extension-requests', { until: '2022-03-31', reason: 'Thêm thời gian' }, financeOfficer);
        expect((await post(`/extension-requests/${asked.body.id}/reject`, {}, office)).status).toBe(400); // reason required
        const refused = await post(`/extension-requests/${asked.body.id}/reject`, { reason: 'Không có căn cứ' }, office);
        expect(refused.status).toBe(200);
        expect(refused.body.deadline.due).toBe('2021-12-31');
        expect(refused.body.extensions.at(-1)).toMatchObject({ status: 'rejected' });
        expect((await post('/extension-requests/00000000-0000-4000-8000-000000000000/approve', {}, office)).status).toBe(404);
      });

      it('answers as of an earlier instant from the log, and lists what changed since', async () => {
        const then = await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?asOf=${beforeFollowUp}&limit=2`, { token: office });
        expect(then.status).toBe(200);
        expect(then.body.items[1]).toMatchObject({ id: secondTask.id, deadline: { due: '2021-09-30' } });
        const task = await call('GET', `/api/v1/tasks/${secondTask.id}?asOf=${beforeFollowUp}`, { token: office });
        expect(task.body).toMatchObject({ deadline: { due: '2021-09-30' }, progress: null, extensions: [] });
        const all = await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?asOf=${beforeFollowUp}&limit=40`, { token: office });
        const rest = await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?asOf=${beforeFollowUp}&limit=40&cursor=${all.body.next}`, { token: office });
        expect(all.body.items.length + rest.body.items.length).toBe(43);
        expect(rest.body.next).toBeNull();

        const now = new Date(Date.now() + 1000).toISOString();
        const diff = await call('GET', `/api/v1/plans/${haNoiPlan.id}/diff?from=${beforeFollowUp}&to=${now}`, { token: office });
        expect(diff.status).toBe(200);
        const changed = diff.body.tasks.find((t: Json) => t.taskId === secondTask.id);
        expect(changed.before).toMatchObject({ due: '2021-09-30' });
        expect(changed.after).toMatchObject({ due: '2021-12-31' });
        expect(changed.events.map((e: Json) => e.type)).toEqual([
          'ProgressReported',
          'ProgressReported',
          'ExtensionRequested',
          'ExtensionApproved',
          'ExtensionRequested',
          'ExtensionRejected',
        ]);
        expect(changed.events[3].actor).toMatchObject({ role: 'planning' });

        expect((await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?asOf=2000-01-01T00:00:00Z`, { token: office })).status).toBe(404);
        expect((await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?asOf=yesterday`, { token: office })).status).toBe(400);
        expect((await call('GET', `/api/v1/plans/${haNoiPlan.id}/diff?from=${now}&to=${beforeFollowUp}`, { token: office })).status).toBe(400);
        expect((await call('GET', `/api/v1/plans/${haNoiPlan.id}/diff?from=${beforeFollowUp}&to=${now}`, { token: haiPhongOffice })).status).toBe(404);
      });
    });

    describe('the lifecycle of a task, step by step, and as it was at every step', () => {
      const planning = token({ cityId: 'ha-noi', role: 'planning', agencyId: 'so-ke-hoach-dau-tu' });
      const natureOfficer = token({ cityId: 'ha-noi', role: 'agency', agencyId: 'so-tai-nguyen-moi-truong' });
      const steps: { at: string; status: string; due: string; label: string }[] = [];
      let task: Json;
      let version: number;

      const act = async (path: string, body: unknown, as: Bearer, expected: number) => {
        const res = await call('POST', `/api/v1/tasks/${task.id}${path}`, { token: as, body, headers: { 'if-match': `"${version}"` } });
        expect([path, res.status, res.body?.detail]).toEqual([path, expected, expected >= 400 ? res.body.detail : undefined]);
        if (res.status < 300 && res.headers.get('etag')) version = Number(res.headers.get('etag')!.replace(/"/g, ''));
        return res;
      };
      const record = async () => {
        await new Promise((r) => setTimeout(r, 15));
        const now = await call('GET', `/api/v1/tasks/${task.id}`, { token: office });
        steps.push({ at: new Date().toISOString(), status: now.body.status.code, due: now.body.deadline.due, label: now.body.status.label });
        await new Promise((r) => setTimeout(r, 15));
        return now.body;
      };

      it('goes through assignment, start, extension, submission, return, resubmission and late confirmation', async () => {
        const page = await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?limit=5`, { token: office });
        task = page.body.items.find((t: Json) => t.ref === 'PL2.I.4');
        version = task.version;
        expect(task).toMatchObject({ lead: { agencyId: 'so-tai-nguyen-moi-truong' }, deadline: { due: '2021-11-30' } });
        await record();

        await act('/reassign', { leadAgencyId: 'so-tai-nguyen-moi-truong', coordinatorAgencyIds: ['so-tai-chinh', 'khong-co'] }, office, 400);
        const reassigned = await act('/reassign', { leadAgencyId: 'so-tai-nguyen-moi-truong', coordinatorAgencyIds: ['so-tai-chinh'] }, office, 200);
        expect(reassigned.body.coordinators.map((c: Json) => c.agencyId)).toEqual(['so-tai-chinh']);
        await act('/start', {}, financeOfficer, 403);
        await act('/start', {}, natureOfficer, 200);
        expect((await record()).status).toEqual({ code: 'in_progress', timeliness: 'overdue', label: 'Đang thực hiện - quá hạn' });

        const asked = await call('POST', `/api/v1/tasks/${task.id}/extension-requests`, {
          token: natureOfficer,
          body: { until: '2022-03-31', reason: 'Chờ hướng dẫn của Bộ' },
        });
        expect(asked.status).toBe(201);
        const granted = await call('POST', `/api/v1/tasks/${task.id}/extension-requests/${asked.body.id}/approve`, { token: planning, body: {} });
        version = granted.body.version;
        expect((await record()).deadline.due).toBe('2022-03-31');

        await act('/submit', { text: 'Đã trình Đề án' }, natureOfficer, 200);
        expect((await record()).status.label).toBe('Chờ xác nhận');
        await act('/confirm', {}, natureOfficer, 403);
        await act('/return', {}, planning, 400);
        await act('/return', { reason: 'Thiếu đánh giá tác động' }, planning, 200);
        expect((await record()).status.label).toBe('Thực hiện lại - quá hạn');
        await act('/submit', { text: 'Đã bổ sung' }, natureOfficer, 200);
        await record();
        await act('/confirm', {}, office, 200);
        expect((await record()).status).toEqual({ code: 'completed', timeliness: 'completed_late', label: 'Hoàn thành quá hạn' });
        await act('/pause', { reason: 'x' }, office, 422);

        const history = await call('GET', `/api/v1/tasks/${task.id}/history`, { token: office });
        expect(history.body.items.map((e: Json) => (e.type === 'TaskStatusChanged' ? `${e.data.from}->${e.data.to}` : e.type)).slice(2)).toEqual([
          'TaskAssigned',
          'not_started->in_progress',
          'ExtensionRequested',
          'ExtensionApproved',
          'in_progress->submitted',
          'submitted->returned',
          'returned->submitted',
          'submitted->completed',
        ]);
        expect(history.body.items.find((e: Json) => e.data.to === 'returned')).toMatchObject({
          actor: { role: 'planning' },
          data: { note: 'Thiếu đánh giá tác động' },
        });
      });

      it('answers as of every step exactly as the task was then', async () => {
        for (const step of steps) {
          const then = await call('GET', `/api/v1/tasks/${task.id}?asOf=${step.at}`, { token: office });
          expect([step.at, then.body.status.code, then.body.deadline.due]).toEqual([step.at, step.status, step.due]);
          const listed = await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?asOf=${step.at}&limit=5`, { token: office });
          expect(listed.body.items.find((t: Json) => t.id === task.id).status.code).toBe(step.status);
        }
      });

      it('lets the lead decline a task with a reason, the office give it to another agency, pause, resume and cancel it', async () => {
        const page = await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?limit=6`, { token: office });
        task = page.body.items.find((t: Json) => t.ref === 'PL2.I.6');
        version = task.version;
        const leadId = task.lead.agencyId as string;
        const leadOfficer = token({ cityId: 'ha-noi', role: 'agency', agencyId: leadId });
        const edit = (body: unknown, as = office) => call('PATCH', `/api/v1/tasks/${task.id}`, { token: as, body, headers: { 'if-match': `"${version}"` } });
        expect((await edit({ deadline: 'Quý II/2022' })).status).toBe(400); // no reason
        expect((await edit({ deadline: 'khi nào xong', reason: 'x' })).body).toMatchObject({
          status: 400,
          type: expect.stringContaining('deadline-unreadable'),
        });
        expect((await edit({ deadline: 'Quý II/2022', reason: 'x' }, leadOfficer)).status).toBe(403);
        const edited = await edit({ deadline: 'Quý II/2022', reason: 'Theo Thông báo kết luận của Chủ tịch' });
        expect(edited.status).toBe(200);
        expect(edited.body.deadline).toMatchObject({ text: 'Quý II/2022', due: '2022-06-30' });
        expect(edited.body.adjusted).toEqual({
          at: expect.any(String),
          reason: 'Theo Thông báo kết luận của Chủ tịch',
          fields: ['deadline'],
          label: 'Đã điều chỉnh',
        });
        const listed = await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?limit=6`, { token: office });
        expect(listed.body.items.find((t: Json) => t.id === task.id).adjusted).toEqual({ at: edited.body.adjusted.at, label: 'Đã điều chỉnh' });
        expect(listed.body.items.find((t: Json) => t.id !== task.id).adjusted).toBeNull();
        version = edited.body.version;
        await act('/finish', {}, office, 404); // not a move
        await act('/decline', {}, leadOfficer, 400);
        await act('/decline', { reason: 'Không thuộc chức năng' }, leadOfficer, 200);
        const given = await act('/reassign', { leadAgencyId: 'so-tai-chinh' }, office, 200);
        expect(given.body).toMatchObject({ lead: { agencyId: 'so-tai-chinh' }, status: { code: 'not_started' } });
        await act('/start', {}, financeOfficer, 200);
        await act('/pause', { reason: 'Chờ chủ trương' }, office, 200);
        await act('/start', {}, financeOfficer, 403); // resuming is the office's
        const resumed = await act('/resume', undefined, office, 200);
        expect(resumed.body.status.code).toBe('in_progress');
        await act('/cancel', { reason: 'Không còn phù hợp' }, office, 200);
        expect((await call('GET', `/api/v1/tasks/${task.id}`, { token: office })).body.status).toEqual({
          code: 'cancelled',
          timeliness: 'no_deadline',
          label: 'Dừng thực hiện',
        });
      });

      it('filters and sorts the plan’s tasks, and counts them per agency and per leader as the report does (hand count)', async () => {
        const list = async (query: string) => (await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?limit=200&${query}`, { token: office })).body;
        expect((await list('agency=so-tai-nguyen-moi-truong')).items.map((t: Json) => t.ref)).toEqual(['PL2.I.4', 'PL2.II.14']);
        expect((await list('timeliness=completed_late')).items.map((t: Json) => t.ref)).toEqual(['PL2.I.4']);
        expect((await list('status=cancelled')).items.map((t: Json) => t.ref)).toEqual(['PL2.I.6']);
        const byLeader = await list('supervisor=PCT%20Nguv%E1%BB%85n%20Tr%E1%BB%8Dng%20%C4%90%C3%B4ng'); // the source's typo finds the person
        expect(byLeader.total).toBe(5);
        const sorted = (await list('sort=-due&dueAfter=2021-01-01')).items.map((t: Json) => t.deadline.due as string);
        expect(sorted).toEqual([...sorted].sort().reverse());
        expect((await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?status=finished`, { token: office })).status).toBe(400);

        const counts = (await call('GET', `/api/v1/plans/${haNoiPlan.id}/counts?by=agency`, { token: office })).body;
        const row = (key: string) => counts.rows.find((r: Json) => r.key === key);
        // Sở TN&MT: PL2.I.4 completed late (after its extension), PL2.II.14 not started, due 30/11/2021.
        expect(row('so-tai-nguyen-moi-truong')).toMatchObject({
          assigned: 2,
          due: 2,
          completedOnTime: 0,
          completedLate: 1,
          openOnTime: 0,
          openOverdue: 1,
          cancelled: 0,
        });
        // Sở Tài chính: PL2.I.2 open past its extended due day; PL2.I.6 given to it, then cancelled.
        expect(row('so-tai-chinh')).toMatchObject({ assigned: 2, due: 2, completedOnTime: 0, completedLate: 0, openOnTime: 0, openOverdue: 1, cancelled: 1 });
        expect(counts.total.assigned).toBe(43);
        const leaders = (await call('GET', `/api/v1/plans/${haNoiPlan.id}/counts?by=supervisor`, { token: office })).body;
        expect(leaders.rows.find((r: Json) => r.name === 'Nguyễn Trọng Đông')).toMatchObject({ assigned: 5 });
        expect(leaders.rows.some((r: Json) => r.name.startsWith('Nguvễn'))).toBe(false);
      });

      it('consolidates the plan in the reporting service from the published events: the same hand count, the appendix in XLSX, DOCX, PDF and CSV', async () => {
        const counts = (await call('GET', `/api/v1/plans/${haNoiPlan.id}/counts?by=agency`, { token: office })).body;
        // The reporting service folds its own copy of the events: wait until it has caught up.
        const report = await eventually(
          () => call('GET', `/api/v1/plans/${haNoiPlan.id}/report`, { token: office }),
          (r) => r.status === 200 && JSON.stringify(r.body.totals) === JSON.stringify(counts.total),
        );
        expect(report.status).toBe(200);
        expect(report.body.totals).toEqual(counts.total);
        expect(report.body.byAgency.find((r: Json) => r.key === 'so-tai-nguyen-moi-truong').counts).toMatchObject({
          assigned: 2,
          completedLate: 1,
          openOverdue: 1,
        });
        expect(report.body.tasks).toHaveLength(43);
        expect(report.body.tasks[0]).toMatchObject({ ref: 'PL2.I.1', position: 1, group: expect.stringMatching(/^I\./) });
        expect(report.body.overdue.length).toBe(counts.total.openOverdue);

        const download = async (query: string) => {
          const response = await fetch(`${deployment.url()}/api/v1/plans/${haNoiPlan.id}/report?${query}`, {
            headers: { authorization: `Bearer ${await office}` },
          });
          return {
            status: response.status,
            type: response.headers.get('content-type'),
            disposition: response.headers.get('content-disposition'),
            bytes: Buffer.from(await response.arrayBuffer()),
          };
        };
        const xlsx = await download('format=xlsx');
        expect(xlsx).toMatchObject({
          status: 200,
          type: expect.stringContaining('spreadsheetml'),
          disposition: expect.stringMatching(/attachment; filename="bao-cao-183-kh-ubnd\.xlsx"/),
        });
        const ExcelJS = (await import('exceljs')).default;
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
        const sheet = workbook.worksheets[0];
        const values: string[][] = [];
        sheet.eachRow((row) => values.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
        const header = values.findIndex((r) => r[0] === 'TT' && r[1] === 'Nhiệm vụ');
        expect(values[header]).toEqual(['TT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Sản phẩm', 'Thời hạn', 'Tình hình thực hiện']);
        const first = report.body.tasks[0];
        expect(values[header + 1][0]).toBe(first.group);
        expect(values[header + 2].slice(0, 3)).toEqual(['1', first.title, first.lead.name]);
        const docx = await download('format=docx');
        expect(docx).toMatchObject({ status: 200, type: expect.stringContaining('wordprocessingml') });
        const JSZip = (await import('jszip')).default;
        const xml = await (await JSZip.loadAsync(docx.bytes)).file('word/document.xml')!.async('string');
        expect(xml).toContain('183/KH-UBND');
        expect(xml).toContain('Tình hình thực hiện');
        const pdf = await download('format=pdf');
        expect(pdf.status).toBe(200);
        expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
        const csv = await download('format=csv&table=1');
        expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        expect(csv.bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe(
          'TT,Cơ quan chủ trì,Đã giao,Đến hạn,Hoàn thành đúng hạn,Hoàn thành quá hạn,Chưa hoàn thành trong hạn,Chưa hoàn thành quá hạn',
        );

        // The quarter whose data are being collected now: its cut-off is ahead, so it counts what is known now.
        const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
        const current = periodContaining(today, 'quarter')!;
        const quarter = await call('GET', `/api/v1/plans/${haNoiPlan.id}/report?period=${current.key}`, { token: office });
        expect(quarter.body.period).toEqual(current);
        expect(quarter.body.totals).toEqual(counts.total);
        // When 2021's last quarter was cut off, this deployment did not know the plan yet.
        expect((await call('GET', `/api/v1/plans/${haNoiPlan.id}/report?period=2021-Q4`, { token: office })).body).toMatchObject({
          status: 404,
          type: expect.stringContaining('plan-not-found'),
        });
        expect((await call('GET', `/api/v1/plans/${haNoiPlan.id}/report?period=2021-Q5`, { token: office })).body).toMatchObject({
          status: 400,
          type: expect.stringContaining('period-unknown'),
        });
        expect((await call('GET', `/api/v1/plans/${haNoiPlan.id}/report?format=odt`, { token: office })).status).toBe(400);
        expect((await call('GET', `/api/v1/plans/${haNoiPlan.id}/report`, { token: haiPhongOffice })).status).toBe(404);
        expect((await call('GET', `/api/v1/plans/not-a-plan/report`, { token: office })).status).toBe(404);
      });

      it("runs a quarter's reporting cycle: requests once per agency, a report drafted, sent, returned, sent again and accepted, then consolidated", async () => {
        const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
        const quarter = periodContaining(today, 'quarter')!;
        const planning = token({ cityId: 'ha-noi', role: 'planning', agencyId: 'so-ke-hoach-dau-tu' });
        const agencies = new Set(
          ((await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?limit=200`, { token: office })).body.items as Json[])
            .filter((t) => t.lead?.agencyId)
            .map((t) => t.lead.agencyId),
        );
        expect((await call('POST', `/api/v1/plans/${haNoiPlan.id}/report-requests`, { token: justiceOfficer, body: { period: quarter.key } })).status).toBe(
          403,
        );
        expect((await call('POST', `/api/v1/plans/${haNoiPlan.id}/report-requests`, { token: planning, body: { period: '2024-Q7' } })).status).toBe(400);
        const requested = await call('POST', `/api/v1/plans/${haNoiPlan.id}/report-requests`, { token: planning, body: { period: quarter.key } });
        expect(requested.status).toBe(201);
        expect(requested.body.created).toBe(agencies.size);
        const again = await call('POST', `/api/v1/plans/${haNoiPlan.id}/report-requests`, { token: planning, body: { period: quarter.key } });
        expect(again).toMatchObject({ status: 200, body: { created: 0 } });
        expect(again.body.items).toHaveLength(agencies.size);

        const mine = await call('GET', `/api/v1/reporting/reports?planId=${haNoiPlan.id}&period=${quarter.key}`, { token: justiceOfficer });
        expect(mine.body.items).toHaveLength(1);
        const report = mine.body.items[0];
        expect(report).toMatchObject({
          agency: { agencyId: 'so-tu-phap' },
          status: 'requested',
          receiver: 'Sở Kế hoạch và Đầu tư',
          period: { key: quarter.key, due: quarter.due },
        });
        const justiceTasks = (
          (await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?limit=200&agency=so-tu-phap`, { token: office })).body.items as Json[]
        ).map((t) => t.id);
        const url = `/api/v1/reporting/reports/${report.id}`;
        const content = {
          summary: 'Sở Tư pháp báo cáo tình hình thực hiện',
          tasks: [
            {
              taskId: justiceTasks[0],
              progress: 40,
              result: 'Đã hoàn thành rà soát bước 1',
              difficulties: 'Thiếu nhân lực chuyên môn',
              proposals: 'Đề nghị bổ sung kinh phí',
            },
          ],
          indicators: [
            { indicator: 'Tỷ lệ văn bản được rà soát', actual: '40%' },
            { indicator: 'PL1.1', actual: '7,8' },
          ],
        };
        expect((await call('PUT', url, { token: financeOfficer, body: content })).status).toBe(404); // another agency's report
        expect((await call('PUT', url, { token: justiceOfficer, body: { ...content, tasks: [{ taskId: haNoiPlan.id }] } })).body).toMatchObject({
          status: 400,
        });
        const draft = await call('PUT', url, { token: justiceOfficer, body: content });
        expect(draft).toMatchObject({ status: 200, body: { status: 'draft' } });
        expect(draft.headers.get('etag')).toBe(`"${draft.body.version}"`);
        expect((await call('POST', `${url}/submit`, { token: justiceOfficer, body: {}, headers: { 'if-match': '"1"' } })).status).toBe(412);
        const sent = await call('POST', `${url}/submit`, { token: justiceOfficer, body: {} });
        expect(sent.body).toMatchObject({ status: 'submitted', late: today > quarter.due });
        expect((await call('POST', `${url}/accept`, { token: justiceOfficer, body: {} })).status).toBe(403);
        expect((await call('POST', `${url}/return`, { token: planning, body: { reason: ' ' } })).status).toBe(400);
        expect((await call('POST', `${url}/return`, { token: planning, body: { reason: 'Bổ sung số liệu chỉ tiêu' } })).body).toMatchObject({
          status: 'returned',
          returnedFor: 'Bổ sung số liệu chỉ tiêu',
        });
        expect((await call('POST', `${url}/submit`, { token: justiceOfficer, body: { content } })).body.status).toBe('submitted');
        expect((await call('POST', `${url}/accept`, { token: planning, body: { note: 'Đạt' } })).body.status).toBe('accepted');
        const history = await call('GET', `${url}/history`, { token: office });
        expect(history.body.items.map((e: Json) => [e.type, e.actor.role])).toEqual([
          ['ReportRequested', 'planning'],
          ['ReportDraftSaved', 'agency'],
          ['ReportSubmitted', 'agency'],
          ['ReportReturned', 'planning'],
          ['ReportSubmitted', 'agency'],
          ['ReportAccepted', 'planning'],
        ]);
        expect((await call('GET', '/api/v1/reporting/reports/00000000-0000-4000-8000-000000000000', { token: office })).status).toBe(404);
        expect((await call('GET', url, { token: haiPhongOffice })).status).toBe(404);

        const consolidated = await call('GET', `/api/v1/plans/${haNoiPlan.id}/report?period=${quarter.key}`, { token: planning });
        expect(consolidated.body.agencyReports).toHaveLength(agencies.size);
        expect(consolidated.body.agencyReports.find((r: Json) => r.agencyId === 'so-tu-phap')).toMatchObject({
          status: 'accepted',
          difficulties: ['Thiếu nhân lực chuyên môn'],
          proposals: ['Đề nghị bổ sung kinh phí'],
        });
        expect(consolidated.body.tasks.find((t: Json) => t.taskId === justiceTasks[0]).reported).toMatchObject({
          progress: 40,
          result: 'Đã hoàn thành rà soát bước 1',
        });
        expect(consolidated.body.agencyReports.filter((r: Json) => r.status === 'requested')).toHaveLength(agencies.size - 1);
        // The plan's 42 indicators (Phụ lục 1), the one reported judged against its target.
        expect(consolidated.body.indicators).toHaveLength(42);
        expect(consolidated.body.indicators[0]).toMatchObject({
          ref: 'PL1.1',
          unit: '%',
          target: { text: '7,5-8,0' },
          actual: '7,8',
          value: 7.8,
          achievement: 'met',
          reportedBy: 'Sở Tư pháp',
        });
        expect(consolidated.body.indicators[1]).toMatchObject({ ref: 'PL1.1.1', actual: null, achievement: null });
      });

      it("draws the city's dashboard from the same events: counts per plan, agency and leader, a monthly series; an agency sees its own", async () => {
        const plans = (await call('GET', '/api/v1/plans', { token: office })).body.items as Json[];
        const planCounts = await Promise.all(
          plans.map(async (p) => (await call('GET', `/api/v1/plans/${p.id}/counts?by=agency`, { token: office })).body.total),
        );
        const board = await eventually(
          () => call('GET', '/api/v1/reporting/dashboard', { token: office }),
          (r) => r.status === 200 && r.body.totals.assigned === planCounts.reduce((n: number, c: Json) => n + c.assigned, 0),
        );
        expect(board.body.totals.assigned).toBe(planCounts.reduce((n: number, c: Json) => n + c.assigned, 0));
        expect(board.body.byPlan.find((r: Json) => r.key === haNoiPlan.id).counts).toEqual(planCounts[plans.findIndex((p) => p.id === haNoiPlan.id)]);
        expect(board.body.series).toHaveLength(12);
        expect(board.body.series.at(-1).counts).toEqual(board.body.totals);
        expect(Object.values(board.body.byTimeliness as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(board.body.totals.assigned);
        const own = (await call('GET', '/api/v1/reporting/dashboard?every=week&points=4', { token: justiceOfficer })).body;
        expect(own.byAgency.map((r: Json) => r.key)).toEqual(['so-tu-phap']);
        expect(own.series).toHaveLength(4);
        expect((await call('GET', '/api/v1/reporting/dashboard?every=day', { token: office })).status).toBe(400);
        expect((await call('GET', '/api/v1/reporting/dashboard', { token: haiPhongOffice })).body.byPlan.some((r: Json) => r.key === haNoiPlan.id)).toBe(false);
      });

      it('lets an integrator page through the city’s events in log order and catch up after an outage', async () => {
        const integrator = token({ cityId: 'ha-noi', role: 'integrator' });
        const all: Json[] = [];
        for (let after: string | null = null; ;) {
          const page: { status: number; body: Json } = await call('GET', `/api/v1/events?limit=500${after ? `&after=${after}` : ''}`, { token: integrator });
          expect(page.status).toBe(200);
          all.push(...page.body.items);
          if (page.body.items.length < 500) break;
          after = page.body.next;
        }
        expect(all.length).toBeGreaterThan(100);
        expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
        expect(all.every((e) => e.cityid === 'ha-noi' && e.specversion === '1.0' && typeof e.position === 'string')).toBe(true);
        expect([...all.map((e) => e.position)].sort()).toEqual(all.map((e) => e.position)); // log order
        expect(all.some((e) => e.type === 'vn.mandate.task.issued.v1' || e.type === 'vn.mandate.task.status-changed.v1')).toBe(false); // retired types are not published

        // The integrator goes away after the first 25 events; meanwhile the city works on.
        const kept = (await call('GET', '/api/v1/events?limit=25', { token: integrator })).body;
        const moved = await call('POST', `/api/v1/tasks/${secondTask.id}/progress`, {
          token: office,
          body: { percent: 30, text: 'Trong lúc bên tích hợp ngừng' },
        });
        expect(moved.status).toBe(200);
        const catchUp = async () => {
          const items: Json[] = [...kept.items];
          for (let after = kept.next; ;) {
            const page = (await call('GET', `/api/v1/events?limit=200&after=${after}`, { token: integrator })).body;
            items.push(...page.items);
            if (page.items.length < 200) return items;
            after = page.next;
          }
        };
        const isTheReport = (e: Json) => e.type === 'vn.mandate.task.progress-reported.v1' && e.data.text === 'Trong lúc bên tích hợp ngừng';
        // The feed shows an event once no older transaction is still running (gap-safe): it may take a moment.
        const caughtUp = await eventually(catchUp, (items) => items.some(isTheReport), 30_000);
        const ids = caughtUp.map((e) => e.id as string);
        expect(new Set(ids).size).toBe(ids.length);
        const seen = all.map((e) => ids.indexOf(e.id));
        expect(seen.every((i) => i >= 0)).toBe(true); // nothing read before is missed…
        expect([...seen].sort((a, b) => a - b)).toEqual(seen); // …or reordered
        expect(caughtUp.findIndex(isTheReport)).toBeGreaterThan(Math.max(...seen)); // and what happened meanwhile comes after

        const only = (await call('GET', '/api/v1/events?types=vn.mandate.task.status-changed.v2&limit=1000', { token: integrator })).body.items as Json[];
        expect(only.length).toBeGreaterThan(0);
        expect(only.every((e) => e.type === 'vn.mandate.task.status-changed.v2')).toBe(true);
        expect((await call('GET', '/api/v1/events?types=vn.mandate.task.exploded.v1', { token: integrator })).status).toBe(400);
        expect((await call('GET', '/api/v1/events?after=not-a-position', { token: integrator })).status).toBe(400);
        expect((await call('GET', '/api/v1/events', { token: justiceOfficer })).status).toBe(403);
        const haiPhong = (await call('GET', '/api/v1/events?limit=1000', { token: token({ cityId: 'hai-phong', role: 'integrator' }) })).body.items as Json[];
        expect(haiPhong.every((e) => e.cityid === 'hai-phong')).toBe(true);
      });

      it('shows the platform operator counts per city and no content, and nothing of any city elsewhere', async () => {
        const operator = token({ cityId: 'platform', role: 'operator' });
        const board = (await call('GET', '/api/v1/reporting/dashboard', { token: office })).body;
        const overview = await call('GET', '/api/v1/operator/overview', { token: operator });
        expect(overview.status).toBe(200);
        expect(overview.body.cities.map((c: Json) => c.cityId).sort()).toEqual(['ha-noi', 'hai-phong']);
        const haNoi = overview.body.cities.find((c: Json) => c.cityId === 'ha-noi');
        expect(haNoi.tasks).toEqual(board.totals);
        expect(haNoi.plans).toBe(board.byPlan.length);
        expect(haNoi.agencyReports.byStatus.accepted).toBeGreaterThanOrEqual(1);
        // Counts only: no plan number, task title or agency appears.
        const text = JSON.stringify(overview.body);
        expect(text).not.toContain(haNoiPlan.number);
        expect(text).not.toContain('so-tu-phap');
        expect((await call('GET', '/api/v1/operator/overview', { token: office })).status).toBe(403);
        // The operator reads no city's plans, tasks or reports, and changes nothing (the permission matrix).
        for (const [method, url] of [
          ['GET', '/api/v1/plans'],
          ['GET', `/api/v1/plans/${haNoiPlan.id}/report`],
          ['GET', `/api/v1/tasks/${firstTask.id}`],
          ['POST', `/api/v1/plans/${haNoiPlan.id}/report-requests`],
        ]) {
          expect((await call(method, url, { token: operator, body: method === 'POST' ? { period: '2024-Q1' } : undefined })).body).toMatchObject({
            status: 403,
            type: expect.stringContaining('permission-denied'),
          });
        }
      });
    });

    it('gives the reporting periods of NĐ 09/2019 with their cut-offs and sending days', async () => {
      const quarters = await call('GET', '/api/v1/reporting/periods?year=2024&kind=quarter', { token: justiceOfficer });
      expect(quarters.status).toBe(200);
      expect(quarters.body.items.map((p: Json) => [p.key, p.from, p.to, p.due])).toEqual([
        ['2024-Q1', '2023-12-15', '2024-03-14', '2024-03-20'],
        ['2024-Q2', '2024-03-15', '2024-06-14', '2024-06-20'],
        ['2024-Q3', '2024-06-15', '2024-09-14', '2024-09-20'],
        ['2024-Q4', '2024-09-15', '2024-12-14', '2024-12-20'],
      ]);
      expect(quarters.body.items[0].label).toBe('Quý I/2024');
      const all = await call('GET', '/api/v1/reporting/periods?year=2025', { token: office });
      expect(all.body.items).toHaveLength(12 + 4 + 2 + 1 + 1);
      expect(all.body.items.find((p: Json) => p.key === '2025-Y')).toMatchObject({ from: '2024-12-15', to: '2025-12-14' });
      expect((await call('GET', '/api/v1/reporting/periods?year=2024&kind=week', { token: office })).body).toMatchObject({
        status: 400,
        type: expect.stringContaining('invalid-request'),
      });
      expect((await call('GET', '/api/v1/reporting/periods?year=twenty', { token: office })).status).toBe(400);
      expect((await call('GET', '/api/v1/reporting/periods')).status).toBe(401);
    });

    it("lets the city office issue an integrator's API key, which reads the city's events and nothing else, until rotated or revoked", async () => {
      expect((await call('POST', '/api/v1/api-keys', { token: justiceOfficer, body: { name: 'x' } })).status).toBe(403);
      expect((await call('POST', '/api/v1/api-keys', { token: office, body: { name: '' } })).status).toBe(400);
      const created = await call('POST', '/api/v1/api-keys', { token: office, body: { name: 'Cổng dữ liệu mở' } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: expect.any(String), key: expect.stringMatching(/^mk_/), role: 'integrator' });
      const key = created.body.key as string;
      // A retried creation (same Idempotency-Key) creates nothing more and does not show a key again.
      const once = { token: office, body: { name: 'Hệ thống một lần' }, headers: { 'idempotency-key': `api-key-${Date.now()}` } };
      const shown = await call('POST', '/api/v1/api-keys', once);
      const retried = await call('POST', '/api/v1/api-keys', once);
      expect(retried).toMatchObject({ status: 409, body: { type: expect.stringContaining('idempotency-secret-not-replayed'), id: shown.body.id } });
      expect(JSON.stringify(retried.body)).not.toMatch(/mk_/);
      expect((await call('GET', '/api/v1/api-keys', { token: office })).body.items.filter((k: Json) => k.name === 'Hệ thống một lần')).toHaveLength(1);
      const events = await call('GET', '/api/v1/events?limit=2', { token: key });
      expect(events.status).toBe(200);
      expect(events.body.items.every((e: Json) => e.cityid === 'ha-noi')).toBe(true);
      expect((await call('GET', '/api/v1/plans', { token: key })).body).toMatchObject({ status: 403, type: expect.stringContaining('permission-denied') });
      expect(JSON.stringify((await call('GET', '/api/v1/api-keys', { token: office })).body)).not.toContain(key.slice(36));
      expect((await call('GET', '/api/v1/api-keys', { token: haiPhongOffice })).body.items.map((k: Json) => k.id)).not.toContain(created.body.id);
      const rotated = await call('POST', `/api/v1/api-keys/${created.body.id}/rotate`, { token: office });
      expect(rotated.status).toBe(200);
      expect((await call('GET', '/api/v1/events?limit=1', { token: rotated.body.key })).status).toBe(200);
      expect((await call('DELETE', `/api/v1/api-keys/${created.body.id}`, { token: haiPhongOffice })).status).toBe(404);
      expect((await call('DELETE', `/api/v1/api-keys/${created.body.id}`, { token: office })).status).toBe(204);
      expect((await call('GET', '/api/v1/events?limit=1', { token: rotated.body.key })).body).toMatchObject({
        status: 401,
        type: expect.stringContaining('invalid-token'),
      });
    });

    it('lets an auditor verify the city’s hash chains, and refuses an agency officer', async () => {
      const auditor = token({ cityId: 'ha-noi', role: 'auditor' });
      const whole = await call('GET', '/api/v1/audit/verify', { token: auditor });
      // The seed plan's and tasks' streams, and the city's directory.
      expect(whole.body).toMatchObject({ ok: true, firstBroken: null, streams: 45 });
      const one = await call('GET', `/api/v1/audit/verify?taskId=${firstTask.id}`, { token: auditor });
      expect(one.body).toMatchObject({ ok: true, streams: 1, events: 3 });
      expect((await call('GET', '/api/v1/audit/verify', { token: justiceOfficer })).status).toBe(403);
    });

    describe('importing a document', () => {
      // A plan of a kind the seeds do not hold; version 2 moves a deadline, drops row 3 and adds row 4.
      const planText = (rows: string[][]) =>
        [
          'ỦY BAN NHÂN DÂN',
          'THÀNH PHỐ HÀ NỘI',
          'Số: 77/KH-UBND',
          'Hà Nội, ngày 3 tháng 4 năm 2024',
          'KẾ HOẠCH',
          'THÍ ĐIỂM SỐ HÓA HỒ SƠ ĐẤT ĐAI',
          'PHỤ LỤC',
          'NHIỆM VỤ CỤ THỂ',
          'TT |',
          'Nhiệm vụ |',
          'Cơ quan chủ trì |',
          'Cơ quan phối hợp |',
          'Thời hạn |',
          ...rows.flatMap((row, i) => [`${i + 1} |`, ...row.map((cell) => `${cell} |`)]),
        ].join('\n');
      const v1 = planText([
        ['Xây dựng cơ sở dữ liệu đất đai', 'Sở Tài nguyên và Môi trường', 'Sở Tài chính', 'Quý IV/2024'],
        ['Ban hành quy chế khai thác dữ liệu', 'Sở Tư pháp', 'Sở Tài nguyên và Môi trường', 'Tháng 9/2024'],
        ['Đào tạo cán bộ', 'Sở Nội vụ', 'Các sở, ngành liên quan', 'Năm 2024'],
      ]);
      // Row 2 is new, the old row 2 is now row 3 with a later deadline, the old row 3 is gone.
      const v2 = planText([
        ['Xây dựng cơ sở dữ liệu đất đai', 'Sở Tài nguyên và Môi trường', 'Sở Tài chính', 'Quý IV/2024'],
        ['Kiểm tra, đánh giá kết quả thí điểm', 'Sở Tài nguyên và Môi trường', 'Sở Nội vụ', 'Quý II/2025'],
        ['Ban hành quy chế khai thác dữ liệu', 'Sở Tư pháp', 'Sở Tài nguyên và Môi trường', 'Tháng 12/2024'],
      ]);
      const upload = (text: string, query: string, tokenOf = office, type = 'text/plain; charset=utf-8') =>
        call('POST', `/api/v1/imports?${query}`, { token: tokenOf, raw: text, headers: { 'content-type': type } });

      it('with dryRun returns the ParsedPlan and stores nothing', async () => {
        const res = await upload(v1, 'city=ha-noi&dryRun=true');
        expect(res.status).toBe(200);
        expect(res.body.document).toMatchObject({ kind: 'KH', number: '77/KH-UBND', issuedOn: '2024-04-03', place: 'Hà Nội' });
        expect(res.body.tasks.map((t: Json) => [t.ref, t.lead.agencyId, t.deadline.due, t.source.line])).toEqual([
          ['PL1.1', 'so-tai-nguyen-moi-truong', '2024-12-31', 14],
          ['PL1.2', 'so-tu-phap', '2024-09-30', 19],
          ['PL1.3', 'so-noi-vu', '2024-12-31', 24],
        ]);
        const plans = await call('GET', '/api/v1/plans', { token: office });
        expect(plans.body.items.map((p: Json) => p.number)).not.toContain('77/KH-UBND');
      });

      it('takes the seed 183/KH-UBND again, byte for byte, as unchanged: the extension granted since stays', async () => {
        const before = await call('GET', `/api/v1/tasks/${secondTask.id}`, { token: office });
        expect(before.body.deadline.due).toBe('2021-12-31');
        const seed = readFileSync(join(SEEDS_DIR, 'documents', 'ha-noi-183-KH-UBND-2021.txt'), 'utf8');
        const res = await upload(seed, 'city=ha-noi&document=ha-noi-183-KH-UBND-2021.txt');
        expect(res).toMatchObject({
          status: 200,
          body: { planId: haNoiPlan.id, outcome: 'unchanged', tasks: { count: 43, added: 0, revised: 0, withdrawn: 0 }, conflicts: [] },
        });
        const after = await call('GET', `/api/v1/tasks/${secondTask.id}`, { token: office });
        expect(after.body).toMatchObject({ deadline: { due: '2021-12-31' }, version: before.body.version });
      });

      it('issues the plan (201); the same document again changes nothing (200)', async () => {
        const first = await upload(v1, 'city=ha-noi');
        expect(first.status).toBe(201);
        expect(first.body).toMatchObject({ number: '77/KH-UBND', outcome: 'created', tasks: { count: 3, added: 3 } });
        expect(first.headers.get('location')).toBe(`/api/v1/plans/${first.body.planId}`);
        const again = await upload(v1, 'city=ha-noi');
        expect(again).toMatchObject({ status: 200, body: { planId: first.body.planId, outcome: 'unchanged' } });
        const tasks = await call('GET', `/api/v1/plans/${first.body.planId}/tasks`, { token: office });
        expect(tasks.body.items).toHaveLength(3);
      });

      it('records a changed version as an amendment: tasks added, revised and withdrawn as events', async () => {
        const res = await upload(v2, 'city=ha-noi');
        expect(res).toMatchObject({ status: 200, body: { outcome: 'amended', tasks: { count: 3, added: 1, revised: 1, withdrawn: 1 } } });
        const tasks = await call('GET', `/api/v1/plans/${res.body.planId}/tasks`, { token: office });
        // Listed in the order of the new version.
        expect(tasks.body.items.map((t: Json) => [t.ref, t.title.slice(0, 12), t.deadline.due])).toEqual([
          ['PL1.1', 'Xây dựng cơ ', '2024-12-31'],
          ['PL1.2', 'Kiểm tra, đá', '2025-06-30'],
          ['PL1.3', 'Ban hành quy', '2024-12-31'],
        ]);
        const revised = tasks.body.items[2];
        const history = await call('GET', `/api/v1/tasks/${revised.id}/history`, { token: office });
        expect(history.body.items.map((e: Json) => e.type)).toEqual(['TaskIssued', 'TaskAssigned', 'TaskRevised']);
        expect(history.body.items[2].data.changes).toMatchObject({ ref: 'PL1.3', deadline: { text: 'Tháng 12/2024', due: '2024-12-31' } });
        const plan = await call('GET', `/api/v1/plans/${res.body.planId}`, { token: office });
        expect(plan.body.taskCount).toBe(3);
      });

      it('links a plan to the plan it implements, and keeps the link while the parent is absent', async () => {
        const district = [
          'ỦY BAN NHÂN DÂN',
          'QUẬN BA ĐÌNH',
          'Số: 15/KH-UBND',
          'Ba Đình, ngày 20 tháng 5 năm 2024',
          'KẾ HOẠCH',
          'TRIỂN KHAI SỐ HÓA HỒ SƠ ĐẤT ĐAI TRÊN ĐỊA BÀN QUẬN',
          'Thực hiện Kế hoạch số 77/KH-UBND ngày 03/4/2024 của UBND Thành phố và Kế hoạch số 500/KH-UBND ngày 01/02/2024 của UBND Thành phố, UBND quận ban hành Kế hoạch như sau:',
          'I. NHIỆM VỤ',
          '1. Rà soát hồ sơ đất đai trên địa bàn quận.',
          '- Đơn vị thực hiện: Phòng Tài nguyên và Môi trường quận.',
          '- Thời gian thực hiện: Quý III/2024.',
        ].join('\n');
        const res = await upload(district, 'city=ha-noi');
        expect(res.status).toBe(201);
        const parent = (await call('GET', '/api/v1/plans', { token: office })).body.items.find((p: Json) => p.number === '77/KH-UBND');
        const child = await call('GET', `/api/v1/plans/${res.body.planId}`, { token: office });
        expect(child.body.implements).toEqual([
          { text: 'Kế hoạch số 77/KH-UBND ngày 03/4/2024', number: '77/KH-UBND', planId: parent.id },
          { text: 'Kế hoạch số 500/KH-UBND ngày 01/02/2024', number: '500/KH-UBND', planId: null },
        ]);
        const up = await call('GET', `/api/v1/plans/${parent.id}`, { token: office });
        expect(up.body.implementedBy).toEqual([
          { planId: res.body.planId, number: '15/KH-UBND', title: expect.stringContaining('SỐ HÓA'), issuer: expect.any(String) },
        ]);
      });

      it('links a district task to the city task it carries out, and the city task rolls the district tasks up', async () => {
        const plans = (await call('GET', '/api/v1/plans', { token: office })).body.items as Json[];
        const [city, district] = ['77/KH-UBND', '15/KH-UBND'].map((n) => plans.find((p) => p.number === n)!);
        const parent = (await call('GET', `/api/v1/plans/${city.id}/tasks`, { token: office })).body.items[0];
        const child = (await call('GET', `/api/v1/plans/${district.id}/tasks`, { token: office })).body.items[0];
        const link = (body: unknown, as = office) => call('POST', `/api/v1/tasks/${child.id}/link`, { token: as, body });
        expect((await link({ parentTaskId: parent.id }, justiceOfficer)).status).toBe(403);
        expect((await link({ parentTaskId: child.id })).status).toBe(400);
        expect((await link({ parentTaskId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
        const linked = await link({ parentTaskId: parent.id });
        expect(linked).toMatchObject({ status: 200, body: { parentTaskId: parent.id } });
        const up = await call('GET', `/api/v1/tasks/${parent.id}`, { token: office });
        expect(up.body.rollUp).toMatchObject({
          byStatus: { not_started: 1 },
          children: [{ id: child.id, planNumber: '15/KH-UBND', status: { code: 'not_started' } }],
        });
        // The reporting service rolls the district's task up into the city plan's report too.
        const report = await eventually(
          () => call('GET', `/api/v1/plans/${city.id}/report`, { token: office }),
          (r) => r.status === 200 && r.body.tasks.some((t: Json) => t.rollUp),
        );
        expect(report.body.tasks.find((t: Json) => t.taskId === parent.id).rollUp).toMatchObject({
          total: 1,
          completed: 0,
          tasks: [{ taskId: child.id, planNumber: '15/KH-UBND', status: 'not_started' }],
        });
        const haiPhongTask = (
          await call('GET', `/api/v1/plans/${(await call('GET', '/api/v1/plans', { token: haiPhongOffice })).body.items[0].id}/tasks?limit=1`, {
            token: haiPhongOffice,
          })
        ).body.items[0];
        expect((await link({ parentTaskId: haiPhongTask.id })).status).toBe(404); // another city's task
      });

      it('refuses another city, other roles, a document over 5 MB and binary, and reads a document by its bytes', async () => {
        expect((await upload(v1, 'city=hai-phong')).body).toMatchObject({ status: 403, type: expect.stringContaining('city-forbidden') });
        expect((await upload(v1, 'city=ha-noi', justiceOfficer)).status).toBe(403);
        expect((await upload(v1, '')).status).toBe(400);
        const big = await upload(`${v1}\n${'Nội dung. '.repeat(600_000)}`, 'city=ha-noi&dryRun=true');
        expect(big).toMatchObject({ status: 413 });
        expect((await upload('Số: 1/KH\u0000\u0001', 'city=ha-noi&dryRun=true')).status).toBe(415);
        // The format comes from the bytes (#18): a program is refused whatever it is called, and a text
        // document labelled as another type is still read as the text it is.
        const program = await upload('MZ\u0090\u0000\u0003\u0000\u0000\u0000\u0004\u0000', 'city=ha-noi&dryRun=true', office, 'application/octet-stream');
        expect(program.status).toBe(415);
        expect((await upload(v1, 'city=ha-noi&dryRun=true', office, 'application/pdf')).status).toBe(200);
        expect((await upload('Một đoạn văn không phải kế hoạch.', 'city=ha-noi&dryRun=true')).body).toMatchObject({
          status: 400,
          type: expect.stringContaining('plan-import.unrecognised'),
        });
      });

      it('takes the document as the file of a multipart form', async () => {
        const form = new FormData();
        form.append('file', new Blob([v1], { type: 'text/plain' }), 'ke-hoach-77.txt');
        const res = await fetch(`${deployment.url()}/api/v1/imports?city=ha-noi&dryRun=true`, {
          method: 'POST',
          headers: { authorization: `Bearer ${await office}` },
          body: form,
        });
        expect(res.status).toBe(200);
        expect(((await res.json()) as Json).tasks).toHaveLength(3);
        // As a browser sends it: the boundary in mixed case, which must be read as written.
        const boundary = '----WebKitFormBoundaryQx7LmZ0aB9cDeFgH';
        const body = [
          `--${boundary}`,
          'Content-Disposition: form-data; name="file"; filename="ke-hoach-77.txt"',
          'Content-Type: text/plain',
          '',
          v1,
          `--${boundary}--`,
          '',
        ].join('\r\n');
        const browser = await fetch(`${deployment.url()}/api/v1/imports?city=ha-noi&dryRun=true`, {
          method: 'POST',
          headers: { authorization: `Bearer ${await office}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
          body,
        });
        expect(browser.status).toBe(200);
        expect(((await browser.json()) as Json).tasks).toHaveLength(3);
      });

      it("keeps a dry run for the review and confirms it once with the office's corrections, recorded on the plan", async () => {
        const preview = await upload(v1.replace('Số: 77/KH-UBND', 'Số:      /KH-UBND'), 'city=ha-noi&dryRun=true&document=du-thao-77.txt');
        const id = preview.headers.get('mandate-import-id');
        expect([preview.status, preview.headers.get('location')]).toEqual([200, `/api/v1/imports/${id}`]);
        const corrections = { document: { number: '79/KH-UBND' }, tasks: { 'PL1.3': { drop: true } } };
        const confirmed = await call('POST', `/api/v1/imports/${id}/confirm`, { token: office, body: corrections });
        expect(confirmed).toMatchObject({ status: 201, body: { number: '79/KH-UBND', outcome: 'created', tasks: { count: 2 } } });
        expect(confirmed.headers.get('location')).toBe(`/api/v1/plans/${confirmed.body.planId}`);
        const history = await call('GET', `/api/v1/audit/plans/${confirmed.body.planId}/history`, { token: office });
        expect(history.body.items.filter((e: Json) => e.type === 'PlanImportReviewed').map((e: Json) => e.data.changes)).toEqual([
          [
            { path: 'document.number', from: null, to: '79/KH-UBND' },
            { path: 'tasks.PL1.3', from: { title: 'Đào tạo cán bộ' }, to: null },
          ],
        ]);
        expect((await call('POST', `/api/v1/imports/${id}/confirm`, { token: office, raw: '{' })).body).toMatchObject({
          status: 400,
          type: expect.stringContaining('import-corrections-malformed'),
        });
        expect((await call('POST', `/api/v1/imports/${id}/confirm`, { token: office, body: {} })).body).toMatchObject({
          status: 409,
          type: expect.stringContaining('import-not-confirmable'),
        });
      });
    });

    // An integrator's receiver: it fails the first delivery, then takes them all.
    const hooked: { body: string; signature: string; attempt: string }[] = [];
    let receiver: import('node:http').Server | null = null;
    let hook: Json;
    afterAll(() => new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined))));

    it('delivers a progress report to an integrator’s webhook once, signed, after a failed attempt; refuses other roles', async () => {
      const http = await import('node:http');
      let answers = [500];
      receiver = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          hooked.push({ body, signature: String(req.headers['mandate-signature']), attempt: String(req.headers['mandate-attempt']) });
          res.statusCode = answers.shift() ?? 200;
          res.end();
        });
      });
      await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(receiver.address() as import('node:net').AddressInfo).port}/mandate`;
      const integrator = token({ cityId: 'ha-noi', role: 'integrator' });
      expect((await call('POST', '/api/v1/webhooks', { token: justiceOfficer, body: { url } })).status).toBe(403);
      expect((await call('POST', '/api/v1/webhooks', { token: integrator, body: { url, types: ['vn.mandate.task.exploded.v1'] } })).status).toBe(400);
      const created = await call('POST', '/api/v1/webhooks', {
        token: integrator,
        body: { url, types: ['vn.mandate.task.progress-reported.v1'], planIds: [haNoiPlan.id] },
      });
      expect(created.status).toBe(201);
      hook = created.body;
      expect(hook).toMatchObject({ id: expect.any(String), secret: expect.stringMatching(/^whsec_/), status: 'active' });
      expect((await call('GET', '/api/v1/webhooks', { token: integrator })).body.items.map((h: Json) => h.id)).toContain(hook.id);
      expect(JSON.stringify((await call('GET', '/api/v1/webhooks', { token: integrator })).body)).not.toContain(hook.secret);
      expect((await call('GET', `/api/v1/webhooks/${hook.id}`, { token: token({ cityId: 'hai-phong', role: 'integrator' }) })).status).toBe(404);

      const reported = await call('POST', `/api/v1/tasks/${secondTask.id}/progress`, {
        token: office,
        body: { percent: 55, text: 'Gửi tới hệ thống tích hợp' },
      });
      expect(reported.status).toBe(200);
      const deliveries = await eventually(
        () => call('GET', `/api/v1/webhooks/${hook.id}/deliveries`, { token: integrator }),
        (r) => r.body.items?.[0]?.status === 'delivered',
        30_000,
      );
      expect(deliveries.body.items).toMatchObject([{ eventType: 'vn.mandate.task.progress-reported.v1', status: 'delivered', attempts: 2, lastStatus: 200 }]);
      expect(hooked.map((h) => h.attempt)).toEqual(['1', '2']);
      const [, delivered] = hooked;
      const cloudEvent = JSON.parse(delivered.body);
      expect(cloudEvent).toMatchObject({
        specversion: '1.0',
        type: 'vn.mandate.task.progress-reported.v1',
        cityid: 'ha-noi',
        data: { taskId: secondTask.id, percent: 55 },
      });
      const [t, v1] = delivered.signature.split(',').map((p) => p.split('=')[1]);
      const { createHmac } = await import('node:crypto');
      expect(createHmac('sha256', hook.secret).update(`${t}.${delivered.body}`).digest('hex')).toBe(v1);
    });

    it("keeps an agency's inbox live: the unread count, then each new notice as it is recorded; read marks", async () => {
      const controller = new AbortController();
      const response = await fetch(`${deployment.url()}/api/v1/notifications/stream`, {
        headers: { authorization: `Bearer ${await justiceOfficer}`, accept: 'text/event-stream' },
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = response.body!.getReader();
      const events: { event: string; data: Json }[] = [];
      let buffer = '';
      const next = async (wanted: string) => {
        for (;;) {
          const found = events.find((e) => e.event === wanted);
          if (found) return events.splice(events.indexOf(found), 1)[0];
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          buffer += new TextDecoder().decode(value);
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (data) events.push({ event, data: JSON.parse(data) });
          }
        }
      };
      try {
        const opened = await next('unread');
        const before = (await call('GET', '/api/v1/notifications', { token: justiceOfficer })).body;
        expect(opened.data.unread).toBe(before.unread);
        // The office gives a task to Sở Tư pháp: its officers hear of it at once.
        const tasks = (await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?limit=200`, { token: office })).body.items as Json[];
        const given = tasks.filter((t) => t.lead?.agencyId !== 'so-tu-phap' && t.status.code === 'not_started').at(-1)!;
        const reassigned = await call('POST', `/api/v1/tasks/${given.id}/reassign`, {
          token: office,
          body: { leadAgencyId: 'so-tu-phap', coordinatorAgencyIds: [] },
          headers: { 'if-match': `"${given.version}"` },
        });
        expect(reassigned.status).toBe(200);
        const notice = await Promise.race([
          next('notice'),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no notice within 20 s')), 20_000)),
        ]);
        expect(notice.data).toMatchObject({ taskId: given.id, recipientAgencyId: 'so-tu-phap', subject: 'Được giao chủ trì nhiệm vụ' });
        const after = (await call('GET', '/api/v1/notifications', { token: justiceOfficer })).body;
        expect(after.unread).toBe(before.unread + 1);
        expect(after.items[0]).toMatchObject({ id: notice.data.id, read: false });
        expect((await call('POST', `/api/v1/notifications/${notice.data.id}/read`, { token: justiceOfficer })).body).toMatchObject({
          marked: 1,
          unread: before.unread,
        });
        expect((await call('POST', `/api/v1/notifications/${notice.data.id}/read`, { token: financeOfficer })).body).toMatchObject({ marked: 0 }); // not its notice
        expect((await call('POST', '/api/v1/notifications/read', { token: office })).status).toBe(403);
        expect((await call('POST', '/api/v1/notifications/read', { token: justiceOfficer })).body).toMatchObject({ unread: 0 });
      } finally {
        controller.abort();
      }
    });

    let mailedTask: Json;
    const mailsAbout = (taskId: string) => deployment.mail.received.filter((m) => m.text?.includes(`/tasks/${taskId}`));

    it('lets each person set their own notification preferences, checked; the platform operator has none', async () => {
      const preferences = '/api/v1/notifications/preferences';
      expect((await call('GET', preferences, { token: justiceOfficer })).body).toEqual({ email: true, digestOnly: false, quietHours: null });
      const bad = await call('PUT', preferences, { token: justiceOfficer, body: { email: true, digestOnly: false, quietHours: { from: '22:00', to: '7h' } } });
      expect(bad.status).toBe(400);
      expect(bad.body.detail).toContain('quietHours.to');
      expect((await call('PUT', preferences, { token: justiceOfficer, raw: '{"email":' })).status).toBe(400);
      const quiet = { email: true, digestOnly: false, quietHours: { from: '23:59', to: '00:00' } };
      expect((await call('PUT', preferences, { token: justiceOfficer, body: quiet })).body).toEqual(quiet);
      expect((await call('GET', preferences, { token: justiceOfficer })).body).toEqual(quiet);
      expect((await call('GET', preferences, { token: financeOfficer })).body.quietHours).toBeNull(); // another person's own
      expect((await call('DELETE', preferences, { token: justiceOfficer })).status).toBe(204);
      expect((await call('GET', preferences, { token: justiceOfficer })).body).toEqual({ email: true, digestOnly: false, quietHours: null });
      expect((await call('GET', preferences, { token: token({ cityId: 'platform', role: 'operator' }) })).status).toBe(403);
    });

    it("e-mails a notice once to each of its recipients: the agency's mailbox and its officer", async () => {
      const tasks = (await call('GET', `/api/v1/plans/${haNoiPlan.id}/tasks?limit=200`, { token: office })).body.items as Json[];
      mailedTask = tasks.filter((t) => t.lead?.agencyId !== 'so-tu-phap' && t.status.code === 'not_started').at(-1)!;
      const reassigned = await call('POST', `/api/v1/tasks/${mailedTask.id}/reassign`, {
        token: office,
        body: { leadAgencyId: 'so-tu-phap', coordinatorAgencyIds: [] },
        headers: { 'if-match': `"${mailedTask.version}"` },
      });
      expect(reassigned.status).toBe(200);
      const mails = await eventually(
        async () => mailsAbout(mailedTask.id),
        (m) => m.length >= 2,
        30_000,
      );
      expect(mails.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.text).sort()).toEqual(['nguyen-van-a@stp.hanoi.test', 'vanthu@stp.hanoi.test']);
      expect(mails[0].subject).toBe(
        `[Mandate] Được giao chủ trì nhiệm vụ: ${mailedTask.ref} ${mailedTask.title.length > 90 ? `${mailedTask.title.slice(0, 89)}…` : mailedTask.title}`,
      );
      expect(mails[0].text).toContain(`https://mandate.test/tasks/${mailedTask.id}`);
    });

    it('keeps every change across a restart and does not import the seeds twice', async () => {
      await deployment.restart();
      const plans = await call('GET', '/api/v1/plans', { token: office });
      expect(plans.body.items.filter((p: Json) => p.number === '183/KH-UBND')).toHaveLength(1);
      const task = await call('GET', `/api/v1/tasks/${firstTask.id}`, { token: office });
      expect(task.headers.get('etag')).toBe('"3"');
      // An answer given before the restart is replayed after it, not run again.
      const retried = await retriedStatus.post({ status: 'in_progress', note: 'Bắt đầu' }, retriedStatus.key);
      expect(retried).toMatchObject({ status: 200 });
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect(task.body.status.code).toBe('in_progress');
      const summary = await eventually(
        () => call('GET', `/api/v1/plans/${haNoiPlan.id}/summary`, { token: office }),
        (r) => r.status === 200 && r.body.byStatus.in_progress === 2 && r.body.byStatus.cancelled === 1 && r.body.byStatus.completed === 1,
      );
      // Two tasks started in the status tests; one completed and one cancelled in the lifecycle tests.
      expect(summary.body.byStatus).toMatchObject({ not_started: 39, in_progress: 2, completed: 1, cancelled: 1 });
      // The webhook's delivery and the e-mails are not sent again by the restarted notifications service.
      await new Promise((r) => setTimeout(r, 1500));
      expect(hooked).toHaveLength(2);
      expect(mailsAbout(mailedTask.id)).toHaveLength(2);
      const ids = deployment.mail.received.map((m) => m.messageId);
      expect(new Set(ids).size).toBe(ids.length);
    }, 180_000);
  });

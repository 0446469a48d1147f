// Cities as data (issue 20, item 1): the platform operator creates, changes, suspends and resumes a
// city at run time, and every service serves it from then on without a restart, in both deployments.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import * as path from 'node:path';
import { signToken } from '@mandate/http';
import type { Role } from '@mandate/kernel';
import { distributedDeployment, embeddedDeployment, TEST_SECRET, type Deployment } from './testing/deployments';
import { apiCaller, problemOf } from './testing/api-caller';
import { eventually } from './testing/http-contract';
import { runMandate } from './testing/mandate-process';

jest.setTimeout(240_000);

const PLAN = fs.readFileSync(path.resolve(__dirname, '../../../seeds/documents/hai-phong-86-KH-UBND-2020.txt'), 'utf8');

const operator = signToken(TEST_SECRET, { userId: 'op-1', role: 'operator', cityId: 'platform', agencyId: null });
const tokenOf = (cityId: string, role: Role = 'office') =>
  signToken(TEST_SECRET, { userId: `${role}-1`, role, cityId, agencyId: role === 'agency' ? 'so-tu-phap' : null });

/** A province's own OIDC provider: its key pair and the JWKS it publishes on loopback. */
const identityProvider = async (realm: string) => {
  const pair = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: `${realm}-1`, alg: 'RS256', use: 'sig' };
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.statusCode = req.url === `/realms/${realm}/certs` ? 200 : 404;
    res.end(JSON.stringify(res.statusCode === 200 ? { keys: [jwk] } : {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/${realm}`;
  const sign = (claims: Record<string, unknown>, audience: string) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: `${realm}-1` })
      .setSubject(`${realm}-officer`)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(pair.privateKey);
  return { issuer, jwksUrl: `${issuer}/certs`, sign, close: () => new Promise((resolve) => server.close(resolve)) };
};

const citiesAtRunTime = (name: string, deploy: () => Promise<Deployment>) =>
  describe(`cities managed at run time (${name})`, () => {
    let deployment: Deployment;
    beforeAll(async () => {
      deployment = await deploy();
    }, 180_000);
    afterAll(async () => deployment?.stop());

    const call = apiCaller(() => deployment.url());
    const problem = problemOf;

    it('starts with the seeded cities as the first events of the operator log', async () => {
      const list = await call('GET', '/api/v1/cities', operator);
      expect(list.status).toBe(200);
      expect(list.body.cities.map((c: { id: string; status: string; version: string }) => [c.id, c.status, c.version])).toEqual([
        ['ha-noi', 'active', '1'],
        ['hai-phong', 'active', '1'],
      ]);
      const history = await call('GET', '/api/v1/cities/ha-noi/history', operator);
      expect(history.body.items).toEqual([
        expect.objectContaining({ type: 'CityCreated', actor: expect.objectContaining({ userId: 'system', role: 'operator' }), version: 1 }),
      ]);
    });

    it('refuses bad requests with a clear problem and records nothing', async () => {
      const office = await tokenOf('ha-noi');
      const body = { id: 'quang-ninh', name: 'Tỉnh Quảng Ninh', level: 'province', reason: 'Tỉnh đăng ký sử dụng nền tảng' };
      expect(problem(await call('POST', '/api/v1/cities', office, body))).toEqual([403, 'permission-denied']);
      expect(problem(await call('POST', '/api/v1/cities', operator, { ...body, id: 'Quảng Ninh' }))).toEqual([400, 'invalid-city-id']);
      expect(problem(await call('POST', '/api/v1/cities', operator, { ...body, reason: undefined }))[0]).toBe(400);
      expect(problem(await call('POST', '/api/v1/cities', operator, { ...body, level: 'commune' }))[0]).toBe(400);
      expect(problem(await call('POST', '/api/v1/cities', operator, { ...body, timeZone: 'Asia/Hanoi_Old' }))).toEqual([400, 'invalid-time-zone']);
      expect(problem(await call('POST', '/api/v1/cities', operator, '{"id":'))[0]).toBe(400);
      expect(problem(await call('POST', '/api/v1/cities', operator, { ...body, id: 'ha-noi' }))).toEqual([422, 'city-exists']);
      expect(problem(await call('PATCH', '/api/v1/cities/khong-co', operator, { dueSoonDays: 4, reason: 'x' }))).toEqual([404, 'city-not-found']);
      expect(problem(await call('POST', '/api/v1/cities/ha-noi/resume', operator, { reason: 'x' }))).toEqual([422, 'city-not-suspended']);
      expect((await call('GET', '/api/v1/cities', operator)).body.cities).toHaveLength(2);
    });

    it('serves a city the operator creates, in every service, without a restart', async () => {
      const created = await call('POST', '/api/v1/cities', operator, {
        id: 'quang-ninh',
        name: 'Tỉnh Quảng Ninh',
        level: 'province',
        dueSoonDays: 5,
        reason: 'Tỉnh đăng ký sử dụng nền tảng',
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe('/api/v1/cities/quang-ninh');
      expect(created.body).toEqual(
        expect.objectContaining({
          id: 'quang-ninh',
          name: 'Tỉnh Quảng Ninh',
          level: 'province',
          timeZone: 'Asia/Ho_Chi_Minh',
          dueSoonDays: 5,
          reporting: {},
          status: 'active',
          version: '1',
        }),
      );

      const office = await tokenOf('quang-ninh');
      // The gateway and the services learn it from mandate.cities.v1 (at once in the embedded deployment).
      await eventually(
        () => call('GET', '/api/v1/plans', office),
        (a) => a.status === 200,
        30_000,
      );
      const imported = await call('POST', '/api/v1/imports?city=quang-ninh&document=ke-hoach-86.txt', office, PLAN, 'text/plain; charset=utf-8');
      expect(imported.status).toBe(201);
      const planId = imported.body.planId as string;
      const tasks = await call('GET', `/api/v1/plans/${planId}/tasks?limit=5`, office);
      const first = (tasks.body.items ?? tasks.body)[0] as { id: string; version: string };
      const paused = await call('POST', `/api/v1/tasks/${first.id}/pause`, office, { reason: 'Chờ bố trí kinh phí' }, 'application/json', {
        'if-match': `"${first.version}"`,
      });
      expect(paused.status).toBe(200);
      // Reporting and assignments serve the new city's users too, from their own read models.
      const board = await eventually(
        () => call('GET', `/api/v1/reporting/dashboard?planId=${planId}`, office),
        (a) => a.status === 200 && a.body.byStatus?.paused === 1,
        30_000,
      );
      expect(board.body.totals.assigned).toBeGreaterThan(1);
      expect((await call('GET', '/api/v1/agencies/so-tu-phap/tasks', tokenOf('quang-ninh', 'agency'))).status).toBe(200);
      // A city's user sees its own city only; another city's is unknown to it.
      expect((await call('GET', '/api/v1/cities', office)).body.cities.map((c: { id: string }) => c.id)).toEqual(['quang-ninh']);
      expect(problem(await call('GET', '/api/v1/cities/ha-noi', office))).toEqual([404, 'city-not-found']);
      const overview = await eventually(
        () => call('GET', '/api/v1/operator/overview', operator),
        (a) => a.body.cities?.some((c: { cityId: string }) => c.cityId === 'quang-ninh'),
        30_000,
      );
      expect(overview.body.cities.find((c: { cityId: string }) => c.cityId === 'quang-ninh').plans).toBe(1);
    });

    it('changes settings, suspends and resumes with reasons, each an event of the operator log; a suspended city is refused everywhere', async () => {
      const office = await tokenOf('quang-ninh');
      const changed = await call('PATCH', '/api/v1/cities/quang-ninh', operator, {
        dueSoonDays: 7,
        reporting: { dueDay: 22 },
        reason: 'Văn phòng UBND tỉnh đề nghị',
      });
      expect([changed.status, changed.body.dueSoonDays, changed.body.reporting, changed.body.version]).toEqual([200, 7, { dueDay: 22 }, '2']);

      expect((await call('POST', '/api/v1/cities/quang-ninh/suspend', operator, { reason: 'Tạm dừng theo đề nghị của tỉnh' })).body.status).toBe('suspended');
      for (const url of ['/api/v1/plans', '/api/v1/reporting/dashboard', '/api/v1/agencies/so-tu-phap/tasks']) {
        const refused = await eventually(
          () => call('GET', url, office),
          (a) => a.status === 403,
          30_000,
        );
        expect([url, ...problem(refused)]).toEqual([url, 403, 'city-suspended']);
      }
      // Nothing of it is lost: the operator still sees it, and resuming serves it again.
      expect((await call('GET', '/api/v1/cities/quang-ninh', operator)).body.status).toBe('suspended');
      expect((await call('POST', '/api/v1/cities/quang-ninh/resume', operator, { reason: 'Tỉnh hoàn tất thủ tục' })).body.status).toBe('active');
      const plans = await eventually(
        () => call('GET', '/api/v1/plans', office),
        (a) => a.status === 200,
        30_000,
      );
      expect(plans.body.items ?? plans.body).toHaveLength(1);

      const history = await call('GET', '/api/v1/cities/quang-ninh/history', operator);
      expect(
        history.body.items.map((e: { type: string; actor: { userId: string }; data: { reason: string } }) => [e.type, e.actor.userId, e.data.reason]),
      ).toEqual([
        ['CityCreated', 'op-1', 'Tỉnh đăng ký sử dụng nền tảng'],
        ['CitySettingsChanged', 'op-1', 'Văn phòng UBND tỉnh đề nghị'],
        ['CitySuspended', 'op-1', 'Tạm dừng theo đề nghị của tỉnh'],
        ['CityResumed', 'op-1', 'Tỉnh hoàn tất thủ tục'],
      ]);
      expect(problem(await call('GET', '/api/v1/cities/quang-ninh/history', office))).toEqual([403, 'permission-denied']);
    });

    (name === 'embedded' ? it : it.skip)('is run from the command line too: mandate cities create, change, suspend, resume, list, history', async () => {
      const env = { MANDATE_URL: deployment.url(), MANDATE_JWT_SECRET: TEST_SECRET };
      const created = await runMandate(
        ['cities', 'create', 'lai-chau', '--name', 'Tỉnh Lai Châu', '--level', 'province', '--due-soon-days', '4', '--reason', 'Tỉnh đăng ký'],
        env,
      );
      expect([created.status, created.stdout]).toEqual([
        0,
        expect.stringMatching(/^created: lai-chau\s+active\s+province\s+due soon\s+4 d\s+v1\s+Tỉnh Lai Châu/),
      ]);
      expect(
        (await runMandate(['cities', 'change', 'lai-chau', '--cutoff-day', '10', '--due-day', '18', '--reason', 'Lịch báo cáo riêng'], env)).stdout,
      ).toMatch(/^changed: lai-chau .* v2 /);
      expect((await runMandate(['cities', 'suspend', 'lai-chau', '--reason', 'Tạm dừng'], env)).stdout).toMatch(/^suspended: lai-chau\s+suspended/);
      expect((await runMandate(['cities', 'resume', 'lai-chau', '--reason', 'Tiếp tục'], env)).stdout).toMatch(/^resumed: lai-chau\s+active/);
      const shown = JSON.parse((await runMandate(['cities', 'show', 'lai-chau', '--json'], env)).stdout);
      expect(shown).toMatchObject({
        id: 'lai-chau',
        dueSoonDays: 4,
        reporting: { cutoffDay: 10, dueDay: 18 },
        status: 'active',
        version: '4',
        identityProvider: null,
      });
      const sso = ['--identity-issuer', 'https://sso.laichau.gov.vn/realms/lc', '--identity-claims', 'tinh,vai_tro,don_vi', '--reason', 'SSO của tỉnh'];
      expect((await runMandate(['cities', 'change', 'lai-chau', ...sso], env)).stdout).toMatch(/^changed: lai-chau .* v5 /);
      expect((await runMandate(['cities', 'show', 'lai-chau'], env)).stdout).toMatch(
        /identity provider its own, https:\/\/sso.laichau.gov.vn\/realms\/lc \(client mandate\)/,
      );
      expect((await runMandate(['cities', 'change', 'lai-chau', '--no-identity-provider', '--reason', 'SSO quốc gia'], env)).stdout).toMatch(/ v6 /);
      expect((await runMandate(['cities', 'show', 'lai-chau'], env)).stdout).toMatch(/identity provider the deployment's/);
      expect(
        (await runMandate(['cities', 'list'], env)).stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split(/\s+/)[0]),
      ).toEqual(['ha-noi', 'hai-phong', 'lai-chau', 'quang-ninh']);
      expect((await runMandate(['cities', 'history', 'lai-chau'], env)).stdout).toMatch(
        /v4 .* CityResumed\s+by cli-operator: Tiếp tục\nv5 .* CitySettingsChanged\s+by cli-operator: SSO của tỉnh/,
      );
      // A refusal exits 2 with the API's words; nothing is recorded.
      const refused = await runMandate(['cities', 'create', 'lai-chau', '--name', 'Tỉnh Lai Châu', '--level', 'province', '--reason', 'lần hai'], env);
      expect([refused.status, refused.stderr]).toEqual([2, expect.stringMatching(/refused \(422\): The city "lai-chau" exists already/)]);
      const missingReason = await runMandate(['cities', 'suspend', 'lai-chau'], env);
      expect([missingReason.status, missingReason.stderr]).toEqual([1, expect.stringMatching(/--reason/)]);
    });

    it("signs a city's users in through the city's own identity provider, named at run time; never for another city", async () => {
      const sso = await identityProvider('quang-ninh');
      try {
        const token = (city: string, audience = 'mandate') => sso.sign({ tinh: city, vai_tro: 'office' }, audience);
        expect(problem(await call('GET', '/api/v1/plans', await token('quang-ninh')))).toEqual([401, 'invalid-token']);
        const changed = await call('PATCH', '/api/v1/cities/quang-ninh', operator, {
          identityProvider: { issuer: sso.issuer, audience: 'mandate', jwksUrl: sso.jwksUrl, claims: { city: 'tinh', role: 'vai_tro', agency: 'don_vi' } },
          reason: 'Dùng hệ thống đăng nhập một lần của tỉnh',
        });
        expect(changed.body.identityProvider).toEqual({
          issuer: sso.issuer,
          audience: 'mandate',
          jwksUrl: sso.jwksUrl,
          claims: { city: 'tinh', role: 'vai_tro', agency: 'don_vi' },
        });
        const plans = await eventually(
          async () => call('GET', '/api/v1/plans', await token('quang-ninh')),
          (a) => a.status === 200,
          30_000,
        );
        expect(plans.body.items ?? plans.body).toHaveLength(1);
        expect((await call('GET', '/api/v1/reporting/dashboard', await token('quang-ninh'))).status).toBe(200);
        const other = await call('GET', '/api/v1/plans', await token('ha-noi'));
        expect([other.status, other.body.detail]).toEqual([401, expect.stringMatching(/does not speak for the city "ha-noi"/)]);
        expect((await call('GET', '/api/v1/plans', await token('quang-ninh', 'another-client'))).status).toBe(401);
      } finally {
        await sso.close();
      }
    });

    it('keeps the cities over a restart of every service: the log, not a file, says which', async () => {
      await deployment.restart();
      const list = await call('GET', '/api/v1/cities', operator);
      expect(list.body.cities.map((c: { id: string; version: string }) => [c.id, c.version])).toEqual([
        ['ha-noi', '1'],
        ['hai-phong', '1'],
        ...(name === 'embedded' ? [['lai-chau', '6']] : []),
        ['quang-ninh', '5'],
      ]);
      expect((await call('GET', '/api/v1/reporting/dashboard', tokenOf('quang-ninh'))).status).toBe(200);
    });

    it('merges a city into another: its plan and tasks go on in the successor with chains unbroken; counts, history and the audit verify agree before and after', async () => {
      const office = await tokenOf('quang-ninh');
      const haiPhong = await tokenOf('hai-phong');
      type Row = { id: string; status: { code: string }; version: string };
      const [plan] = (await call('GET', '/api/v1/plans', office)).body.items as { id: string; number: string }[];
      const tasksOf = async (token: string) =>
        ((await call('GET', `/api/v1/plans/${plan.id}/tasks?limit=1000`, token)).body.items as Row[]).map((t) => [t.id, t.status.code]);
      const countsOf = async (token: string) => {
        const { rows, total } = (await call('GET', `/api/v1/plans/${plan.id}/counts`, token)).body;
        return { rows, total };
      };
      const tasksBefore = await tasksOf(office);
      const countsBefore = await countsOf(office);
      const paused = tasksBefore.find(([, code]) => code === 'paused')![0];
      expect((await call('GET', '/api/v1/audit/verify', tokenOf('quang-ninh', 'auditor'))).body).toMatchObject({ ok: true, firstBroken: null });
      expect((await call('GET', '/api/v1/audit/verify', tokenOf('hai-phong', 'auditor'))).body).toMatchObject({ ok: true, firstBroken: null });
      // Hải Phòng has its own 86/KH-UBND: the moved plan keeps its number beside it.
      expect((await call('GET', '/api/v1/plans', haiPhong)).body.items.filter((p: { number: string }) => p.number === plan.number)).toHaveLength(1);

      // Refused before anything is recorded: no such successor, an agency the successor does not have, not the operator.
      const reason = 'Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh';
      expect(problem(await call('POST', '/api/v1/cities/quang-ninh/merge', operator, { into: 'khong-co', reason }))).toEqual([422, 'successor-not-active']);
      expect(
        problem(await call('POST', '/api/v1/cities/quang-ninh/merge', operator, { into: 'hai-phong', agencies: { 'so-tu-phap': 'so-khong-co' }, reason })),
      ).toEqual([400, 'agency-unknown']);
      expect(problem(await call('POST', '/api/v1/cities/quang-ninh/merge', office, { into: 'hai-phong', reason }))).toEqual([403, 'permission-denied']);
      expect((await call('GET', '/api/v1/cities/quang-ninh', operator)).body.status).toBe('active');

      const beforeMerger = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const merged = await call('POST', '/api/v1/cities/quang-ninh/merge', operator, { into: 'hai-phong', effectiveOn: '2025-07-01', reason });
      expect(merged.status).toBe(200);
      expect(merged.body).toMatchObject({
        city: { id: 'quang-ninh', status: 'merged', mergedInto: 'hai-phong' },
        into: 'hai-phong',
        plansMoved: 1,
        tasksMoved: tasksBefore.length,
      });
      // Again: nothing more moves.
      expect((await call('POST', '/api/v1/cities/quang-ninh/merge', operator, { into: 'hai-phong', reason })).body).toMatchObject({
        plansMoved: 0,
        tasksMoved: 0,
      });
      expect(problem(await call('POST', '/api/v1/cities/quang-ninh/resume', operator, { reason: 'x' }))).toEqual([422, 'city-merged']);

      // The successor serves it: the same tasks with their statuses, the same counts; the old city's users are refused.
      expect(await tasksOf(haiPhong)).toEqual(tasksBefore);
      expect(await countsOf(haiPhong)).toEqual(countsBefore);
      expect((await call('GET', '/api/v1/plans', haiPhong)).body.items.filter((p: { number: string }) => p.number === plan.number)).toHaveLength(2);
      expect(
        problem(
          await eventually(
            () => call('GET', '/api/v1/plans', office),
            (a) => a.status === 403,
            30_000,
          ),
        ),
      ).toEqual([403, 'city-merged']);
      const board = await eventually(
        () => call('GET', `/api/v1/reporting/dashboard?planId=${plan.id}`, haiPhong),
        (a) => a.status === 200 && a.body.byStatus?.paused === 1,
        30_000,
      );
      expect(board.body.totals.assigned).toBe(countsBefore.total.assigned);

      // The paused task's whole history: issued in Quảng Ninh, moved, then acted on in Hải Phòng.
      const version = (await call('GET', `/api/v1/tasks/${paused}`, haiPhong)).headers.get('etag')!;
      expect(
        (await call('POST', `/api/v1/tasks/${paused}/resume`, haiPhong, { reason: 'Đã có kinh phí' }, 'application/json', { 'if-match': version })).status,
      ).toBe(200);
      const history = (await call('GET', `/api/v1/tasks/${paused}/history`, haiPhong)).body.items as { type: string; cityId: string; version: number }[];
      expect(history.map((e) => [e.type, e.cityId])).toEqual([
        ['TaskIssued', 'quang-ninh'],
        ...history.slice(1, -2).map((e) => [e.type, 'quang-ninh']),
        ['TaskMovedToCity', 'hai-phong'],
        ['TaskStatusChanged', 'hai-phong'],
      ]);
      expect(history.map((e) => e.version)).toEqual(history.map((_, i) => i + 1));
      // As of a moment before the merger, Hải Phòng's auditor sees the plan as Quảng Ninh had it: the task still paused.
      const asOf = await call('GET', `/api/v1/plans/${plan.id}/tasks?limit=1000&asOf=${encodeURIComponent(beforeMerger)}`, haiPhong);
      expect((asOf.body.items as Row[]).map((t) => [t.id, t.status.code])).toEqual(tasksBefore);

      // Every chain verifies: Hải Phòng's own, the moved streams from their link, and Quảng Ninh's log, now part of Hải Phòng's history.
      const verified = (await call('GET', '/api/v1/audit/verify', tokenOf('hai-phong', 'auditor'))).body;
      expect(verified).toMatchObject({ ok: true, firstBroken: null, mergedCities: [{ cityId: 'quang-ninh', ok: true, firstBroken: null }] });
      expect((await call('GET', `/api/v1/audit/verify?taskId=${paused}`, tokenOf('hai-phong', 'auditor'))).body).toMatchObject({
        ok: true,
        events: 2,
        mergedCities: [{ cityId: 'quang-ninh', ok: true }],
      });
      expect((await call('GET', '/api/v1/cities/quang-ninh/history', operator)).body.items.at(-1)).toMatchObject({
        type: 'CityMerged',
        data: { into: 'hai-phong', reason },
      });
    });
  });

citiesAtRunTime('embedded', () => embeddedDeployment());
citiesAtRunTime('distributed', () => distributedDeployment());

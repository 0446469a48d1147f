// Issue 18 item 5, review before confirming: a dry run is an import kept for the office's review (its
// pages, its ParsedPlan), corrected and confirmed once through POST /api/v1/imports/{id}/confirm, and
// what was corrected, by whom, is an event of the plan (PlanImportReviewed). The CLI takes the same
// corrections from a file (--corrections) for mandate import and mandate parse.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { signToken } from '@mandate/http';
import { syntheticPlan } from '@mandate/plan-import';
import { embeddedDeployment, TEST_SECRET, type Deployment } from './testing/deployments';
import { runMandate } from './testing/mandate-process';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../../..');
const PDF = path.join(ROOT, 'libs/plan-import/fixtures/corpus/documents/laocai_CV-UBND-KT-sochuadien_2026_chidao-giamsat-VLNCN.pdf');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-import-review-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const mandate = (args: string[], env: NodeJS.ProcessEnv = {}) => runMandate(args, { MANDATE_JWT_SECRET: TEST_SECRET, ...env });

type Role = 'office' | 'planning' | 'agency';
const token = (role: Role = 'office', cityId = 'ha-noi') =>
  signToken(TEST_SECRET, { userId: `${role}-reviewer@${cityId}`, role, agencyId: role === 'agency' ? 'so-tu-phap' : null, cityId });

/** The synthetic plan as a copy before signing (number and day blank), `rows` tasks; `tag` makes its content (so its plan) its own. */
const unsigned = (rows: number, tag: string): string =>
  syntheticPlan(rows, '     /KH-UBND')
    .replace('Hà Nội, ngày 15 tháng 1 năm 2025', 'Hà Nội, ngày      tháng 1 năm 2025')
    .replace('GIAI ĐOẠN 2025 - 2030', `GIAI ĐOẠN 2025 - 2030 (${tag})`);

type Answer = { status: number; headers: Headers; body: Record<string, any> };

describe('reviewing an import before confirming it', () => {
  let deployment: Deployment;
  beforeAll(async () => {
    deployment = await embeddedDeployment();
  }, 120_000);
  afterAll(async () => deployment?.stop());

  const call = async (
    method: string,
    url: string,
    options: { role?: Role; city?: string; body?: RequestInit['body']; type?: string } = {},
  ): Promise<Answer> => {
    const response = await fetch(`${deployment.url()}${url}`, {
      method,
      headers: { authorization: `Bearer ${await token(options.role, options.city)}`, ...(options.type ? { 'content-type': options.type } : {}) },
      body: options.body,
    });
    const text = Buffer.from(await response.arrayBuffer());
    const json = (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text.toString('utf8')) : { bytes: text };
    return { status: response.status, headers: response.headers, body: json };
  };
  const dryRun = (text: string, document = 'du-thao.txt') =>
    call('POST', `/api/v1/imports?city=ha-noi&dryRun=true&document=${document}`, { body: text, type: 'text/plain; charset=utf-8' });
  const confirm = (id: string, corrections: unknown, options: { role?: Role; city?: string } = {}) =>
    call('POST', `/api/v1/imports/${id}/confirm`, {
      ...options,
      body: typeof corrections === 'string' ? corrections : JSON.stringify(corrections),
      type: 'application/json',
    });

  it('keeps a dry run as an import to review: the same ParsedPlan, Location and Mandate-Import-Id; its job parsed with it; another city does not see it', async () => {
    const run = await dryRun(unsigned(3, 'a'));
    expect(run.status).toBe(200);
    expect(run.body.tasks).toHaveLength(3);
    const id = run.headers.get('mandate-import-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.headers.get('location')).toBe(`/api/v1/imports/${id}`);
    const job = await call('GET', `/api/v1/imports/${id}`);
    expect(job.status).toBe(200);
    expect(job.body).toEqual(expect.objectContaining({ id, state: 'parsed', dryRun: true, document: 'du-thao.txt', result: run.body }));
    const other = await call('GET', `/api/v1/imports/${id}`, { city: 'hai-phong' });
    expect([other.status, other.body.type]).toEqual([404, expect.stringMatching(/import-job-not-found$/)]);
  });

  it('shows the pages of an uploaded PDF as PNG images; none outside them, none of a text, none of another city', async () => {
    const run = await call('POST', '/api/v1/imports?city=ha-noi&dryRun=true&document=cong-van.pdf', { body: fs.readFileSync(PDF), type: 'application/pdf' });
    expect(run.status).toBe(200);
    const id = run.headers.get('mandate-import-id')!;
    const page = await call('GET', `/api/v1/imports/${id}/pages/2`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('image/png');
    expect((page.body.bytes as Buffer).subarray(1, 4).toString('latin1')).toBe('PNG');
    // About 100 dpi: an A4 page is some 827 pixels wide.
    expect((page.body.bytes as Buffer).readUInt32BE(16)).toBeGreaterThan(700);
    expect((page.body.bytes as Buffer).readUInt32BE(16)).toBeLessThan(1000);
    for (const n of ['5', '0', 'x']) {
      const outside = await call('GET', `/api/v1/imports/${id}/pages/${n}`);
      expect([n, outside.status, outside.body.type]).toEqual([n, 404, expect.stringMatching(/import-page-not-found$/)]);
    }
    expect((await call('GET', `/api/v1/imports/${id}/pages/1`, { city: 'hai-phong' })).status).toBe(404);
    const text = await dryRun(unsigned(2, 'b'));
    const none = await call('GET', `/api/v1/imports/${text.headers.get('mandate-import-id')}/pages/1`);
    expect([none.status, none.body.type]).toEqual([415, expect.stringMatching(/import-pages-unavailable$/)]);
  });

  it('confirms the reviewed import once: corrected as the office said, imported as a POST would, the corrections recorded on the plan by whom', async () => {
    const run = await dryRun(unsigned(5, 'c'));
    const id = run.headers.get('mandate-import-id')!;
    const [first, second] = run.body.tasks as { ref: string; title: string }[];
    const corrections = {
      document: { number: '2002/KH-UBND', issuedOn: '2025-01-20' },
      tasks: {
        [first.ref]: { lead: 'so-tu-phap', deadline: 'Quý II/2026', title: 'Xây dựng cơ sở dữ liệu chuyên ngành tư pháp' },
        [second.ref]: { drop: true },
      },
      add: [{ title: 'Tổng kết thực hiện Kế hoạch', lead: 'Sở Tài chính', deadline: '31/12/2026' }],
    };
    const confirmed = await confirm(id, corrections);
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toEqual(expect.objectContaining({ number: '2002/KH-UBND', outcome: 'created', tasks: expect.objectContaining({ count: 5 }) }));
    expect(confirmed.body.warnings.map((w: { code: string }) => w.code)).not.toContain('number-missing');
    expect(confirmed.headers.get('location')).toBe(`/api/v1/plans/${confirmed.body.planId}`);

    const plan = await call('GET', `/api/v1/plans/${confirmed.body.planId}`);
    expect(plan.body).toEqual(expect.objectContaining({ number: '2002/KH-UBND', issuedOn: '2025-01-20' }));
    const tasks = await call('GET', `/api/v1/plans/${confirmed.body.planId}/tasks?limit=100`);
    const items = (tasks.body.items ?? tasks.body) as { ref: string; title: string; lead?: { agencyId: string | null } | null }[];
    expect(items.map((t) => t.ref)).not.toContain(second.ref);
    expect(items.find((t) => t.ref === first.ref)).toEqual(expect.objectContaining({ title: 'Xây dựng cơ sở dữ liệu chuyên ngành tư pháp' }));
    expect(items.find((t) => t.ref === '+1')).toEqual(expect.objectContaining({ title: 'Tổng kết thực hiện Kế hoạch' }));

    const history = await call('GET', `/api/v1/audit/plans/${confirmed.body.planId}/history`);
    const items_ = history.body.items as { type: string; streamId: string; data: Record<string, any> }[];
    // After the issue it corrected, on the plan's own stream.
    expect(items_.filter((e) => e.streamId.startsWith('plan-')).map((e) => e.type)).toEqual(['PlanIssued', 'PlanImportReviewed']);
    const reviewed = items_.filter((e) => e.type === 'PlanImportReviewed');
    expect(reviewed).toHaveLength(1);
    expect(reviewed[0].data).toEqual(
      expect.objectContaining({
        planId: confirmed.body.planId,
        document: 'du-thao.txt',
        reviewedBy: 'office-reviewer@ha-noi',
        changes: [
          { path: 'document.number', from: null, to: '2002/KH-UBND' },
          { path: 'document.issuedOn', from: null, to: '2025-01-20' },
          { path: `tasks.${first.ref}.title`, from: first.title, to: 'Xây dựng cơ sở dữ liệu chuyên ngành tư pháp' },
          { path: `tasks.${first.ref}.lead`, from: expect.anything(), to: { agencyId: 'so-tu-phap', name: 'Sở Tư pháp' } },
          { path: `tasks.${first.ref}.deadline`, from: expect.any(String), to: 'Quý II/2026' },
          { path: `tasks.${second.ref}`, from: { title: second.title }, to: null },
          { path: 'add.+1', from: null, to: expect.objectContaining({ title: 'Tổng kết thực hiện Kế hoạch', deadline: '31/12/2026' }) },
        ],
      }),
    );

    // The job holds the import's answer; a second confirmation is refused and imports nothing more.
    expect((await call('GET', `/api/v1/imports/${id}`)).body).toEqual(expect.objectContaining({ state: 'stored', result: confirmed.body }));
    const again = await confirm(id, {});
    expect([again.status, again.body.type]).toEqual([409, expect.stringMatching(/import-not-confirmable$/)]);
  });

  it('confirms one of two confirmations sent at once', async () => {
    const id = (await dryRun(unsigned(2, 'd'))).headers.get('mandate-import-id')!;
    const answers = await Promise.all([confirm(id, {}), confirm(id, {})]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
  });

  it('applies the corrections part of a dry run to its preview, and records them when it is confirmed without more', async () => {
    const form = new FormData();
    form.append('file', new Blob([unsigned(3, 'e')], { type: 'text/plain' }), 'du-thao-e.txt');
    form.append('corrections', JSON.stringify({ document: { number: '3003/KH-UBND' } }));
    const run = await call('POST', '/api/v1/imports?city=ha-noi&dryRun=true', { body: form });
    expect(run.status).toBe(200);
    expect(run.body.document.number).toBe('3003/KH-UBND');
    const confirmed = await confirm(run.headers.get('mandate-import-id')!, '');
    expect([confirmed.status, confirmed.body.number]).toEqual([201, '3003/KH-UBND']);
    const history = await call('GET', `/api/v1/audit/plans/${confirmed.body.planId}/history`);
    const reviewed = (history.body.items as { type: string; data: Record<string, any> }[]).find((e) => e.type === 'PlanImportReviewed');
    expect(reviewed?.data.changes).toEqual([{ path: 'document.number', from: null, to: '3003/KH-UBND' }]);
    // A plain import takes the part too (not a dry run: 201 with the corrected number).
    const direct = new FormData();
    direct.append('file', new Blob([unsigned(2, 'f')], { type: 'text/plain' }), 'du-thao-f.txt');
    direct.append('corrections', new Blob([JSON.stringify({ document: { number: '3004/KH-UBND' } })], { type: 'application/json' }));
    const imported = await call('POST', '/api/v1/imports?city=ha-noi', { body: direct });
    expect([imported.status, imported.body.number]).toEqual([201, '3004/KH-UBND']);
  });

  it('refuses corrections that are not JSON (400), not the shape (422, naming the field), a task the plan lacks or a deadline it cannot read (422); the import stays confirmable', async () => {
    const run = await dryRun(unsigned(2, 'g'));
    const id = run.headers.get('mandate-import-id')!;
    const ref = run.body.tasks[0].ref as string;
    const refused = [
      [await confirm(id, '{"document": '), 400, 'import-corrections-malformed', 'not JSON'],
      [await confirm(id, { document: { issuedOn: '20/01/2025' } }), 422, 'import-corrections-invalid', 'document.issuedOn'],
      [await confirm(id, { tasks: { [ref]: { lead: 7 } } }), 422, 'import-corrections-invalid', `tasks.${ref}.lead`],
      [await confirm(id, { tasks: { 'IX.99': { drop: true } } }), 422, 'import-correction-unknown-task', 'IX.99'],
      [await confirm(id, { tasks: { [ref]: { deadline: 'khi nào xong' } } }), 422, 'import-correction-deadline-unreadable', 'khi nào xong'],
    ] as const;
    for (const [answer, status, code, named] of refused) {
      expect([answer.status, answer.body.type, answer.body.detail]).toEqual([
        status,
        expect.stringMatching(new RegExp(`${code}$`)),
        expect.stringContaining(named),
      ]);
    }
    // The multipart part of POST /imports is read the same way.
    const form = new FormData();
    form.append('file', new Blob([unsigned(2, 'g')], { type: 'text/plain' }), 'du-thao-g.txt');
    form.append('corrections', 'not json');
    const malformed = await call('POST', '/api/v1/imports?city=ha-noi&dryRun=true', { body: form });
    expect([malformed.status, malformed.body.type]).toEqual([400, expect.stringMatching(/import-corrections-malformed$/)]);
    expect((await confirm(id, {})).status).toBe(201);
  });

  it("is the office's to confirm (an agency or the planning department: 403), and a city's own (another city: 404)", async () => {
    const id = (await dryRun(unsigned(2, 'h'))).headers.get('mandate-import-id')!;
    expect((await confirm(id, {}, { role: 'agency' })).status).toBe(403);
    const planning = await confirm(id, {}, { role: 'planning' });
    expect([planning.status, planning.body.type]).toEqual([403, expect.stringMatching(/import-forbidden$/)]);
    const other = await confirm(id, {}, { city: 'hai-phong' });
    expect([other.status, other.body.type]).toEqual([404, expect.stringMatching(/import-job-not-found$/)]);
    expect((await confirm('00000000-0000-4000-8000-000000000000', {})).status).toBe(404);
    expect((await confirm(id, {})).status).toBe(201);
  });

  describe('mandate import and mandate parse --corrections <file>', () => {
    const write = (name: string, content: string) => {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, content);
      return file;
    };
    const plan = write('du-thao-cli.txt', unsigned(4, 'cli'));
    let refs: string[] = [];
    beforeAll(async () => {
      refs = ((await dryRun(unsigned(4, 'cli'))).body.tasks as { ref: string }[]).map((t) => t.ref);
    });
    const correctionsFile = () =>
      write(
        'sua.json',
        JSON.stringify({
          document: { number: '4004/KH-UBND', issuedOn: '2025-01-20' },
          tasks: { [refs[1]]: { drop: true }, [refs[0]]: { deadline: 'Quý II/2026' } },
        }),
      );

    it('mandate parse shows the corrected ParsedPlan, locally', async () => {
      const run = await mandate(['parse', plan, '--json', '--city', 'ha-noi', '--corrections', correctionsFile()]);
      expect(run.status).toBe(0);
      const parsed = JSON.parse(run.stdout);
      expect(parsed.document).toMatchObject({ number: '4004/KH-UBND', issuedOn: '2025-01-20' });
      expect(parsed.tasks.map((t: { ref: string }) => t.ref)).toEqual([refs[0], ...refs.slice(2)]);
      expect(parsed.tasks[0].deadline).toMatchObject({ kind: 'due', due: '2026-06-30' });
    });

    it('mandate import sends them with the document: the preview shows them, the import stores them and the plan records them', async () => {
      const preview = await mandate(['import', plan, '--city', 'ha-noi', '--url', deployment.url(), '--dry-run', '--json', '--corrections', correctionsFile()]);
      expect(preview.status).toBe(0);
      expect(JSON.parse(preview.stdout).tasks).toHaveLength(3);
      const run = await mandate(['import', plan, '--city', 'ha-noi', '--url', deployment.url(), '--json', '--corrections', correctionsFile()]);
      expect(run.status).toBe(0);
      const answer = JSON.parse(run.stdout);
      expect(answer).toMatchObject({ number: '4004/KH-UBND', outcome: 'created', tasks: { count: 3 } });
      const history = await call('GET', `/api/v1/audit/plans/${answer.planId}/history`);
      const reviewed = (history.body.items as { type: string; data: Record<string, any> }[]).find((e) => e.type === 'PlanImportReviewed');
      expect(reviewed?.data.changes.map((c: { path: string }) => c.path)).toEqual([
        'document.number',
        'document.issuedOn',
        `tasks.${refs[0]}.deadline`,
        `tasks.${refs[1]}`,
      ]);
    });

    it('refuses a corrections file that is not JSON, or names a task the document lacks (exit 2, the file named)', async () => {
      const malformed = await mandate([
        'import',
        plan,
        '--city',
        'ha-noi',
        '--url',
        deployment.url(),
        '--dry-run',
        '--corrections',
        write('hong.json', '{"tasks": '),
      ]);
      expect(malformed.status).toBe(2);
      expect(malformed.stderr).toMatch(/--corrections .*hong\.json: The corrections are not JSON/);
      const unknown = write('la.json', JSON.stringify({ tasks: { 'IX.99': { drop: true } } }));
      const parse = await mandate(['parse', plan, '--city', 'ha-noi', '--corrections', unknown]);
      expect(parse.status).toBe(2);
      expect(parse.stderr).toMatch(/la\.json: tasks\.IX\.99: the parsed plan has no task IX\.99/);
      const sent = await mandate(['import', plan, '--city', 'ha-noi', '--url', deployment.url(), '--dry-run', '--corrections', unknown]);
      expect(sent.status).toBe(2);
      expect(sent.stderr).toMatch(/import refused \(422\): tasks\.IX\.99/);
    });
  });
});

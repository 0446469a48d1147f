// A city's directory of agencies and leaders as events of its log (issue 20, item 2): imported from
// the spreadsheet its office keeps, exported in the same form, changed one agency or leader at a time,
// and the one view every lookup reads (imports resolving names, reassigning a task, counts per
// leader), in both deployments.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { syntheticPlan } from '@mandate/plan-import';
import { signToken } from '@mandate/http';
import type { Role } from '@mandate/kernel';
import { distributedDeployment, embeddedDeployment, TEST_SECRET, type Deployment } from './testing/deployments';
import { apiCaller, problemOf } from './testing/api-caller';
import { eventually } from './testing/http-contract';

jest.setTimeout(240_000);

const PLAN = fs.readFileSync(path.resolve(__dirname, '../../../seeds/documents/hai-phong-86-KH-UBND-2020.txt'), 'utf8');
const SEEDED_HA_NOI = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../seeds/agencies/ha-noi.json'), 'utf8')) as unknown[]).length;

const operator = signToken(TEST_SECRET, { userId: 'op-1', role: 'operator', cityId: 'platform', agencyId: null });
const tokenOf = (cityId: string, role: Role = 'office') =>
  signToken(TEST_SECRET, { userId: `${role}-1`, role, cityId, agencyId: role === 'agency' ? 'so-tai-chinh' : null });

/** The spreadsheet as an office keeps it: a title row, then the header, then one agency per row. */
const workbook = async (rows: (string | null)[][], title = 'DANH BẠ CƠ QUAN, ĐƠN VỊ TỈNH QUẢNG NINH'): Promise<Buffer> => {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Danh bạ');
  sheet.addRow([title]);
  sheet.addRow(['Mã', 'Tên cơ quan, đơn vị', 'Loại', 'Trực thuộc (mã)', 'Tên khác (cách nhau bởi ;)']);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from((await book.xlsx.writeBuffer()) as ArrayBuffer);
};

const QUANG_NINH = [
  ['phong-ngan-sach', 'Phòng Ngân sách', 'Đơn vị trực thuộc', 'so-tai-chinh', ''],
  ['so-tai-chinh', 'Sở Tài chính', 'Sở, ban, ngành', '', 'STC'],
  ['so-ke-hoach-dau-tu', 'Sở Kế hoạch và Đầu tư', 'department', '', 'Sở KH&ĐT; KHĐT'],
  ['so-noi-vu', 'Sở Nội vụ', 'department', '', ''],
  ['so-cong-thuong', 'Sở Công Thương', 'department', '', ''],
  ['so-lao-dong-tbxh', 'Sở Lao động - Thương binh và Xã hội', 'department', '', 'Sở LĐ-TB&XH'],
  ['ubnd-phuong-ha-long', 'UBND phường Hạ Long', 'UBND xã, phường, đặc khu', '', 'Phường Hạ Long'],
];

const directoryOfCities = (name: string, deploy: () => Promise<Deployment>) =>
  describe(`city directories in the log (${name})`, () => {
    let deployment: Deployment;
    beforeAll(async () => {
      deployment = await deploy();
    }, 180_000);
    afterAll(async () => deployment?.stop());

    const call = apiCaller(() => deployment.url());
    const problem = problemOf;
    const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const leadsOf = async (token: string) => {
      const run = await call('POST', '/api/v1/imports?city=quang-ninh&dryRun=true&document=ke-hoach.txt', token, PLAN, 'text/plain; charset=utf-8');
      expect(run.status).toBe(200);
      return (run.body.tasks as { lead: { agencyId: string | null } | null }[]).map((t) => t.lead?.agencyId).filter(Boolean) as string[];
    };

    it('starts with the seeds’ directory as the first events of each city’s log', async () => {
      const directory = await call('GET', '/api/v1/directory', tokenOf('ha-noi'));
      expect(directory.status).toBe(200);
      expect(directory.body.agencies).toHaveLength(SEEDED_HA_NOI);
      expect(directory.body.agencies[0]).toEqual(
        expect.objectContaining({ id: 'van-phong-ubnd', kind: 'committee', active: true, parentId: null, aliases: expect.arrayContaining(['VPUB']) }),
      );
      const history = await call('GET', '/api/v1/directory/history', tokenOf('ha-noi'));
      expect(history.body.items[0]).toEqual(expect.objectContaining({ type: 'AgencyAdded', actor: expect.objectContaining({ userId: 'system:seed' }) }));
    });

    it("imports a new city's directory from the XLSX its office keeps: a preview first, then one change; names then resolve", async () => {
      expect(
        (await call('POST', '/api/v1/cities', operator, { id: 'quang-ninh', name: 'Tỉnh Quảng Ninh', level: 'province', reason: 'Tỉnh đăng ký' })).status,
      ).toBe(201);
      const office = await tokenOf('quang-ninh');
      await eventually(
        () => call('GET', '/api/v1/directory', office),
        (a) => a.status === 200,
        30_000,
      );
      expect(await leadsOf(office)).toEqual([]);
      const file = await workbook(QUANG_NINH);
      const preview = await call('POST', '/api/v1/directory/import?dryRun=true', office, file, XLSX);
      expect([preview.status, preview.body]).toEqual([200, { dryRun: true, rows: 7, changes: { added: 7, renamed: 0, aliasesAdded: 0, moved: 1 } }]);
      expect((await call('GET', '/api/v1/directory', office)).body.agencies).toEqual([]);
      const imported = await call('POST', '/api/v1/directory/import', office, file, XLSX);
      expect([imported.status, imported.body.changes]).toEqual([200, { added: 7, renamed: 0, aliasesAdded: 0, moved: 1 }]);
      const directory = (await call('GET', '/api/v1/directory', office)).body.agencies as { id: string; kind: string; parentId: string | null }[];
      expect(directory.map((a) => [a.id, a.kind, a.parentId])).toEqual([
        ['phong-ngan-sach', 'unit', 'so-tai-chinh'],
        ['so-tai-chinh', 'department', null],
        ['so-ke-hoach-dau-tu', 'department', null],
        ['so-noi-vu', 'department', null],
        ['so-cong-thuong', 'department', null],
        ['so-lao-dong-tbxh', 'department', null],
        ['ubnd-phuong-ha-long', 'commune', null],
      ]);
      const leads = await leadsOf(office);
      expect(leads).toEqual(expect.arrayContaining(['so-tai-chinh', 'so-ke-hoach-dau-tu', 'so-noi-vu']));
      // The same file again changes nothing.
      expect((await call('POST', '/api/v1/directory/import', office, file, XLSX)).body.changes).toEqual({ added: 0, renamed: 0, aliasesAdded: 0, moved: 0 });
    });

    it('refuses a bad file whole, naming every bad line, and a user who does not keep the directory', async () => {
      const office = await tokenOf('quang-ninh');
      const bad = await workbook([
        ['so-xay-dung', 'Sở Xây dựng', 'department', '', ''],
        ['So Giao Thong', 'Sở Giao thông', 'department', '', ''],
        ['phong-a', 'Phòng A', 'unit', 'so-khong-co', ''],
        ['so-y-te', 'Sở Y tế', 'bệnh viện', '', ''],
      ]);
      const refused = await call('POST', '/api/v1/directory/import', office, bad, XLSX);
      expect(problem(refused)).toEqual([400, 'directory-file-invalid']);
      expect(refused.body.detail).toMatch(
        /3 error\(s\), nothing was changed: line 4: agencyId.*; line 5: No agency "so-khong-co".*; line 6: kind: one of department/,
      );
      const twoErrors = await call(
        'POST',
        '/api/v1/directory/import',
        office,
        await workbook(
          QUANG_NINH.slice(0, 1).concat([
            ['So Giao Thong', 'Sở Giao thông', 'department', '', ''],
            ['phong-a', 'Phòng A', 'unit', 'so-khong-co', ''],
          ]),
        ),
        XLSX,
      );
      expect(twoErrors.body.detail).toMatch(/2 error\(s\), nothing was changed: line 4: agencyId.*; line 5: No agency "so-khong-co"/);
      expect((await call('GET', '/api/v1/directory', office)).body.agencies).toHaveLength(7);
      expect(
        problem(await call('POST', '/api/v1/directory/import', office, Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff, 0xfe, 0x00]), 'application/pdf')),
      ).toEqual([400, 'directory-file-unreadable']);
      expect(problem(await call('POST', '/api/v1/directory/import', office, 'Tên,Loại\nSở Y tế,department\n', 'text/csv'))).toEqual([
        400,
        'directory-file-invalid',
      ]);
      expect(problem(await call('POST', '/api/v1/directory/import', office, Buffer.alloc(0), XLSX))).toEqual([400, 'directory-file-empty']);
      expect(problem(await call('POST', '/api/v1/directory/import', tokenOf('quang-ninh', 'agency'), await workbook(QUANG_NINH), XLSX))).toEqual([
        403,
        'permission-denied',
      ]);
      expect(
        problem(await call('POST', '/api/v1/directory/agencies', tokenOf('quang-ninh', 'planning'), { id: 'so-y-te', name: 'Sở Y tế', kind: 'department' })),
      ).toEqual([403, 'permission-denied']);
    });

    it('exports the directory as XLSX and CSV that import back unchanged', async () => {
      const office = await tokenOf('quang-ninh');
      const xlsx = await call('GET', '/api/v1/directory/export?format=xlsx', office);
      expect([xlsx.status, xlsx.headers.get('content-type'), xlsx.headers.get('content-disposition')]).toEqual([
        200,
        XLSX,
        'attachment; filename="danh-ba-quang-ninh.xlsx"',
      ]);
      expect((await call('POST', '/api/v1/directory/import?dryRun=true', office, xlsx.bytes, XLSX)).body.changes).toEqual({
        added: 0,
        renamed: 0,
        aliasesAdded: 0,
        moved: 0,
      });
      const csv = await call('GET', '/api/v1/directory/export?format=csv', office);
      expect(csv.bytes.toString('utf8')).toMatch(/^\uFEFFMã,Tên cơ quan, đơn vị|^\uFEFFMã,"Tên cơ quan, đơn vị"/);
      expect(csv.bytes.toString('utf8')).toContain('so-ke-hoach-dau-tu,Sở Kế hoạch và Đầu tư');
      expect((await call('POST', '/api/v1/directory/import?dryRun=true', office, csv.bytes, 'text/csv')).body.changes).toEqual({
        added: 0,
        renamed: 0,
        aliasesAdded: 0,
        moved: 0,
      });
      // A CSV written by hand adds an agency.
      const handWritten = 'Mã,Tên cơ quan, đơn vị,Loại\nso-y-te,Sở Y tế,department\n'.replace('Tên cơ quan, đơn vị', '"Tên cơ quan, đơn vị"');
      expect((await call('POST', '/api/v1/directory/import', office, handWritten, 'text/csv; charset=utf-8')).body.changes).toEqual({
        added: 1,
        renamed: 0,
        aliasesAdded: 0,
        moved: 0,
      });
    });

    it('renames, aliases, moves and merges one agency at a time; a merged name resolves to the successor, the history keeps each change', async () => {
      const office = await tokenOf('quang-ninh');
      const added = await call('POST', '/api/v1/directory/agencies', office, {
        id: 'phong-dau-tu',
        name: 'Phòng Đầu tư',
        kind: 'unit',
        parentId: 'so-ke-hoach-dau-tu',
      });
      expect([added.status, added.headers.get('location'), added.body.parentId]).toEqual([
        201,
        '/api/v1/directory/agencies/phong-dau-tu',
        'so-ke-hoach-dau-tu',
      ]);
      expect(problem(await call('POST', '/api/v1/directory/agencies', office, { id: 'phong-dau-tu', name: 'Phòng khác', kind: 'unit' }))).toEqual([
        422,
        'agency-exists',
      ]);
      const renamed = await call('POST', '/api/v1/directory/agencies/so-cong-thuong/rename', office, {
        name: 'Sở Công Thương tỉnh Quảng Ninh',
        reason: 'Tên đầy đủ',
      });
      expect([renamed.status, renamed.body.name, renamed.body.aliases]).toEqual([200, 'Sở Công Thương tỉnh Quảng Ninh', ['Sở Công Thương']]);
      expect((await call('POST', '/api/v1/directory/agencies/so-noi-vu/aliases', office, { alias: 'SNV' })).body.aliases).toEqual(['SNV']);
      expect(problem(await call('POST', '/api/v1/directory/agencies/so-khong-co/move', office, { parentId: null }))).toEqual([404, 'agency-not-found']);

      expect(await leadsOf(office)).toContain('so-ke-hoach-dau-tu');
      const merger = await call('POST', '/api/v1/directory/mergers', office, {
        predecessorIds: ['so-ke-hoach-dau-tu'],
        successorId: 'so-tai-chinh',
        effectiveOn: '2025-03-01',
        reason: 'Hợp nhất Sở KH&ĐT vào Sở Tài chính',
      });
      expect([merger.status, merger.body.predecessors[0].active, merger.body.predecessors[0].successor]).toEqual([
        201,
        false,
        { agencyId: 'so-tai-chinh', effectiveOn: '2025-03-01' },
      ]);
      // The former department's unit now belongs to the successor; its name resolves there too.
      expect((await call('GET', '/api/v1/directory/agencies/phong-dau-tu', office)).body.parentId).toBe('so-tai-chinh');
      const leads = await leadsOf(office);
      expect(leads).not.toContain('so-ke-hoach-dau-tu');
      expect(leads).toContain('so-tai-chinh');
      const active = (await call('GET', '/api/v1/directory', office)).body.agencies.map((a: { id: string }) => a.id);
      expect(active).not.toContain('so-ke-hoach-dau-tu');
      expect((await call('GET', '/api/v1/directory?all=true', office)).body.agencies.map((a: { id: string }) => a.id)).toContain('so-ke-hoach-dau-tu');

      const history = (await call('GET', '/api/v1/directory/history', office)).body.items as { type: string }[];
      expect(history.slice(-4).map((e) => e.type)).toEqual(['AgencyAdded', 'AgencyRenamed', 'AgencyAliasAdded', 'AgenciesMerged']);
      // Another city's directory is its own.
      expect((await call('GET', '/api/v1/directory/agencies/phong-dau-tu', tokenOf('ha-noi'))).status).toBe(404);
    });

    it("reassigns a task to an agency of the city's directory as the log has it now", async () => {
      const office = await tokenOf('quang-ninh');
      const imported = await call('POST', '/api/v1/imports?city=quang-ninh&document=ke-hoach-86.txt', office, PLAN, 'text/plain; charset=utf-8');
      expect(imported.status).toBe(201);
      const tasks = await call('GET', `/api/v1/plans/${imported.body.planId}/tasks?limit=3`, office);
      const task = (tasks.body.items ?? tasks.body)[0] as { id: string; version: string };
      const moved = await call(
        'POST',
        `/api/v1/tasks/${task.id}/reassign`,
        office,
        { leadAgencyId: 'ubnd-phuong-ha-long', coordinatorAgencyIds: ['phong-dau-tu'] },
        'application/json',
        { 'if-match': `"${task.version}"` },
      );
      expect([moved.status, moved.body.lead?.agencyId, moved.body.lead?.name]).toEqual([200, 'ubnd-phuong-ha-long', 'UBND phường Hạ Long']);
      const gone = await call('POST', `/api/v1/tasks/${task.id}/reassign`, office, { leadAgencyId: 'so-ke-hoach-dau-tu' }, 'application/json', {
        'if-match': `"${moved.body.version}"`,
      });
      expect(problem(gone)).toEqual([400, 'agency-unknown']);
    });

    it("hands a merged department's open tasks to its successor, citing the merger; counts, history and the audit verify agree before and after", async () => {
      const office = await tokenOf('quang-ninh');
      const auditor = await tokenOf('quang-ninh', 'auditor');
      const planId = ((await call('GET', '/api/v1/plans', office)).body.items as { id: string }[])[0].id;
      type Row = { id: string; lead: { agencyId: string | null } | null; coordinators: { agencyId: string | null }[]; status: { code: string } };
      const tasks = async () => (await call('GET', `/api/v1/plans/${planId}/tasks?limit=1000`, office)).body.items as Row[];
      const holds = (t: Row, id: string) => t.lead?.agencyId === id || t.coordinators.some((c) => c.agencyId === id);
      const before = await tasks();
      const held = before.filter((t) => holds(t, 'so-lao-dong-tbxh'));
      expect(held.length).toBeGreaterThan(0);
      const led = held.filter((t) => t.lead?.agencyId === 'so-lao-dong-tbxh').map((t) => t.id);
      // One of them is done: it stays with the agency that did it.
      const done = held.find((t) => t.lead?.agencyId === 'so-lao-dong-tbxh')!;
      const version = (await call('GET', `/api/v1/tasks/${done.id}`, office)).headers.get('etag')!;
      expect(
        (await call('POST', `/api/v1/tasks/${done.id}/cancel`, office, { reason: 'Không còn phù hợp' }, 'application/json', { 'if-match': version })).status,
      ).toBe(200);
      const countsBefore = (await call('GET', `/api/v1/plans/${planId}/counts?by=agency`, office)).body.rows as { key: string | null; assigned: number }[];
      const byKey = (rows: { key: string | null; assigned: number }[], key: string) => rows.find((r) => r.key === key)?.assigned ?? 0;
      expect((await call('GET', '/api/v1/audit/verify', auditor)).body).toMatchObject({ ok: true, firstBroken: null });

      const merger = await call('POST', '/api/v1/directory/mergers', office, {
        predecessorIds: ['so-lao-dong-tbxh'],
        successorId: 'so-noi-vu',
        effectiveOn: '2025-03-01',
        reason: 'Hợp nhất theo Nghị quyết của HĐND tỉnh',
      });
      expect([merger.status, merger.body.tasksMoved]).toEqual([201, held.length - 1]);

      const after = await tasks();
      expect(after.filter((t) => t.id !== done.id && holds(t, 'so-lao-dong-tbxh'))).toEqual([]);
      expect(after.find((t) => t.id === done.id)!.lead?.agencyId).toBe('so-lao-dong-tbxh');
      for (const id of led.filter((id) => id !== done.id)) expect(after.find((t) => t.id === id)!.lead?.agencyId).toBe('so-noi-vu');
      const countsAfter = (await call('GET', `/api/v1/plans/${planId}/counts?by=agency`, office)).body.rows as { key: string | null; assigned: number }[];
      expect(byKey(countsAfter, 'so-noi-vu')).toBe(byKey(countsBefore, 'so-noi-vu') + byKey(countsBefore, 'so-lao-dong-tbxh') - 1);
      expect(byKey(countsAfter, 'so-lao-dong-tbxh')).toBe(1);
      // The old split on request: each task under the agency that held it before the merger.
      const former = await call('GET', `/api/v1/plans/${planId}/counts?by=agency&agencies=former`, office);
      expect([former.body.agencies, byKey(former.body.rows, 'so-lao-dong-tbxh'), byKey(former.body.rows, 'so-noi-vu')]).toEqual([
        'former',
        byKey(countsBefore, 'so-lao-dong-tbxh'),
        byKey(countsBefore, 'so-noi-vu'),
      ]);
      expect(problem(await call('GET', `/api/v1/plans/${planId}/counts?agencies=old`, office))).toEqual([400, 'invalid-request']);
      // The reporting dashboard, from the published events (assigned v2 with the succession), agrees.
      type Board = { byAgency: { key: string; counts: { assigned: number } }[] };
      const board = (agencies: string) => async () =>
        (await call('GET', `/api/v1/reporting/dashboard?planId=${planId}&agencies=${agencies}`, office)).body as Board;
      const rowOf = (b: Board, key: string) => b.byAgency.find((r) => r.key === key)?.counts.assigned ?? 0;
      const current = await eventually(board('current'), (b) => rowOf(b, 'so-lao-dong-tbxh') === 1);
      expect([rowOf(current, 'so-lao-dong-tbxh'), rowOf(current, 'so-noi-vu')]).toEqual([1, byKey(countsAfter, 'so-noi-vu')]);
      const old = await board('former')();
      expect([rowOf(old, 'so-lao-dong-tbxh'), rowOf(old, 'so-noi-vu')]).toEqual([byKey(countsBefore, 'so-lao-dong-tbxh'), byKey(countsBefore, 'so-noi-vu')]);

      // History keeps the old agency and says why the task moved.
      const moved = led.find((id) => id !== done.id)!;
      const history = (await call('GET', `/api/v1/tasks/${moved}/history`, office)).body;
      const events = (history.events ?? history.items ?? history) as {
        type: string;
        data: { lead: { agencyId: string }; previousLeadAgencyId: string; reason: string | null };
      }[];
      const handOver = events.filter((e) => e.type === 'TaskAssigned').at(-1)!;
      expect(handOver.data).toMatchObject({
        previousLeadAgencyId: 'so-lao-dong-tbxh',
        lead: { agencyId: 'so-noi-vu' },
        reason: 'Sáp nhập Sở Lao động - Thương binh và Xã hội vào Sở Nội vụ từ ngày 01/03/2025',
      });
      expect((await call('GET', '/api/v1/audit/verify', auditor)).body).toMatchObject({ ok: true, firstBroken: null });
      // Again: nothing left to move.
      expect((await call('POST', '/api/v1/directory/agencies/so-lao-dong-tbxh/hand-over', office)).body).toMatchObject({
        successor: { id: 'so-noi-vu' },
        tasksMoved: 0,
      });
      expect(problem(await call('POST', '/api/v1/directory/agencies/so-noi-vu/hand-over', office))).toEqual([422, 'agency-not-merged']);
    });

    it("appoints the city's leaders, changes a title, relieves one: the importer and the counts per leader read them from the directory", async () => {
      const office = await tokenOf('quang-ninh');
      // A plan whose tasks name the leader directing them, once misspelt as the sources do ("Khăng").
      const plan = [
        'ỦY BAN NHÂN DÂN',
        'TỈNH QUẢNG NINH',
        'Số: 15/KH-UBND',
        'Quảng Ninh, ngày 10 tháng 3 năm 2025',
        'KẾ HOẠCH',
        'CHUYỂN ĐỔI SỐ NĂM 2025',
        'PHỤ LỤC',
        'NHIỆM VỤ CỤ THỂ',
        'TT |',
        'Nhiệm vụ |',
        'Lãnh đạo UBND tỉnh phụ trách |',
        'Cơ quan chủ trì |',
        'Thời hạn |',
        '1 |',
        'Xây dựng cơ sở dữ liệu tài chính |',
        'PCT Bùi Văn Khắng |',
        'Sở Tài chính |',
        'Quý IV/2025 |',
        '2 |',
        'Đào tạo kỹ năng số cho cán bộ |',
        'PCT Bùi Văn Khăng |',
        'Sở Nội vụ |',
        'Quý III/2025 |',
      ].join('\n');
      const supervisors = async () => {
        const run = await call('POST', '/api/v1/imports?city=quang-ninh&dryRun=true&document=ke-hoach-15.txt', office, plan, 'text/plain; charset=utf-8');
        expect(run.status).toBe(200);
        return (run.body.tasks as { supervisor: { name: string | null } | null }[]).map((t) => t.supervisor?.name);
      };
      // A city created at run time has no leaders: the misspelt name stays as written.
      expect((await call('GET', '/api/v1/directory', office)).body).toMatchObject({ leaders: [], leadership: [] });
      expect(await supervisors()).toEqual(['Bùi Văn Khắng', 'Bùi Văn Khăng']);

      const appointed = await call('POST', '/api/v1/directory/leaders', office, {
        name: 'Bùi Văn Khắng',
        title: 'Phó Chủ tịch UBND tỉnh',
        fields: ['Tài chính', 'Chuyển đổi số'],
      });
      expect([appointed.status, appointed.headers.get('location')]).toEqual([201, `/api/v1/directory/leaders/${appointed.body.id}`]);
      expect(appointed.body).toEqual({
        id: expect.any(String),
        name: 'Bùi Văn Khắng',
        title: 'Phó Chủ tịch UBND tỉnh',
        fields: ['Tài chính', 'Chuyển đổi số'],
        current: true,
        appointedAt: expect.any(String),
        relievedAt: null,
      });
      const id = appointed.body.id as string;
      expect(await supervisors()).toEqual(['Bùi Văn Khắng', 'Bùi Văn Khắng']);
      expect((await call('GET', '/api/v1/directory', office)).body.leaders).toEqual(['Bùi Văn Khắng']);
      expect(problem(await call('POST', '/api/v1/directory/leaders', office, { name: 'bùi văn  khắng', title: 'Chủ tịch UBND tỉnh' }))).toEqual([
        422,
        'leader-name-taken',
      ]);
      expect(problem(await call('POST', '/api/v1/directory/leaders', office, { name: ' ', title: 'Chủ tịch UBND tỉnh' }))).toEqual([
        400,
        'invalid-leader-name',
      ]);
      expect(
        problem(await call('POST', '/api/v1/directory/leaders', tokenOf('quang-ninh', 'planning'), { name: 'Cao Tường Huy', title: 'Chủ tịch UBND tỉnh' })),
      ).toEqual([403, 'permission-denied']);

      const retitled = await call('POST', `/api/v1/directory/leaders/${id}/title`, office, {
        title: 'Phó Chủ tịch Thường trực UBND tỉnh',
        reason: 'Quyết định phân công của UBND tỉnh',
      });
      expect([retitled.status, retitled.body.title]).toEqual([200, 'Phó Chủ tịch Thường trực UBND tỉnh']);
      expect(problem(await call('POST', `/api/v1/directory/leaders/${id}/title`, office, { title: 'Chủ tịch UBND tỉnh' }))).toEqual([400, 'invalid-request']);
      expect(problem(await call('POST', '/api/v1/directory/leaders/khong-co/relieve', office, { reason: 'x' }))).toEqual([404, 'leader-not-found']);

      // Imported, its tasks count under the leader, the misspelt one too.
      const imported = await call('POST', '/api/v1/imports?city=quang-ninh&document=ke-hoach-15.txt', office, plan, 'text/plain; charset=utf-8');
      expect(imported.status).toBe(201);
      const byLeader = async () =>
        (await call('GET', `/api/v1/plans/${imported.body.planId}/counts?by=supervisor`, office)).body.rows as { name: string; assigned: number }[];
      expect((await byLeader()).map((r) => [r.name, r.assigned])).toEqual([['Bùi Văn Khắng', 2]]);

      // Relieved: no longer a current leader, but the plans naming them still resolve to them.
      const relieved = await call('POST', `/api/v1/directory/leaders/${id}/relieve`, office, { reason: 'Nghị quyết của HĐND tỉnh miễn nhiệm' });
      expect([relieved.status, relieved.body.current]).toEqual([200, false]);
      expect(problem(await call('POST', `/api/v1/directory/leaders/${id}/relieve`, office, { reason: 'Lần nữa' }))).toEqual([422, 'leader-relieved']);
      const directory = (await call('GET', '/api/v1/directory', office)).body;
      expect([directory.leaders, directory.leadership]).toEqual([[], []]);
      expect((await call('GET', '/api/v1/directory?all=true', office)).body.leadership).toEqual([
        expect.objectContaining({ id, current: false, relievedAt: expect.any(String) }),
      ]);
      expect((await byLeader()).map((r) => [r.name, r.assigned])).toEqual([['Bùi Văn Khắng', 2]]);
      expect(await supervisors()).toEqual(['Bùi Văn Khắng', 'Bùi Văn Khắng']);

      const history = (await call('GET', '/api/v1/directory/history', office)).body.items as { type: string; data: { reason?: string } }[];
      expect(history.slice(-3).map((e) => [e.type, e.data.reason])).toEqual([
        ['LeaderAppointed', undefined],
        ['LeaderTitleChanged', 'Quyết định phân công của UBND tỉnh'],
        ['LeaderRelieved', 'Nghị quyết của HĐND tỉnh miễn nhiệm'],
      ]);
      // Another city's leaders are its own: Hà Nội's seeded ones, not this one.
      const haNoi = (await call('GET', '/api/v1/directory', tokenOf('ha-noi'))).body;
      expect(haNoi.leaders).toContain('Nguyễn Trọng Đông');
      expect(haNoi.leaders).not.toContain('Bùi Văn Khắng');
      expect((await call('GET', `/api/v1/directory/leaders/${id}`, tokenOf('ha-noi'))).status).toBe(404);
    });

    it("lets a unit of the province keep its own plans with its own office user, and act on the province's tasks as the agency it is (Bạch Long Vĩ in Hải Phòng)", async () => {
      const unit = await signToken(TEST_SECRET, { userId: 'vp-blv', role: 'unit', cityId: 'hai-phong', agencyId: 'ubnd-huyen-bach-long-vi' });
      const cityOffice = await tokenOf('hai-phong');
      const BLV = fs.readFileSync(path.resolve(__dirname, '../../../seeds/documents/bach-long-vi-35-KH-UBND-2024.txt'), 'utf8');
      // Its own plan: 35/KH-UBND, a number the seeded copy the city office keeps has too.
      const imported = await call('POST', '/api/v1/imports?city=hai-phong&document=blv-35.txt', unit, BLV, 'text/plain; charset=utf-8');
      expect([imported.status, imported.body.outcome]).toEqual([201, 'created']);
      const planId = imported.body.planId as string;
      const plans = (await call('GET', '/api/v1/plans', unit)).body.items as { id: string; number: string; unitId: string | null }[];
      expect(
        plans
          .filter((p) => p.number === '35/KH-UBND')
          .map((p) => p.unitId)
          .sort(),
      ).toEqual([null, 'ubnd-huyen-bach-long-vi'].sort());
      expect((await call('POST', '/api/v1/imports?city=hai-phong&document=blv-35.txt', unit, BLV, 'text/plain; charset=utf-8')).body).toMatchObject({
        planId,
        outcome: 'unchanged',
      });
      // The office of its own plan: it pauses a task there, as the city office would.
      type Row = { id: string; version: string; status: { code: string } };
      const [own] = (await call('GET', `/api/v1/plans/${planId}/tasks?limit=5`, unit)).body.items as Row[];
      expect(
        (await call('POST', `/api/v1/tasks/${own.id}/pause`, unit, { reason: 'Chờ tàu ra đảo' }, 'application/json', { 'if-match': `"${own.version}"` }))
          .status,
      ).toBe(200);
      // The province's plan gives the unit a task: it starts it as the lead agency, but may not pause it (the city office's move).
      const province = ((await call('GET', '/api/v1/plans', cityOffice)).body.items as { id: string; number: string; unitId: string | null }[]).find(
        (p) => p.number === '86/KH-UBND' && p.unitId === null,
      )!;
      const [theirs] = (await call('GET', `/api/v1/plans/${province.id}/tasks?limit=5`, cityOffice)).body.items as Row[];
      const reassigned = await call(
        'POST',
        `/api/v1/tasks/${theirs.id}/reassign`,
        cityOffice,
        { leadAgencyId: 'ubnd-huyen-bach-long-vi' },
        'application/json',
        { 'if-match': `"${theirs.version}"` },
      );
      expect(reassigned.status).toBe(200);
      const etag = reassigned.headers.get('etag')!;
      expect(problem(await call('POST', `/api/v1/tasks/${theirs.id}/pause`, unit, { reason: 'x' }, 'application/json', { 'if-match': etag }))).toEqual([
        403,
        'status-change-forbidden',
      ]);
      expect((await call('POST', `/api/v1/tasks/${theirs.id}/start`, unit, {}, 'application/json', { 'if-match': etag })).status).toBe(200);
      // Cascade: its task carries out the province's; the province's counts roll it up.
      expect((await call('POST', `/api/v1/tasks/${own.id}/link`, unit, { parentTaskId: theirs.id })).status).toBe(200);
      expect(((await call('GET', `/api/v1/tasks/${theirs.id}`, cityOffice)).body.rollUp.children as { id: string }[]).map((c) => c.id)).toContain(own.id);
      // Not the province's plans, nor its directory: the city office keeps those.
      const amend = await call(
        'POST',
        `/api/v1/imports?city=hai-phong&document=ke-hoach-86.txt&amends=${province.id}`,
        unit,
        PLAN,
        'text/plain; charset=utf-8',
      );
      expect(problem(amend)).toEqual([403, 'plan-of-another-unit']);
      expect(problem(await call('POST', '/api/v1/directory/agencies', unit, { id: 'phong-x', name: 'Phòng X', kind: 'unit' }))).toEqual([
        403,
        'permission-denied',
      ]);
      // Its history says who acted: the unit's office, as the office of its plan.
      const history = (await call('GET', `/api/v1/tasks/${own.id}/history`, cityOffice)).body.items as {
        type: string;
        actor: { userId: string; role: string; agencyId: string };
      }[];
      expect(history.at(-2)!.actor).toEqual({ userId: 'vp-blv', role: 'office', agencyId: 'ubnd-huyen-bach-long-vi' });
    });

    it('moves the 40 open tasks a department leads in a plan of 240 when it merges (Sở KH&ĐT into Sở Tài chính)', async () => {
      const office = await tokenOf('ha-noi');
      const imported = await call(
        'POST',
        '/api/v1/imports?city=ha-noi&document=chuyen-doi-so.txt',
        office,
        syntheticPlan(240, '240/KH-UBND'),
        'text/plain; charset=utf-8',
      );
      expect(imported.status).toBe(201);
      const leads = async () =>
        ((await call('GET', `/api/v1/plans/${imported.body.planId}/tasks?limit=1000`, office)).body.items as { lead: { agencyId: string } | null }[]).map(
          (t) => t.lead?.agencyId,
        );
      const before = await leads();
      expect(before.filter((id) => id === 'so-ke-hoach-dau-tu')).toHaveLength(40);
      const merger = await call('POST', '/api/v1/directory/mergers', office, {
        predecessorIds: ['so-ke-hoach-dau-tu'],
        successorId: 'so-tai-chinh',
        effectiveOn: '2025-03-01',
        reason: 'Nghị quyết của HĐND Thành phố',
      });
      expect(merger.status).toBe(201);
      expect(merger.body.tasksMoved).toBeGreaterThanOrEqual(40);
      const after = await leads();
      expect(after.filter((id) => id === 'so-ke-hoach-dau-tu')).toHaveLength(0);
      expect(after.filter((id) => id === 'so-tai-chinh')).toHaveLength(before.filter((id) => id === 'so-tai-chinh' || id === 'so-ke-hoach-dau-tu').length);
      expect((await call('GET', '/api/v1/audit/verify', tokenOf('ha-noi', 'auditor'))).body).toMatchObject({ ok: true, firstBroken: null });
    });
  });

directoryOfCities('embedded', () => embeddedDeployment());
directoryOfCities('distributed', () => distributedDeployment());

import type { PlanDraft, TaskDraft } from '@mandate/plans-domain';
import { ImportError, importPlan } from './index';
import { directoryOf, manifest, seedText } from './test-seeds';

const load = (file: string): PlanDraft => {
  const entry = manifest().find((candidate) => candidate.file === file)!;
  return importPlan(seedText(file), { document: file, cityId: entry.cityId, directory: directoryOf(entry.cityId) });
};
const byRef = (plan: PlanDraft, ref: string): TaskDraft => {
  const task = plan.tasks.find((candidate) => candidate.ref === ref);
  if (!task) throw new Error(`no task ${ref}`);
  return task;
};
const count = (plan: PlanDraft, prefix: string): number => plan.tasks.filter((task) => task.ref.startsWith(prefix)).length;

describe('importPlan on the seed documents', () => {
  it.each(manifest().map((entry) => [entry.file]))('%s: refs are unique and stable across runs', (file) => {
    const first = load(file);
    const refs = first.tasks.map((task) => task.ref);
    expect(new Set(refs).size).toBe(refs.length);
    expect(load(file)).toEqual(first);
    expect(first.tasks.length).toBeGreaterThan(0);
  });

  describe('ha-noi-183 (lone-pipe table)', () => {
    const plan = load('ha-noi-183-KH-UBND-2021.txt');

    it('reads the metadata', () => {
      expect(plan).toMatchObject({
        number: '183/KH-UBND',
        kind: 'plan',
        issuedOn: '2021-08-10',
        issuer: 'UBND thành phố Hà Nội',
        signer: 'Chu Ngọc Anh',
      });
      expect(plan.title).toMatch(/^KẾ HOẠCH TRIỂN KHAI THỰC HIỆN NGHỊ QUYẾT SỐ 50\/NQ-CP/);
      expect(plan.implements).toEqual(['Nghị quyết số 50/NQ-CP ngày 20/5/2021', 'Chương trình hành động số 14-CTr/TU ngày 31/5/2021']);
      expect(plan.source).toEqual({
        document: 'ha-noi-183-KH-UBND-2021.txt',
        truncated: false,
        // The source's typos in leaders' names, and the one indicator row that prints no target.
        warnings: [
          'Indicator PL1.13.3 ("Hoàn thành mục tiêu xây dựng nông thôn mới cấp Thành phố") has no target in its row.',
          'PL2.I.7: supervisor "Dương Đức Tuần" is read as "Dương Đức Tuấn" (a typo of the source?).',
          'PL2.III.34: supervisor "Nguvễn Trọng Đông" is read as "Nguyễn Trọng Đông" (a typo of the source?).',
          'PL2.III.35: supervisor "Nguvễn Mạnh Quyền" is read as "Nguyễn Mạnh Quyền" (a typo of the source?).',
        ],
      });
    });

    it('reads exactly 43 tasks of Phụ lục 2 in groups I, II, III', () => {
      expect(plan.tasks).toHaveLength(43);
      expect([count(plan, 'PL2.I.'), count(plan, 'PL2.II.'), count(plan, 'PL2.III.')]).toEqual([8, 15, 20]);
      expect(plan.tasks.map((task) => task.ref.split('.').at(-1))).toEqual(Array.from({ length: 43 }, (_, i) => String(i + 1)));
    });

    it('reads task 1 field by field', () => {
      const task = byRef(plan, 'PL2.I.1');
      expect(task).toMatchObject({
        title: 'Xây dựng, trình Quốc hội thông qua Luật Thủ đô sửa đổi.',
        group: 'I. Cơ chế, chính sách tổng hợp',
        supervisor: 'PCT TT Lê Hồng Sơn',
        deliverable: null,
        note: 'Kế hoạch số 63/KH-UBND ngày 15/3/2021',
        lead: { agencyId: 'so-tu-phap', name: 'Sở Tư pháp', text: 'Sở Tư pháp', resolution: 'resolved' },
      });
      expect(task.deadline).toEqual({ text: 'Đã ban hành Kế hoạch', kind: 'done', due: null, start: null, recurrence: null });
      expect(task.coordinators.map((ref) => [ref.resolution, ref.agencyId])).toEqual([
        ['resolved', 'bo-tu-phap'],
        ['group', null],
        ['group', null],
      ]);
    });

    it('gives tasks 25-27 the note merged across their rows, and stops where the note says', () => {
      const note = '03 nội dung được tách riêng từ nhiệm vụ số 28 Phụ lục kèm theo Chương trình 14-CTr/TU ngày 31/5/2021 của Thành ủy.';
      expect(['PL2.III.25', 'PL2.III.26', 'PL2.III.27'].map((ref) => byRef(plan, ref).note)).toEqual([note, note, note]);
      expect(byRef(plan, 'PL2.III.28').note).toBeNull();
      expect(byRef(plan, 'PL2.III.42').note).toMatch(/^02 nội dung/);
      expect(byRef(plan, 'PL2.III.43').note).toBeNull();
    });

    it('keeps the leaders as written, typos included, and joins cells broken across lines', () => {
      expect(byRef(plan, 'PL2.III.34').supervisor).toBe('PCT Nguvễn Trọng Đông');
      expect(byRef(plan, 'PL2.I.7').supervisor).toBe('PCT Dương Đức Tuần');
      expect(byRef(plan, 'PL2.II.10').lead?.agencyId).toBe('so-cong-thuong');
      expect(byRef(plan, 'PL2.I.2').deadline).toMatchObject({ text: 'Tháng 9/2021', kind: 'month', due: '2021-09-30' });
    });

    it('resolves every lead of the table', () => {
      expect(plan.tasks.filter((task) => task.lead?.resolution !== 'resolved')).toEqual([]);
    });
  });

  describe('hai-phong-86 (trailing-pipe tables and per-agency blocks)', () => {
    const plan = load('hai-phong-86-KH-UBND-2020.txt');

    it('reads the metadata from the website table and the header printed twice', () => {
      expect(plan).toMatchObject({
        number: '86/KH-UBND',
        kind: 'plan',
        issuedOn: '2020-03-19',
        effectiveOn: '2020-03-19',
        issuer: 'UBND thành phố Hải Phòng',
        signer: 'Nguyễn Văn Tùng',
        fields: ['Xây dựng - Đô thị'],
      });
      expect(plan.implements).toContain('Nghị quyết số 108/NQ-CP ngày 26/11/2019');
      expect(plan.implements).toContain('Chương trình hành động số 76-CTr/TU ngày 08/7/2019');
    });

    it('reads 21 tasks in each appendix, 5 general tasks and the per-agency blocks', () => {
      expect(count(plan, 'PL1.')).toBe(21);
      expect(count(plan, 'PL2.')).toBe(21);
      expect(count(plan, 'III.1.')).toBe(5);
      expect(count(plan, 'III.2.')).toBe(128);
      expect(count(plan, 'III.2.a.')).toBe(10);
      expect(plan.tasks).toHaveLength(175);
    });

    it('reads PL1.1 field by field', () => {
      const task = byRef(plan, 'PL1.1');
      expect(task.title).toMatch(/^Lập, trình thẩm định, phê duyệt Quy hoạch thành phố Hải Phòng giai đoạn 2021 - 2030/);
      expect(task.lead).toMatchObject({ agencyId: 'so-ke-hoach-dau-tu', name: 'Sở Kế hoạch và Đầu tư', resolution: 'resolved' });
      expect(task.deliverable).toBe('Quyết định của Thủ tướng Chính phủ');
      expect(task.deadline).toEqual({ text: 'Quý IV/2021', kind: 'quarter', due: '2021-12-31', start: '2021-10-01', recurrence: null });
      expect(task.coordinators.every((ref) => ref.resolution === 'group')).toBe(true);
    });

    it('reads Phụ lục 2 as led by ministries with city agencies coordinating', () => {
      const pl2 = plan.tasks.filter((task) => task.ref.startsWith('PL2.'));
      expect(pl2.every((task) => task.lead?.resolution === 'resolved')).toBe(true);
      expect(byRef(plan, 'PL2.1').lead?.agencyId).toBe('bo-tt-tt');
      expect(byRef(plan, 'PL2.3').lead?.agencyId).toBe('bo-vh-tt-dl');
      expect(byRef(plan, 'PL2.1').coordinators[0].agencyId).toBe('so-thong-tin-truyen-thong');
      expect(byRef(plan, 'PL2.21').deadline).toMatchObject({ kind: 'recurring', recurrence: 'yearly' });
    });

    it('reads per-agency blocks: lead from "X chủ trì", bullets as tasks', () => {
      expect(byRef(plan, 'III.2.c.1').lead?.agencyId).toBe('cuc-thue');
      expect(byRef(plan, 'III.2.s.1').lead?.agencyId).toBe('thanh-tra-thanh-pho');
      expect(byRef(plan, 'III.2.n.1').lead?.agencyId).toBe('so-lao-dong-tbxh');
      expect(byRef(plan, 'III.1.1').lead?.resolution).toBe('group');
    });
  });

  describe('bach-long-vi-35 (prose tasks with unit lines)', () => {
    const plan = load('bach-long-vi-35-KH-UBND-2024.txt');

    it('is a district plan of hai-phong', () => {
      expect(plan).toMatchObject({ number: '35/KH-UBND', issuer: 'UBND huyện Bạch Long Vĩ', issuedOn: '2024-03-21', signer: 'Đào Minh Đông' });
      expect(manifest().find((entry) => entry.file.startsWith('bach-long-vi'))?.cityId).toBe('hai-phong');
    });

    it('reads lead, coordinators and deadline from the unit lines', () => {
      const task = byRef(plan, 'B.I.1.1');
      expect(task.lead?.agencyId).toBe('blv-phong-kinh-te-ha-tang');
      expect(task.coordinators).toEqual([
        { agencyId: null, name: 'Các cơ quan, đơn vị liên quan', text: 'Các cơ quan, đơn vị liên quan', resolution: 'group' },
      ]);
      expect(task.deadline).toMatchObject({ kind: 'period', start: '2024-01-01', due: '2025-12-31' });
      expect(byRef(plan, 'B.I.2.1').deadline.kind).toBe('continuous');
      expect(byRef(plan, 'B.I.3.1').coordinators[0].agencyId).toBe('dien-luc-hai-phong');
      expect(count(plan, 'B.')).toBe(18);
    });

    it('flags what it could not resolve', () => {
      expect(plan.source.warnings.some((warning) => warning.includes('"Doanh nghiệp viễn thông"'))).toBe(true);
    });
  });

  describe('hai-phong-02-CT (directive)', () => {
    const plan = load('hai-phong-02-CT-UBND-2023.txt');

    it('skips the website boilerplate and reads it as a directive', () => {
      expect(plan).toMatchObject({ number: '02/CT-UBND', kind: 'directive', issuedOn: '2023-01-19', issuer: 'UBND thành phố Hải Phòng' });
      expect(plan.title).toMatch(/^CHỈ THỊ VỀ NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU/);
      expect(plan.implements[0]).toBe('Nghị quyết số 01/NQ-CP ngày 06/01/2023');
    });

    it('reads bullets and numbered items, with deadlines inside sentences', () => {
      expect(count(plan, 'II.')).toBe(33);
      expect(count(plan, 'III.')).toBe(6);
      expect(byRef(plan, 'III.1.2').deadline).toMatchObject({ kind: 'date', due: '2023-02-15', text: 'Trước ngày 15 tháng 02 năm 2023' });
      expect(byRef(plan, 'III.1.4').deadline).toMatchObject({ kind: 'date', due: '2023-11-20' });
      expect(byRef(plan, 'III.2').lead?.agencyId).toBe('van-phong-ubnd');
      expect(byRef(plan, 'III.2').coordinators[0].agencyId).toBe('so-ke-hoach-dau-tu');
      expect(byRef(plan, 'III.3').lead?.agencyId).toBe('so-thong-tin-truyen-thong');
      expect(byRef(plan, 'II.2.1').lead).toBeNull();
    });
  });

  describe('hai-phong-40 (cut off by "[...]")', () => {
    const plan = load('hai-phong-40-KH-UBND-2023.txt');

    it('says it is truncated and reads only what precedes the cut', () => {
      expect(plan.source.truncated).toBe(true);
      expect(plan.source.warnings.filter((w) => /cut off.*\[\.\.\.\].*unknown, not absent/.test(w))).toHaveLength(1);
      expect(plan.tasks.map((task) => task.ref)).toEqual(['2.1.1', '2.1.2', '2.1.3', '2.1.4', '2.2.1', '2.2.2', '2.2.3', '2.2.4', '2.2.5', '2.2.6']);
      expect(plan.tasks.at(-1)?.title).toMatch(/QCVN:01\/2021\/BXD\.$/);
      expect(plan.fields).toEqual(['Công nghệ thông tin', 'Xây dựng - Đô thị']);
    });
  });
});

describe('importPlan errors', () => {
  const options = { document: 'x.txt', cityId: 'ha-noi', directory: directoryOf('ha-noi') };

  it('rejects an empty document', () => {
    expect(() => importPlan('  \n ', options)).toThrow(ImportError);
    expect(() => importPlan('', options)).toThrow(/empty/);
  });

  it('rejects a document over 5 MB', () => {
    const big = 'Số: 1/KH-UBND\n' + 'a'.repeat(5 * 1024 * 1024);
    expect(() => importPlan(big, options)).toThrow(/5 MB/);
  });

  it('rejects text that is not a plan, saying what is missing', () => {
    const error = (() => {
      try {
        importPlan('Đây là một bức thư, không phải kế hoạch.', options);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).importCode).toBe('plan-import.unrecognised');
    expect((error as ImportError).message).toMatch(/Số: 123\/KH-UBND/);
    expect((error as ImportError).kind).toBe('validation');
  });
});

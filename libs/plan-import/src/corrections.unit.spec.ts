import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyCorrections, CorrectionError, parseCorrectionsJson, type ImportCorrections } from './corrections';
import { toPlanDraft } from './import-plan';
import type { ImportWarning, ParsedPlan } from './parsed-plan';
import { directoryOf } from './test-seeds';

/** Issue 18 item 5: the office corrects what the importer got wrong before confirming the import. */

const directory = directoryOf('ha-noi');
const golden = (): ParsedPlan => JSON.parse(readFileSync(join(__dirname, 'golden', 'ha-noi-183-KH-UBND-2021.json'), 'utf8'));
const correct = (parsed: ParsedPlan, corrections: ImportCorrections) => applyCorrections(parsed, corrections, { directory });
const task = (parsed: ParsedPlan, ref: string) => parsed.tasks.find((t) => t.ref === ref);
const codes = (parsed: ParsedPlan) => parsed.warnings.map((w) => w.code);

const failure = (run: () => unknown): CorrectionError => {
  try {
    run();
  } catch (error) {
    if (error instanceof CorrectionError) return error;
    throw error;
  }
  throw new Error('expected a CorrectionError');
};

/** The golden plan as a copy before signing read by OCR: no number, no date, an unresolved lead. */
const unsigned = (): ParsedPlan => {
  const parsed = golden();
  const warn = (code: ImportWarning['code'], message: string): ImportWarning => ({ code, message });
  return {
    ...parsed,
    document: { ...parsed.document, number: null, issuedOn: null },
    tasks: parsed.tasks.map((t) =>
      t.ref === 'PL2.I.2' ? { ...t, lead: { agencyId: null, name: 'Sở Tài chánh', text: 'Sở Tài chánh', resolution: 'unresolved' as const } } : t,
    ),
    warnings: [
      ...parsed.warnings,
      warn('number-missing', 'The number is left blank'),
      warn('ocr-number-unreadable', 'Page 1: the number did not read'),
      warn('date-missing', 'No issue date'),
      warn('ocr-date-unreadable', 'Page 1: the date did not read'),
      warn('agency-unresolved', `PL2.I.2: "Sở Tài chánh" is not in the city's agency directory; add it or an alias, then re-import.`),
      warn('deadline-unknown', 'PL2.I.3: deadline "sớm" could not be read; it is kept as text.'),
      warn('row-incomplete', 'PL2.I.4: the row prints no deadline cell.'),
    ],
  };
};

describe('applyCorrections', () => {
  it('given no corrections, when applied, then the parsed plan is the same and nothing changed', () => {
    const parsed = golden();
    const result = correct(parsed, {});
    expect(result.parsed).toBe(parsed);
    expect(result.changes).toEqual([]);
  });

  it("given a copy before signing, when the office gives its number and date, then they are the document's and the warnings about them go (OCR ones too)", () => {
    const { parsed, changes } = correct(unsigned(), { document: { number: '183/KH-UBND', issuedOn: '2021-08-10', title: 'Kế hoạch 183' } });
    expect(parsed.document).toMatchObject({ number: '183/KH-UBND', issuedOn: '2021-08-10', title: 'Kế hoạch 183' });
    expect(codes(parsed)).not.toEqual(expect.arrayContaining(['number-missing']));
    for (const code of ['number-missing', 'ocr-number-unreadable', 'date-missing', 'ocr-date-unreadable']) expect(codes(parsed)).not.toContain(code);
    expect(changes).toEqual([
      { path: 'document.number', from: null, to: '183/KH-UBND' },
      { path: 'document.issuedOn', from: null, to: '2021-08-10' },
      { path: 'document.title', from: golden().document.title, to: 'Kế hoạch 183' },
    ]);
    expect(toPlanDraft(parsed, 'x.pdf')).toMatchObject({ number: '183/KH-UBND', issuedOn: '2021-08-10', title: 'Kế hoạch 183' });
  });

  it('given a value equal to the parsed one, when applied, then it is no change', () => {
    const { changes } = correct(golden(), {
      document: { number: '183/KH-UBND' },
      tasks: { 'PL2.I.1': { title: task(golden(), 'PL2.I.1')!.title, lead: 'so-tu-phap' } },
    });
    expect(changes).toEqual([]);
  });

  it('given a task, when its lead is given by id and its coordinators by name, then they resolve against the directory and its unresolved warning goes', () => {
    const { parsed, changes } = correct(unsigned(), {
      tasks: { 'PL2.I.2': { lead: 'so-tai-chinh', coordinators: ['Sở KH&ĐT', 'Ban Quản lý dự án Tam Đảo'] } },
    });
    expect(task(parsed, 'PL2.I.2')!.lead).toEqual({ agencyId: 'so-tai-chinh', name: 'Sở Tài chính', text: 'Sở Tài chính', resolution: 'resolved' });
    expect(task(parsed, 'PL2.I.2')!.coordinators).toEqual([
      { agencyId: 'so-ke-hoach-dau-tu', name: 'Sở Kế hoạch và Đầu tư', text: 'Sở KH&ĐT', resolution: 'resolved' },
      { agencyId: null, name: 'Ban Quản lý dự án Tam Đảo', text: 'Ban Quản lý dự án Tam Đảo', resolution: 'unresolved' },
    ]);
    // The old name's warning goes; a name still not in the directory is warned as the importer warns it.
    const unresolved = parsed.warnings.filter((w) => w.code === 'agency-unresolved').map((w) => w.message);
    expect(unresolved.join()).not.toContain('Tài chánh');
    expect(unresolved).toContainEqual(expect.stringContaining('PL2.I.2: "Ban Quản lý dự án Tam Đảo"'));
    expect(changes).toEqual([
      { path: 'tasks.PL2.I.2.lead', from: { agencyId: null, name: 'Sở Tài chánh' }, to: { agencyId: 'so-tai-chinh', name: 'Sở Tài chính' } },
      {
        path: 'tasks.PL2.I.2.coordinators',
        from: task(golden(), 'PL2.I.2')!.coordinators.map((c) => ({ agencyId: c.agencyId, name: c.name })),
        to: [
          { agencyId: 'so-ke-hoach-dau-tu', name: 'Sở Kế hoạch và Đầu tư' },
          { agencyId: null, name: 'Ban Quản lý dự án Tam Đảo' },
        ],
      },
    ]);
  });

  it('given a lead corrected to null, when applied, then the task has no lead', () => {
    const { parsed, changes } = correct(golden(), { tasks: { 'PL2.I.1': { lead: null } } });
    expect(task(parsed, 'PL2.I.1')!.lead).toBeNull();
    expect(changes).toEqual([{ path: 'tasks.PL2.I.1.lead', from: { agencyId: 'so-tu-phap', name: 'Sở Tư pháp' }, to: null }]);
  });

  it("given deadlines written as a document writes them, when applied, then the importer's reader reads them, and the deadline warning goes", () => {
    const { parsed, changes } = correct(unsigned(), {
      document: { issuedOn: '2021-08-10' },
      tasks: {
        'PL2.I.1': { deadline: '31/12/2026' },
        'PL2.I.2': { deadline: 'Quý II/2026' },
        'PL2.I.3': { deadline: 'hằng tháng' },
        'PL2.I.4': { deadline: '2026-12-31' },
      },
    });
    expect(task(parsed, 'PL2.I.1')!.deadline).toMatchObject({ kind: 'due', form: 'date', due: '2026-12-31', text: '31/12/2026' });
    expect(task(parsed, 'PL2.I.2')!.deadline).toMatchObject({ kind: 'due', form: 'quarter', due: '2026-06-30', start: '2026-04-01' });
    expect(task(parsed, 'PL2.I.3')!.deadline).toMatchObject({ kind: 'recurring', every: 'month' });
    expect(task(parsed, 'PL2.I.4')!.deadline).toMatchObject({ kind: 'due', form: 'date', due: '2026-12-31', text: '2026-12-31' });
    expect(codes(parsed)).not.toContain('deadline-unknown');
    // A warning of a corrected task about something not corrected stays.
    expect(parsed.warnings.map((w) => w.message)).toContain('PL2.I.4: the row prints no deadline cell.');
    expect(changes).toContainEqual({ path: 'tasks.PL2.I.2.deadline', from: 'Tháng 9/2021', to: 'Quý II/2026' });
    expect(toPlanDraft(parsed, 'x').tasks[0].deadline).toMatchObject({ kind: 'date', due: '2026-12-31' });
  });

  it('given a row that is not a task, when dropped, then it is gone with its warnings, and the change says so', () => {
    const { parsed, changes } = correct(unsigned(), { tasks: { 'PL2.I.3': { drop: true, title: 'ignored' } } });
    expect(task(parsed, 'PL2.I.3')).toBeUndefined();
    expect(parsed.tasks).toHaveLength(golden().tasks.length - 1);
    expect(parsed.warnings.map((w) => w.message).join()).not.toContain('PL2.I.3:');
    expect(changes).toEqual([{ path: 'tasks.PL2.I.3', from: { title: task(golden(), 'PL2.I.3')!.title }, to: null }]);
  });

  it('given tasks the importer missed, when added, then they come last as +1, +2 with their agencies and deadline read', () => {
    const { parsed, changes } = correct(golden(), {
      add: [
        {
          title: 'Tổng kết thực hiện Kế hoạch',
          lead: 'Sở Kế hoạch và Đầu tư',
          coordinators: ['so-tai-chinh'],
          deadline: 'Tháng 12/2025',
          group: 'Tổ chức thực hiện',
        },
        { title: 'Báo cáo định kỳ' },
      ],
    });
    const [first, second] = parsed.tasks.slice(-2);
    expect(first).toMatchObject({
      ref: '+1',
      title: 'Tổng kết thực hiện Kế hoạch',
      group: 'Tổ chức thực hiện',
      lead: { agencyId: 'so-ke-hoach-dau-tu' },
      coordinators: [{ agencyId: 'so-tai-chinh' }],
      deadline: { kind: 'due', due: '2025-12-31' },
      parent: null,
      source: { line: 0 },
    });
    expect(second).toMatchObject({ ref: '+2', lead: null, coordinators: [], deadline: { kind: 'unknown', text: '' } });
    expect(changes[0]).toEqual({
      path: 'add.+1',
      from: null,
      to: {
        title: 'Tổng kết thực hiện Kế hoạch',
        group: 'Tổ chức thực hiện',
        lead: { agencyId: 'so-ke-hoach-dau-tu', name: 'Sở Kế hoạch và Đầu tư' },
        coordinators: [{ agencyId: 'so-tai-chinh', name: 'Sở Tài chính' }],
        deadline: 'Tháng 12/2025',
      },
    });
    expect(
      toPlanDraft(parsed, 'x')
        .tasks.map((t) => t.ref)
        .slice(-2),
    ).toEqual(['+1', '+2']);
  });

  it('given a plan corrected before (a preview that added +1), when a task is added again, then it is +2', () => {
    const preview = correct(golden(), { add: [{ title: 'Tổng kết' }] }).parsed;
    const { parsed, changes } = correct(preview, { add: [{ title: 'Sơ kết' }], tasks: { '+1': { title: 'Tổng kết năm' } } });
    expect(parsed.tasks.slice(-2).map((t) => [t.ref, t.title])).toEqual([
      ['+1', 'Tổng kết năm'],
      ['+2', 'Sơ kết'],
    ]);
    expect(changes.map((c) => c.path)).toEqual(['tasks.+1.title', 'add.+2']);
  });

  it('given a ref the parsed plan does not hold, when applied, then it is refused as unknown-task', () => {
    const error = failure(() => correct(golden(), { tasks: { 'PL9.9': { title: 'x' } } }));
    expect(error.code).toBe('import-correction-unknown-task');
    expect(error.message).toContain('PL9.9');
  });

  it('given a deadline the importer cannot read, when applied, then it is refused naming the task', () => {
    const error = failure(() => correct(golden(), { tasks: { 'PL2.I.1': { deadline: 'khi nào xong' } } }));
    expect(error.code).toBe('import-correction-deadline-unreadable');
    expect(error.message).toContain('tasks.PL2.I.1.deadline');
    expect(failure(() => correct(golden(), { add: [{ title: 'x', deadline: '31/02/2026' }] })).code).toBe('import-correction-deadline-unreadable');
  });
});

describe('parseCorrectionsJson', () => {
  it('given JSON of the shape, when parsed, then it is the corrections (empty text: none)', () => {
    expect(parseCorrectionsJson('{"document":{"number":"183/KH-UBND"},"tasks":{"PL2.I.1":{"drop":true}}}')).toEqual({
      document: { number: '183/KH-UBND' },
      tasks: { 'PL2.I.1': { drop: true } },
    });
    expect(parseCorrectionsJson('')).toEqual({});
  });

  it('given text that is not JSON, when parsed, then it is malformed', () => {
    expect(failure(() => parseCorrectionsJson('{"document":')).code).toBe('import-corrections-malformed');
  });

  it('given JSON not of the shape, when parsed, then it is invalid and the message names the field', () => {
    const bad = (json: unknown) => failure(() => parseCorrectionsJson(JSON.stringify(json)));
    expect(bad({ document: { issuedOn: '10/08/2021' } }).message).toContain('document.issuedOn');
    expect(bad({ document: { number: 'một trăm' } }).message).toContain('document.number');
    expect(bad({ tasks: { 'PL2.I.1': { lead: 42 } } }).message).toContain('tasks.PL2.I.1.lead');
    expect(bad({ tasks: { 'PL2.I.1': { dorp: true } } }).code).toBe('import-corrections-invalid');
    expect(bad({ add: [{ lead: 'so-tai-chinh' }] }).message).toContain('add.0.title');
    expect(bad([1, 2]).code).toBe('import-corrections-invalid');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDocument, renderForParser } from '@mandate/document-reader';
import { ImportError } from './import-error';
import { applyCorrections } from './corrections';
import { toPlanDraft } from './import-plan';
import { parsePlan } from './parse-plan';
import type { ParsedPlan } from './parsed-plan';

/** Issue 18 item 2: a real document is never refused for what it lacks; only what is no document, with no task, is. */

const corpus = join(__dirname, '..', 'fixtures', 'corpus');
const fileOf = (path: string): Uint8Array => new Uint8Array(readFileSync(join(corpus, path)));

/** The text the parser reads, as mandate parse and the import API produce it. */
const textOf = async (bytes: Uint8Array, fileName: string): Promise<string> => renderForParser(await readDocument(bytes, { fileName }));
const parseFile = async (path: string): Promise<ParsedPlan> => parsePlan(await textOf(fileOf(path), path), { document: path });
const codes = (parsed: ParsedPlan): string[] => parsed.warnings.map((w) => w.code);

const refusal = (run: () => unknown): ImportError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('expected an ImportError');
};

describe('A plan before signing ("Số:      /KH-UBND", "ngày       tháng 12 năm 2025")', () => {
  const file = 'documents/lamdong_KH-UBND-9669_2025_cchc-2026.docx';
  let parsed: ParsedPlan;
  beforeAll(async () => {
    parsed = await parseFile(file);
  });

  it('is read, with null number and date and a warning for each', () => {
    expect(parsed.document).toMatchObject({ number: null, issuedOn: null, kind: 'KH', planKind: 'plan', place: 'Lâm Đồng', issuer: 'UBND tỉnh Lâm Đồng' });
    expect(codes(parsed)).toEqual(expect.arrayContaining(['number-missing', 'date-missing']));
    const number = parsed.warnings.find((w) => w.code === 'number-missing')!;
    expect(number.message).toContain('Số: /KH-UBND');
    expect(parsed.warnings.find((w) => w.code === 'date-missing')!.message).toContain('Lâm Đồng, ngày tháng 12 năm 2025');
  });

  it('keeps its tasks (the truth file counts 49 to 55)', () => {
    expect(parsed.tasks.length).toBeGreaterThanOrEqual(49);
    expect(parsed.tasks.length).toBeLessThanOrEqual(55);
  });

  it('is issued as it is, number and date null, its warnings kept; or under the number the office gives', () => {
    const blank = toPlanDraft(parsed, file);
    expect(blank).toMatchObject({ number: null, issuedOn: null, issuer: 'UBND tỉnh Lâm Đồng' });
    expect(blank.tasks).toHaveLength(parsed.tasks.length);
    expect(blank.source.warnings).toEqual(expect.arrayContaining([parsed.warnings.find((w) => w.code === 'number-missing')!.message]));
    const given = applyCorrections(parsed, { document: { number: '9669/KH-UBND', issuedOn: '2025-12-19' } }, { directory: [] }).parsed;
    expect(given.document).toMatchObject({ number: '9669/KH-UBND', issuedOn: '2025-12-19' });
    expect(codes(given)).not.toContain('number-missing');
    expect(codes(given)).not.toContain('date-missing');
    const draft = toPlanDraft(given, file);
    expect(draft).toMatchObject({ number: '9669/KH-UBND', issuedOn: '2025-12-19', issuer: 'UBND tỉnh Lâm Đồng' });
    expect(draft.tasks).toHaveLength(parsed.tasks.length);
  });

  it('gives the number alone: the date stays null, and missing', () => {
    const given = applyCorrections(parsed, { document: { number: '9669/KH-UBND' } }, { directory: [] }).parsed;
    expect(toPlanDraft(given, file)).toMatchObject({ number: '9669/KH-UBND', issuedOn: null });
    expect(codes(given)).toContain('date-missing');
  });
});

describe('A Quyết định that issues an attached plan', () => {
  const captures = ['ho-chi-minh_2853-QD-UBND_2025.md', 'quang-ngai_1627-QD-UBND_2025.md', 'thu-tuong_2623-QD-TTg_2025.md', 'son-la_2954-QD-UBND_2025.md'];
  const truthOf = (name: string): { number: string; issuedOn: string } => JSON.parse(readFileSync(join(corpus, 'captures', `${name}.truth.json`), 'utf8'));

  it.each(captures)("%s: the plan carries the decision's number and date", async (name) => {
    const parsed = await parseFile(`captures/${name}`);
    const truth = truthOf(name);
    expect(parsed.document).toMatchObject({ number: truth.number, issuedOn: truth.issuedOn });
    expect(codes(parsed)).not.toContain('number-missing');
  });

  /** The attached plan as an office often keeps it: from its "KẾ HOẠCH" title on, without the decision's page. */
  const attachedPlan = (name: string): Uint8Array => {
    const lines = readFileSync(join(corpus, 'captures', name), 'utf8').split('\n');
    const from = lines.findIndex((line, i) => i > 20 && /^\**KẾ HOẠCH\**$/.test(line.trim()));
    expect(from).toBeGreaterThan(20);
    return new TextEncoder().encode(lines.slice(from).join('\n'));
  };

  it.each(['quang-ngai_1627-QD-UBND_2025.md', 'son-la_2954-QD-UBND_2025.md'])(
    '%s, the plan alone: "(Ban hành) kèm theo Quyết định số … ngày …" gives its number and date',
    async (name) => {
      const parsed = parsePlan(await textOf(attachedPlan(name), name), { document: name });
      const truth = truthOf(name);
      expect(parsed.document).toMatchObject({ number: truth.number, issuedOn: truth.issuedOn, title: expect.stringMatching(/^KẾ HOẠCH /) });
      expect(codes(parsed)).not.toContain('number-missing');
      expect(codes(parsed)).not.toContain('date-missing');
      expect(parsed.tasks.length).toBeGreaterThan(0);
    },
  );

  it('the plan alone, attached to a decision whose number is still blank ("Kèm theo Quyết định số /QĐ-TTg"): warned, not refused', async () => {
    const name = 'thu-tuong_2623-QD-TTg_2025.md';
    const parsed = parsePlan(await textOf(attachedPlan(name), name), { document: name });
    expect(parsed.document).toMatchObject({ number: null, issuedOn: null });
    expect(codes(parsed)).toEqual(expect.arrayContaining(['number-missing', 'date-missing']));
  });
});

describe('Metadata in plain text', () => {
  const tasks = [
    'I. NHIỆM VỤ',
    '1. Sở Tư pháp chủ trì rà soát văn bản quy phạm pháp luật, hoàn thành trước ngày 31/12/2025.',
    '2. Sở Nội vụ chủ trì tổng hợp báo cáo kết quả thực hiện, hoàn thành trong Quý IV/2025.',
  ];

  it('reads "Số:" and the number on separate lines (a hard-wrapped copy)', () => {
    const parsed = parsePlan(
      ['ỦY BAN NHÂN DÂN', 'TỈNH LÂM ĐỒNG', 'Số:', '2820/KH-UBND', 'Lâm Đồng, ngày 24 tháng 11 năm 2025', 'KẾ HOẠCH', 'Cải cách hành chính', ...tasks].join(
        '\n',
      ),
    );
    expect(parsed.document).toMatchObject({ number: '2820/KH-UBND', issuedOn: '2025-11-24', kind: 'KH' });
  });

  it('reads a blank number of a công văn ("Số: …/BCĐ") as missing, not as a number', () => {
    const parsed = parsePlan(['UBND TỈNH LÂM ĐỒNG', 'Số: …/BCĐ', 'Lâm Đồng, ngày …. tháng 8 năm 2025', ...tasks].join('\n'));
    expect(parsed.document).toMatchObject({ number: null, issuedOn: null, place: 'Lâm Đồng' });
    expect(codes(parsed)).toEqual(expect.arrayContaining(['number-missing', 'date-missing']));
    expect(parsed.tasks.length).toBe(2);
  });

  it('reads tasks quoted without any header (an article quoting a plan), warning of the missing number, date, issuer and signer', () => {
    const parsed = parsePlan(tasks.join('\n'));
    expect(parsed.document).toMatchObject({ number: null, issuedOn: null, issuer: null, signer: null });
    expect(codes(parsed)).toEqual(expect.arrayContaining(['number-missing', 'date-missing', 'issuer-missing', 'signer-missing']));
    expect(parsed.tasks.length).toBe(2);
  });

  it('still refuses text with no document header and no task, saying so', () => {
    const error = refusal(() => parsePlan('Kính gửi quý khách. Cửa hàng mở cửa từ 8 giờ đến 17 giờ hằng ngày.', { document: 'letter.txt' }));
    expect(error.importCode).toBe('plan-import.unrecognised');
    expect(error.message).toMatch(/"letter\.txt" does not look like a plan or directive/);
    expect(error.message).toMatch(/no task/);
  });
});

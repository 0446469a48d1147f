import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDocument, renderWithSources } from '@mandate/document-reader';
import { parsePlan } from './parse-plan';
import type { ParsedPlan, ParsedTask } from './parsed-plan';
import { MAX_EXCERPT, withSources } from './source';

/** Issue 18 item 5: each task in the import preview shows its source: the excerpt, and for a PDF the page and the region on it. */

const documents = join(__dirname, '..', 'fixtures', 'corpus', 'documents');

/** A document as mandate parse and POST /api/v1/imports read it: readDocument, then the text and its lines' sources. */
const parseDocument = async (file: string): Promise<ParsedPlan> => {
  const { text, sources } = renderWithSources(await readDocument(new Uint8Array(readFileSync(join(documents, file))), { fileName: file }));
  return parsePlan(text, { document: file, lineSources: sources });
};

const taskStarting = (parsed: ParsedPlan, start: string): ParsedTask => {
  const task = parsed.tasks.find((t) => t.title.startsWith(start));
  if (!task) throw new Error(`no task starting "${start}" among ${parsed.tasks.map((t) => t.title.slice(0, 30)).join(' / ')}`);
  return task;
};

const HEADER = ['ỦY BAN NHÂN DÂN', 'TỈNH LÀO CAI', 'Số: 12/UBND-KT', 'Lào Cai, ngày 10 tháng 01 năm 2026', 'KẾ HOẠCH', 'Quản lý vật liệu nổ', ''];

describe('the source of each task: its excerpt', () => {
  it('given a text plan, when parsed, then each task shows its lines up to the next item, whitespace collapsed, without the heading that follows', () => {
    const text = [
      ...HEADER,
      'I. NHIỆM VỤ',
      '1. Sở Công Thương:',
      'a) Rà soát các quy định   hiện hành về quản lý\tvật liệu nổ công nghiệp, hoàn thành trước ngày 30/6/2026.  ',
      'b) Kiểm tra các doanh nghiệp.',
      '2. Công an tỉnh:',
      'a) Tăng cường tuần tra.',
    ].join('\n');
    const parsed = parsePlan(text);
    const excerpts = parsed.tasks.map((t) => [t.title.slice(0, 12), t.source.excerpt]);
    expect(excerpts).toEqual([
      ['Rà soát các ', 'a) Rà soát các quy định hiện hành về quản lý vật liệu nổ công nghiệp, hoàn thành trước ngày 30/6/2026.'],
      // Not "2. Công an tỉnh:", the heading of the next agency's duties.
      ['Kiểm tra các', 'b) Kiểm tra các doanh nghiệp.'],
      ['Tăng cường t', 'a) Tăng cường tuần tra.'],
    ]);
    // A text document has no pages.
    expect(parsed.tasks.every((t) => t.source.page === undefined && t.source.region === undefined)).toBe(true);
  });

  it(`given a task longer than ${MAX_EXCERPT} characters, when parsed, then its excerpt is cut at a word and ends with "…"`, () => {
    const long = `a) Rà soát ${'các quy định hiện hành '.repeat(60)}trước ngày 30/6/2026.`;
    const parsed = parsePlan([...HEADER, 'I. NHIỆM VỤ', '1. Sở Công Thương:', long, 'b) Kiểm tra các doanh nghiệp.'].join('\n'));
    const excerpt = parsed.tasks[0].source.excerpt!;
    expect(excerpt.length).toBeLessThanOrEqual(MAX_EXCERPT);
    expect(excerpt.length).toBeGreaterThan(MAX_EXCERPT - 80);
    expect(excerpt).toMatch(/^a\) Rà soát các quy định hiện hành .*(?:các|quy|định|hiện|hành)…$/);
  });

  it('given a .docx with an appendix table, when parsed, then a task shows its row, cells separated by " | "', async () => {
    const parsed = await parseDocument('lamdong_KH-UBND-9669_2025_cchc-2026.docx');
    const task = taskStarting(parsed, 'Định kỳ thực hiện việc công bố danh mục');
    expect(task.source.excerpt).toMatch(
      /^2 \| Định kỳ thực hiện việc công bố danh mục văn bản quy phạm pháp luật hết hiệu lực, tạm ngưng hiệu lực theo thẩm quyền\. \| .*Trước ngày 31\/01 năm liền kề \| Sở Tư pháp/,
    );
    // The next row (task 3) is not in it.
    expect(task.source.excerpt).not.toContain('Thường xuyên kiểm tra, rà soát');
    // Word has no pages the reader knows.
    expect(task.source).not.toHaveProperty('page');
    expect(task.source).not.toHaveProperty('region');
  });
});

describe('the source of each task in a PDF: its page and region', () => {
  let parsed: ParsedPlan;
  beforeAll(async () => {
    parsed = await parseDocument('laocai_CV-UBND-KT-sochuadien_2026_chidao-giamsat-VLNCN.pdf');
  });

  it('given the text PDF of a công văn, when parsed, then a task gives its page and the region of its paragraph on the page', () => {
    // 1.a) of Sở Công Thương: the paragraph in the lower third of page 1, three lines across the text width.
    const first = taskStarting(parsed, 'Rà soát các quy định hiện hành');
    expect(first.source.page).toBe(1);
    expect(first.source.excerpt).toMatch(/^a\) Rà soát các quy định hiện hành về quản lý VLNCN, TCTN .* phù hợp với tình hình thực tế\.$/);
    const region = first.source.region!;
    expect(region.x).toBeGreaterThan(0.1);
    expect(region.x).toBeLessThan(0.2);
    expect(region.width).toBeGreaterThan(0.6);
    expect(region.x + region.width).toBeLessThanOrEqual(1);
    expect(region.y).toBeGreaterThan(0.6);
    expect(region.y).toBeLessThan(0.8);
    // Three lines of 13 pt text: about 0.05 of the page's height.
    expect(region.height).toBeGreaterThan(0.03);
    expect(region.height).toBeLessThan(0.1);
    // Công an tỉnh's c) is on page 2.
    expect(taskStarting(parsed, 'Chủ trì, phối hợp với Sở Công Thương,').source.page).toBe(2);
  });

  it('given the same PDF, when parsed, then every task has a page, a region inside the page and an excerpt starting with its title', () => {
    expect(parsed.tasks.length).toBeGreaterThan(10);
    for (const task of parsed.tasks) {
      expect([task.ref, task.source.page! >= 1 && task.source.page! <= 4]).toEqual([task.ref, true]);
      const { x, y, width, height } = task.source.region!;
      expect([task.ref, x >= 0 && y >= 0 && width > 0 && height > 0 && x + width <= 1 && y + height <= 1]).toEqual([task.ref, true]);
      expect([task.ref, task.source.excerpt!.includes(task.title.slice(0, 20))]).toEqual([task.ref, true]);
    }
  });
});

describe('withSources', () => {
  const task = (line: number): ParsedTask => ({
    ref: String(line),
    group: null,
    title: 't',
    lead: null,
    coordinators: [],
    deliverable: null,
    supervisor: null,
    note: null,
    deadline: { form: 'unspecified', text: '', due: null } as unknown as ParsedTask['deadline'],
    parent: null,
    source: { line },
  });

  it('given an item whose lines run onto the next page, then its region is that of its lines on the page where it starts', () => {
    const lines = ['a) Rà soát', 'quy định', 'hiện hành', 'b) Kiểm tra'];
    const box = (y: number) => ({ x: 0.1, y, width: 0.8, height: 0.02 });
    const sources = [
      { page: 1, box: box(0.9) },
      { page: 1, box: { x: 0.12, y: 0.93, width: 0.5, height: 0.02 } },
      { page: 2, box: box(0.1) },
      { page: 2, box: box(0.2) },
    ];
    const { tasks } = withSources(lines, { tasks: [task(1), task(4)], indicators: [] }, sources);
    expect(tasks.map((t) => t.source)).toEqual([
      { line: 1, page: 1, excerpt: 'a) Rà soát quy định hiện hành', region: { x: 0.1, y: 0.9, width: 0.8, height: 0.05 } },
      { line: 4, page: 2, excerpt: 'b) Kiểm tra', region: box(0.2) },
    ]);
  });
});

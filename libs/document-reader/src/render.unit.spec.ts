import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan } from '@mandate/plan-import';
import { detectFormat } from './detect';
import type { ReadDocument } from './document';
import { readDocument } from './read-document';
import { renderForParser, renderWithSources } from './render';

const SEEDS = join(__dirname, '..', '..', '..', 'seeds', 'documents');

describe('renderForParser', () => {
  it.each(readdirSync(SEEDS).filter((file) => file.endsWith('.txt')))(
    '%s: detect → read → render parses to exactly the plan the text itself parses to',
    async (file) => {
      const bytes = readFileSync(join(SEEDS, file));
      expect(detectFormat(bytes, file)).toBe('text');
      const rendered = renderForParser(await readDocument(bytes, { fileName: file }));
      expect(parsePlan(rendered, { document: file })).toEqual(parsePlan(bytes.toString('utf8'), { document: file }));
    },
  );

  it('prints a table as the captures do: each cell then a `|` line, one more `|` between rows; merged-down cells in every row they cover', () => {
    const doc: ReadDocument = {
      format: 'docx',
      warnings: [],
      blocks: [
        { kind: 'paragraph', text: 'PHỤ LỤC' },
        {
          kind: 'table',
          rows: [
            [{ text: 'TT' }, { text: 'Nhiệm vụ' }, { text: 'Chủ trì' }],
            [{ text: '(1)' }, { text: '(2)' }, { text: '(3)' }],
            [{ text: '1' }, { text: 'Rà soát\nvăn bản' }, { text: 'Sở Tư pháp', rowSpan: 2 }],
            [{ text: '2' }, { text: 'Báo cáo' }],
            [{ text: 'II' }, { text: 'Nhóm khác', colSpan: 2 }],
          ],
        },
        { kind: 'paragraph', text: 'Sở Y tế chủ trì', numbering: 'a)' },
      ],
    };
    expect(renderForParser(doc).split('\n')).toEqual([
      'PHỤ LỤC',
      '|',
      'TT',
      '|',
      'Nhiệm vụ',
      '|',
      'Chủ trì',
      '|',
      '|',
      '1',
      '|',
      'Rà soát',
      'văn bản',
      '|',
      'Sở Tư pháp',
      '|',
      '|',
      '2',
      '|',
      'Báo cáo',
      '|',
      'Sở Tư pháp',
      '|',
      '|',
      'II',
      '|',
      'Nhóm khác',
      '|',
      'a) Sở Y tế chủ trì',
      '',
    ]);
  });

  it("reads a table a page break cut in two as one table: the next page's rows are rows of it, its repeated header is not", () => {
    const header = [{ text: 'STT' }, { text: 'Nhiệm vụ' }, { text: 'Chủ trì' }, { text: 'Thời hạn' }];
    const doc: ReadDocument = {
      format: 'pdf',
      warnings: [],
      blocks: [
        { kind: 'paragraph', text: 'Số: 12/KH-UBND' },
        { kind: 'paragraph', text: 'KẾ HOẠCH' },
        { kind: 'paragraph', text: 'Triển khai nhiệm vụ năm 2026' },
        { kind: 'table', rows: [header, [{ text: '1' }, { text: 'Rà soát văn bản quy phạm pháp luật' }, { text: 'Sở Tư pháp' }, { text: 'Quý I/2026' }]] },
        { kind: 'page-break', page: 2 },
        {
          kind: 'table',
          rows: [
            [{ text: 'STT' }, { text: 'Nhiệm  vụ' }, { text: 'CHỦ TRÌ' }, { text: 'Thời hạn' }],
            [{ text: '2' }, { text: 'Kiện toàn tổ chức bộ máy' }, { text: 'Sở Nội vụ' }, { text: 'Quý II/2026' }],
          ],
        },
        { kind: 'page-break', page: 3 },
        { kind: 'table', rows: [[{ text: '3' }, { text: 'Chuyển đổi số hồ sơ công việc' }, { text: 'Sở Khoa học và Công nghệ' }, { text: 'Quý III/2026' }]] },
      ],
    };
    const tasks = parsePlan(renderForParser(doc), { document: 'split.pdf' }).tasks;
    expect(tasks.map((t) => [t.title, t.lead?.name, t.deadline.text])).toEqual([
      ['Rà soát văn bản quy phạm pháp luật', 'Sở Tư pháp', 'Quý I/2026'],
      ['Kiện toàn tổ chức bộ máy', 'Sở Nội vụ', 'Quý II/2026'],
      ['Chuyển đổi số hồ sơ công việc', 'Sở Khoa học và Công nghệ', 'Quý III/2026'],
    ]);
  });

  it('gives, beside the same text, the page and box each line came from (null for separators and pageless blocks)', () => {
    const box = (y: number) => ({ x: 0.1, y, width: 0.8, height: 0.02 });
    const doc: ReadDocument = {
      format: 'pdf',
      warnings: [],
      pages: 2,
      blocks: [
        { kind: 'paragraph', text: 'KẾ HOẠCH', from: { page: 1, box: box(0.1) } },
        {
          kind: 'table',
          from: { page: 1, box: box(0.3) },
          rows: [
            [
              { text: 'TT', from: { page: 1, box: box(0.3) } },
              { text: 'Nhiệm vụ', from: { page: 1, box: box(0.31) } },
            ],
            [
              { text: '1', from: { page: 1, box: box(0.4) } },
              { text: 'Rà soát\nvăn bản', from: { page: 1, box: box(0.41) } },
            ],
          ],
        },
        { kind: 'page-break', page: 2 },
        { kind: 'paragraph', text: 'Sở Y tế chủ trì', numbering: 'a)', from: { page: 2 } },
        { kind: 'paragraph', text: 'Nơi nhận' },
      ],
    };
    const { text, sources } = renderWithSources(doc);
    expect(text).toBe(renderForParser(doc));
    const lines = text.split('\n');
    expect(lines.map((line, i) => [line, sources[i] ?? null])).toEqual([
      ['KẾ HOẠCH', { page: 1, box: box(0.1) }],
      ['|', null],
      ['TT', { page: 1, box: box(0.3) }],
      ['|', null],
      ['Nhiệm vụ', { page: 1, box: box(0.31) }],
      ['|', null],
      ['|', null],
      ['1', { page: 1, box: box(0.4) }],
      ['|', null],
      ['Rà soát', { page: 1, box: box(0.41) }],
      ['văn bản', { page: 1, box: box(0.41) }],
      ['|', null],
      ['a) Sở Y tế chủ trì', { page: 2 }],
      ['Nơi nhận', null],
      ['', null],
    ]);
  });
});

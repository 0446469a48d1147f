import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan } from '@mandate/plan-import';
import { detectFormat } from './detect';
import type { ReadDocument } from './document';
import { readDocument } from './read-document';
import { renderForParser } from './render';

const SEEDS = join(__dirname, '..', '..', '..', 'seeds', 'documents');

describe('renderForParser', () => {
  it.each(readdirSync(SEEDS).filter((file) => file.endsWith('.txt')))('%s: detect → read → render parses to exactly the plan the text itself parses to', async (file) => {
    const bytes = readFileSync(join(SEEDS, file));
    expect(detectFormat(bytes, file)).toBe('text');
    const rendered = renderForParser(await readDocument(bytes, { fileName: file }));
    expect(parsePlan(rendered, { document: file })).toEqual(parsePlan(bytes.toString('utf8'), { document: file }));
  });

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
      'PHỤ LỤC', '|',
      'TT', '|', 'Nhiệm vụ', '|', 'Chủ trì', '|', '|',
      '1', '|', 'Rà soát', 'văn bản', '|', 'Sở Tư pháp', '|', '|',
      '2', '|', 'Báo cáo', '|', 'Sở Tư pháp', '|', '|',
      'II', '|', 'Nhóm khác', '|',
      'a) Sở Y tế chủ trì', '',
    ]);
  });
});

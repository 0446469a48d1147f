import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Paragraph, Table } from './document';
import { readDocx } from './docx';
import { makeDocx } from './make-docx';
import { renderForParser } from './render';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, '..', 'fixtures', name));
const tables = (blocks: readonly { kind: string }[]): Table[] => blocks.filter((block): block is Table => block.kind === 'table');

describe('docx reader', () => {
  it("reads the 9669 plan's appendix table: 60 rows of 7 columns, with cells merged across and down", () => {
    const doc = readDocx(fixture('lamdong_KH-UBND-9669_2025_cchc-2026.docx'));
    const appendix = tables(doc.blocks).find((table) => table.rows[0][0].text === 'STT')!;
    expect(appendix.rows).toHaveLength(60);
    expect(appendix.rows[0].map((cell) => cell.text)).toEqual([
      'STT',
      'Nhiệm vụ',
      'Sản phẩm',
      'Thời gian hoàn thành',
      'Chủ trì thực hiện',
      'Phối hợp thực hiện',
      'Theo dõi, kiểm tra, đôn đốc',
    ]);
    expect(appendix.rows[1].map((cell) => cell.text).slice(0, 2)).toEqual(['I', 'Cải cách thể chế']);
    expect(appendix.rows.flat().some((cell) => cell.colSpan === 2)).toBe(true);
    const mergedDown = appendix.rows.flat().filter((cell) => cell.rowSpan === 2);
    expect(mergedDown.length).toBeGreaterThanOrEqual(2);
    // The letterhead (a pre-signature copy: the number blank) and the body's headings as Word shows them.
    const letterhead = tables(doc.blocks)[0];
    expect(letterhead.rows[1][0].text).toMatch(/^Số:\s+\/KH-UBND$/);
    expect(renderForParser(doc)).toMatch(/^I\. MỤC TIÊU, NHIỆM VỤ$/m);
  });

  it('gives the STT cells Word numbers automatically (empty text) their numbers: 1, 2, 3 …', () => {
    const doc = readDocx(fixture('laocai_KH-SCT-2242_2026_kiemtra-cap-GCN-VLNCN.docx'));
    const table = tables(doc.blocks).find((candidate) => candidate.rows[0][0].text === 'TT')!;
    expect(table.rows.slice(1).map((row) => row[0].text)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('keeps the column-number row "(1) … (5)" in the model and leaves it out of the parser\'s text', () => {
    const doc = readDocx(fixture('laocai_KH-UBND-sochuadien_2026_trienkhai-CT11-TU-khoangsan.docx'));
    const table = tables(doc.blocks).find((candidate) => candidate.rows[0][0].text === 'TT')!;
    expect(table.rows).toHaveLength(16);
    expect(table.rows[1].map((cell) => cell.text)).toEqual(['', '(1)', '(2)', '(3)', '(4)', '(5)']);
    expect(renderForParser(doc)).not.toMatch(/^\(3\)$/m);
  });

  it("turns soft line breaks in the draft's header cells into new lines inside the cell", () => {
    const doc = readDocx(fixture('lamdong_KH-UBND-9669_2025_cchc-2026_duthao.docx'));
    const table = tables(doc.blocks).find((candidate) => candidate.rows[0][0].text === 'STT')!;
    expect(table.rows[0][3].text).toBe('Thời gian\nhoàn thành');
  });

  it('numbers lists as Word shows them: levels, letters, roman numerals, restarts; deleted text and field codes dropped, insertions kept', () => {
    const numbering =
      '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>' +
      '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>' +
      '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl></w:abstractNum>' +
      '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl></w:abstractNum>' +
      '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>' +
      '<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="2"><w:startOverride w:val="1"/></w:lvlOverride></w:num>';
    const p = (numId: number, ilvl: number, runs: string): string =>
      `<w:p><w:pPr><w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="${numId}"/></w:numPr></w:pPr>${runs}</w:p>`;
    const r = (text: string): string => `<w:r><w:t xml:space="preserve">${text}</w:t></w:r>`;
    const doc = readDocx(
      makeDocx(
        p(1, 0, r('Nhiệm vụ')) +
          p(1, 1, r('Sở Tư pháp') + '<w:del><w:r><w:delText>cũ</w:delText></w:r></w:del><w:ins><w:r><w:t> mới</w:t></w:r></w:ins>') +
          p(1, 2, r('rà soát') + '<w:r><w:br/><w:t>dòng hai</w:t></w:r>') +
          p(1, 2, '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>báo cáo</w:t></w:r>') +
          p(1, 1, r('Sở Y tế')) +
          p(3, 2, r('lại từ a')) +
          p(2, 0, r('gạch đầu dòng')) +
          p(1, 0, r('Tổ chức')),
        numbering,
      ),
    );
    expect(doc.blocks.map((block) => [(block as Paragraph).numbering, (block as Paragraph).text])).toEqual([
      ['I.', 'Nhiệm vụ'],
      ['1.', 'Sở Tư pháp mới'],
      ['a)', 'rà soát\ndòng hai'],
      ['b)', 'báo cáo'],
      ['2.', 'Sở Y tế'],
      ['a)', 'lại từ a'],
      ['-', 'gạch đầu dòng'],
      ['II.', 'Tổ chức'],
    ]);
  });

  it('reads w:gridSpan and w:vMerge (restart … continue) as colSpan and rowSpan, continued cells not repeated', () => {
    const tc = (text: string, props = ''): string => `<w:tc><w:tcPr>${props}</w:tcPr><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:tc>`;
    const doc = readDocx(
      makeDocx(
        `<w:tbl><w:tr>${tc('TT')}${tc('Nhiệm vụ')}${tc('Chủ trì')}</w:tr>` +
          `<w:tr>${tc('1')}${tc('A')}${tc('Sở Y tế', '<w:vMerge w:val="restart"/>')}</w:tr>` +
          `<w:tr>${tc('2')}${tc('B')}${tc('', '<w:vMerge/>')}</w:tr>` +
          `<w:tr>${tc('II', '')}${tc('Nhóm', '<w:gridSpan w:val="2"/>')}</w:tr></w:tbl>`,
      ),
    );
    expect((doc.blocks[0] as Table).rows).toEqual([
      [{ text: 'TT' }, { text: 'Nhiệm vụ' }, { text: 'Chủ trì' }],
      [{ text: '1' }, { text: 'A' }, { text: 'Sở Y tế', rowSpan: 2 }],
      [{ text: '2' }, { text: 'B' }],
      [{ text: 'II' }, { text: 'Nhóm', colSpan: 2 }],
    ]);
  });
});

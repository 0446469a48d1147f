import { groupLines, layoutPage, mergeLines, type PositionedWord } from './positioned-layout';

/** Words laid out left to right from x on a baseline at y, 12 units high, 7 units a character. */
const words = (y: number, x: number, text: string, h = 12): PositionedWord[] => {
  const out: PositionedWord[] = [];
  for (const word of text.split(' ')) {
    out.push({ text: word, x0: x, y0: y, x1: x + 7 * word.length, y1: y + h });
    x += 7 * word.length + 3;
  }
  return out;
};
const PAGE = { page: 1, width: 600, height: 840 };

describe('positioned words into lines, paragraphs and tables', () => {
  it('keeps a number stamped into "Số:      /UBND-KT" where it was stamped, on its line', () => {
    // The stamp is printed last, in a taller font, slightly off the baseline.
    const line = [...words(100, 60, 'Số:'), ...words(100, 140, '/UBND-KT'), ...words(400, 60, 'Nơi nhận:')];
    const stamp = { text: '193', x0: 95, y0: 97, x1: 125, y1: 114 };
    const lines = groupLines([...line, stamp]);
    expect(lines.map((l) => l.words.map((w) => w.text).join(' '))).toEqual(['Số: 193 /UBND-KT', 'Nơi nhận:']);
  });

  it('rebuilds paragraphs: wrapped lines joined, a new one at an indent, a list marker or a short line', () => {
    const full = 'x'.repeat(60);
    const lines = groupLines([
      ...words(100, 88, `Để tăng cường hiệu lực ${full}`),
      ...words(114, 60, `quản lý nhà nước ${'y'.repeat(70)}`),
      ...words(128, 60, 'như sau:'),
      ...words(142, 88, '1. Sở Công Thương'),
      ...words(156, 88, `a) Rà soát các quy định ${full}`),
      ...words(170, 60, 'hiện hành.'),
    ]);
    const blocks = layoutPage(lines, PAGE);
    expect(blocks.map((b) => (b.kind === 'paragraph' ? b.text : b.kind))).toEqual([
      `Để tăng cường hiệu lực ${full} quản lý nhà nước ${'y'.repeat(70)} như sau:`,
      '1. Sở Công Thương',
      `a) Rà soát các quy định ${full} hiện hành.`,
    ]);
    expect(blocks[0]).toMatchObject({ from: { page: 1 } });
  });

  it('makes a table of rows whose words fall into the same three or more column bands, wrapped cells joined', () => {
    const lines = groupLines([
      ...words(100, 60, 'Kính gửi các sở, ngành'),
      ...words(130, 60, 'STT'), ...words(130, 120, 'Nhiệm vụ'), ...words(130, 330, 'Chủ trì'), ...words(130, 460, 'Thời hạn'),
      ...words(150, 60, '1'), ...words(150, 120, 'Rà soát các quy định'), ...words(150, 330, 'Sở Công Thương'), ...words(150, 460, '30/6/2026'),
      ...words(164, 120, 'hiện hành'),
      ...words(184, 60, '2'), ...words(184, 120, 'Kiểm tra'), ...words(184, 330, 'Công an tỉnh'),
      ...words(230, 60, `Căn cứ ý kiến chỉ đạo trên, các cơ quan nghiêm túc triển khai thực hiện ${'z'.repeat(20)}`),
    ]);
    const blocks = layoutPage(lines, PAGE);
    expect(blocks.map((b) => b.kind)).toEqual(['paragraph', 'table', 'paragraph']);
    const table = blocks[1];
    if (table.kind !== 'table') throw new Error('not a table');
    expect(table.rows.map((row) => row.map((c) => c.text))).toEqual([
      ['STT', 'Nhiệm vụ', 'Chủ trì', 'Thời hạn'],
      ['1', 'Rà soát các quy định hiện hành', 'Sở Công Thương', '30/6/2026'],
      ['2', 'Kiểm tra', 'Công an tỉnh', ''],
    ]);
  });

  it('keeps a two-column header as paragraphs (two bands are not a table) and drops a page number in the margin', () => {
    const lines = groupLines([
      ...words(20, 295, '2'),
      ...words(60, 60, 'ỦY BAN NHÂN DÂN'), ...words(60, 300, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'),
      ...words(76, 60, 'Số: 12/KH-UBND'), ...words(76, 300, 'Lâm Đồng, ngày 3 tháng 9 năm 2025'),
    ]);
    const blocks = layoutPage(lines, PAGE);
    expect(blocks.map((b) => (b.kind === 'paragraph' ? b.text : b.kind))).toEqual([
      'ỦY BAN NHÂN DÂN',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Số: 12/KH-UBND',
      'Lâm Đồng, ngày 3 tháng 9 năm 2025',
    ]);
  });

  it("joins OCR's separate lines of one table row and carries the words' confidence and ocr into provenance", () => {
    const row = (y: number, cells: [number, string][]) => cells.map(([x, t]) => words(y, x, t).map((w) => ({ ...w, confidence: 0.9 })));
    const lines = mergeLines([
      ...row(100, [[60, 'STT'], [120, 'Nhiệm vụ'], [330, 'Chủ trì']]),
      ...row(121, [[60, '1'], [120, 'Rà soát'], [330, 'Sở Tư pháp']]),
    ]);
    const blocks = layoutPage(lines, { ...PAGE, ocr: true });
    expect(blocks).toEqual([
      {
        kind: 'table',
        rows: [
          [{ text: 'STT' }, { text: 'Nhiệm vụ' }, { text: 'Chủ trì' }],
          [{ text: '1' }, { text: 'Rà soát' }, { text: 'Sở Tư pháp' }],
        ],
        from: { page: 1, ocr: true, confidence: 0.9 },
      },
    ]);
  });
});

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
      ...words(130, 60, 'STT'),
      ...words(130, 120, 'Nhiệm vụ'),
      ...words(130, 330, 'Chủ trì'),
      ...words(130, 460, 'Thời hạn'),
      ...words(150, 60, '1'),
      ...words(150, 120, 'Rà soát các quy định'),
      ...words(150, 330, 'Sở Công Thương'),
      ...words(150, 460, '30/6/2026'),
      ...words(164, 120, 'hiện hành'),
      ...words(184, 60, '2'),
      ...words(184, 120, 'Kiểm tra'),
      ...words(184, 330, 'Công an tỉnh'),
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
      ...words(60, 60, 'ỦY BAN NHÂN DÂN'),
      ...words(60, 300, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'),
      ...words(76, 60, 'Số: 12/KH-UBND'),
      ...words(76, 300, 'Lâm Đồng, ngày 3 tháng 9 năm 2025'),
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
      ...row(100, [
        [60, 'STT'],
        [120, 'Nhiệm vụ'],
        [330, 'Chủ trì'],
      ]),
      ...row(121, [
        [60, '1'],
        [120, 'Rà soát'],
        [330, 'Sở Tư pháp'],
      ]),
    ]);
    const blocks = layoutPage(lines, { ...PAGE, ocr: true });
    expect(blocks).toHaveLength(1);
    const table = blocks[0];
    if (table.kind !== 'table') throw new Error('not a table');
    expect(table.rows.map((row) => row.map((cell) => cell.text))).toEqual([
      ['STT', 'Nhiệm vụ', 'Chủ trì'],
      ['1', 'Rà soát', 'Sở Tư pháp'],
    ]);
    expect(table.from).toEqual({ page: 1, ocr: true, confidence: 0.9, box: { x: 0.1, y: 0.119, width: 0.5533, height: 0.0393 } });
    expect(table.rows[1][2].from).toEqual({ page: 1, ocr: true, confidence: 0.9, box: { x: 0.55, y: 0.144, width: 0.1033, height: 0.0143 } });
  });

  it('gives each paragraph and each table cell the box its words cover, as fractions of the page (origin top-left)', () => {
    const lines = groupLines([
      ...words(100, 60, 'Kính gửi các sở, ngành'),
      ...words(130, 60, 'STT'),
      ...words(130, 120, 'Nhiệm vụ'),
      ...words(130, 330, 'Chủ trì'),
      ...words(150, 60, '1'),
      ...words(150, 120, 'Rà soát các quy định'),
      ...words(150, 330, 'Sở Công Thương'),
      ...words(164, 120, 'hiện hành'),
    ]);
    const [paragraph, table] = layoutPage(lines, PAGE);
    // "Kính gửi các sở, ngành": x 60 to 60 + 7 × 18 + 3 × 4 = 198 of 600, y 100 to 112 of 840.
    expect(paragraph.kind === 'paragraph' && paragraph.from).toEqual({ page: 1, box: { x: 0.1, y: 0.119, width: 0.23, height: 0.0143 } });
    if (table.kind !== 'table') throw new Error('not a table');
    // The task cell wraps over two lines: x 120 to 244, y 150 to 176.
    const task = table.rows[1][1];
    expect(task.text).toBe('Rà soát các quy định hiện hành');
    expect(task.from?.box).toEqual({ x: 0.2, y: 0.1786, width: 0.2067, height: 0.0309 });
  });
});

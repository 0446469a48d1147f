import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DocumentReadError, type Table } from './document';
import { parseAntiword, readDoc } from './doc';

/**
 * Runs Debian's antiword, which npm test installs. Fixture: the corpus' Word 97–2003 draft
 * (lamdong_KH-UBND-sochuadien_2025_ctmtqg-pcmt-2030_duthao.doc, from vpubnd49/VBAI @ f43aae49), a state
 * administrative document, outside copyright under Vietnam's IP law (art. 15).
 */
const DOC = readFileSync(path.join(__dirname, '..', 'fixtures', 'lamdong_KH-UBND-sochuadien_2025_ctmtqg-pcmt-2030_duthao.doc'));

describe('readDoc (Word 97–2003 through antiword)', () => {
  it('reads the corpus .doc: its header table, the title and the body, one paragraph each', async () => {
    const doc = await readDoc(DOC);
    expect(doc.format).toBe('doc');
    const texts = doc.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text] : []));
    expect(texts).toEqual(
      expect.arrayContaining(['DỰ THẢO', 'KẾ HOẠCH', 'Triển khai thực hiện Chương trình mục tiêu quốc gia', 'II. CHỈ TIÊU CHỦ YẾU THỰC HIỆN ĐẾN NĂM 2030']),
    );
    expect(texts.some((t) => t.startsWith('Thực hiện Quyết định số 7619/QĐ-BCA ngày 08/9/2025 của Bộ Công an') && t.endsWith('như sau:'))).toBe(true);
    const header = doc.blocks.find((b): b is Table => b.kind === 'table');
    expect(header?.rows.map((row) => row.map((c) => c.text))).toEqual([
      ['ỦY BAN NHÂN DÂN', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'],
      ['TỈNH LÂM ĐỒNG', 'Độc lập - Tự do - Hạnh phúc'],
      // The blanks of a pre-signature draft kept as they are.
      ['Số:       /KH-UBND', 'Lâm Đồng, ngày       tháng 9 năm 2025'],
    ]);
  });

  it('refuses what is not a Word 97–2003 document, and a truncated one, with a clear error', async () => {
    for (const [bytes, code] of [
      [Buffer.from('PK\x03\x04 a zip'), 'document.corrupt'],
      [DOC.subarray(0, 2048), 'document.corrupt'],
      [Buffer.alloc(0), 'document.empty'],
    ] as const) {
      const error = await readDoc(bytes).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DocumentReadError);
      expect((error as DocumentReadError).code).toBe(code);
    }
  });

  it("turns antiword's |-rows into tables and a one-cell frame into a paragraph", () => {
    expect(parseAntiword('|a |b |\n|c |d |\n\n      |DỰ THẢO   |\n[pic]\nText  here\n')).toEqual([
      {
        kind: 'table',
        rows: [
          [{ text: 'a' }, { text: 'b' }],
          [{ text: 'c' }, { text: 'd' }],
        ],
      },
      { kind: 'paragraph', text: 'DỰ THẢO' },
      { kind: 'paragraph', text: 'Text here' },
    ]);
  });
});

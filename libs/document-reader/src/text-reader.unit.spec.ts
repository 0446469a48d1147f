import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentReadError, type Paragraph, type Table } from './document';
import { readText, readTextBlocks } from './text-reader';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, '..', 'fixtures', name));
const texts = (blocks: ReturnType<typeof readTextBlocks>): string[] =>
  blocks.flatMap((block) => (block.kind === 'paragraph' ? [block.text] : block.kind === 'table' ? block.rows.flat().map((cell) => cell.text) : []));

describe('text reader', () => {
  it('re-joins a capture\'s date split over two lines inside the letterhead cell ("Đắk Lắk, ngày" / "26 tháng 11 năm 2025")', () => {
    const doc = readText(fixture('dak-lak_012-CT-UBND_2025.md'));
    expect(texts(doc.blocks)).toContain('*Đắk Lắk, ngày 26 tháng 11 năm 2025*');
  });

  it('re-joins "Số:" and the number on the next line', () => {
    const doc = readText(fixture('lai-chau_7360-KH-UBND_2025.md'));
    expect(texts(doc.blocks)).toContain('Số: 7360/KH-UBND');
  });

  it("reads a capture's `|` cell table as rows and cells: header, group rows, task rows with their cells joined", () => {
    const doc = readText(fixture('nghe-an_980-KH-UBND_2025.md'));
    const table = doc.blocks.find((block): block is Table => block.kind === 'table' && block.rows.some((row) => row[0]?.text === '**TT**'))!;
    expect(table).toBeDefined();
    const header = table.rows.find((row) => row[0]?.text === '**TT**')!;
    expect(header.map((cell) => cell.text)).toEqual([
      '**TT**',
      '**Nội dung thực hiện**',
      '**Cơ quan chủ trì**',
      '**Cơ quan phối hợp**',
      '**Thời gian hoàn thành**',
      '**Sản phẩm dự kiến**',
    ]);
    const first = table.rows.find((row) => row[0]?.text === '1')!;
    expect(first.map((cell) => cell.text)).toEqual([
      '1',
      'Tổ chức lại Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã; ban hành quy chế hoạt động của Ban Chỉ huy phòng thủ dân sự các cấp (Điều 7, 8 Nghị định)',
      'Bộ CHQS tỉnh; UBND cấp xã',
      'Văn phòng Ban Chỉ huy; các sở, ban, ngành',
      'Trước ngày 30/11/2025',
      'Quyết định của Chủ tịch UBND cấp tỉnh, cấp xã',
    ]);
    expect(table.rows.find((row) => row[0]?.text === '**I**')!.length).toBe(2);
    // Each cell knows the line it starts on in the file.
    const lines = fixture('nghe-an_980-KH-UBND_2025.md').toString('utf8').split('\n');
    expect(lines[first[4].from!.line! - 1]).toBe('Trước ngày');
  });

  it('keeps a body paragraph per sentence run, numbered items and bullets on their own', () => {
    const blocks = readTextBlocks(
      ['1. Giao Sở Tài chính chủ trì, phối hợp với các cơ quan liên', 'quan rà soát', '- Hoàn thành trước', 'ngày 30/11/2025.', 'a) Sở Y tế'].join('\n'),
    );
    expect(blocks.map((block) => (block as Paragraph).text)).toEqual([
      '1. Giao Sở Tài chính chủ trì, phối hợp với các cơ quan liên quan rà soát',
      '- Hoàn thành trước ngày 30/11/2025.',
      'a) Sở Y tế',
    ]);
    expect(blocks.map((block) => block.kind === 'paragraph' && block.from?.line)).toEqual([1, 3, 5]);
  });

  it('reads UTF-8 with a BOM and UTF-16 with a BOM', () => {
    const text = 'Số: 12/KH-UBND\nHà Nội, ngày 1 tháng 2 năm 2025';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    for (const bytes of [utf16, bom]) expect(texts(readText(bytes).blocks)).toEqual(['Số: 12/KH-UBND', 'Hà Nội, ngày 1 tháng 2 năm 2025']);
  });

  it('refuses text in another encoding (a Windows code page) and empty text, in words', () => {
    const cp1258 = Buffer.from([0x53, 0xe8, 0x20, 0x31, 0x32, 0x0a, 0xd0, 0xe0]);
    expect(() => readText(cp1258)).toThrow(expect.objectContaining({ code: 'document.unsupported', message: expect.stringContaining('UTF-8') }));
    expect(() => readText(Buffer.from(' \n\n'))).toThrow(DocumentReadError);
    expect(() => readText(Buffer.from(' \n\n'))).toThrow(expect.objectContaining({ code: 'document.empty' }));
  });
});

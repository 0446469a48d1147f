import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DocumentReadError, type Block, type Paragraph, type Table } from './document';
import { readPdf } from './pdf';
import { garbleToUnicode, makeImagePdf, makeTextPdf, PARAGRAPHS, rawPdf, TABLE } from './testing/make-pdf';

/**
 * Runs Debian's poppler-utils and tesseract-ocr (+ tesseract-ocr-vie), which npm test installs.
 * OCR stays at a page or two here; OCR speed is in bench/document-read.bench.ts.
 * Fixture: bocongan_KH-996_2026_scan-p1-header.jpg is the top of page 1 of the corpus scan
 * (bocongan_KH-996-TCTLNTW-C04_2026_scan.pdf, from vpubnd49/VBAI @ f43aae49) rendered at 300 dpi by
 * pdftoppm: a state administrative document, outside copyright under Vietnam's IP law (art. 15).
 */
const FIXTURES = path.join(__dirname, '..', 'fixtures');
const paragraphs = (blocks: Block[]) => blocks.filter((b): b is Paragraph => b.kind === 'paragraph');
const tables = (blocks: Block[]) => blocks.filter((b): b is Table => b.kind === 'table');
const cellTexts = (table: Table) => table.rows.map((row) => row.map((cell) => cell.text));

const expectReadError = async (read: Promise<unknown>, code: DocumentReadError['code']) => {
  const error = await read.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentReadError);
  expect((error as DocumentReadError).code).toBe(code);
  return error as DocumentReadError;
};

describe('readPdf: PDFs with a text layer', () => {
  it('rebuilds lines, paragraphs and the ruled table of each page, with page breaks and pages', async () => {
    const progress: number[] = [];
    const doc = await readPdf(await makeTextPdf({ pages: 2 }), { onProgress: (p) => progress.push(p.pagesDone) });
    expect(doc).toMatchObject({ format: 'pdf', pages: 2, warnings: [] });
    expect(progress).toEqual([1, 2]);
    const texts = paragraphs(doc.blocks).map((p) => p.text);
    expect(texts.slice(0, 5)).toEqual([
      'ỦY BAN NHÂN DÂN',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Số: 193 /UBND-KT',
      'Lào Cai, ngày 10 tháng 01 năm 2026',
      'KẾ HOẠCH',
    ]);
    // A justified paragraph wrapped over three lines comes back as one.
    expect(texts).toContain(PARAGRAPHS[0]);
    expect(paragraphs(doc.blocks).find((p) => p.text === 'KẾ HOẠCH')?.style).toEqual({ centered: true });
    const found = tables(doc.blocks);
    expect(found).toHaveLength(2);
    expect(cellTexts(found[0])).toEqual(TABLE);
    expect(found.map((t) => t.from?.page)).toEqual([1, 2]);
    // Where on its page each table and each cell is, as fractions of the page: the office sees it marked on the page.
    for (const table of found) {
      const { x, y, width, height } = table.from!.box!;
      expect(x >= 0 && y >= 0 && width > 0.3 && height > 0 && x + width <= 1 && y + height <= 1).toBe(true);
      expect(table.rows.flat().every((cell) => cell.text === '' || (cell.from?.page === table.from?.page && cell.from!.box!.y >= y))).toBe(true);
    }
    expect(doc.blocks.filter((b) => b.kind === 'page-break')).toEqual([{ kind: 'page-break', page: 2 }]);
    expect(paragraphs(doc.blocks).some((p) => p.from?.ocr)).toBe(false);
  });
});

describe('readPdf: a garbled text layer (fonts without a usable ToUnicode map)', () => {
  it('detects the page and reads it by OCR instead, with a page-ocr warning naming the page', async () => {
    const pdf = garbleToUnicode(await makeTextPdf({ compress: false }));
    const doc = await readPdf(pdf);
    expect(doc.warnings.map((w) => [w.code, w.page])).toEqual([['page-ocr', 1]]);
    const read = paragraphs(doc.blocks);
    expect(read.every((p) => p.from?.ocr === true && p.from.page === 1 && p.from.confidence! > 0.8)).toBe(true);
    // Words of the page's text OCR gives back: measured 100 % on this page (threshold 95 %).
    const expected = [...PARAGRAPHS, ...TABLE.flat()].join(' ').split(/\s+/);
    const got = new Set(
      doc.blocks.flatMap((b) =>
        (b.kind === 'paragraph'
          ? b.text
          : b.kind === 'table'
            ? b.rows
                .flat()
                .map((c) => c.text)
                .join(' ')
            : ''
        ).split(/\s+/),
      ),
    );
    const right = expected.filter((w) => got.has(w)).length / expected.length;
    expect(right).toBeGreaterThan(0.95);
    expect(tables(doc.blocks).map(cellTexts)[0]?.[1]).toEqual(TABLE[1]);
  }, 30_000);

  it("leaves a clean text layer alone (the same PDF not garbled is not OCR'd)", async () => {
    const doc = await readPdf(await makeTextPdf({ compress: false }));
    expect(doc.warnings).toEqual([]);
  });
});

describe('readPdf: scans', () => {
  it('OCRs a page without text, with confidence, and warns of the handwritten number and date it cannot read', async () => {
    const pdf = await makeImagePdf(readFileSync(path.join(FIXTURES, 'bocongan_KH-996_2026_scan-p1-header.jpg')));
    const progress: Array<{ pagesDone: number; pages: number }> = [];
    const doc = await readPdf(pdf, { onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([{ pagesDone: 1, pages: 1 }]);
    expect(doc.warnings.map((w) => [w.code, w.page])).toEqual([
      ['page-ocr', 1],
      ['ocr-number-unreadable', 1],
      ['ocr-date-unreadable', 1],
    ]);
    const texts = paragraphs(doc.blocks).map((p) => p.text);
    expect(texts).toEqual(expect.arrayContaining(['CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'UBND TỈNH LÂM ĐỒNG']));
    const title = paragraphs(doc.blocks).find((p) => p.text === 'CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(title?.from).toMatchObject({ page: 1, ocr: true });
    expect(title?.from?.confidence).toBeGreaterThan(0.9);
  }, 30_000);
});

describe('readPdf: what is not a readable PDF', () => {
  const catalog = '<< /Type /Catalog /Pages 2 0 R >>';

  it('a page tree that loops on itself ends in a clear error', async () => {
    const error = await expectReadError(readPdf(rawPdf([catalog, '<< /Type /Pages /Kids [2 0 R] /Count 1 >>'])), 'document.corrupt');
    expect(error.message).toMatch(/Loop in Pages tree/);
  });

  it('an xref chain pointing back at itself and a form drawing itself end in a clear error', async () => {
    const pdf = rawPdf(
      [
        catalog,
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /X1 4 0 R >> >> >>',
        '<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X1 4 0 R >> >> /Length 7 >>\nstream\n/X1 Do\nendstream',
      ],
      '/Root 1 0 R /Prev $XREF',
    );
    await expectReadError(readPdf(pdf), 'document.corrupt');
  });

  it('a truncated PDF, a PDF with no page, something else and nothing are refused', async () => {
    const whole = await makeTextPdf();
    await expectReadError(readPdf(whole.subarray(0, whole.length >> 1)), 'document.corrupt');
    await expectReadError(readPdf(rawPdf([catalog, '<< /Type /Pages /Kids [] /Count 0 >>'])), 'document.corrupt');
    await expectReadError(readPdf(Buffer.from('MZ\x90\x00 not a pdf')), 'document.corrupt');
    await expectReadError(readPdf(new Uint8Array()), 'document.empty');
  });

  it('more pages than the limit are refused before any is read', async () => {
    const error = await expectReadError(readPdf(await makeTextPdf({ pages: 3 }), { maxPages: 2 }), 'document.too-large');
    expect(error.message).toContain('3 pages');
  });

  it('a read over its time limit is killed with document.timeout, and a cancelled one stops', async () => {
    const scan = await makeImagePdf(readFileSync(path.join(FIXTURES, 'bocongan_KH-996_2026_scan-p1-header.jpg')));
    await expectReadError(readPdf(scan, { timeoutMs: 50 }), 'document.timeout');
    const controller = new AbortController();
    const read = readPdf(scan, { signal: controller.signal, onProgress: () => undefined });
    setTimeout(() => controller.abort(new Error('import cancelled')), 100);
    await expect(read).rejects.toThrow('import cancelled');
  });
});

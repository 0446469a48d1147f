import { strToU8, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DocumentReadError, type DocumentFormat } from './document';
import { makeDocx } from './make-docx';
import { FORMAT_LIMITS, READ_ERROR_STATUS, readDocument, readers, type ReadOptions } from './read-document';
import { makeImagePdf, makeTextPdf } from './testing/make-pdf';

/**
 * readDocument is the one entry of every reader: each format the detector names has a reader, the
 * paged readers get the caller's signal, time limit and progress, and every refusal has its HTTP status.
 * Runs poppler-utils and tesseract-ocr (npm test installs them); OCR stays at one small page.
 */
const FIXTURES = path.join(__dirname, '..', 'fixtures');

describe('readDocument: the readers registry', () => {
  it('has a reader for every format detectFormat names', () => {
    const formats: DocumentFormat[] = ['docx', 'doc', 'pdf', 'image', 'html', 'text'];
    expect(formats.filter((format) => !readers[format])).toEqual([]);
  });

  it('reads a PDF with a text layer, reporting its pages, and says no OCR was needed', async () => {
    const progress: { pagesDone: number; pages: number }[] = [];
    const onOcr = jest.fn();
    const doc = await readDocument(await makeTextPdf({ pages: 2 }), { fileName: 'plan.pdf', onProgress: (p) => progress.push(p), onOcr });
    expect(doc).toMatchObject({ format: 'pdf', pages: 2 });
    expect(progress).toEqual([
      { pagesDone: 1, pages: 2 },
      { pagesDone: 2, pages: 2 },
    ]);
    expect(onOcr).not.toHaveBeenCalled();
  });

  it('reads a scan (an image) by OCR, saying so before it starts, with progress', async () => {
    const events: string[] = [];
    const doc = await readDocument(readFileSync(path.join(FIXTURES, 'bocongan_KH-996_2026_scan-p1-header.jpg')), {
      fileName: 'scan.jpg',
      onOcr: () => events.push('ocr'),
      onProgress: (p) => events.push(`${p.pagesDone}/${p.pages}`),
    });
    expect(doc.format).toBe('image');
    expect(events).toEqual(['ocr', '1/1']);
    expect(doc.blocks.some((block) => block.kind === 'paragraph' && block.text === 'CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM')).toBe(true);
  });

  it('passes the time limit and the signal to the paged readers', async () => {
    const scan = await makeImagePdf(readFileSync(path.join(FIXTURES, 'bocongan_KH-996_2026_scan-p1-header.jpg')));
    await expect(readDocument(scan, { timeoutMs: 1 })).rejects.toMatchObject({ code: 'document.timeout' });
    const aborted = new AbortController();
    aborted.abort(new Error('cancelled by the office'));
    await expect(readDocument(scan, { signal: aborted.signal })).rejects.toThrow('cancelled by the office');
  });

  it("refuses a file over its format's limit before reading it, as 413", async () => {
    const image = Buffer.alloc(FORMAT_LIMITS.image + 1);
    image.set([0xff, 0xd8, 0xff, 0xe0]);
    const error = await readDocument(image, { fileName: 'scan.jpg' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentReadError);
    expect((error as DocumentReadError).code).toBe('document.too-large');
    expect(READ_ERROR_STATUS[(error as DocumentReadError).code]).toBe(413);
  });

  it('gives every refusal a 4xx: too large 413, not a document 415, empty, corrupt, hostile, too slow 422', async () => {
    // Each way of failing produced by a real read, not the table read back against itself.
    const refused = async (bytes: Uint8Array, options: ReadOptions = {}): Promise<[DocumentReadError['code'], number]> => {
      const error = await readDocument(bytes, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DocumentReadError);
      const { code } = error as DocumentReadError;
      return [code, READ_ERROR_STATUS[code]];
    };
    const docx = makeDocx('<w:p><w:r><w:t>Số: 1/KH-UBND</w:t></w:r></w:p>');
    const xxe = zipSync({
      '[Content_Types].xml': strToU8('<Types/>'),
      'word/document.xml': strToU8('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document><w:body/></w:document>'),
    });
    const scan = await makeImagePdf(readFileSync(path.join(FIXTURES, 'bocongan_KH-996_2026_scan-p1-header.jpg')));
    expect(
      await Promise.all([
        refused(Buffer.alloc(2048, 'a'), { maxBytes: 1024 }),
        refused(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(512, 1)]), { fileName: 'plan.docx' }),
        refused(new Uint8Array(0)),
        refused(docx.subarray(0, docx.length - 30)),
        refused(xxe),
        refused(scan, { timeoutMs: 1 }),
      ]),
    ).toEqual([
      ['document.too-large', 413],
      ['document.unsupported', 415],
      ['document.empty', 422],
      ['document.corrupt', 422],
      ['document.hostile', 422],
      ['document.timeout', 422],
    ]);
  });
});

import { DocumentReadError } from './document';
import { renderPageImage } from './page-image';
import { makeTextPdf, rawPdf } from './testing/make-pdf';

/** Issue 18 item 5: the import review shows a task's page of the PDF beside it. Real poppler. */

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const sizeOf = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('renderPageImage', () => {
  it('given a two-page PDF, when page 2 is asked at 100 dpi, then it is a PNG of an A4 page at that resolution', async () => {
    const png = await renderPageImage(await makeTextPdf({ pages: 2 }), 2, { dpi: 100 });
    expect(png!.subarray(0, 4)).toEqual(PNG);
    const { width, height } = sizeOf(png!);
    // makeTextPdf's pages are A4 (595 x 842 pt): 827 x 1170 px at 100 dpi.
    expect([width, height]).toEqual([827, 1170]);
  });

  it('given a page the PDF does not have, when asked, then there is none', async () => {
    const pdf = await makeTextPdf({ pages: 2 });
    expect(await renderPageImage(pdf, 3)).toBeNull();
    expect(await renderPageImage(pdf, 0)).toBeNull();
  });

  it('given a page that claims to be 200 inches wide, when rendered, then its longest side stays within 2000 pixels', async () => {
    const huge = rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] >>',
    ]);
    const { width, height } = sizeOf((await renderPageImage(huge, 1, { dpi: 100 }))!);
    expect(Math.max(width, height)).toBeLessThanOrEqual(2000);
  });

  it('given bytes that are not a PDF, when rendered, then it is document.corrupt', async () => {
    const error = await renderPageImage(Buffer.from('not a pdf at all'), 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentReadError);
    expect((error as DocumentReadError).code).toBe('document.corrupt');
  });
});

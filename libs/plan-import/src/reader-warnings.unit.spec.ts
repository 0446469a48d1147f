import { parsePlan } from './parse-plan';
import { withReaderWarnings } from './reader-warnings';
import { WARNING_CODES } from './parsed-plan';

// The header of the corpus scan bocongan_KH-996 as tesseract reads it: the number 996 is handwritten.
const HEADER = [
  'BỘ CÔNG AN',
  'Só:ØÓ6” /KH-TCTLNTW-C04',
  'Hà Nội, ngày44tháng năm 2026',
  'KẾ HOẠCH',
  'Phối hợp kiểm soát các hoạt động hợp pháp liên quan đến ma túy năm 2026',
].join('\n');

describe("the reader's warnings in the parsed plan", () => {
  it("keeps the OCR warnings with their page, first, and the parser's after them", () => {
    const parsed = parsePlan(HEADER, { directory: [] });
    const merged = withReaderWarnings(parsed, [
      { code: 'page-ocr', page: 1, message: 'Page 1 has no text layer (a scan): read by OCR' },
      {
        code: 'ocr-number-unreadable',
        page: 1,
        message: 'Page 1: the document number reads "Só:ØÓ6” /KH-TCTLNTW-C04" (handwritten?); check it against the paper',
      },
    ]);
    expect(merged.warnings.slice(0, 2).map((w) => [w.code, w.page])).toEqual([
      ['page-ocr', 1],
      ['ocr-number-unreadable', 1],
    ]);
    expect(merged.warnings.slice(2)).toEqual(parsed.warnings);
    expect(merged.tasks).toBe(parsed.tasks);
  });

  it('keeps a warning whose code the list does not know as a reader-note, its message whole', () => {
    const merged = withReaderWarnings(parsePlan(HEADER, { directory: [] }), [{ code: 'font-missing', message: 'A font is missing' }]);
    expect(merged.warnings[0]).toEqual({ code: 'reader-note', message: 'A font is missing' });
    expect(WARNING_CODES).toEqual(expect.arrayContaining(['page-ocr', 'ocr-low-confidence', 'ocr-number-unreadable', 'ocr-date-unreadable']));
  });

  it('leaves a plan read without warnings as it is', () => {
    const parsed = parsePlan(HEADER, { directory: [] });
    expect(withReaderWarnings(parsed, [])).toBe(parsed);
  });
});

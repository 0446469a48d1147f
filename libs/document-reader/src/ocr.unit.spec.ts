import { handwritingWarnings } from './ocr';

describe('OCR of handwritten numbers and dates', () => {
  it('warns, naming the page, when the number written into "Số: … /KH-…" is not a number', () => {
    // As tesseract read the corpus scan bocongan_KH-996 (the number 996 is written by hand).
    const warnings = handwritingWarnings(['Só:ØÓ6” /KH-TCTLNTW-C04 Hà Nội, ngày44tháng năm 2026'], 1);
    expect(warnings.map((w) => [w.code, w.page])).toEqual([
      ['ocr-number-unreadable', 1],
      ['ocr-date-unreadable', 1],
    ]);
    expect(warnings[0].message).toContain('ØÓ6');
  });

  it('says nothing of a number and dates it read, nor of a blank number', () => {
    expect(handwritingWarnings(['Số: 996/KH-TCTLNTW-C04', 'Số:      /KH-UBND', 'Nghị định số 105/2021/NĐ-CP ngày 04 tháng 12 năm 2021'], 2)).toEqual([]);
  });
});

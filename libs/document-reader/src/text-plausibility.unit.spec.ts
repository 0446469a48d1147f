import { GARBLED_BELOW, isGarbled, isVietnameseSyllable, judgeWord, scoreWords } from './text-plausibility';

const REAL =
  'Công tác quản lý nhà nước về vật liệu nổ công nghiệp (VLNCN), tiền chất thuốc nổ (TCTN) thời gian vừa qua, đã được UBND tỉnh chỉ đạo triển khai theo QCVN 01:2019/BCT và Nghị định số 105/2021/NĐ-CP'.split(
    ' ',
  );
/** The same words as a font subset without a usable ToUnicode map gives them: ASCII letters down 0x1D, the rest into Cyrillic. */
const garble = (word: string) =>
  [...word]
    .map((c) =>
      /[A-Za-z]/.test(c)
        ? String.fromCharCode(c.charCodeAt(0) - 0x1d)
        : /\p{L}/u.test(c) && c.charCodeAt(0) > 0x7f
          ? String.fromCharCode(0x400 + (c.charCodeAt(0) & 0xff))
          : c,
    )
    .join('');

describe('Vietnamese text plausibility (garbled PDF text layers)', () => {
  it('knows Vietnamese syllables in any case, with or without tone marks', () => {
    for (const word of ['Nghị', 'đường', 'TỈNH', 'khuyến', 'quốc', 'giữ', 'Ủy', 'a']) expect(isVietnameseSyllable(word)).toBe(true);
    for (const word of ['FRQJ', 'camera', 'xyzq', 'ngng']) expect(isVietnameseSyllable(word)).toBe(false);
  });

  it('leaves numbers, references, list letters and abbreviations out of the count', () => {
    for (const word of ['01:2019/BCT', '105/2021/NĐ-CP', 'a)', 'đ)', 'VLNCN', 'KH-UBND', '(TCTN)', '2026']) expect(judgeWord(word)).toBe('neutral');
  });

  it('takes capitals that read as a Vietnamese word shifted back by 0x1D for garbage, not an abbreviation', () => {
    // "theo" and "cong" as such a font gives them.
    expect(garble('theo')).toBe('WKHR');
    expect(judgeWord('WKHR')).toBe('implausible');
    expect(judgeWord('FRQJ')).toBe('implausible');
    expect(judgeWord('UBND')).toBe('neutral');
  });

  it('scores a real page near 1 and the same page garbled under the threshold', () => {
    const real = scoreWords(REAL);
    expect(real.score).toBeGreaterThan(0.9);
    expect(isGarbled(real)).toBe(false);
    const garbled = scoreWords(REAL.map(garble));
    expect(garbled.score).toBeLessThan(GARBLED_BELOW);
    expect(isGarbled(garbled)).toBe(true);
  });

  it('takes Cyrillic or control characters in a Vietnamese page for a broken font even when most words read', () => {
    const mixed = [...REAL, ...REAL.slice(0, 4).map((w) => `${w}\u0434`)];
    expect(scoreWords(mixed).foreign).toBe(4);
    expect(isGarbled(scoreWords(mixed))).toBe(true);
  });

  it('does not judge a page with a handful of words', () => {
    expect(isGarbled(scoreWords(['FRQJ', 'WKHR']))).toBe(false);
  });
});

/**
 * Is a PDF page's text layer Vietnamese a person could read, or the garbage that font subsets without
 * a usable ToUnicode map give (letters shifted by 0x1D, Vietnamese letters mapped to Cyrillic or
 * Armenian code points)? Digits survive such fonts, so only words with letters are judged.
 */

// Tone marks (grave, acute, tilde, hook above, dot below) come off; the letter's own marks (breve,
// circumflex, horn) stay, so the syllable check sees the vowels Vietnamese spells with.
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const INITIAL = '(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?';
const NUCLEUS = '[aăâeêioôơuưy]{1,3}';
const FINAL = '(?:ng|nh|ch|[cmnpt])?';
const SYLLABLE = new RegExp(`^${INITIAL}${NUCLEUS}${FINAL}$`);
/** Letters a Vietnamese document has no business holding: Cyrillic, Armenian, controls, private use. */
const FOREIGN = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u0400-\u058f\ue000-\uf8ff\ufffd]/;
const HAS_LETTER = /\p{L}/u;
/** An abbreviation as offices write them: UBND, VLNCN, KH-UBND, QĐ-TTg, TCTN. */
const ABBREVIATION = /^[A-ZĐ]{1,8}[a-z]{0,2}(?:[-/.][A-ZĐ]{1,8}[a-z]{0,2})*$/;

const trimPunctuation = (word: string) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

/** One Vietnamese syllable (any case), e.g. "Nghị", "đường", "TỈNH". */
export const isVietnameseSyllable = (word: string): boolean => SYLLABLE.test(word.normalize('NFD').replace(TONE_MARKS, '').normalize('NFC').toLowerCase());

export type WordVerdict = 'plausible' | 'implausible' | 'neutral';

/** What a word would read with its letters moved back up by 0x1D (glyph ids taken for code points). */
const unshift = (word: string) => [...word].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0x1d)).join('');

export const judgeWord = (raw: string): WordVerdict => {
  if (FOREIGN.test(raw)) return 'implausible';
  const word = trimPunctuation(raw.normalize('NFC'));
  // Numbers, list letters ("a)", "đ)"), references ("105/2021/NĐ-CP"): digits survive a broken font.
  if (!HAS_LETTER.test(word) || [...word].length === 1 || /\d/.test(word)) return 'neutral';
  const parts = word.split(/[-/.]/).filter(Boolean);
  if (parts.every(isVietnameseSyllable)) return 'plausible';
  // A shifted lowercase word reads as capitals ("công" as "FRQJ"): told from an abbreviation (UBND,
  // VLNCN) by what it reads shifted back.
  if (/^[\x21-\x5f]+$/.test(word) && isVietnameseSyllable(unshift(word))) return 'implausible';
  if (ABBREVIATION.test(word)) return 'neutral';
  return 'implausible';
};

export type TextScore = {
  /** Share of the judged words that are plausible Vietnamese (1 when nothing was judged). */
  score: number;
  judged: number;
  /** Words holding Cyrillic, Armenian, control or private-use characters. */
  foreign: number;
};

export const scoreWords = (words: string[]): TextScore => {
  let plausible = 0;
  let judged = 0;
  let foreign = 0;
  for (const word of words) {
    if (FOREIGN.test(word)) foreign++;
    const verdict = judgeWord(word);
    if (verdict === 'neutral') continue;
    judged++;
    if (verdict === 'plausible') plausible++;
  }
  return { score: judged === 0 ? 1 : plausible / judged, judged, foreign };
};

/**
 * Below this share of plausible words a page's text layer is taken for garbled and the page is OCR'd.
 * Measured: pages of Word-exported Vietnamese PDFs score 0.93–1.0 (the corpus' e-signed Công văn: every
 * page ≥ 0.95), a layer with letters shifted by 0x1D or mapped to Cyrillic scores under 0.2 (the tests'
 * garbled page); the notes' garbled pages read about 45 % of words right.
 */
export const GARBLED_BELOW = 0.7;

/** Enough judged words to tell; a page with a handful of words (a cover, a signature page) is left as it is. */
const MIN_JUDGED = 8;

export const isGarbled = (score: TextScore): boolean => score.judged >= MIN_JUDGED && (score.score < GARBLED_BELOW || score.foreign / score.judged > 0.05);

/** Text helpers shared by the readers. Vietnamese sources mix composed/decomposed forms and hard line wraps. */

import { collapse, foldVietnamese as fold } from '@mandate/plans-domain';

export { collapse, fold };

/** Folded, punctuation removed, words separated by single spaces. */
export const foldWords = (text: string): string =>
  fold(text)
    .replace(/&/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const PUNCTUATION = /[\s,;:.]/;

/**
 * Strips trailing sentence punctuation a table cell or list item may carry. The end is walked by hand:
 * /[\s,;:.]+$/ retries from every character of a long run of commas that is not at the end (quadratic).
 */
export const trimPunctuation = (text: string): string => {
  const start = /^[\s,;:.]*/.exec(text)![0].length;
  let end = text.length;
  while (end > start && PUNCTUATION.test(text[end - 1])) end--;
  return text.slice(start, end);
};

/** Lines of a document, NFC-normalised, with Windows line endings and markdown emphasis removed. */
export const toLines = (text: string): string[] =>
  text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .replace(/\*+/g, '')
        .replace(/\u00a0/g, ' ')
        .trimEnd(),
    );

const ROMAN: Record<string, number> = { I: 1, V: 5, X: 10, L: 50 };

/** "IV" -> 4; null when not a roman numeral. */
export const romanToNumber = (roman: string): number | null => {
  if (!/^[IVXL]+$/.test(roman)) return null;
  let total = 0;
  for (let i = 0; i < roman.length; i++) {
    const value = ROMAN[roman[i]];
    const next = ROMAN[roman[i + 1]] ?? 0;
    total += value < next ? -value : value;
  }
  return total;
};

/** "HÀ NỘI" -> "Hà Nội". */
export const titleCase = (text: string): string =>
  collapse(text)
    .toLowerCase()
    .split(' ')
    .map((word) => (word ? word[0].toUpperCase() + word.slice(1) : word))
    .join(' ');

/** True when the line has letters and none of them is lower case. */
export const isUpperCaseLine = (line: string): boolean => /\p{L}/u.test(line) && line === line.toUpperCase();

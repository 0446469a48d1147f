/** Text forms Vietnamese sources need before matching: they mix composed/decomposed forms and hard line wraps. */

// Composed (NFC) text holds no combining marks; only decomposed input needs the normaliser's pass.
const COMBINING = /[\u0300-\u036f]/;

/** Collapses every run of whitespace (line breaks included) into one space, NFC-normalised. */
export const collapse = (text: string): string => {
  const composed = COMBINING.test(text) ? text.normalize('NFC') : text;
  // Most cells and lines are already single-spaced: test before paying for a global replace.
  return (/\s\s|[^\S ]/.test(composed) ? composed.replace(/\s+/g, ' ') : composed).trim();
};

const folded = new Map<string, string>();
const MEMO_LIMIT = 20_000;

/** Lower case, no diacritics, "đ" as "d": the form patterns are matched against. */
export const foldVietnamese = (text: string): string => {
  // Agency names, headers and deadlines repeat across a document: fold each short one once.
  const hit = text.length <= 120 ? folded.get(text) : undefined;
  if (hit !== undefined) return hit;
  const result = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
  if (text.length <= 120) {
    if (folded.size >= MEMO_LIMIT) folded.clear();
    folded.set(text, result);
  }
  return result;
};

/** Text forms Vietnamese sources need before matching: they mix composed/decomposed forms and hard line wraps. */

/** Collapses every run of whitespace (line breaks included) into one space, NFC-normalised. */
export const collapse = (text: string): string => text.normalize('NFC').replace(/\s+/g, ' ').trim();

/** Lower case, no diacritics, "đ" as "d": the form patterns are matched against. */
export const foldVietnamese = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();

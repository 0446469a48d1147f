/** Lower-case without diacritics (đ as d), so that a search for "ke hoach" finds "Kế hoạch". */
export const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();

/** The text in at most `max` characters: cut, with an ellipsis as the last, when it is longer. */
export const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Lower-case without diacritics (đ as d), so that a search for "ke hoach" finds "Kế hoạch". */
export const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();

/** The text cut to its first `max` characters, with an ellipsis when it was longer. */
export const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

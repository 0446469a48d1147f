/**
 * Numbers as Vietnamese documents write them: "," is the decimal mark and "." groups thousands
 * ("7,5" is 7.5, "8.300" is 8300, "1.234,5" is 1234.5).
 */
export const parseVietnameseNumber = (text: string): number | null => {
  const t = text.trim();
  if (/^\d{1,3}(?:\.\d{3})+(?:,\d+)?$/.test(t)) return Number(t.replace(/\./g, '').replace(',', '.'));
  if (/^\d+(?:,\d+)?$/.test(t)) return Number(t.replace(',', '.'));
  // A lone "." followed by other than three digits is a decimal point typed the English way.
  if (/^\d+\.\d{1,2}$|^\d+\.\d{4,}$/.test(t)) return Number(t);
  return null;
};

const NUMBER = String.raw`\d[\d.,]*`;
const RANGE = new RegExp(String.raw`^(?:từ\s+)?(${NUMBER})\s*(%?)\s*(?:-|–|—|đến)\s*(${NUMBER})\s*(%?)$`, 'iu');
const BOUND = new RegExp(String.raw`^(<=|>=|≤|≥|<|>|trên|dưới|tối thiểu|tối đa|ít nhất|không quá)\s*(${NUMBER})\s*%?$`, 'iu');
const SINGLE = new RegExp(String.raw`^(?:khoảng|đạt|~|≈)?\s*(${NUMBER})\s*%?$`, 'iu');

/** A target as written ("7,5-8,0", "60% - 70%", "<3", "> 75", "Cơ bản không còn hộ nghèo") and what it means. */
export const readTarget = (text: string): { value?: number; min?: number; max?: number } => {
  const t = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  const range = RANGE.exec(t);
  if (range) {
    const min = parseVietnameseNumber(range[1]);
    const max = parseVietnameseNumber(range[3]);
    if (min !== null && max !== null && min <= max) return { min, max };
  }
  const bound = BOUND.exec(t);
  if (bound) {
    const value = parseVietnameseNumber(bound[2]);
    if (value !== null) return /^(<|≤|dưới|tối đa|không quá)/iu.test(bound[1]) ? { max: value } : { min: value };
  }
  const single = SINGLE.exec(t);
  if (single) {
    const value = parseVietnameseNumber(single[1]);
    if (value !== null) return { value };
  }
  return {};
};

import { isCalendarDay } from '@mandate/kernel';
import { DEFAULT_WEEKDAY, type DeadlineSpec, type Recurrence, type Weekday } from './deadline-spec';
import { collapse, foldVietnamese as fold } from './vietnamese-text';

export type DeadlineContext = { readonly issuedOn: string };

const pad = (n: number): string => String(n).padStart(2, '0');
const iso = (year: number, month: number, day: number): string => `${year}-${pad(month)}-${pad(day)}`;
const lastDayOfMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * A year a plan can mean, written with four digits. Patterns take every digit that follows, so "31/12/99999"
 * or "Quý II/20255" is unreadable rather than read as the issue year or 2025.
 */
const readableYear = (digits: string): boolean => /^\d{4}$/.test(digits) && Number(digits) >= 1900 && Number(digits) <= 2200;

const isValidDate = (year: number, month: number, day: number): boolean => isCalendarDay(iso(year, month, day));

const QUARTERS: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, '1': 1, '2': 2, '3': 3, '4': 4 };

const spec = (
  text: string,
  kind: DeadlineSpec['kind'],
  due: string | null = null,
  start: string | null = null,
  recurrence: Recurrence | null = null,
): DeadlineSpec => ({ text, kind, due, start, recurrence });

// All patterns run on folded text (lower case, no diacritics) so "Quý"/"quí"/"QUÝ" read alike.
const DONE = /\bda (ban hanh|hoan thanh|thuc hien xong)\b/;
// "hằng ngày", "02 lần/ngày": a daily duty is followed as an ongoing one (no daily recurrence exists).
const CONTINUOUS = /\bthuong xuyen\b|\btrong (qua trinh|thoi gian) (to chuc )?(trien khai )?thuc hien\b|\bhang ngay\b|\b\d{1,2} lan ?\/ ?ngay\b/;
const RECURRING: ReadonlyArray<readonly [RegExp, Recurrence]> = [
  [/\b(hang|moi) quy\b|\bdau moi quy\b|\bdinh ky (bao cao )?quy\b/, 'quarterly'],
  [/\b(dinh ky|hang|moi) (06|6|sau) thang\b|\b(06|6|sau) thang (mot|1) lan\b|\b(hang|moi|dinh ky) nua nam\b/, 'half_yearly'],
  [/\b(hang|moi) thang\b|\bdinh ky (bao cao )?thang\b/, 'monthly'],
  [/\b(hang|moi) nam\b|\bdinh ky (bao cao )?nam\b/, 'yearly'],
  // Last: a text that also names a month, quarter or year recurrence ("hằng tuần, hằng tháng") keeps the one it was read as.
  [/\b(hang|moi) tuan\b|\bdinh ky (bao cao )?tuan\b/, 'weekly'],
];
/** The day a weekly duty names, before "hằng tuần" ("ngày thứ Sáu hằng tuần") or after it ("hằng tuần vào thứ 2"). */
const WEEKDAY_OF_WEEK =
  /\b(?:thu (hai|ba|tu|nam|sau|bay|[2-7])|(chu nhat)) (?:hang|moi) tuan\b|\b(?:hang|moi) tuan,? (?:vao |truoc )?(?:ngay )?(?:thu (hai|ba|tu|nam|sau|bay|[2-7])|(chu nhat))\b/;
const WEEKDAYS: Record<string, Weekday> = { hai: 1, ba: 2, tu: 3, nam: 4, sau: 5, bay: 6, '2': 1, '3': 2, '4': 3, '5': 4, '6': 5, '7': 6 };

/** "thứ Hai" (thứ 2) is Monday … "thứ Bảy" (thứ 7) Saturday, "Chủ nhật" Sunday; none named: Friday. */
const weekdayOf = (folded: string): Weekday => {
  const named = WEEKDAY_OF_WEEK.exec(folded);
  if (!named) return DEFAULT_WEEKDAY;
  if (named[2] || named[4]) return 7;
  return WEEKDAYS[named[1] ?? named[3]] ?? DEFAULT_WEEKDAY;
};
/** "6 tháng đầu năm 2024" (to 30/6), "6 tháng cuối năm" (to 31/12): a half of one year, not a recurrence. */
const HALF_YEAR = /\b(?:06|6|sau) thang (dau|cuoi) nam(?:\s+(\d+))?\b/;
/** "6/2024", "tháng 10", "quý II": a month or quarter the text names without the word or without the year. */
const MONTH_BARE = /^(?:thang\s+)?(\d{1,2})\s*\/\s*(\d+)$/;
const MONTH_NO_YEAR = /\bthang (\d{1,2})\b(?!\s*(?:[/-]|nam)\s*\d)/;
const QUARTER_NO_YEAR = /\bqu[yi] (iv|iii|ii|i|[1-4])\b(?!\s*(?:[/-]|nam)\s*\d)/;
const DATE_WORDS = /\bngay (\d{1,2}) thang (\d{1,2})(?: nam (\d+))?(?!\d)/;
const DATE_SLASH = /\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d+))?\b/;
const QUARTER = /\bqu[yi] (iv|iii|ii|i|[1-4])\s*(?:[/-]\s*|nam\s+)(\d+)\b/;
const MONTH = /\bthang (\d{1,2})\s*(?:[/-]\s*|nam\s+)(\d+)\b/;
const PERIOD = /\b(\d{4})\s*(?:-|–|—|den(?: nam)?)\s*(\d{4,})\b/;
/** "Tháng 11 - 12/2025": from the first month to the end of the second, in one year. */
const MONTH_RANGE = /\bthang (\d{1,2})\s*(?:-|–|den)\s*(?:thang\s+)?(\d{1,2})\s*(?:[/-]\s*|nam\s+)(\d+)\b/;
const YEAR = /\b(?:nam )?(\d{4})\b/;

/** The year in which `month` next ends on or after the issue date. */
const yearOfNext = (context: DeadlineContext, month: number): number => {
  const year = Number(context.issuedOn.slice(0, 4));
  return Number(context.issuedOn.slice(5, 7)) > month ? year + 1 : year;
};

const readDate = (folded: string, context: DeadlineContext): string | null => {
  const words = DATE_WORDS.exec(folded);
  const slash = words ? null : DATE_SLASH.exec(folded);
  const match = words ?? slash;
  if (!match) return null;
  const day = Number(match[1]);
  const month = Number(match[2]);
  const issued = context.issuedOn.slice(0, 10);
  if (match[3] !== undefined && !readableYear(match[3])) return null;
  let year = match[3] ? Number(match[3]) : Number(issued.slice(0, 4));
  // A day without a year ("trước ngày 15/02") is the next such day on or after the issue date.
  if (!match[3] && iso(year, month, day) < issued) year += 1;
  return isValidDate(year, month, day) ? iso(year, month, day) : null;
};

/**
 * Reads a deadline cell or clause ("Quý IV/2021", "Tháng 9/2021", "Định kỳ hàng năm"...).
 * Never throws: what it cannot read comes back as `unspecified` with the text kept.
 */
export const parseDeadline = (text: string, context: DeadlineContext): DeadlineSpec => {
  const written = collapse(text);
  const folded = fold(written);
  if (!folded) return spec(written, 'unspecified');
  if (DONE.test(folded)) return spec(written, 'done');
  if (CONTINUOUS.test(folded)) return spec(written, 'continuous');
  for (const [pattern, recurrence] of RECURRING) {
    if (!pattern.test(folded)) continue;
    const recurring = spec(written, 'recurring', null, null, recurrence);
    return recurrence === 'weekly' ? { ...recurring, weekday: weekdayOf(folded) } : recurring;
  }
  const half = HALF_YEAR.exec(folded);
  if (half) {
    if (half[2] !== undefined && !readableYear(half[2])) return spec(written, 'unspecified');
    const year = half[2] ? Number(half[2]) : yearOfNext(context, half[1] === 'dau' ? 6 : 12);
    return half[1] === 'dau' ? spec(written, 'period', iso(year, 6, 30), iso(year, 1, 1)) : spec(written, 'period', iso(year, 12, 31), iso(year, 7, 1));
  }
  const bare = MONTH_BARE.exec(folded.replace(/^(?:trong|truoc|vao|chac nhat|cham nhat)\s+/, '').trim());
  if (bare && Number(bare[1]) >= 1 && Number(bare[1]) <= 12) {
    if (!readableYear(bare[2])) return spec(written, 'unspecified');
    const m = Number(bare[1]);
    const year = Number(bare[2]);
    return spec(written, 'month', iso(year, m, lastDayOfMonth(year, m)), iso(year, m, 1));
  }
  const range = MONTH_RANGE.exec(folded);
  if (range && !DATE_WORDS.test(folded)) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (!readableYear(range[3]) || from < 1 || to > 12 || from >= to) return spec(written, 'unspecified');
    const year = Number(range[3]);
    return spec(written, 'period', iso(year, to, lastDayOfMonth(year, to)), iso(year, from, 1));
  }
  // "ngày 15 tháng 02 năm 2023" holds a month phrase: read the day first, then "9/2021"-style months.
  const dated = DATE_WORDS.test(folded) ? folded : folded.replace(QUARTER, ' ').replace(MONTH, ' ');
  if (DATE_WORDS.test(dated) || DATE_SLASH.test(dated)) {
    const date = readDate(dated, context);
    // A written day that does not exist (31/02) is a typo to show a person, not a year to guess.
    return date ? spec(written, 'date', date) : spec(written, 'unspecified');
  }
  const quarter = QUARTER.exec(folded);
  if (quarter) {
    if (!readableYear(quarter[2])) return spec(written, 'unspecified');
    const q = QUARTERS[quarter[1]];
    const year = Number(quarter[2]);
    return spec(written, 'quarter', iso(year, q * 3, lastDayOfMonth(year, q * 3)), iso(year, q * 3 - 2, 1));
  }
  const month = MONTH.exec(folded);
  if (month) {
    if (!readableYear(month[2])) return spec(written, 'unspecified');
    const m = Number(month[1]);
    const year = Number(month[2]);
    if (m >= 1 && m <= 12) return spec(written, 'month', iso(year, m, lastDayOfMonth(year, m)), iso(year, m, 1));
  }
  // Without a year, a month or quarter is its next occurrence on or after the issue date.
  const monthOnly = YEAR.test(folded) ? null : MONTH_NO_YEAR.exec(folded);
  if (monthOnly && Number(monthOnly[1]) >= 1 && Number(monthOnly[1]) <= 12) {
    const m = Number(monthOnly[1]);
    const year = yearOfNext(context, m);
    return spec(written, 'month', iso(year, m, lastDayOfMonth(year, m)), iso(year, m, 1));
  }
  const quarterOnly = YEAR.test(folded) ? null : QUARTER_NO_YEAR.exec(folded);
  if (quarterOnly) {
    const q = QUARTERS[quarterOnly[1]];
    const year = yearOfNext(context, q * 3);
    return spec(written, 'quarter', iso(year, q * 3, lastDayOfMonth(year, q * 3)), iso(year, q * 3 - 2, 1));
  }
  const period = PERIOD.exec(folded);
  if (period && !(readableYear(period[1]) && readableYear(period[2]))) return spec(written, 'unspecified');
  if (period && Number(period[2]) > Number(period[1])) {
    return spec(written, 'period', iso(Number(period[2]), 12, 31), iso(Number(period[1]), 1, 1));
  }
  const year = YEAR.exec(folded);
  if (year && readableYear(year[1])) {
    return spec(written, 'year', iso(Number(year[1]), 12, 31), iso(Number(year[1]), 1, 1));
  }
  return spec(written, 'unspecified');
};

/** A day of the week as written: "thứ Sáu", "thứ 6", "Chủ nhật". */
const WEEKDAY = String.raw`(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)`;

// Only phrases that state a deadline: a bare "năm 2022" in prose is usually a reference, not a due date.
// Years take every digit written (\d+), so "31/12/20255" is read whole, and found unreadable.
const IN_SENTENCE: readonly RegExp[] = [
  /(?:tr(?:ư|u)(?:ớ|o)c|chậm nhất(?: là)?(?: ngày| trước ngày)?)\s+(?:ngày\s+)?\d{1,2}\s*(?:tháng\s+\d{1,2}(?:\s+năm\s+\d+)?|[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d+)?)/iu,
  /(?:hoàn thành\s+)?(?:trong|trước|vào|chậm nhất(?: là)?(?: trong)?)\s+(?:quý\s+[IV1-4]+(?:\s*[/-]\s*|\s+năm\s+)\d+|tháng\s+\d{1,2}\s*[/-]\s*\d+|tháng\s+\d{1,2}\s+năm\s+\d+)/iu,
  /hoàn thành\s+(?:trong|trước|vào)?\s*năm\s+\d+(?:\s*-\s*\d+)?/iu,
  // "Đến năm 2015, hoàn thành chương trình …": the year the work is to be complete by, opening a sentence
  // (inside one, "để đạt mục tiêu đến năm 2025 hoàn thành …" is the target the work serves).
  /(?<=^|[.;:]\s{0,3})(?:đến|trước)\s+năm\s+\d+(?=\s*,?\s*(?:phải\s+)?hoàn thành(?=[\s,.;:]|$))/iu,
  // At the end of the sentence the time the whole of it is for ("… giảm tối đa giấy tờ trong năm 2025 (Phụ lục II).");
  // not "vào năm 2030", which ends the targets of a plan ("Thu hút 35 triệu lượt khách vào năm 2030").
  /trong\s+năm\s+\d+(?=\s*(?:\([^()]*\)\s*)?[.;]?\s*$)/iu,
  /(?:trong\s+)?(?:06|6|sáu) tháng (?:đầu|cuối) năm(?:\s+\d+)?/iu,
  // "hàng" and "hằng" are both written ("định kỳ hằng quý"), as parseDeadline already reads them.
  /định kỳ\s+(?:báo cáo\s+)?(?:hàng|hằng|mỗi)\s+(?:năm|quý|tháng)|(?:tháng đầu|hàng|hằng|mỗi)\s+quý/iu,
  // At the head of a sentence it is the schedule ("Hằng năm, tổ chức kiểm tra …"); inside one, often not ("ngân sách hằng năm").
  /^(?:hàng|hằng|mỗi)\s+(?:năm|tháng)(?=[\s,.;:]|$)/iu,
  // A weekly duty: its day and cut-off ("trước 16 giờ ngày thứ Sáu hằng tuần", "hằng tuần vào thứ Hai"), or after
  // "định kỳ" or at the head of a sentence as "hằng năm/tháng" above.
  new RegExp(
    String.raw`(?:(?:trước\s+\d{1,2}\s*(?:giờ|h)(?:\s*\d{2}['’]?)?\s+)?(?:ngày\s+)?${WEEKDAY}\s+|định kỳ\s+(?:báo cáo\s+)?|^)` +
      String.raw`(?:hàng|hằng|mỗi)\s+tuần(?=[\s,.;:)]|$)(?:,?\s+(?:vào\s+|trước\s+)?(?:ngày\s+)?${WEEKDAY})?`,
    'iu',
  ),
  // A report owed several times a day, with its cut-offs: "báo cáo 02 lần/ngày (trước 9h00’ và 16h00’)".
  /(?:báo cáo\s+)?\d{1,2}\s*lần\s*\/\s*ngày(?:\s*\([^()]*\))?/iu,
];

/**
 * Finds a deadline stated inside prose ("Trước ngày 15 tháng 02 năm 2023 xây dựng…"). Returns null when
 * the sentence states none; `text` is the phrase that was read. A phrase that states a deadline the
 * parser cannot read ("trước ngày 31/02", "trước ngày 31/12/99999") comes back `unspecified` with that
 * phrase, for the caller to warn about rather than guess.
 */
export const findDeadlineInSentence = (sentence: string, context: DeadlineContext): DeadlineSpec | null => {
  const written = collapse(sentence).normalize('NFC');
  let unreadable: DeadlineSpec | null = null;
  for (const pattern of IN_SENTENCE) {
    const match = pattern.exec(written);
    if (!match) continue;
    const parsed = parseDeadline(match[0], context);
    if (parsed.kind !== 'unspecified') return parsed;
    unreadable ??= parsed;
  }
  return unreadable;
};

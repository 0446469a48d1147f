import type { DeadlineSpec } from '../deadline-spec';

/** Continuous duties (thường xuyên) are checked in on once a quarter. */
export const CHECK_IN_EVERY_MONTHS = 3;

const MONTHS: Record<string, number> = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 };

/** Months per occurrence of a deadline that repeats (or of a continuous duty's check-ins); null for one due date. */
export const periodMonths = (deadline: DeadlineSpec): number | null => {
  if (deadline.kind === 'recurring') return MONTHS[deadline.recurrence ?? 'yearly'] ?? 12;
  if (deadline.kind === 'continuous') return CHECK_IN_EVERY_MONTHS;
  return null;
};

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export type Occurrence = { readonly n: number; readonly periodStart: string; readonly due: string };

/** Today's date in Vietnam (UTC+7, no daylight saving). */
export const vietnamDay = (at: Date): string => new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);

/**
 * The occurrences whose period has begun by `now`, counted from the period that holds `from`:
 * calendar periods (months, quarters from January, halves, years), each due on its last day.
 */
export const occurrencesUntil = (from: string, months: number, now: Date): Occurrence[] => {
  const today = vietnamDay(now);
  const [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  let index = Math.floor((y * 12 + m - 1) / months) * months; // months since year 0 at the period start
  const found: Occurrence[] = [];
  for (let n = 1; n <= 1000; n++) {
    const startYear = Math.floor(index / 12);
    const startMonth = (index % 12) + 1;
    const periodStart = `${startYear}-${pad(startMonth)}-01`;
    if (periodStart > today) break;
    const endIndex = index + months - 1;
    const endYear = Math.floor(endIndex / 12);
    const endMonth = (endIndex % 12) + 1;
    found.push({ n, periodStart, due: `${endYear}-${pad(endMonth)}-${pad(lastDay(endYear, endMonth))}` });
    index += months;
  }
  return found;
};

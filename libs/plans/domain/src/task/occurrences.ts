import { addDays, daysBetween, localDayOf, localWeekdayOf } from '@mandate/kernel';
import { DEFAULT_WEEKDAY, type DeadlineSpec, type Recurrence, type Weekday } from '../deadline-spec';

/** Continuous duties (thường xuyên) are checked in on once a quarter. */
export const CHECK_IN_EVERY_MONTHS = 3;

const MONTHS: Record<Exclude<Recurrence, 'weekly'>, number> = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 };

/** At most this many occurrences are opened at once (a duty caught up after years of downtime stops there). */
const MAX_OPENED = 1000;

const isWeekly = (deadline: DeadlineSpec): boolean => deadline.kind === 'recurring' && deadline.recurrence === 'weekly';

/**
 * Months per occurrence of a deadline that repeats by months (or of a continuous duty's check-ins); null for
 * one due date, and for a weekly duty (weeks are not months: see `occurrencesOf`).
 */
export const periodMonths = (deadline: DeadlineSpec): number | null => {
  if (isWeekly(deadline)) return null;
  if (deadline.kind === 'recurring') return MONTHS[(deadline.recurrence ?? 'yearly') as keyof typeof MONTHS];
  if (deadline.kind === 'continuous') return CHECK_IN_EVERY_MONTHS;
  return null;
};

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export type Occurrence = { readonly n: number; readonly periodStart: string; readonly due: string };

/**
 * The occurrences whose period has begun by `now`, counted from the period that holds `from`:
 * calendar periods (months, quarters from January, halves, years), each due on its last day.
 */
export const occurrencesUntil = (from: string, months: number, now: Date): Occurrence[] => {
  const today = localDayOf(now);
  const [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  let index = Math.floor((y * 12 + m - 1) / months) * months; // months since year 0 at the period start
  const found: Occurrence[] = [];
  for (let n = 1; n <= MAX_OPENED; n++) {
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

/**
 * A weekly duty's occurrences whose week has begun by `now`: Monday-start weeks (Vietnam's calendar), each
 * due on the duty's weekday, from the first week whose due day is on or after `from` (a duty issued on a
 * Saturday owes nothing for the Friday before it existed).
 */
export const weeklyOccurrencesUntil = (from: string, weekday: Weekday, now: Date): Occurrence[] => {
  const today = localDayOf(now);
  // The Monday of the week holding `from` (its weekday read at noon, safely inside that local day).
  let monday = addDays(from, 1 - localWeekdayOf(new Date(`${from}T12:00:00+07:00`)));
  if (daysBetween(from, addDays(monday, weekday - 1)) < 0) monday = addDays(monday, 7);
  const found: Occurrence[] = [];
  for (let n = 1; n <= MAX_OPENED; n++) {
    if (monday > today) break;
    found.push({ n, periodStart: monday, due: addDays(monday, weekday - 1) });
    monday = addDays(monday, 7);
  }
  return found;
};

/** The occurrences of a repeating duty (recurring or continuous) begun by `now`, counted from `from`; none for one due date. */
export const occurrencesOf = (deadline: DeadlineSpec, from: string, now: Date): Occurrence[] => {
  if (isWeekly(deadline)) return weeklyOccurrencesUntil(from, deadline.weekday ?? DEFAULT_WEEKDAY, now);
  const months = periodMonths(deadline);
  return months === null ? [] : occurrencesUntil(from, months, now);
};

/**
 * Vietnam keeps one civil time, UTC+7, with no daylight saving: a fixed offset is exact for every
 * city the platform serves, so local days and clock times need no time-zone database.
 */
export const VIETNAM_OFFSET_MINUTES = 7 * 60;
const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

const shifted = (instant: Date) => new Date(instant.getTime() + VIETNAM_OFFSET_MINUTES * MINUTE_MS);

/**
 * A day as the API and the events write it (`YYYY-MM-DD`) that exists in the calendar, in a year a plan
 * can mean (1900–2200): "2025-02-31" and "20255-01-01" are none.
 */
export const isCalendarDay = (text: string): boolean => {
  const match = /^(\d{4})-\d{2}-\d{2}$/.exec(text);
  if (!match || Number(match[1]) < 1900 || Number(match[1]) > 2200) return false;
  // Date rolls an impossible day over (31 February is 3 March): only a day that exists reads back the same.
  const time = Date.parse(`${text}T00:00:00.000Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
};

/** The calendar day in Vietnam at an instant, `YYYY-MM-DD`. */
export const localDayOf = (instant: Date): string => shifted(instant).toISOString().slice(0, 10);

/** Minutes since local midnight at an instant (0..1439). */
export const localMinuteOf = (instant: Date): number => {
  const local = shifted(instant);
  return local.getUTCHours() * 60 + local.getUTCMinutes();
};

/** ISO weekday in Vietnam at an instant: 1 = Monday … 7 = Sunday. */
export const localWeekdayOf = (instant: Date): number => ((shifted(instant).getUTCDay() + 6) % 7) + 1;

/** The instant a local day reaches a clock time given in minutes since midnight. */
export const instantAtLocal = (day: string, minute: number): Date =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + (minute - VIETNAM_OFFSET_MINUTES) * MINUTE_MS);

/** The last instant of a local day: a deadline or a sending day "by the end of that day". */
export const endOfLocalDay = (day: string): Date => new Date(instantAtLocal(day, DAY_MINUTES).getTime() - 1);

/** `YYYY-MM-DD` plus n calendar days. */
export const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + n * DAY_MINUTES * MINUTE_MS).toISOString().slice(0, 10);

/** Whole days from one calendar day to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / (DAY_MINUTES * MINUTE_MS));

/** A clock time `HH:MM` (24 h) as minutes since midnight; undefined when it is not one. */
export const minuteOfClockTime = (text: string): number | undefined => {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
};

/** The ISO week an instant falls in, in Vietnam: `2026-W49`. */
export const localIsoWeekOf = (instant: Date): string => {
  const day = localDayOf(instant);
  const weekday = localWeekdayOf(instant);
  const thursday = addDays(day, 4 - weekday); // the ISO week belongs to the year of its Thursday
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
};

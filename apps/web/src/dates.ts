/**
 * Calendar days (YYYY-MM-DD) and instants in Vietnam's time (UTC+7, no daylight saving), as the
 * platform judges deadlines and as-of days: one place for the day arithmetic every screen needs.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const VIETNAM_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });

/** Whether the value is a calendar day written YYYY-MM-DD. */
export const isDay = (value: unknown): value is string => typeof value === 'string' && DAY.test(value);

/** The day in Vietnam (YYYY-MM-DD) of an instant; today by default. */
export const vietnamDay = (instant: Date = new Date()): string => VIETNAM_DAY.format(instant);

/** Noon of a day in Vietnam: the instant that stands for the day itself (formatting, day arithmetic). */
export const noonOf = (day: string): Date => new Date(`${day}T12:00:00+07:00`);

/** A time of a day in Vietnam as an ISO instant; undefined when the day is not one. */
const instantOf = (day: string, time: string): string | undefined => {
  if (!isDay(day)) return undefined;
  const at = new Date(`${day}T${time}+07:00`);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
};

/** The first instant of a day in Vietnam (the `from` of a range of days). */
export const startOfDay = (day: string): string | undefined => instantOf(day, '00:00:00');

/** The last instant of a day in Vietnam (an as-of day, the `to` of a range, a due day's end). */
export const endOfDay = (day: string): string | undefined => instantOf(day, '23:59:59.999');

/** The day n days after (or before) a day. */
export const addDays = (day: string, n: number): string => {
  const at = noonOf(day);
  at.setUTCDate(at.getUTCDate() + n);
  return vietnamDay(at);
};

/** How many days from one day to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

import { addDays, format, getDaysInMonth, parseISO } from 'date-fns';
import { endOfLocalDay } from './local-time';

/**
 * The periodic reporting calendar of Nghị định 09/2019/NĐ-CP (chế độ báo cáo của cơ quan hành chính
 * nhà nước), shared by every context that files or consolidates reports. Data are cut off from the
 * 15th of the month before a period to the 14th of its last month (Điều 12):
 *   month:   15th of the previous month .. 14th of the month
 *   quarter: 15th of the month before the quarter .. 14th of the quarter's last month
 *   half:    15/12 of the previous year .. 14/6 (the second half, by the same rule, 15/6 .. 14/12)
 *   nine months: 15/12 of the previous year .. 14/9
 *   year:    15/12 of the previous year .. 14/12
 * Reports are sent by a day of the period's last month (the 20th unless the city sets another,
 * per kind); a city may also move the cut-off day.
 */
export const PERIOD_KINDS = ['month', 'quarter', 'half', 'nine_months', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export type ReportingPeriod = {
  /** Stable key: 2024-M03, 2024-Q1, 2024-H1, 2024-9M, 2024-Y */
  key: string;
  kind: PeriodKind;
  year: number;
  /** First day of the data (inclusive), YYYY-MM-DD */
  from: string;
  /** Last day of the data (inclusive), YYYY-MM-DD */
  to: string;
  /** Day by which the report is sent, YYYY-MM-DD */
  due: string;
  /** As reports title it: "Quý I/2024", "6 tháng đầu năm 2024" */
  label: string;
};

/** A city's departures from the decree's defaults. */
export type ReportingCalendarSettings = {
  /** Day of the month on which a period's data start; they end the day before, a period later (15). */
  cutoffDay?: number;
  /** Day of the period's last month by which reports are sent, per kind or for all (20). */
  dueDay?: number | Partial<Record<PeriodKind, number>>;
};

export const DEFAULT_CUTOFF_DAY = 15;
export const DEFAULT_DUE_DAY = 20;

const ROMAN = ['I', 'II', 'III', 'IV'];
const iso = (date: Date) => format(date, 'yyyy-MM-dd');
const pad = (n: number) => String(n).padStart(2, '0');
/** Day `day` of month `month` (1-12, may run out of the year either way) of `year`, clamped to the month's length. */
const dayOf = (year: number, month: number, day: number): Date => {
  const first = new Date(year, month - 1, 1);
  return new Date(first.getFullYear(), first.getMonth(), Math.min(day, getDaysInMonth(first)));
};

/** The periods of a kind within a year: its last month and its months' count, by position. */
const SHAPES: Record<PeriodKind, { lastMonths: number[]; months: number; key: (i: number) => string; label: (i: number, year: number) => string }> = {
  month: { lastMonths: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], months: 1, key: (i) => `M${pad(i + 1)}`, label: (i, y) => `Tháng ${i + 1}/${y}` },
  quarter: { lastMonths: [3, 6, 9, 12], months: 3, key: (i) => `Q${i + 1}`, label: (i, y) => `Quý ${ROMAN[i]}/${y}` },
  half: { lastMonths: [6, 12], months: 6, key: (i) => `H${i + 1}`, label: (i, y) => `6 tháng ${i === 0 ? 'đầu' : 'cuối'} năm ${y}` },
  nine_months: { lastMonths: [9], months: 9, key: () => '9M', label: (_, y) => `9 tháng năm ${y}` },
  year: { lastMonths: [12], months: 12, key: () => 'Y', label: (_, y) => `Năm ${y}` },
};

const dueDayOf = (kind: PeriodKind, settings: ReportingCalendarSettings): number => {
  const { dueDay } = settings;
  if (typeof dueDay === 'number') return dueDay;
  return dueDay?.[kind] ?? DEFAULT_DUE_DAY;
};

const periodAt = (kind: PeriodKind, year: number, index: number, settings: ReportingCalendarSettings): ReportingPeriod => {
  const shape = SHAPES[kind];
  const last = shape.lastMonths[index];
  const cutoff = settings.cutoffDay ?? DEFAULT_CUTOFF_DAY;
  const from = dayOf(year, last - shape.months, cutoff);
  const to = addDays(dayOf(year, last, cutoff), -1);
  return {
    key: `${year}-${shape.key(index)}`,
    kind,
    year,
    from: iso(from),
    to: iso(to),
    due: iso(dayOf(year, last, dueDayOf(kind, settings))),
    label: shape.label(index, year),
  };
};

/** Every period of `kind` in `year`, in order. */
export const periodsOf = (year: number, kind: PeriodKind, settings: ReportingCalendarSettings = {}): ReportingPeriod[] =>
  SHAPES[kind].lastMonths.map((_, i) => periodAt(kind, year, i, settings));

const KEY = /^(\d{4})-(?:M(0[1-9]|1[0-2])|Q([1-4])|H([12])|(9M)|(Y))$/;

/** The period a key names ("2024-Q1"), or null when it names none. */
export const periodOfKey = (key: string, settings: ReportingCalendarSettings = {}): ReportingPeriod | null => {
  const match = KEY.exec(key.trim().toUpperCase());
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 1900 || year > 2999) return null;
  if (match[2]) return periodAt('month', year, Number(match[2]) - 1, settings);
  if (match[3]) return periodAt('quarter', year, Number(match[3]) - 1, settings);
  if (match[4]) return periodAt('half', year, Number(match[4]) - 1, settings);
  if (match[5]) return periodAt('nine_months', year, 0, settings);
  return periodAt('year', year, 0, settings);
};

/** The period of `kind` whose data cover `day` (YYYY-MM-DD); null for the days nine-month reports leave out. */
export const periodContaining = (day: string, kind: PeriodKind, settings: ReportingCalendarSettings = {}): ReportingPeriod | null => {
  const year = parseISO(day).getFullYear();
  // A day after the cut-off in December already belongs to the next year's first period.
  return [...periodsOf(year, kind, settings), ...periodsOf(year + 1, kind, settings)].find((p) => p.from <= day && day <= p.to) ?? null;
};

/** The instant a period's data end: the end of its last day in Vietnam (UTC+7). */
export const periodEnd = (period: Pick<ReportingPeriod, 'to'>): Date => endOfLocalDay(period.to);

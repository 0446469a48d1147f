/**
 * When a task is due, as the source document says it and as the platform understands it.
 * The original text always travels with the normalised value (domain.md: "Keep the original text").
 */
export const DEADLINE_KINDS = [
  'date', // "trước ngày 20/11/2023": due on that day
  'month', // "Tháng 9/2021": due at the end of that month
  'quarter', // "Quý IV/2021": due at the end of that quarter
  'year', // "Năm 2025", "trong năm 2024": due at the end of that year
  'period', // "2021-2025": due at the end of the period
  'recurring', // "Định kỳ hàng năm": one occurrence per period, no single due date
  'continuous', // "Trong quá trình thực hiện Nghị quyết": ongoing, reported on periodically
  'done', // "Đã ban hành Kế hoạch": already done when the plan was issued
  'unspecified', // no deadline written, or one the importer could not read (kept as text)
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export type Recurrence = 'yearly' | 'half_yearly' | 'quarterly' | 'monthly' | 'weekly';

/** A day of the week as ISO 8601 numbers it: 1 = Monday (thứ Hai) … 6 = Saturday (thứ Bảy), 7 = Sunday (Chủ nhật). */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A weekly duty that names no day is due at the end of the working week, on Friday (thứ Sáu). */
export const DEFAULT_WEEKDAY: Weekday = 5;

export type DeadlineSpec = {
  readonly text: string;
  readonly kind: DeadlineKind;
  /** Last day the task is due (ISO date, Asia/Ho_Chi_Minh calendar day); null when there is none. */
  readonly due: string | null;
  /** First day of a period, when the text names one. */
  readonly start: string | null;
  readonly recurrence: Recurrence | null;
  /** The day a weekly duty is due each week ("thứ Sáu hằng tuần"); only on weekly recurrences. */
  readonly weekday?: Weekday;
};

export const unspecifiedDeadline = (text = ''): DeadlineSpec => ({
  text,
  kind: 'unspecified',
  due: null,
  start: null,
  recurrence: null,
});

/**
 * The importer's public view of a deadline (ParsedPlan JSON): four families a person plans with,
 * plus the finer form and the period start so that the view converts back without loss.
 */
export type DeadlineView = {
  readonly text: string;
  readonly kind: 'due' | 'recurring' | 'continuous' | 'done' | 'unknown';
  readonly due?: string;
  readonly start?: string;
  readonly every?: 'week' | 'month' | 'quarter' | 'half-year' | 'year';
  /** The day of the week a weekly duty is due (ISO: 1 = Monday … 7 = Sunday). */
  readonly weekday?: Weekday;
  readonly form: DeadlineKind;
};

const EVERY: Record<Recurrence, NonNullable<DeadlineView['every']>> = {
  weekly: 'week',
  monthly: 'month',
  quarterly: 'quarter',
  half_yearly: 'half-year',
  yearly: 'year',
};

export const viewOfDeadline = (spec: DeadlineSpec): DeadlineView => {
  const base = { text: spec.text, form: spec.kind };
  switch (spec.kind) {
    case 'recurring':
      return { ...base, kind: 'recurring', every: EVERY[spec.recurrence ?? 'yearly'], ...(spec.weekday ? { weekday: spec.weekday } : {}) };
    case 'continuous':
    case 'done':
      return { ...base, kind: spec.kind };
    case 'unspecified':
      return { ...base, kind: 'unknown' };
    default:
      return { ...base, kind: 'due', due: spec.due ?? undefined, ...(spec.start ? { start: spec.start } : {}) };
  }
};

export const deadlineOfView = (view: DeadlineView): DeadlineSpec => {
  const recurrence = view.every ? ((Object.keys(EVERY) as Recurrence[]).find((r) => EVERY[r] === view.every) ?? null) : null;
  return { text: view.text, kind: view.form, due: view.due ?? null, start: view.start ?? null, recurrence, ...(view.weekday ? { weekday: view.weekday } : {}) };
};

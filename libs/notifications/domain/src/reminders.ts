import { addDays, daysBetween, instantAtLocal, localDayOf, localIsoWeekOf, localWeekdayOf, minuteOfClockTime, type TaskStatus } from '@mandate/kernel';
import type { NotificationSettings } from './settings';

/** Statuses in which the work is the lead agency's to do: reminders and digests speak of these. */
const WORK_TO_DO: ReadonlySet<TaskStatus> = new Set(['not_started', 'in_progress', 'returned']);

/**
 * Which "still overdue" reminder is owed for a task marked overdue for `due`, if any: the k-th comes
 * k × overdueRepeatDays days after the first overdue day. After an outage only the latest is owed,
 * not every one missed.
 */
export const overdueReminderOwed = (
  task: { status: TaskStatus; overdueDue: string | null; currentDue: string | null },
  now: Date,
  settings: NotificationSettings,
): number | null => {
  const every = settings.overdueRepeatDays;
  // A task whose deadline moved since it was marked (an extension) is not overdue for the old one.
  if (every === 0 || !task.overdueDue || task.overdueDue !== task.currentDue || !WORK_TO_DO.has(task.status)) return null;
  const k = Math.floor(daysBetween(addDays(task.overdueDue, 1), localDayOf(now)) / every);
  return k >= 1 ? k : null;
};

/**
 * The week whose digest is owed at `now`: from the city's digest weekday and time to the end of that
 * ISO week (a service that was down at the hour still sends that week's digest, once).
 */
export const weeklyDigestOwed = (now: Date, settings: NotificationSettings): string | null => {
  const weekday = localWeekdayOf(now);
  const day = localDayOf(now);
  const digestDay = addDays(day, settings.digest.weekday - weekday);
  if (digestDay > day) return null;
  return now >= instantAtLocal(digestDay, minuteOfClockTime(settings.digest.time)!) ? localIsoWeekOf(now) : null;
};

export type DigestTask = {
  taskId: string;
  ref: string;
  title: string;
  /** null while its plan has no number (a copy before signing). */
  planNumber: string | null;
  status: TaskStatus;
  due: string | null;
};

/** What a weekly digest lists: the work overdue, the work due within the coming week, and what awaits confirmation. */
export type WeeklyDigest = { week: string; overdue: DigestTask[]; dueThisWeek: DigestTask[]; awaitingConfirmation: DigestTask[] };

const byDue = (a: DigestTask, b: DigestTask) => (a.due ?? '').localeCompare(b.due ?? '') || a.ref.localeCompare(b.ref, 'vi', { numeric: true });

/** The digest of an agency's (or a leader's) tasks at `now`; null when there is nothing to say. */
export const weeklyDigestOf = (tasks: readonly DigestTask[], now: Date, week: string): WeeklyDigest | null => {
  const today = localDayOf(now);
  const horizon = addDays(today, 7);
  const open = tasks.filter((task) => WORK_TO_DO.has(task.status) && task.due);
  const digest: WeeklyDigest = {
    week,
    overdue: open.filter((task) => task.due! < today).sort(byDue),
    dueThisWeek: open.filter((task) => task.due! >= today && task.due! <= horizon).sort(byDue),
    awaitingConfirmation: tasks.filter((task) => task.status === 'submitted').sort(byDue),
  };
  return digest.overdue.length + digest.dueThisWeek.length + digest.awaitingConfirmation.length > 0 ? digest : null;
};

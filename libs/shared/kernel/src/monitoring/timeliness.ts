import { endOfLocalDay } from '../local-time';
import type { MonitoredDeadline, TaskStatus } from './task-status';

/** How a task stands against its deadline at a given instant; derived, never stored. */
export type Timeliness = 'on_time' | 'due_soon' | 'overdue' | 'completed_on_time' | 'completed_late' | 'no_deadline';

/** Deadlines are calendar days in Vietnam (UTC+7, no daylight saving): due means by the end of that day. */
export const endOfDueDay = endOfLocalDay;

/** Days before the due day's end during which a task counts as due soon, unless the city sets its own. */
export const DEFAULT_DUE_SOON_DAYS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

export const timelinessOf = (
  task: { status: TaskStatus; deadline: MonitoredDeadline; completedAt: string | null },
  now: Date,
  dueSoonDays = DEFAULT_DUE_SOON_DAYS,
): Timeliness => {
  const { due } = task.deadline;
  if (!due || task.deadline.kind === 'done') return 'no_deadline';
  const end = endOfDueDay(due);
  if (task.status === 'completed') {
    return task.completedAt && new Date(task.completedAt) > end ? 'completed_late' : 'completed_on_time';
  }
  // A paused or cancelled task is not judged against a deadline it is not working towards.
  if (task.status === 'paused' || task.status === 'cancelled') return 'no_deadline';
  if (now > end) return 'overdue';
  return end.getTime() - now.getTime() <= dueSoonDays * DAY_MS ? 'due_soon' : 'on_time';
};

/** The mark reports put on a task whose terms its owner changed after issuing it. */
export const ADJUSTED_LABEL = 'Đã điều chỉnh';

/** The Vietnamese label monitoring offices use for a status at an instant. */
export const statusLabel = (status: TaskStatus, timeliness: Timeliness): string => {
  switch (status) {
    case 'not_started':
      return timeliness === 'overdue' ? 'Chưa thực hiện - quá hạn' : 'Chưa thực hiện';
    case 'in_progress':
      if (timeliness === 'overdue') return 'Đang thực hiện - quá hạn';
      return timeliness === 'due_soon' ? 'Đang thực hiện - sắp đến hạn' : 'Đang thực hiện - trong hạn';
    case 'submitted':
      return 'Chờ xác nhận';
    case 'completed':
      return timeliness === 'completed_late' ? 'Hoàn thành quá hạn' : 'Hoàn thành đúng hạn';
    case 'returned':
      return timeliness === 'overdue' ? 'Thực hiện lại - quá hạn' : 'Thực hiện lại';
    case 'paused':
      return 'Tạm hoãn';
    case 'cancelled':
      return 'Dừng thực hiện';
    case 'declined':
      return 'Từ chối thực hiện';
  }
};

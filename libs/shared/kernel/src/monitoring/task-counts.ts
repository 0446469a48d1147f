import type { MonitoredDeadline, TaskStatus } from './task-status';
import { endOfDueDay, timelinessOf } from './timeliness';

/** A task as the monitoring report counts it. */
export type CountedTask = { status: TaskStatus; deadline: MonitoredDeadline; completedAt: string | null };

/**
 * The columns of a Vietnamese monitoring report (báo cáo tình hình thực hiện nhiệm vụ): assigned
 * (đã giao), due (đến hạn: the due day has come), completed on time / late (hoàn thành đúng hạn /
 * quá hạn), open and not yet late / open and late (chưa hoàn thành trong hạn / quá hạn). Cancelled
 * tasks are assigned but neither open nor completed.
 */
export type TaskCounts = {
  assigned: number;
  due: number;
  completedOnTime: number;
  completedLate: number;
  openOnTime: number;
  openOverdue: number;
  cancelled: number;
};

const DAY_MS = 24 * 60 * 60 * 1000;

export const emptyCounts = (): TaskCounts => ({ assigned: 0, due: 0, completedOnTime: 0, completedLate: 0, openOnTime: 0, openOverdue: 0, cancelled: 0 });

/** Adds one task to `counts` as it stands at `now`. */
export const countTask = (counts: TaskCounts, task: CountedTask, now: Date, dueSoonDays?: number): TaskCounts => {
  const timeliness = timelinessOf(task, now, dueSoonDays);
  // The due day has begun (in Vietnam): the task is due, whether done or not.
  const dueCome = task.deadline.due !== null && task.deadline.kind !== 'done' && endOfDueDay(task.deadline.due).getTime() - DAY_MS < now.getTime();
  return {
    assigned: counts.assigned + 1,
    due: counts.due + (dueCome ? 1 : 0),
    completedOnTime: counts.completedOnTime + (timeliness === 'completed_on_time' ? 1 : 0),
    completedLate: counts.completedLate + (timeliness === 'completed_late' ? 1 : 0),
    openOnTime: counts.openOnTime + (task.status !== 'completed' && task.status !== 'cancelled' && timeliness !== 'overdue' ? 1 : 0),
    openOverdue: counts.openOverdue + (task.status !== 'completed' && task.status !== 'cancelled' && timeliness === 'overdue' ? 1 : 0),
    cancelled: counts.cancelled + (task.status === 'cancelled' ? 1 : 0),
  };
};

/**
 * The statuses of a task as Vietnamese monitoring practice names them: stable English codes for
 * APIs, Vietnamese labels for people. Shared by the contexts that decide them (plans) and those that
 * report on them (reporting), so a report counts exactly what the plan decided.
 */
export const TASK_STATUSES = [
  'not_started', // chưa thực hiện
  'in_progress', // đang thực hiện
  'submitted', // the lead agency reports it done: chờ xác nhận
  'completed', // confirmed by the office or the planning department
  'returned', // confirmation refused with a reason: thực hiện lại
  'paused', // tạm hoãn, by the office; resumes where it was
  'cancelled', // dừng thực hiện, by the office; final
  'declined', // the lead agency refuses it with a reason; the office reassigns or insists
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const isTaskStatus = (value: unknown): value is TaskStatus => typeof value === 'string' && (TASK_STATUSES as readonly string[]).includes(value);

/** What timeliness needs of a deadline: its last day and whether it is one at all. */
export type MonitoredDeadline = { readonly due: string | null; readonly kind: string };

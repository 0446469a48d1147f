/** Lifecycle states of a task: stable English codes for the API, Vietnamese labels for people. */
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

export const isTaskStatus = (value: unknown): value is TaskStatus =>
  typeof value === 'string' && (TASK_STATUSES as readonly string[]).includes(value);

/** No command moves a task out of these. */
export const FINAL_STATUSES: readonly TaskStatus[] = ['completed', 'cancelled'];

/** Codes of the first vocabulary (TaskStatusChanged v1), as the current one names them. */
export const RENAMED_STATUSES: Readonly<Record<string, TaskStatus>> = { pending_confirmation: 'submitted', suspended: 'paused' };

import type { TaskStatus } from '@mandate/kernel';

export { TASK_STATUSES, isTaskStatus, type TaskStatus } from '@mandate/kernel';

/** No command moves a task out of these. */
export const FINAL_STATUSES: readonly TaskStatus[] = ['completed', 'cancelled'];

/** Codes of the first vocabulary (TaskStatusChanged v1), as the current one names them. */
export const RENAMED_STATUSES: Readonly<Record<string, TaskStatus>> = { pending_confirmation: 'submitted', suspended: 'paused' };

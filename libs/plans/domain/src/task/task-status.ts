/** Lifecycle states of a task: stable English codes for the API, Vietnamese labels for people. */
export const TASK_STATUSES = [
  'not_started',
  'in_progress',
  'pending_confirmation',
  'completed',
  'suspended',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const isTaskStatus = (value: unknown): value is TaskStatus =>
  typeof value === 'string' && (TASK_STATUSES as readonly string[]).includes(value);

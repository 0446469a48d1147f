import type { Command, PlanId, TaskId } from '@mandate/kernel';
import type { AgencyRef } from '../agency';
import type { DeadlineSpec } from '../deadline-spec';
import type { TaskDraft } from '../plan/plan-draft';
import type { TaskStatus } from './task-status';

export type IssueTask = Command<'IssueTask', { taskId: TaskId; planId: PlanId; planNumber: string | null; draft: TaskDraft }>;

export type AssignTask = Command<'AssignTask', { taskId: TaskId; lead: AgencyRef; coordinators: AgencyRef[] }>;

/**
 * Agencies merged into a successor (directory): the task's lead or coordinators among them pass to
 * it, the reason citing the merger. A closed task keeps the agencies it was done by.
 */
export type HandOverTask = Command<
  'HandOverTask',
  { taskId: TaskId; predecessorIds: string[]; successor: AgencyRef; reason: string; effectiveOn?: string | null }
>;

export type ChangeTaskStatus = Command<'ChangeTaskStatus', { taskId: TaskId; to: TaskStatus; note: string }>;

/** The task as an amended version of its plan states it. */
export type ReviseTask = Command<'ReviseTask', { taskId: TaskId; draft: TaskDraft }>;

/** The amended plan no longer holds the task. */
export type WithdrawTask = Command<'WithdrawTask', { taskId: TaskId; reason: string }>;

export type ReportProgress = Command<
  'ReportProgress',
  { taskId: TaskId; percent: number; text: string; attachments: { name: string; contentType: string; size: number; url: string | null }[] }
>;

/** `requestId` is chosen by the caller, so a retried request is recognised. */
export type RequestExtension = Command<'RequestExtension', { taskId: TaskId; requestId: string; until: string; reason: string }>;
export type ApproveExtension = Command<'ApproveExtension', { taskId: TaskId; requestId: string; note: string }>;
export type RejectExtension = Command<'RejectExtension', { taskId: TaskId; requestId: string; reason: string }>;

/** The plan's owner changes what the task says (đã điều chỉnh), saying why. */
export type EditTask = Command<'EditTask', { taskId: TaskId; title?: string; deadline?: DeadlineSpec; reason: string }>;

/**
 * The deadline scheduler's check: records that the task became due soon or overdue, once per due
 * date. Without `mark`, whichever holds at the command's instant (overdue makes "due soon" moot).
 */
export type MarkDeadline = Command<'MarkDeadline', { taskId: TaskId; mark?: 'due_soon' | 'overdue'; dueSoonDays?: number }>;

/** The office links a task to the task of a higher plan it carries out (the service checks the parent exists in the city). */
export type LinkTask = Command<'LinkTask', { taskId: TaskId; parentTaskId: TaskId }>;

/** The scheduler's check of a repeating duty: opens every period that has begun and is not yet open. */
export type OpenOccurrences = Command<'OpenOccurrences', { taskId: TaskId }>;

/** The platform operator moves the task of a city merged into another (the command's city) there. */
export type MoveTaskToCity = Command<'MoveTaskToCity', { taskId: TaskId; fromCityId: string; reason: string }>;

export type TaskCommand =
  | MoveTaskToCity
  | OpenOccurrences
  | LinkTask
  | MarkDeadline
  | EditTask
  | IssueTask
  | AssignTask
  | HandOverTask
  | ChangeTaskStatus
  | ReviseTask
  | WithdrawTask
  | ReportProgress
  | RequestExtension
  | ApproveExtension
  | RejectExtension;

import type { AgencyId, Event, PlanId, TaskId } from '@mandate/kernel';
import type { AgencyRef } from '../agency';
import type { DeadlineSpec } from '../deadline-spec';
import type { TaskStatus } from './task-status';
import type { IssuedTask } from './task.state';

/** The plan created the task: what the document says it is, before anyone is assigned. */
export type TaskIssued = Event<
  'TaskIssued',
  {
    taskId: TaskId;
    planId: PlanId;
    planNumber: string | null;
    ref: string;
    title: string;
    group: string | null;
    deliverable: string | null;
    deadline: DeadlineSpec;
    supervisor: string | null;
    note: string | null;
    issuedAt: string;
  }
>;

/** A lead agency and its coordinators were given the task (at issue, or on reassignment). */
export type TaskAssigned = Event<
  'TaskAssigned',
  {
    taskId: TaskId;
    planId: PlanId;
    lead: AgencyRef;
    coordinators: AgencyRef[];
    previousLeadAgencyId: AgencyId | null;
    assignedAt: string;
    /**
     * Why, when the assignment is not the office's own choice: the agencies it had merged into
     * another (a hand-over cites the merger). null otherwise. Schema v2; v1 events read as null.
     */
    reason: string | null;
    /**
     * Set when the task passed to a successor because its agencies merged (a hand-over), so counts
     * can still show the old split: the merged agencies and the day the merger took effect.
     * Schema v3; a v2 event with a reason was a hand-over (nothing else gave one) and reads with
     * its previous lead as the predecessor and no day.
     */
    succession: Succession | null;
  }
>;

/** The merger a hand-over carries out: the predecessors whose work passed on, from `effectiveOn` (null: not stated). */
export type Succession = { predecessorIds: AgencyId[]; effectiveOn: string | null };

/** The task moved through its lifecycle. `from` and `to` make the fact readable on its own. */
export type TaskStatusChanged = Event<
  'TaskStatusChanged',
  {
    taskId: TaskId;
    planId: PlanId;
    from: TaskStatus;
    to: TaskStatus;
    note: string;
    changedAt: string;
  }
>;

/** What an amended plan says differently about the task; only the fields that changed, with their new values. */
export type TaskRevision = Partial<{
  /** Its number in the new version, when rows were renumbered. */
  ref: string;
  title: string;
  group: string | null;
  deliverable: string | null;
  deadline: DeadlineSpec;
  supervisor: string | null;
  note: string | null;
}>;

/**
 * What the task is changed: by an amended version of the plan, or by its owner's edit (đã điều
 * chỉnh), which says why in `reason`. Its lead changes through TaskAssigned.
 */
export type TaskRevised = Event<'TaskRevised', { taskId: TaskId; planId: PlanId; changes: TaskRevision; revisedAt: string; reason?: string }>;

/** An amended version of the plan no longer holds the task: it stays in the log, and takes no more changes. */
export type TaskWithdrawn = Event<'TaskWithdrawn', { taskId: TaskId; planId: PlanId; reason: string; withdrawnAt: string }>;

/** A file attached to a report: what it is, not its bytes (they live in a document store). */
export type AttachmentRef = { name: string; contentType: string; size: number; url: string | null };

/** An agency said how far the work has come. */
export type ProgressReported = Event<
  'ProgressReported',
  { taskId: TaskId; planId: PlanId; percent: number; text: string; attachments: AttachmentRef[]; reportedAt: string }
>;

/** The lead agency asked for more time (đề nghị gia hạn). */
export type ExtensionRequested = Event<
  'ExtensionRequested',
  { taskId: TaskId; planId: PlanId; requestId: string; until: string; reason: string; requestedAt: string }
>;

/** The owner granted the extension: the task's deadline is now `deadline`. */
export type ExtensionApproved = Event<
  'ExtensionApproved',
  { taskId: TaskId; planId: PlanId; requestId: string; previousDeadline: DeadlineSpec; deadline: DeadlineSpec; note: string; approvedAt: string }
>;

/** The owner refused the extension; the deadline stands. */
export type ExtensionRejected = Event<'ExtensionRejected', { taskId: TaskId; planId: PlanId; requestId: string; reason: string; rejectedAt: string }>;

/** Time as an event: the task's due day is near (within the city's window) and the work is not done. */
export type TaskBecameDueSoon = Event<'TaskBecameDueSoon', { taskId: TaskId; planId: PlanId; due: string; at: string }>;

/** Time as an event: the task's due day has ended and the work is not done. */
export type TaskBecameOverdue = Event<'TaskBecameOverdue', { taskId: TaskId; planId: PlanId; due: string; at: string }>;

/** Cascade: this task (of a district's plan, say) carries out `parentTaskId` (of the city's plan). */
export type TaskLinkedToParent = Event<'TaskLinkedToParent', { taskId: TaskId; planId: PlanId; parentTaskId: TaskId; linkedAt: string }>;

/**
 * A repeating duty's next period began: one more report is owed by `due` (a recurring deadline), or
 * a check-in (a continuous duty). Opened once per period, late ones caught up after downtime.
 */
export type TaskOccurrenceOpened = Event<
  'TaskOccurrenceOpened',
  { taskId: TaskId; planId: PlanId; occurrence: number; periodStart: string; due: string; kind: 'report' | 'check-in'; openedAt: string }
>;

/**
 * The city that held the task merged into another: the task goes on in the successor's log, its stream
 * continuing there (this event's metadata names the head it continues from). `task` is the task as it
 * stood, so the successor folds it from here without the other city's part of the log.
 */
export type TaskMovedToCity = Event<
  'TaskMovedToCity',
  { taskId: TaskId; planId: PlanId; fromCityId: string; toCityId: string; reason: string; movedAt: string; task: IssuedTask }
>;

export type TaskEvent =
  | TaskMovedToCity
  | TaskOccurrenceOpened
  | TaskLinkedToParent
  | TaskBecameDueSoon
  | TaskBecameOverdue
  | TaskIssued
  | TaskAssigned
  | TaskStatusChanged
  | TaskRevised
  | TaskWithdrawn
  | ProgressReported
  | ExtensionRequested
  | ExtensionApproved
  | ExtensionRejected;
export const TASK_EVENT_TYPES: readonly TaskEvent['type'][] = [
  'TaskMovedToCity',
  'TaskOccurrenceOpened',
  'TaskLinkedToParent',
  'TaskBecameDueSoon',
  'TaskBecameOverdue',
  'TaskIssued',
  'TaskAssigned',
  'TaskStatusChanged',
  'TaskRevised',
  'TaskWithdrawn',
  'ProgressReported',
  'ExtensionRequested',
  'ExtensionApproved',
  'ExtensionRejected',
];

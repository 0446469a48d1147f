import type { PlanId, TaskId } from '@mandate/kernel';
import type { AgencyRef } from '../agency';
import type { DeadlineSpec } from '../deadline-spec';
import type { TaskDraft } from '../plan/plan-draft';
import type { TaskStatus } from './task-status';

/** A task's state as its decider folds it (its own file: the event that moves a task carries it whole). */
export type IssuedTask = {
  readonly status: TaskStatus;
  readonly taskId: TaskId;
  readonly planId: PlanId;
  readonly planNumber: string | null;
  readonly ref: string;
  readonly title: string;
  readonly group: string | null;
  readonly deliverable: string | null;
  readonly deadline: DeadlineSpec;
  readonly supervisor: string | null;
  readonly note: string | null;
  readonly lead: AgencyRef | null;
  /**
   * The lead it had before its agency merged into `lead` (a hand-over): counts "as the agencies
   * were" show it there. null when the current lead is the office's or the document's own choice.
   */
  readonly formerLead: AgencyRef | null;
  readonly coordinators: readonly AgencyRef[];
  /** When it reached `completed`, to tell on-time from late completion. */
  readonly completedAt: string | null;
  /** When an amended plan dropped it; a withdrawn task takes no more changes. */
  readonly withdrawnAt: string | null;
  /** The latest progress report. */
  readonly progress: { readonly percent: number; readonly text: string; readonly at: string } | null;
  /** The due dates for which the task was marked due soon / overdue (again after a deadline change). */
  readonly dueSoonMarkedFor: string | null;
  readonly overdueMarkedFor: string | null;
  /** When it was issued (its repeating periods count from then) and the last period opened. */
  readonly issuedAt: string;
  readonly occurrence: { readonly n: number; readonly due: string } | null;
  /** The task of a higher plan this one carries out (cascade). */
  readonly parentTaskId: TaskId | null;
  /** The status a paused task resumes to. */
  readonly pausedFrom: TaskStatus | null;
  /** Extension requests, oldest first; at most one is pending. */
  readonly extensions: readonly ExtensionRequest[];
  /** The last change of the task's own terms by its owner or an amended plan (đã điều chỉnh). */
  readonly adjusted: TaskAdjustment | null;
  /** The task as its plan's document last stated it: what the next version of the document is compared with. */
  readonly document: DocumentTerms;
};

/** The fields of a task its plan's document states; an amendment revises them. */
export const REVISABLE = ['ref', 'title', 'group', 'deliverable', 'deadline', 'supervisor', 'note'] as const;
export type RevisableField = (typeof REVISABLE)[number];

export type DocumentTerms = Pick<TaskDraft, RevisableField | 'lead' | 'coordinators'> & {
  /** When the document last spoke (issue or amendment): an assignment at that instant is the document's. */
  readonly at: string;
};

/**
 * A field the new version of the document changes that was also changed since the last version
 * (by the office's edit, an approved extension, a reassignment). The document's value is applied;
 * `was` is what the task held, so that the office can restore it.
 */
export type AmendmentConflict = { readonly field: RevisableField | 'assignment'; readonly was: unknown; readonly now: unknown };

export type TaskAdjustment = {
  readonly at: string;
  /** The owner's reason; an amended plan's revisions carry none (the new document is the reason). */
  readonly reason: string | null;
  readonly fields: readonly string[];
};

export type ExtensionRequest = {
  readonly requestId: string;
  readonly until: string;
  readonly reason: string;
  readonly status: 'pending' | 'approved' | 'rejected';
};

export type Task = { readonly status: 'none' } | IssuedTask;

import type { Command, PlanId, TaskId } from '@mandate/kernel';
import type { AgencyRef } from '../agency';
import type { TaskDraft } from '../plan/plan-draft';
import type { TaskStatus } from './task-status';

export type IssueTask = Command<'IssueTask', { taskId: TaskId; planId: PlanId; planNumber: string; draft: TaskDraft }>;

export type AssignTask = Command<'AssignTask', { taskId: TaskId; lead: AgencyRef; coordinators: AgencyRef[] }>;

export type ChangeTaskStatus = Command<'ChangeTaskStatus', { taskId: TaskId; to: TaskStatus; note: string }>;

export type TaskCommand = IssueTask | AssignTask | ChangeTaskStatus;

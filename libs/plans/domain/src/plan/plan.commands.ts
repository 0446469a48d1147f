import type { Command, PlanId, TaskId } from '@mandate/kernel';
import type { PlanDraft } from './plan-draft';

/** Ids are chosen by the caller (deterministic for imports) and arrive with the command. */
export type IssuePlan = Command<
  'IssuePlan',
  { planId: PlanId; draft: Omit<PlanDraft, 'tasks'>; tasks: { taskId: TaskId; ref: string }[] }
>;

export type PlanCommand = IssuePlan;

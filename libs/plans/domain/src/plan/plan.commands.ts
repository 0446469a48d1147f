import type { Command, PlanId, TaskId } from '@mandate/kernel';
import type { PlanDraft } from './plan-draft';
import type { ImportReviewChange } from './plan.events';

/** Ids are chosen by the caller (deterministic for imports) and arrive with the command. */
/** `unitId`: the unit of the province whose own plan it is (its office imports it), null or absent for the province's. */
export type IssuePlan = Command<
  'IssuePlan',
  { planId: PlanId; draft: Omit<PlanDraft, 'tasks'>; tasks: { taskId: TaskId; ref: string }[]; unitId?: string | null }
>;

/**
 * Records a changed version of the document. `tasks` are all the tasks the new version holds;
 * `revised` names (by id) those whose own streams took a revision in this import.
 */
export type AmendPlan = Command<'AmendPlan', { planId: PlanId; draft: Omit<PlanDraft, 'tasks'>; tasks: { taskId: TaskId; ref: string }[]; revised: TaskId[] }>;

/** Records what the office corrected in the document it imported (issue or amendment) before confirming. */
export type RecordImportReview = Command<'RecordImportReview', { planId: PlanId; document: string; changes: ImportReviewChange[] }>;

/** The platform operator moves the plan of a city merged into another (`toCityId`, the command's city) there. */
export type MovePlanToCity = Command<'MovePlanToCity', { planId: PlanId; fromCityId: string; reason: string }>;

export type PlanCommand = IssuePlan | AmendPlan | RecordImportReview | MovePlanToCity;

import type { PlanId, TaskId } from '@mandate/kernel';

/** A plan's state as its decider folds it (its own file: the event that moves a plan carries it whole). */
export type Plan = { readonly status: 'none' } | IssuedPlan;
export type IssuedPlan = {
  readonly status: 'issued';
  readonly planId: PlanId;
  /** null while the plan is tracked before signing. */
  readonly number: string | null;
  readonly issuedOn: string | null;
  /** The tasks its current version holds. */
  readonly tasks: readonly { readonly taskId: TaskId; readonly ref: string }[];
  /** What an amendment compares metadata against. */
  readonly meta: string;
  /** The indicators as last set, canonical: what an amendment compares against. */
  readonly indicators: string;
  /** The unit of the province whose own plan it is, null for the province's (absent in snapshots made before units: null). */
  readonly unitId?: string | null;
};

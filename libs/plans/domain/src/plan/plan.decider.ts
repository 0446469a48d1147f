import { auditOf, ForbiddenError, IllegalStateError, ValidationError, type Decider, type PlanId, type TaskId } from '@mandate/kernel';
import type { IssuePlan, PlanCommand } from './plan.commands';
import type { PlanEvent } from './plan.events';

export type Plan =
  | { readonly status: 'none' }
  | {
      readonly status: 'issued';
      readonly planId: PlanId;
      readonly number: string;
      readonly taskIds: readonly TaskId[];
    };

export const initialPlanState = (): Plan => ({ status: 'none' });

const ISSUING_ROLES = ['office'] as const;

const issue = ({ data, metadata }: IssuePlan, plan: Plan): PlanEvent[] => {
  if (!(ISSUING_ROLES as readonly string[]).includes(metadata.role)) {
    throw new ForbiddenError('Only the city office issues plans', 'issue-forbidden');
  }
  if (plan.status === 'issued') {
    // The same document imported again: nothing new happened.
    if (plan.number === data.draft.number) return [];
    throw new IllegalStateError(`Plan ${data.planId} was already issued as ${plan.number}`, 'plan-already-issued');
  }
  const { draft } = data;
  if (!draft.number.trim()) throw new ValidationError('A plan needs its number (số hiệu)', 'plan-number-missing');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.issuedOn)) {
    throw new ValidationError(`Issue date must be an ISO date, got "${draft.issuedOn}"`, 'plan-issued-on-invalid');
  }
  const refs = new Set(data.tasks.map((t) => t.ref));
  if (refs.size !== data.tasks.length) throw new ValidationError('Task refs must be unique within a plan', 'task-ref-duplicate');
  return [
    {
      type: 'PlanIssued',
      data: {
        planId: data.planId,
        number: draft.number,
        kind: draft.kind,
        title: draft.title,
        issuedOn: draft.issuedOn,
        effectiveOn: draft.effectiveOn,
        issuer: draft.issuer,
        signer: draft.signer,
        fields: [...draft.fields],
        implements: [...draft.implements],
        source: { document: draft.source.document, truncated: draft.source.truncated, warnings: [...draft.source.warnings] },
        tasks: data.tasks.map((t) => ({ taskId: t.taskId, ref: t.ref })),
        issuedAt: metadata.now.toISOString(),
      },
      metadata: auditOf(metadata),
    },
  ];
};

export const decidePlan = (command: PlanCommand, state: Plan): PlanEvent[] => {
  switch (command.type) {
    case 'IssuePlan':
      return issue(command, state);
    default: {
      const unknown: never = command.type;
      throw new ValidationError(`Unknown command ${String(unknown)}`);
    }
  }
};

export const evolvePlan = (state: Plan, event: PlanEvent): Plan => {
  switch (event.type) {
    case 'PlanIssued':
      return {
        status: 'issued',
        planId: event.data.planId,
        number: event.data.number,
        taskIds: event.data.tasks.map((t) => t.taskId),
      };
    default:
      return state;
  }
};

export const planDecider: Decider<Plan, PlanCommand, PlanEvent> = {
  decide: decidePlan,
  evolve: evolvePlan,
  initialState: initialPlanState,
};

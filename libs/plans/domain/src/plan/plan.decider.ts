import {
  auditOf,
  ForbiddenError,
  IllegalStateError,
  NotFoundError,
  requireText,
  ValidationError,
  type CommandMetadata,
  type Decider,
  type PlanId,
  type TaskId,
} from '@mandate/kernel';
import { storedForm } from '../stored-form';
import type { IndicatorDraft } from './plan-draft';
import type { AmendPlan, IssuePlan, MovePlanToCity, PlanCommand, RecordImportReview } from './plan.commands';
import type { PlanEvent, PlanImportReviewed, PlanIndicatorsSet, PlanNumbered } from './plan.events';

export type { IssuedPlan, Plan } from './plan.state';
import type { Plan } from './plan.state';

const metaOf = (d: { title: string; effectiveOn: string | null; signer: string | null; implements: readonly string[]; source: { truncated: boolean } }) =>
  storedForm([d.title, d.effectiveOn, d.signer, d.implements, d.source.truncated]);

export const initialPlanState = (): Plan => ({ status: 'none' });

const ISSUING_ROLES = ['office'] as const;

// Stored form: the indicators read back from the log have jsonb's key order, the parsed ones the parser's.
const indicatorsKey = (indicators: readonly IndicatorDraft[] | undefined) => storedForm(indicators ?? []);

const indicatorsSet = (planId: PlanId, indicators: readonly IndicatorDraft[], metadata: CommandMetadata): PlanIndicatorsSet => ({
  type: 'PlanIndicatorsSet',
  data: { planId, indicators: indicators.map((i) => ({ ...i, targets: i.targets.map((t) => ({ ...t })) })), setAt: metadata.now.toISOString() },
  metadata: auditOf(metadata),
});

const issue = ({ data, metadata }: IssuePlan, plan: Plan): PlanEvent[] => {
  if (!(ISSUING_ROLES as readonly string[]).includes(metadata.role)) {
    throw new ForbiddenError('Only the city office issues plans', 'issue-forbidden');
  }
  if (plan.status === 'issued') {
    // The same document imported again: nothing new happened.
    if (plan.number === data.draft.number) return [];
    throw new IllegalStateError(`Plan ${data.planId} was already issued as ${plan.number ?? 'a plan without number'}`, 'plan-already-issued');
  }
  const { draft } = data;
  checkNumberAndDate(draft);
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
        unitId: data.unitId ?? null,
      },
      metadata: auditOf(metadata),
    },
    ...(draft.indicators?.length ? [indicatorsSet(data.planId, draft.indicators, metadata)] : []),
  ];
};

// A copy before signing states neither: null, never blank.
const checkNumberAndDate = (draft: { number: string | null; issuedOn: string | null }): void => {
  if (draft.number !== null && !draft.number.trim()) throw new ValidationError('A plan number (số hiệu) is stated or null, never blank', 'plan-number-missing');
  if (draft.issuedOn !== null && !/^\d{4}-\d{2}-\d{2}$/.test(draft.issuedOn)) {
    throw new ValidationError(`Issue date must be an ISO date, got "${draft.issuedOn}"`, 'plan-issued-on-invalid');
  }
};

/**
 * The number and date an amendment brings to a plan that lacked them (the signed version of a copy
 * tracked before signing). A number never changes once given; a version that does not state it
 * (another unsigned copy) keeps the plan's.
 */
const numbered = ({ data, metadata }: AmendPlan, plan: Plan & { status: 'issued' }): PlanNumbered[] => {
  const { number, issuedOn } = data.draft;
  if (plan.number !== null && number !== null && number !== plan.number) {
    throw new ValidationError(`An amendment of ${plan.number} cannot carry the number ${number}`, 'plan-number-mismatch');
  }
  const next = { number: plan.number ?? number, issuedOn: plan.issuedOn ?? issuedOn };
  if (next.number === plan.number && next.issuedOn === plan.issuedOn) return [];
  return [{ type: 'PlanNumbered', data: { planId: data.planId, ...next, numberedAt: metadata.now.toISOString() }, metadata: auditOf(metadata) }];
};

const amend = ({ data, metadata }: AmendPlan, plan: Plan): PlanEvent[] => {
  if (!(ISSUING_ROLES as readonly string[]).includes(metadata.role)) {
    throw new ForbiddenError('Only the city office amends plans', 'amend-forbidden');
  }
  if (plan.status !== 'issued') throw new IllegalStateError(`Plan ${data.planId} has not been issued`, 'plan-not-issued');
  checkNumberAndDate(data.draft);
  const numbering = numbered({ data, metadata, type: 'AmendPlan' }, plan);
  const refs = new Set(data.tasks.map((t) => t.ref));
  if (refs.size !== data.tasks.length) throw new ValidationError('Task refs must be unique within a plan', 'task-ref-duplicate');
  const before = new Map(plan.tasks.map((t) => [t.taskId, t.ref]));
  const ids = new Set(data.tasks.map((t) => t.taskId));
  const added = data.tasks.filter((t) => !before.has(t.taskId));
  const withdrawn = plan.tasks.filter((t) => !ids.has(t.taskId));
  const revised = data.tasks.filter((t) => before.has(t.taskId) && (data.revised.includes(t.taskId) || before.get(t.taskId) !== t.ref));
  const { draft } = data;
  const indicatorsChanged = indicatorsKey(draft.indicators) !== plan.indicators;
  const changes = [...numbering, ...(indicatorsChanged ? [indicatorsSet(data.planId, draft.indicators ?? [], metadata)] : [])];
  if (added.length === 0 && withdrawn.length === 0 && revised.length === 0 && metaOf(draft) === plan.meta) return changes;
  return [
    {
      type: 'PlanAmended',
      data: {
        planId: data.planId,
        number: numbering[0]?.data.number ?? plan.number,
        title: draft.title,
        effectiveOn: draft.effectiveOn,
        signer: draft.signer,
        implements: [...draft.implements],
        source: { document: draft.source.document, truncated: draft.source.truncated, warnings: [...draft.source.warnings] },
        tasks: data.tasks.map(({ taskId, ref }) => ({ taskId, ref })),
        added: added.map(({ taskId, ref }) => ({ taskId, ref })),
        revised: revised.map(({ taskId, ref }) => ({ taskId, ref })),
        withdrawn: withdrawn.map(({ taskId, ref }) => ({ taskId, ref })),
        amendedAt: metadata.now.toISOString(),
      },
      metadata: auditOf(metadata),
    },
    ...changes,
  ];
};

/** The office's corrections of an import, recorded on the plan it issued or amended; none, nothing to record. */
const review = ({ data, metadata }: RecordImportReview, plan: Plan): PlanImportReviewed[] => {
  if (!(ISSUING_ROLES as readonly string[]).includes(metadata.role)) {
    throw new ForbiddenError('Only the city office reviews an import', 'review-forbidden');
  }
  if (plan.status !== 'issued') throw new IllegalStateError(`Plan ${data.planId} has not been issued`, 'plan-not-issued');
  if (data.changes.length === 0) return [];
  return [
    {
      type: 'PlanImportReviewed',
      data: {
        planId: data.planId,
        document: data.document,
        reviewedBy: metadata.actorId,
        changes: data.changes.map(({ path, from, to }) => ({ path, from, to })),
        reviewedAt: metadata.now.toISOString(),
      },
      metadata: auditOf(metadata),
    },
  ];
};

/** A merged city's plan goes on in its successor (the command's city), whole, as the operator moves it. */
const moveToCity = ({ data, metadata }: MovePlanToCity, state: Plan): PlanEvent[] => {
  if (metadata.role !== 'operator') throw new ForbiddenError('Only the platform operator moves a plan to another city', 'operator-only');
  if (state.status !== 'issued') throw new NotFoundError(`Plan ${data.planId} not found in ${data.fromCityId}`, 'plan-not-found');
  if (data.fromCityId === metadata.cityId) throw new ValidationError('A plan moves to another city', 'same-city');
  return [
    {
      type: 'PlanMovedToCity',
      data: {
        planId: state.planId,
        fromCityId: data.fromCityId,
        toCityId: metadata.cityId,
        reason: requireText(data.reason, 'reason', 'reason-required'),
        movedAt: metadata.now.toISOString(),
        plan: state,
      },
      metadata: auditOf(metadata),
    },
  ];
};

export const decidePlan = (command: PlanCommand, state: Plan): PlanEvent[] => {
  switch (command.type) {
    case 'IssuePlan':
      return issue(command, state);
    case 'AmendPlan':
      return amend(command, state);
    case 'RecordImportReview':
      return review(command, state);
    case 'MovePlanToCity':
      return moveToCity(command, state);
    default: {
      const unknown: never = command;
      throw new ValidationError(`Unknown command ${(unknown as { type: string }).type}`);
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
        issuedOn: event.data.issuedOn,
        tasks: event.data.tasks,
        meta: metaOf(event.data),
        indicators: indicatorsKey([]),
        unitId: event.data.unitId ?? null,
      };
    case 'PlanAmended':
      if (state.status !== 'issued') return state;
      return { ...state, tasks: event.data.tasks, meta: metaOf(event.data) };
    case 'PlanIndicatorsSet':
      if (state.status !== 'issued') return state;
      return { ...state, indicators: indicatorsKey(event.data.indicators) };
    case 'PlanNumbered':
      if (state.status !== 'issued') return state;
      return { ...state, number: event.data.number, issuedOn: event.data.issuedOn };
    case 'PlanMovedToCity':
      return event.data.plan;
    default:
      return state;
  }
};

export const planDecider: Decider<Plan, PlanCommand, PlanEvent> = {
  decide: decidePlan,
  evolve: evolvePlan,
  initialState: initialPlanState,
};

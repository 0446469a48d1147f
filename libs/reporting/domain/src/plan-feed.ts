import {
  PLAN_INDICATORS_SET_V1,
  PLAN_NUMBERED_V1,
  TASK_EXTENSION_APPROVED_V1,
  TASK_LINKED_V1,
  TASK_PROGRESS_REPORTED_V1,
  TASK_REVISED_V1,
  TASK_WITHDRAWN_V1,
  planAmendedOf,
  planIssuedOf,
  taskAssignedOf,
  taskIssuedOf,
  taskStatusChangeOf,
  type PlanIndicatorsSetV1,
  type PlanNumberedV1,
  type TaskExtensionApprovedV1,
  type TaskLinkedV1,
  type TaskProgressReportedV1,
  type TaskRevisedV1,
  type TaskWithdrawnV1,
} from '@mandate/plans-contracts';
import { formerLeadAfter, type TaskStatus } from '@mandate/kernel';

/** A published plans contract as reporting keeps it in its feed: type, time (CloudEvent), data. */
export type FeedEvent = { readonly type: string; readonly time: string; readonly data: unknown };

export type ReportedAgency = { readonly agencyId: string | null; readonly name: string };

/** A task as a report shows it, from the plans service's published events only. */
export type ReportedTask = {
  readonly taskId: string;
  /** Its place in the plan's document: the order of the Phụ lục */
  readonly position: number;
  readonly ref: string;
  readonly title: string;
  readonly group: string | null;
  readonly deliverable: string | null;
  readonly supervisor: string | null;
  readonly note: string | null;
  readonly lead: ReportedAgency | null;
  /**
   * The lead it had before its agency merged into `lead` (the task passed on in a hand-over): what
   * counts "as the agencies were" show. null when the current lead is the office's own choice.
   */
  readonly formerLead: ReportedAgency | null;
  readonly coordinators: readonly ReportedAgency[];
  readonly deadline: { readonly text: string; readonly kind: string; readonly due: string | null };
  readonly status: TaskStatus;
  readonly completedAt: string | null;
  readonly progress: { readonly percent: number; readonly text: string; readonly at: string } | null;
  readonly adjustedAt: string | null;
  readonly withdrawn: boolean;
  /** The task of a higher plan this one carries out (cascade) */
  readonly parentTaskId: string | null;
};

export type ReportedPlan = {
  readonly planId: string;
  /** null while the plan is tracked before signing (no number yet). */
  readonly number: string | null;
  readonly kind: string;
  readonly title: string;
  readonly issuedOn: string | null;
  readonly issuer: string;
};

/** A plan's number as reports print it: "Chưa có số" while it has none (a copy before signing). */
export const planNumberLabel = (number: string | null): string => number ?? 'Chưa có số';

/** An indicator (chỉ tiêu) as the plan's current document sets it. */
export type ReportedIndicator = PlanIndicatorsSetV1['indicators'][number];

/** The plan's header and its tasks in document order, as of an instant. */
export type PlanFeedState = {
  readonly plan: ReportedPlan | null;
  readonly indicators: readonly ReportedIndicator[];
  /** Withdrawn tasks included (flagged); ordered as the Phụ lục lists them */
  readonly tasks: readonly ReportedTask[];
};

type PlanHeader = { plan: ReportedPlan | null; order: readonly string[]; indicators: readonly ReportedIndicator[] };

/** A plan-level event on the header; null when the event is not about the plan itself. */
const evolvePlanHeader = (header: PlanHeader, event: FeedEvent): PlanHeader | null => {
  const issued = planIssuedOf(event);
  if (issued) {
    const d = issued;
    return { ...header, plan: { planId: d.planId, number: d.number, kind: d.kind, title: d.title, issuedOn: d.issuedOn, issuer: d.issuer }, order: d.taskIds };
  }
  const amended = planAmendedOf(event);
  if (amended) {
    return {
      ...header,
      plan: header.plan ? { ...header.plan, title: amended.title } : null,
      order: [...header.order, ...amended.addedTaskIds.filter((id) => !header.order.includes(id))],
    };
  }
  switch (event.type) {
    case PLAN_NUMBERED_V1: {
      const d = event.data as PlanNumberedV1;
      return { ...header, plan: header.plan ? { ...header.plan, number: d.number, issuedOn: d.issuedOn } : null };
    }
    case PLAN_INDICATORS_SET_V1:
      return { ...header, indicators: (event.data as PlanIndicatorsSetV1).indicators };
    default:
      return null;
  }
};

/**
 * One task's published event on the task as reports show it. Unknown types change nothing:
 * reporting reads what it needs of the contracts and tolerates new ones.
 */
export const evolveReportedTask = (task: ReportedTask | null, event: FeedEvent): ReportedTask | null => {
  const issued = taskIssuedOf(event);
  if (issued) {
    return (
      task ?? {
        taskId: issued.taskId,
        position: 0,
        ref: issued.ref,
        title: issued.title,
        group: issued.group,
        deliverable: issued.deliverable,
        supervisor: issued.supervisor,
        note: issued.note,
        lead: null,
        formerLead: null,
        coordinators: [],
        deadline: issued.deadline,
        status: 'not_started',
        completedAt: null,
        progress: null,
        adjustedAt: null,
        withdrawn: false,
        parentTaskId: null,
      }
    );
  }
  if (!task) return null;
  const change = taskStatusChangeOf(event);
  if (change) return { ...task, status: change.to, completedAt: change.to === 'completed' ? change.changedAt : null };
  const assigned = taskAssignedOf(event);
  if (assigned) {
    const lead = { agencyId: assigned.lead.agencyId, name: assigned.lead.name };
    const formerLead = formerLeadAfter(task.lead, task.formerLead, lead, assigned.succession);
    return { ...task, lead, formerLead, coordinators: assigned.coordinators.map((c) => ({ agencyId: c.agencyId, name: c.name })) };
  }
  switch (event.type) {
    case TASK_REVISED_V1: {
      const d = event.data as TaskRevisedV1;
      return { ...task, ...d.changes, adjustedAt: d.revisedAt };
    }
    case TASK_WITHDRAWN_V1:
      return { ...task, withdrawn: true };
    case TASK_PROGRESS_REPORTED_V1: {
      const d = event.data as TaskProgressReportedV1;
      return { ...task, progress: { percent: d.percent, text: d.text, at: d.reportedAt } };
    }
    case TASK_EXTENSION_APPROVED_V1:
      return { ...task, deadline: (event.data as TaskExtensionApprovedV1).deadline };
    case TASK_LINKED_V1:
      return { ...task, parentTaskId: (event.data as TaskLinkedV1).parentTaskId };
    default:
      return task;
  }
};

const taskIdOf = (event: FeedEvent): string | null => {
  const id = (event.data as { taskId?: unknown } | null)?.taskId;
  return typeof id === 'string' ? id : null;
};

/**
 * The plan as its published events said it was at `until` (later events left out), every task
 * folded on its own. Events come in feed order; a task's events keep their order on its topic.
 */
export const planFeedAt = (events: readonly FeedEvent[], until?: Date): PlanFeedState => {
  let header: PlanHeader = { plan: null, order: [], indicators: [] };
  const tasks = new Map<string, ReportedTask | null>();
  const limit = until?.getTime();
  for (const event of events) {
    if (limit !== undefined && Date.parse(event.time) > limit) continue;
    const next = evolvePlanHeader(header, event);
    if (next) {
      header = next;
      continue;
    }
    const taskId = taskIdOf(event);
    if (taskId) tasks.set(taskId, evolveReportedTask(tasks.get(taskId) ?? null, event));
  }
  const place = new Map(header.order.map((id, i) => [id, i + 1]));
  const listed = [...tasks.values()]
    .filter((t): t is ReportedTask => t !== null)
    .map((t) => ({ ...t, position: place.get(t.taskId) ?? header.order.length + 1 }))
    .sort((a, b) => a.position - b.position);
  return { plan: header.plan, indicators: header.indicators, tasks: listed };
};

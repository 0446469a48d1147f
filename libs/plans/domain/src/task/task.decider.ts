import canonicalize from 'canonicalize';
import {
  auditOf,
  ForbiddenError,
  IllegalStateError,
  ValidationError,
  type CommandMetadata,
  type Decider,
  type PlanId,
  type TaskId,
} from '@mandate/kernel';
import type { AgencyRef } from '../agency';
import type { DeadlineSpec } from '../deadline-spec';
import type { AssignTask, ChangeTaskStatus, IssueTask, ReviseTask, TaskCommand, WithdrawTask } from './task.commands';
import type { TaskEvent, TaskRevision } from './task.events';
import type { TaskStatus } from './task-status';

export type IssuedTask = {
  readonly status: TaskStatus;
  readonly taskId: TaskId;
  readonly planId: PlanId;
  readonly planNumber: string;
  readonly ref: string;
  readonly title: string;
  readonly group: string | null;
  readonly deliverable: string | null;
  readonly deadline: DeadlineSpec;
  readonly supervisor: string | null;
  readonly note: string | null;
  readonly lead: AgencyRef | null;
  readonly coordinators: readonly AgencyRef[];
  /** When it reached `completed`, to tell on-time from late completion. */
  readonly completedAt: string | null;
  /** When an amended plan dropped it; a withdrawn task takes no more changes. */
  readonly withdrawnAt: string | null;
};

export type Task = { readonly status: 'none' } | IssuedTask;

export const initialTaskState = (): Task => ({ status: 'none' });

type Transition = {
  readonly from: readonly TaskStatus[];
  readonly to: TaskStatus;
  /** Who may make it: the lead agency's officers, and/or these roles. */
  readonly leadAgency: boolean;
  readonly roles: readonly CommandMetadata['role'][];
};

/**
 * The lifecycle as offices practise it: the lead agency starts the work and reports it done;
 * the planning department or the city office confirms (or sends it back); only the city office
 * suspends and resumes.
 */
export const TASK_TRANSITIONS: readonly Transition[] = [
  { from: ['not_started'], to: 'in_progress', leadAgency: true, roles: ['office'] },
  { from: ['suspended'], to: 'in_progress', leadAgency: false, roles: ['office'] },
  { from: ['pending_confirmation'], to: 'in_progress', leadAgency: false, roles: ['office', 'planning'] },
  { from: ['not_started', 'in_progress'], to: 'pending_confirmation', leadAgency: true, roles: ['office'] },
  { from: ['pending_confirmation'], to: 'completed', leadAgency: false, roles: ['office', 'planning'] },
  { from: ['not_started', 'in_progress', 'pending_confirmation'], to: 'suspended', leadAgency: false, roles: ['office'] },
];

const requireIssued = (task: Task): IssuedTask => {
  if (task.status === 'none') throw new IllegalStateError('The task has not been issued', 'task-not-issued');
  return task;
};

const requireActive = (state: Task): IssuedTask => {
  const task = requireIssued(state);
  if (task.withdrawnAt) throw new IllegalStateError(`The task was withdrawn from its plan on ${task.withdrawnAt.slice(0, 10)}`, 'task-withdrawn');
  return task;
};

const assignment = (task: IssuedTask, lead: AgencyRef, coordinators: readonly AgencyRef[], metadata: CommandMetadata): TaskEvent => ({
  type: 'TaskAssigned',
  data: {
    taskId: task.taskId,
    planId: task.planId,
    lead,
    coordinators: [...coordinators],
    previousLeadAgencyId: task.lead?.agencyId ?? null,
    assignedAt: metadata.now.toISOString(),
  },
  metadata: auditOf(metadata),
});

const REVISABLE = ['ref', 'title', 'group', 'deliverable', 'deadline', 'supervisor', 'note'] as const;

const revise = ({ data, metadata }: ReviseTask, state: Task): TaskEvent[] => {
  if (metadata.role !== 'office') throw new ForbiddenError('Only the city office amends plans', 'amend-forbidden');
  const task = requireIssued(state);
  const { draft } = data;
  if (!draft.title.trim()) throw new ValidationError('A task needs a title', 'task-title-missing');
  const changes: Record<string, unknown> = {};
  for (const field of REVISABLE) {
    // Canonical JSON: stored events come back from jsonb with their keys in another order.
    if (canonicalize(task[field]) !== canonicalize(draft[field])) changes[field] = draft[field];
  }
  const events: TaskEvent[] = [];
  if (Object.keys(changes).length > 0) {
    events.push({
      type: 'TaskRevised',
      data: { taskId: task.taskId, planId: task.planId, changes: changes as TaskRevision, revisedAt: metadata.now.toISOString() },
      metadata: auditOf(metadata),
    });
  }
  const sameLead = task.lead && draft.lead ? sameAgencies([task.lead], [draft.lead]) : task.lead === draft.lead;
  if (draft.lead && !(sameLead && sameAgencies(task.coordinators, draft.coordinators))) {
    events.push(assignment(task, draft.lead, draft.coordinators, metadata));
  }
  return events;
};

const withdraw = ({ data, metadata }: WithdrawTask, state: Task): TaskEvent[] => {
  if (metadata.role !== 'office') throw new ForbiddenError('Only the city office amends plans', 'amend-forbidden');
  const task = requireIssued(state);
  if (task.withdrawnAt) return [];
  return [
    {
      type: 'TaskWithdrawn',
      data: { taskId: task.taskId, planId: task.planId, reason: data.reason, withdrawnAt: metadata.now.toISOString() },
      metadata: auditOf(metadata),
    },
  ];
};

const issue = ({ data, metadata }: IssueTask, task: Task): TaskEvent[] => {
  if (task.status !== 'none') {
    // A resend of the same issue (the importer run twice) changes nothing.
    if (task.planId === data.planId && task.ref === data.draft.ref) return [];
    throw new IllegalStateError(`Task ${data.taskId} was already issued`, 'task-already-issued');
  }
  const { draft } = data;
  if (!draft.title.trim()) throw new ValidationError('A task needs a title', 'task-title-missing');
  const events: TaskEvent[] = [
    {
      type: 'TaskIssued',
      data: {
        taskId: data.taskId,
        planId: data.planId,
        planNumber: data.planNumber,
        ref: draft.ref,
        title: draft.title,
        group: draft.group,
        deliverable: draft.deliverable,
        deadline: draft.deadline,
        supervisor: draft.supervisor,
        note: draft.note,
        issuedAt: metadata.now.toISOString(),
      },
      metadata: auditOf(metadata),
    },
  ];
  if (draft.lead) {
    events.push({
      type: 'TaskAssigned',
      data: {
        taskId: data.taskId,
        planId: data.planId,
        lead: draft.lead,
        coordinators: [...draft.coordinators],
        previousLeadAgencyId: null,
        assignedAt: metadata.now.toISOString(),
      },
      metadata: auditOf(metadata),
    });
  }
  return events;
};

const sameAgencies = (a: readonly AgencyRef[], b: readonly AgencyRef[]): boolean =>
  a.length === b.length && a.every((ref, i) => ref.agencyId === b[i].agencyId && ref.name === b[i].name);

const assign = ({ data, metadata }: AssignTask, state: Task): TaskEvent[] => {
  const task = requireActive(state);
  if (metadata.role !== 'office') throw new ForbiddenError('Only the city office assigns tasks', 'assign-forbidden');
  if (task.status === 'completed') throw new IllegalStateError('A completed task cannot be reassigned', 'task-completed');
  if (task.lead && sameAgencies([task.lead], [data.lead]) && sameAgencies(task.coordinators, data.coordinators)) {
    return [];
  }
  return [assignment(task, data.lead, data.coordinators, metadata)];
};

const isLeadOfficer = (task: IssuedTask, metadata: CommandMetadata): boolean =>
  metadata.role === 'agency' && task.lead?.agencyId != null && task.lead.agencyId === metadata.agencyId;

const changeStatus = ({ data, metadata }: ChangeTaskStatus, state: Task): TaskEvent[] => {
  const task = requireActive(state);
  if (task.status === data.to) return [];
  const transition = TASK_TRANSITIONS.find((t) => t.to === data.to && t.from.includes(task.status));
  if (!transition) {
    throw new IllegalStateError(`A task cannot go from ${task.status} to ${data.to}`, 'transition-not-allowed', {
      from: task.status,
      to: data.to,
    });
  }
  const allowed = transition.roles.includes(metadata.role) || (transition.leadAgency && isLeadOfficer(task, metadata));
  if (!allowed) {
    throw new ForbiddenError(
      transition.leadAgency
        ? `Only an officer of the lead agency or the city office may move this task to ${data.to}`
        : `Only ${transition.roles.join(' or ')} may move this task to ${data.to}`,
      'status-change-forbidden',
    );
  }
  return [
    {
      type: 'TaskStatusChanged',
      data: {
        taskId: task.taskId,
        planId: task.planId,
        from: task.status,
        to: data.to,
        note: data.note,
        changedAt: metadata.now.toISOString(),
      },
      metadata: auditOf(metadata),
    },
  ];
};

export const decideTask = (command: TaskCommand, state: Task): TaskEvent[] => {
  switch (command.type) {
    case 'IssueTask':
      return issue(command, state);
    case 'AssignTask':
      return assign(command, state);
    case 'ChangeTaskStatus':
      return changeStatus(command, state);
    case 'ReviseTask':
      return revise(command, state);
    case 'WithdrawTask':
      return withdraw(command, state);
    default: {
      const unknown: never = command;
      throw new ValidationError(`Unknown command ${(unknown as { type: string }).type}`);
    }
  }
};

export const evolveTask = (state: Task, event: TaskEvent): Task => {
  switch (event.type) {
    case 'TaskIssued': {
      const { data } = event;
      return {
        status: 'not_started',
        taskId: data.taskId,
        planId: data.planId,
        planNumber: data.planNumber,
        ref: data.ref,
        title: data.title,
        group: data.group,
        deliverable: data.deliverable,
        deadline: data.deadline,
        supervisor: data.supervisor,
        note: data.note,
        lead: null,
        coordinators: [],
        completedAt: null,
        withdrawnAt: null,
      };
    }
    case 'TaskAssigned':
      if (state.status === 'none') return state;
      return { ...state, lead: event.data.lead, coordinators: event.data.coordinators };
    case 'TaskStatusChanged':
      if (state.status === 'none') return state;
      return {
        ...state,
        status: event.data.to,
        completedAt: event.data.to === 'completed' ? event.data.changedAt : null,
      };
    case 'TaskRevised':
      if (state.status === 'none') return state;
      return { ...state, ...event.data.changes };
    case 'TaskWithdrawn':
      if (state.status === 'none') return state;
      return { ...state, withdrawnAt: event.data.withdrawnAt };
    default:
      return state;
  }
};

export const taskDecider: Decider<Task, TaskCommand, TaskEvent> = {
  decide: decideTask,
  evolve: evolveTask,
  initialState: initialTaskState,
};

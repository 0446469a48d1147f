import {
  auditOf,
  ForbiddenError,
  IllegalStateError,
  isCalendarDay,
  NotFoundError,
  requireText,
  ValidationError,
  type CommandMetadata,
  type Decider,
  type PlanId,
  type TaskId,
  localDayOf,
  formerLeadAfter,
} from '@mandate/kernel';
import type { AgencyRef } from '../agency';
import type { DeadlineSpec } from '../deadline-spec';
import type { TaskDraft } from '../plan/plan-draft';
import { sameStored } from '../stored-form';
import type {
  OpenOccurrences,
  LinkTask,
  MarkDeadline,
  EditTask,
  ApproveExtension,
  AssignTask,
  HandOverTask,
  MoveTaskToCity,
  ChangeTaskStatus,
  IssueTask,
  RejectExtension,
  ReportProgress,
  RequestExtension,
  ReviseTask,
  TaskCommand,
  WithdrawTask,
} from './task.commands';
import type { Succession, TaskEvent, TaskRevision } from './task.events';
import { FINAL_STATUSES, type TaskStatus } from './task-status';
import { timelinessOf } from './timeliness';
import { occurrencesOf } from './occurrences';

export {
  REVISABLE,
  type AmendmentConflict,
  type DocumentTerms,
  type ExtensionRequest,
  type IssuedTask,
  type RevisableField,
  type Task,
  type TaskAdjustment,
} from './task.state';
import {
  REVISABLE,
  type AmendmentConflict,
  type DocumentTerms,
  type ExtensionRequest,
  type IssuedTask,
  type RevisableField,
  type Task,
  type TaskAdjustment,
} from './task.state';

export const initialTaskState = (): Task => ({ status: 'none' });

type Transition = {
  readonly from: readonly TaskStatus[];
  readonly to: TaskStatus;
  /** Who may make it: the lead agency's officers, and/or these roles. */
  readonly leadAgency: boolean;
  readonly roles: readonly CommandMetadata['role'][];
  /** The move must say why (a return, a refusal, a pause, a cancellation). */
  readonly reason?: boolean;
};

/**
 * The lifecycle as offices practise it: the lead agency starts the work, reports it done, or
 * declines it; the planning department or the city office confirms or returns it; only the city
 * office pauses, resumes, cancels, and insists on a declined task. `reason` marks the moves that
 * must say why.
 */
export const TASK_TRANSITIONS: readonly Transition[] = [
  { from: ['not_started', 'returned'], to: 'in_progress', leadAgency: true, roles: ['office'] },
  { from: ['not_started', 'in_progress', 'returned'], to: 'submitted', leadAgency: true, roles: ['office'] },
  { from: ['submitted'], to: 'completed', leadAgency: false, roles: ['office', 'planning'] },
  { from: ['submitted'], to: 'returned', leadAgency: false, roles: ['office', 'planning'], reason: true },
  { from: ['not_started', 'in_progress', 'returned'], to: 'declined', leadAgency: true, roles: [], reason: true },
  { from: ['declined'], to: 'not_started', leadAgency: false, roles: ['office'], reason: true },
  { from: ['not_started', 'in_progress', 'submitted', 'returned', 'declined'], to: 'paused', leadAgency: false, roles: ['office'], reason: true },
  { from: ['not_started', 'in_progress', 'submitted', 'returned', 'paused', 'declined'], to: 'cancelled', leadAgency: false, roles: ['office'], reason: true },
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

const assignment = (
  task: IssuedTask,
  lead: AgencyRef,
  coordinators: readonly AgencyRef[],
  metadata: CommandMetadata,
  handOver: { reason: string; succession: Succession } | null = null,
): TaskEvent => ({
  type: 'TaskAssigned',
  data: {
    taskId: task.taskId,
    planId: task.planId,
    lead,
    coordinators: [...coordinators],
    previousLeadAgencyId: task.lead?.agencyId ?? null,
    assignedAt: metadata.now.toISOString(),
    reason: handOver?.reason ?? null,
    succession: handOver?.succession ?? null,
  },
  metadata: auditOf(metadata),
});

const assignmentOf = (terms: Pick<TaskDraft, 'lead' | 'coordinators'>) => ({ lead: terms.lead, coordinators: terms.coordinators });

const sameAssignment = (a: Pick<TaskDraft, 'lead' | 'coordinators'>, b: Pick<TaskDraft, 'lead' | 'coordinators'>): boolean =>
  (a.lead && b.lead ? sameAgencies([a.lead], [b.lead]) : a.lead === b.lead) && sameAgencies(a.coordinators, b.coordinators);

/**
 * Three-way merge of an amendment: a field the new version changes (against the previous version,
 * not against the task as it stands) is revised; a field it leaves as it was keeps whatever the
 * office or an extension made of it since. Values are compared in their stored form.
 */
const documentChanges = (task: IssuedTask, draft: TaskDraft): { fields: RevisableField[]; assignment: boolean } => ({
  fields: REVISABLE.filter((field) => !sameStored(draft[field], task.document[field]) && !sameStored(draft[field], task[field])),
  assignment: draft.lead !== null && !sameAssignment(draft, task.document) && !sameAssignment(draft, task),
});

/** What a revision by `draft` overrides of the changes made to the task since its document last spoke. */
export const amendmentConflicts = (task: IssuedTask, draft: TaskDraft): AmendmentConflict[] => {
  const { fields, assignment } = documentChanges(task, draft);
  return [
    ...fields.filter((field) => !sameStored(task[field], task.document[field])).map((field) => ({ field, was: task[field], now: draft[field] })),
    ...(assignment && !sameAssignment(task, task.document) ? [{ field: 'assignment' as const, was: assignmentOf(task), now: assignmentOf(draft) }] : []),
  ];
};

const revise = ({ data, metadata }: ReviseTask, state: Task): TaskEvent[] => {
  if (metadata.role !== 'office') throw new ForbiddenError('Only the city office amends plans', 'amend-forbidden');
  const task = requireIssued(state);
  const { draft } = data;
  if (!draft.title.trim()) throw new ValidationError('A task needs a title', 'task-title-missing');
  const changed = documentChanges(task, draft);
  const changes: Record<string, unknown> = {};
  for (const field of changed.fields) changes[field] = draft[field];
  const events: TaskEvent[] = [];
  if (Object.keys(changes).length > 0) {
    events.push({
      type: 'TaskRevised',
      data: { taskId: task.taskId, planId: task.planId, changes: changes as TaskRevision, revisedAt: metadata.now.toISOString() },
      metadata: auditOf(metadata),
    });
  }
  if (changed.assignment && draft.lead) events.push(assignment(task, draft.lead, draft.coordinators, metadata));
  return events;
};

const openOccurrences = ({ metadata }: OpenOccurrences, state: Task): TaskEvent[] => {
  const task = requireIssued(state);
  if (task.withdrawnAt || FINAL_STATUSES.includes(task.status) || task.status === 'paused') return [];
  const opened = task.occurrence?.n ?? 0;
  return occurrencesOf(task.deadline, localDayOf(new Date(task.issuedAt)), metadata.now)
    .filter((o) => o.n > opened)
    .map((o) => ({
      type: 'TaskOccurrenceOpened' as const,
      data: {
        taskId: task.taskId,
        planId: task.planId,
        occurrence: o.n,
        periodStart: o.periodStart,
        due: o.due,
        kind: task.deadline.kind === 'continuous' ? ('check-in' as const) : ('report' as const),
        openedAt: metadata.now.toISOString(),
      },
      metadata: auditOf(metadata),
    }));
};

const link = ({ data, metadata }: LinkTask, state: Task): TaskEvent[] => {
  if (metadata.role !== 'office') throw new ForbiddenError('Only the city office links tasks across plans', 'link-forbidden');
  const task = requireActive(state);
  if (data.parentTaskId === task.taskId) throw new ValidationError('A task cannot carry out itself', 'link-self');
  if (task.parentTaskId === data.parentTaskId) return [];
  return [
    {
      type: 'TaskLinkedToParent',
      data: { taskId: task.taskId, planId: task.planId, parentTaskId: data.parentTaskId, linkedAt: metadata.now.toISOString() },
      metadata: auditOf(metadata),
    },
  ];
};

/** Statuses in which the lead agency still owes the work by the due date. */
const OWING: readonly TaskStatus[] = ['not_started', 'in_progress', 'returned', 'declined'];

const markDeadline = ({ data, metadata }: MarkDeadline, state: Task): TaskEvent[] => {
  const task = requireIssued(state);
  const due = task.deadline.due;
  if (task.withdrawnAt || !due || !OWING.includes(task.status)) return [];
  // The check is made at the command's instant; early or late scans decide nothing wrong.
  const timeliness = timelinessOf(task, metadata.now, data.dueSoonDays);
  const at = metadata.now.toISOString();
  const wanted = (mark: 'due_soon' | 'overdue') => data.mark === undefined || data.mark === mark;
  if (wanted('overdue') && timeliness === 'overdue' && task.overdueMarkedFor !== due) {
    return [{ type: 'TaskBecameOverdue', data: { taskId: task.taskId, planId: task.planId, due, at }, metadata: auditOf(metadata) }];
  }
  if (wanted('due_soon') && timeliness === 'due_soon' && task.dueSoonMarkedFor !== due) {
    return [{ type: 'TaskBecameDueSoon', data: { taskId: task.taskId, planId: task.planId, due, at }, metadata: auditOf(metadata) }];
  }
  return [];
};

const edit = ({ data, metadata }: EditTask, state: Task): TaskEvent[] => {
  if (metadata.role !== 'office') throw new ForbiddenError('Only the city office edits a task', 'edit-forbidden');
  const task = requireActive(state);
  if (FINAL_STATUSES.includes(task.status)) throw new IllegalStateError(`A ${task.status} task is not edited`, 'task-closed');
  const reason = requireText(data.reason, 'reason', 'reason-required');
  const changes: TaskRevision = {};
  if (data.title !== undefined && data.title.trim() !== task.title) {
    if (!data.title.trim()) throw new ValidationError('A task needs a title', 'task-title-missing');
    changes.title = data.title.trim();
  }
  if (data.deadline !== undefined && !sameStored(data.deadline, task.deadline)) changes.deadline = data.deadline;
  if (Object.keys(changes).length === 0) return [];
  return [
    {
      type: 'TaskRevised',
      data: { taskId: task.taskId, planId: task.planId, changes, revisedAt: metadata.now.toISOString(), reason },
      metadata: auditOf(metadata),
    },
  ];
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
        reason: null,
        succession: null,
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
  if (FINAL_STATUSES.includes(task.status)) throw new IllegalStateError(`A ${task.status} task cannot be reassigned`, 'task-closed');
  if (task.lead && sameAgencies([task.lead], [data.lead]) && sameAgencies(task.coordinators, data.coordinators)) {
    return [];
  }
  const events = [assignment(task, data.lead, data.coordinators, metadata)];
  // A declined task given to another agency starts over with it.
  if (task.status === 'declined') events.push(statusChanged(task, 'not_started', `Giao lại cho ${data.lead.name}`, metadata));
  return events;
};

const handOver = ({ data, metadata }: HandOverTask, state: Task): TaskEvent[] => {
  const task = requireActive(state);
  // The office after its agencies merged; the platform operator after the city merged into another.
  if (metadata.role !== 'office' && metadata.role !== 'operator')
    throw new ForbiddenError('Only the city office hands tasks over to a successor', 'assign-forbidden');
  if (FINAL_STATUSES.includes(task.status)) return [];
  const merged = (ref: AgencyRef | null) => ref?.agencyId != null && data.predecessorIds.includes(ref.agencyId);
  const lead = task.lead && merged(task.lead) ? data.successor : task.lead;
  if (!lead) return [];
  // Coordinators merged pass to the successor too, once, and not beside it as the lead.
  const coordinators = [
    ...new Map(task.coordinators.map((c) => (merged(c) ? data.successor : c)).map((c) => [c.agencyId ?? `name:${c.name}`, c])).values(),
  ].filter((c) => c.agencyId === null || c.agencyId !== lead.agencyId);
  if (task.lead && sameAgencies([task.lead], [lead]) && sameAgencies(task.coordinators, coordinators)) return [];
  const reason = requireText(data.reason, 'reason', 'reason-required');
  if (data.effectiveOn != null && !isCalendarDay(data.effectiveOn)) throw new ValidationError('effectiveOn: a day as YYYY-MM-DD', 'invalid-effective-day');
  return [
    assignment(task, lead, coordinators, metadata, { reason, succession: { predecessorIds: [...data.predecessorIds], effectiveOn: data.effectiveOn ?? null } }),
  ];
};

/** A merged city's task goes on in its successor (the command's city), whole, withdrawn or closed ones too. */
const moveToCity = ({ data, metadata }: MoveTaskToCity, state: Task): TaskEvent[] => {
  if (metadata.role !== 'operator') throw new ForbiddenError('Only the platform operator moves a task to another city', 'operator-only');
  const task = requireIssued(state);
  if (data.fromCityId === metadata.cityId) throw new ValidationError('A task moves to another city', 'same-city');
  return [
    {
      type: 'TaskMovedToCity',
      data: {
        taskId: task.taskId,
        planId: task.planId,
        fromCityId: data.fromCityId,
        toCityId: metadata.cityId,
        reason: requireText(data.reason, 'reason', 'reason-required'),
        movedAt: metadata.now.toISOString(),
        task,
      },
      metadata: auditOf(metadata),
    },
  ];
};

/** An officer of `agency` (the lead, a coordinator) acting for it. */
const isOfficerOf = (agency: AgencyRef | null, metadata: CommandMetadata): boolean =>
  metadata.role === 'agency' && agency?.agencyId != null && agency.agencyId === metadata.agencyId;

const statusChanged = (task: IssuedTask, to: TaskStatus, note: string, metadata: CommandMetadata): TaskEvent => ({
  type: 'TaskStatusChanged',
  data: { taskId: task.taskId, planId: task.planId, from: task.status, to, note, changedAt: metadata.now.toISOString() },
  metadata: auditOf(metadata),
});

const changeStatus = ({ data, metadata }: ChangeTaskStatus, state: Task): TaskEvent[] => {
  const task = requireActive(state);
  if (task.status === data.to) return [];
  // Resuming a paused task returns it to where it was paused.
  const resume: Transition | undefined =
    task.status === 'paused' && task.pausedFrom === data.to ? { from: ['paused'], to: data.to, leadAgency: false, roles: ['office'] } : undefined;
  const transition = resume ?? TASK_TRANSITIONS.find((t) => t.to === data.to && t.from.includes(task.status));
  if (!transition) {
    throw new IllegalStateError(`A task cannot go from ${task.status} to ${data.to}`, 'transition-not-allowed', {
      from: task.status,
      to: data.to,
    });
  }
  const allowed = transition.roles.includes(metadata.role) || (transition.leadAgency && isOfficerOf(task.lead, metadata));
  if (!allowed) {
    const who = [...(transition.leadAgency ? ['an officer of the lead agency'] : []), ...transition.roles].join(' or ');
    throw new ForbiddenError(`Only ${who} may move this task to ${data.to}`, 'status-change-forbidden');
  }
  if (transition.reason && !data.note.trim()) {
    throw new ValidationError(`Moving a task to ${data.to} needs a reason`, 'reason-required');
  }
  if (data.note.length > 4000) throw new ValidationError('The note is at most 4000 characters', 'note-too-long');
  return [statusChanged(task, data.to, data.note.trim(), metadata)];
};

const OWNER_ROLES: readonly CommandMetadata['role'][] = ['office', 'planning'];
const CLOSED: readonly TaskStatus[] = ['completed', 'cancelled', 'paused'];

const reportProgress = ({ data, metadata }: ReportProgress, state: Task): TaskEvent[] => {
  const task = requireActive(state);
  // The lead and the coordinating agencies report; the office may record a report it received.
  const reporter = metadata.role === 'office' || isOfficerOf(task.lead, metadata) || task.coordinators.some((c) => isOfficerOf(c, metadata));
  if (!reporter) throw new ForbiddenError('Only officers of the lead or a coordinating agency report progress', 'progress-forbidden');
  if (CLOSED.includes(task.status)) throw new IllegalStateError(`A ${task.status} task takes no progress reports`, 'task-closed');
  if (!Number.isInteger(data.percent) || data.percent < 0 || data.percent > 100) {
    throw new ValidationError('percent is a whole number from 0 to 100', 'progress-percent-invalid');
  }
  if (data.attachments.length > 20) throw new ValidationError('At most 20 attachments per report', 'progress-attachments-invalid');
  for (const a of data.attachments) {
    if (!a.name.trim() || !a.contentType.trim() || !Number.isInteger(a.size) || a.size < 0) {
      throw new ValidationError('An attachment needs a name, a content type and a size in whole bytes', 'progress-attachments-invalid');
    }
  }
  return [
    {
      type: 'ProgressReported',
      data: {
        taskId: task.taskId,
        planId: task.planId,
        percent: data.percent,
        text: requireText(data.text, 'text', 'progress-text-invalid'),
        attachments: data.attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, url: a.url })),
        reportedAt: metadata.now.toISOString(),
      },
      metadata: auditOf(metadata),
    },
  ];
};

const requestExtension = ({ data, metadata }: RequestExtension, state: Task): TaskEvent[] => {
  const task = requireActive(state);
  const known = task.extensions.find((e) => e.requestId === data.requestId);
  if (known) {
    // A retry of the same request changes nothing; the same id for another request is a mistake.
    if (known.until === data.until && known.reason === data.reason.trim()) return [];
    throw new ValidationError(`Extension request ${data.requestId} was made with other terms`, 'extension-id-reused');
  }
  if (!isOfficerOf(task.lead, metadata)) throw new ForbiddenError('Only an officer of the lead agency asks for an extension', 'extension-forbidden');
  if (CLOSED.includes(task.status)) throw new IllegalStateError(`A ${task.status} task cannot be extended`, 'task-closed');
  if (task.extensions.some((e) => e.status === 'pending')) {
    throw new IllegalStateError('An extension request is already waiting for a decision', 'extension-pending');
  }
  if (!data.requestId.trim()) throw new ValidationError('An extension request needs an id', 'extension-id-invalid');
  if (!isCalendarDay(data.until)) {
    throw new ValidationError(`until is a day that exists, YYYY-MM-DD, from 1900 to 2200 (not "${data.until}")`, 'extension-until-invalid');
  }
  if (task.deadline.due && data.until <= task.deadline.due) {
    throw new ValidationError(`until must be after the current due date ${task.deadline.due}`, 'extension-until-invalid');
  }
  return [
    {
      type: 'ExtensionRequested',
      data: {
        taskId: task.taskId,
        planId: task.planId,
        requestId: data.requestId,
        until: data.until,
        reason: requireText(data.reason, 'reason', 'extension-reason-invalid'),
        requestedAt: metadata.now.toISOString(),
      },
      metadata: auditOf(metadata),
    },
  ];
};

const pendingRequest = (task: IssuedTask, requestId: string, metadata: CommandMetadata): ExtensionRequest => {
  if (!OWNER_ROLES.includes(metadata.role)) {
    throw new ForbiddenError('Extensions are decided by the city office or the planning department', 'extension-decision-forbidden');
  }
  const request = task.extensions.find((e) => e.requestId === requestId);
  if (!request) throw new NotFoundError(`No extension request ${requestId} on this task`, 'extension-not-found');
  return request;
};

const dayMonthYear = (iso: string): string => `${Number(iso.slice(8, 10))}/${Number(iso.slice(5, 7))}/${iso.slice(0, 4)}`;

const approveExtension = ({ data, metadata }: ApproveExtension, state: Task): TaskEvent[] => {
  const task = requireActive(state);
  const request = pendingRequest(task, data.requestId, metadata);
  if (request.status === 'approved') return [];
  if (request.status !== 'pending') throw new IllegalStateError(`Extension request ${data.requestId} was ${request.status}`, 'extension-decided');
  const deadline: DeadlineSpec = { text: `Gia hạn đến ngày ${dayMonthYear(request.until)}`, kind: 'date', due: request.until, start: null, recurrence: null };
  return [
    {
      type: 'ExtensionApproved',
      data: {
        taskId: task.taskId,
        planId: task.planId,
        requestId: data.requestId,
        previousDeadline: task.deadline,
        deadline,
        note: data.note.trim(),
        approvedAt: metadata.now.toISOString(),
      },
      metadata: auditOf(metadata),
    },
  ];
};

const rejectExtension = ({ data, metadata }: RejectExtension, state: Task): TaskEvent[] => {
  const task = requireActive(state);
  const request = pendingRequest(task, data.requestId, metadata);
  if (request.status === 'rejected') return [];
  if (request.status !== 'pending') throw new IllegalStateError(`Extension request ${data.requestId} was ${request.status}`, 'extension-decided');
  return [
    {
      type: 'ExtensionRejected',
      data: {
        taskId: task.taskId,
        planId: task.planId,
        requestId: data.requestId,
        reason: requireText(data.reason, 'reason', 'extension-reason-invalid'),
        rejectedAt: metadata.now.toISOString(),
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
    case 'HandOverTask':
      return handOver(command, state);
    case 'MoveTaskToCity':
      return moveToCity(command, state);
    case 'ChangeTaskStatus':
      return changeStatus(command, state);
    case 'ReviseTask':
      return revise(command, state);
    case 'WithdrawTask':
      return withdraw(command, state);
    case 'ReportProgress':
      return reportProgress(command, state);
    case 'EditTask':
      return edit(command, state);
    case 'MarkDeadline':
      return markDeadline(command, state);
    case 'LinkTask':
      return link(command, state);
    case 'OpenOccurrences':
      return openOccurrences(command, state);
    case 'RequestExtension':
      return requestExtension(command, state);
    case 'ApproveExtension':
      return approveExtension(command, state);
    case 'RejectExtension':
      return rejectExtension(command, state);
    default: {
      const unknown: never = command;
      throw new ValidationError(`Unknown command ${(unknown as { type: string }).type}`);
    }
  }
};

export const evolveTask = (state: Task, event: TaskEvent): Task => {
  switch (event.type) {
    case 'TaskMovedToCity':
      return event.data.task;
    case 'TaskIssued': {
      const { data } = event;
      // What the document states, kept twice: as the task's terms, and as what the next version is compared with.
      const { ref, title, group, deliverable, deadline, supervisor, note } = data;
      const terms = { ref, title, group, deliverable, deadline, supervisor, note, lead: null, coordinators: [] };
      return {
        status: 'not_started',
        taskId: data.taskId,
        planId: data.planId,
        planNumber: data.planNumber,
        ...terms,
        formerLead: null,
        completedAt: null,
        withdrawnAt: null,
        progress: null,
        dueSoonMarkedFor: null,
        overdueMarkedFor: null,
        parentTaskId: null,
        issuedAt: data.issuedAt,
        occurrence: null,
        pausedFrom: null,
        extensions: [],
        adjusted: null,
        document: { ...terms, at: data.issuedAt },
      };
    }
    case 'TaskAssigned': {
      if (state.status === 'none') return state;
      const { lead, coordinators, assignedAt, succession } = event.data;
      // Issue and amendment assign in the same decision as they state the terms; the office's reassignment comes later.
      const document = assignedAt === state.document.at ? { ...state.document, lead, coordinators } : state.document;
      return { ...state, lead, formerLead: formerLeadAfter(state.lead, state.formerLead, lead, succession), coordinators, document };
    }
    case 'TaskStatusChanged':
      if (state.status === 'none') return state;
      return {
        ...state,
        status: event.data.to,
        completedAt: event.data.to === 'completed' ? event.data.changedAt : null,
        pausedFrom: event.data.to === 'paused' ? event.data.from : null,
      };
    case 'TaskRevised':
      if (state.status === 'none') return state;
      return {
        ...state,
        ...event.data.changes,
        adjusted: { at: event.data.revisedAt, reason: event.data.reason ?? null, fields: Object.keys(event.data.changes).sort() },
        // Without a reason it is an amended document's revision; with one, the owner's edit.
        document: event.data.reason === undefined ? { ...state.document, ...event.data.changes, at: event.data.revisedAt } : state.document,
      };
    case 'TaskWithdrawn':
      if (state.status === 'none') return state;
      return { ...state, withdrawnAt: event.data.withdrawnAt };
    case 'TaskOccurrenceOpened':
      if (state.status === 'none') return state;
      return { ...state, occurrence: { n: event.data.occurrence, due: event.data.due } };
    case 'TaskLinkedToParent':
      if (state.status === 'none') return state;
      return { ...state, parentTaskId: event.data.parentTaskId };
    case 'TaskBecameDueSoon':
      if (state.status === 'none') return state;
      return { ...state, dueSoonMarkedFor: event.data.due };
    case 'TaskBecameOverdue':
      if (state.status === 'none') return state;
      return { ...state, overdueMarkedFor: event.data.due };
    case 'ProgressReported':
      if (state.status === 'none') return state;
      return { ...state, progress: { percent: event.data.percent, text: event.data.text, at: event.data.reportedAt } };
    case 'ExtensionRequested': {
      if (state.status === 'none') return state;
      const { requestId, until, reason } = event.data;
      return { ...state, extensions: [...state.extensions, { requestId, until, reason, status: 'pending' }] };
    }
    case 'ExtensionApproved':
      if (state.status === 'none') return state;
      return {
        ...state,
        deadline: event.data.deadline,
        extensions: state.extensions.map((e) => (e.requestId === event.data.requestId ? { ...e, status: 'approved' } : e)),
      };
    case 'ExtensionRejected':
      if (state.status === 'none') return state;
      return { ...state, extensions: state.extensions.map((e) => (e.requestId === event.data.requestId ? { ...e, status: 'rejected' } : e)) };
    default:
      return state;
  }
};

export const taskDecider: Decider<Task, TaskCommand, TaskEvent> = {
  decide: decideTask,
  evolve: evolveTask,
  initialState: initialTaskState,
};

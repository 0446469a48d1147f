/**
 * Integration events the platform's services publish: the plans service (plans and tasks) and the
 * reporting service (agency reports). These are contracts with other services and other systems: a
 * change is a new version (`….v2`) published next to the old one, never an edit. Shapes are
 * independent of the domain events they are mapped from.
 */
export const PLANS_TOPIC = 'mandate.plans.v1';
export const TASKS_TOPIC = 'mandate.tasks.v1';
/** Agency reports, published by the reporting service. */
export const REPORTS_TOPIC = 'mandate.reports.v1';
/**
 * The cities the deployment serves, from the operator log (plans service). Each message carries the
 * city's whole state after the change, keyed by its stream, so the topic compacted to its last
 * message per key is the registry every process reads at start.
 */
export const CITIES_TOPIC = 'mandate.cities.v1';

export type AgencyRefV1 = { agencyId: string | null; name: string; resolution: 'resolved' | 'group' | 'unresolved' };
export type DeadlineV1 = { text: string; kind: string; due: string | null };

export type PlanIssuedV1 = {
  planId: string;
  number: string;
  kind: 'plan' | 'directive';
  title: string;
  issuedOn: string;
  issuer: string;
  taskCount: number;
  taskIds: string[];
};

/** As v1, except that `number` and `issuedOn` are null for a copy before signing the office tracks as it is. */
export type PlanIssuedV2 = Omit<PlanIssuedV1, 'number' | 'issuedOn'> & { number: string | null; issuedOn: string | null };

/** A plan tracked without number or date got them (its signed version imported as its amendment): as they now read. */
export type PlanNumberedV1 = { planId: string; number: string | null; issuedOn: string | null; numberedAt: string };

/** What the office corrected in an imported document before confirming it, and who (after the plan.issued/amended of that import). */
export type PlanImportReviewedV1 = {
  planId: string;
  document: string;
  reviewedBy: string;
  changes: { path: string; from: unknown; to: unknown }[];
  reviewedAt: string;
};

export type TaskIssuedV1 = {
  taskId: string;
  planId: string;
  planNumber: string;
  ref: string;
  title: string;
  deadline: DeadlineV1;
  status: 'not_started';
};

/** As v1, plus what the document says around the task (its group heading, deliverable, supervisor, note) and when it was issued. */
export type TaskIssuedV2 = {
  taskId: string;
  planId: string;
  planNumber: string;
  ref: string;
  title: string;
  /** The group heading of the plan's appendix the task sits under, e.g. "I. Hoàn thiện thể chế". */
  group: string | null;
  /** Sản phẩm: what the task is to deliver. */
  deliverable: string | null;
  deadline: DeadlineV1;
  /** The supervising leader, as the document writes it. */
  supervisor: string | null;
  /** Ghi chú. */
  note: string | null;
  status: 'not_started';
  issuedAt: string;
};

/** As v2, except that `planNumber` is null while the plan has no number. */
export type TaskIssuedV3 = Omit<TaskIssuedV2, 'planNumber'> & { planNumber: string | null };

export type TaskAssignedV1 = {
  taskId: string;
  planId: string;
  lead: AgencyRefV1;
  coordinators: AgencyRefV1[];
  previousLeadAgencyId: string | null;
};

/**
 * As v1, plus why (`reason`, when not the office's own choice) and, for a hand-over after agencies
 * merged, the merger it carries out: counts can still show the task under the predecessor.
 */
export type TaskAssignedV2 = TaskAssignedV1 & {
  reason: string | null;
  succession: { predecessorAgencyIds: string[]; effectiveOn: string | null } | null;
};

export type TaskStatusChangedV1 = {
  taskId: string;
  planId: string;
  from: string;
  to: string;
  note: string;
  changedAt: string;
  actor: { userId: string; role: string; agencyId: string | null };
};

/** As v1, in the codes of TASK_STATUS_CODES_V2. */
export type TaskStatusChangedV2 = {
  taskId: string;
  planId: string;
  from: TaskStatusCodeV2;
  to: TaskStatusCodeV2;
  note: string;
  changedAt: string;
  actor: ActorV1;
};

export type PlanAmendedV1 = {
  planId: string;
  number: string;
  title: string;
  addedTaskIds: string[];
  revisedTaskIds: string[];
  withdrawnTaskIds: string[];
  amendedAt: string;
};

/** As v1, except that `number` is null while the plan has none. */
export type PlanAmendedV2 = Omit<PlanAmendedV1, 'number'> & { number: string | null };

/** A target of an indicator for a horizon: as written, and as far as it reads as numbers (`value`, or `min`/`max`). */
export type IndicatorTargetV1 = {
  /** The year it is for; null when the document names none. */
  horizon: number | null;
  text: string;
  value?: number;
  min?: number;
  max?: number;
};

/** An indicator (chỉ tiêu) of a plan: what is measured, in which unit, its targets, who leads it. */
export type IndicatorV1 = {
  /** Its number in the document: "1", "(3)", "PL1.2.a". */
  ref: string;
  group: string | null;
  name: string;
  /** Đơn vị tính. */
  unit: string | null;
  targets: IndicatorTargetV1[];
  /** Đơn vị chủ trì; null when the document names none. */
  lead: { agencyId: string | null; name: string } | null;
};

/** The full set of the plan's indicators as its current document states them (empty: it now sets none). */
export type PlanIndicatorsSetV1 = {
  planId: string;
  indicators: IndicatorV1[];
  setAt: string;
};

/** Only the fields that changed, with their new values (at least one). */
export type TaskRevisionV1 = {
  ref?: string;
  title?: string;
  deadline?: DeadlineV1;
  deliverable?: string | null;
  note?: string | null;
  supervisor?: string | null;
  group?: string | null;
};

export type TaskRevisedV1 = {
  taskId: string;
  planId: string;
  changes: TaskRevisionV1;
  revisedAt: string;
};

export type TaskWithdrawnV1 = {
  taskId: string;
  planId: string;
  reason: string;
  withdrawnAt: string;
};

/** Who did it, from the event metadata: the shape of TaskStatusChangedV1's actor. */
export type ActorV1 = { userId: string; role: string; agencyId: string | null };

export type AttachmentV1 = { name: string; contentType: string; size: number; url: string | null };

export type TaskProgressReportedV1 = {
  taskId: string;
  planId: string;
  percent: number;
  text: string;
  attachments: AttachmentV1[];
  reportedAt: string;
  actor: ActorV1;
};

export type TaskExtensionRequestedV1 = {
  taskId: string;
  planId: string;
  requestId: string;
  until: string;
  reason: string;
  requestedAt: string;
  actor: ActorV1;
};

export type TaskExtensionApprovedV1 = {
  taskId: string;
  planId: string;
  requestId: string;
  previousDue: string | null;
  deadline: DeadlineV1;
  note: string;
  approvedAt: string;
  actor: ActorV1;
};

export type TaskExtensionRejectedV1 = {
  taskId: string;
  planId: string;
  requestId: string;
  reason: string;
  rejectedAt: string;
  actor: ActorV1;
};

/** Time as an event: the due day is near and the work is not done (once per task and due date). */
export type TaskDueSoonV1 = {
  taskId: string;
  planId: string;
  due: string;
  at: string;
};

/** Time as an event: the due day has ended and the work is not done (once per task and due date). */
export type TaskOverdueV1 = {
  taskId: string;
  planId: string;
  due: string;
  at: string;
};

/** A repeating duty's period began: a report (recurring deadline) or a check-in (continuous duty) is owed by `due`. */
export type TaskOccurrenceOpenedV1 = {
  taskId: string;
  planId: string;
  occurrence: number;
  periodStart: string;
  due: string;
  kind: 'report' | 'check-in';
  openedAt: string;
};

/** Cascade: the task carries out `parentTaskId`. */
export type TaskLinkedV1 = {
  taskId: string;
  planId: string;
  parentTaskId: string;
  linkedAt: string;
};

/*
 * Agency reports (báo cáo định kỳ), from the reporting service's log. Each carries the report's ids
 * and the period it is for, so a consumer needs no other message to say who owes what by when; never
 * a person's contact data. The city is the CloudEvent's `cityid`.
 */

/** An agency is asked for its report on a plan for a reporting period, once per agency, plan and period. */
export type ReportRequestedV1 = {
  reportId: string;
  planId: string;
  planNumber: string;
  /** The reporting agency. */
  agencyId: string;
  /** Who receives it, as the plan or the duty names it (gửi về …); a name: receivers are not resolved to agency ids. */
  receiver: string;
  /** The reporting period, e.g. 2024-Q1, 2024-M03, 2024-H1, 2024-9M, 2024-Y. */
  periodKey: string;
  /** The sending day: a report sent after it ends (Vietnam time) is late. */
  dueOn: string;
  /** The tasks the agency leads in the plan, which the report covers. */
  taskIds: string[];
  requestedAt: string;
};

/** The agency sent its report (again, after a return); `late` once it was sent after the sending day. */
export type ReportSubmittedV1 = {
  reportId: string;
  planId: string;
  agencyId: string;
  periodKey: string;
  dueOn: string;
  submittedAt: string;
  late: boolean;
};

/** The receiver sent the report back to be redone, saying why. */
export type ReportReturnedV1 = {
  reportId: string;
  planId: string;
  agencyId: string;
  periodKey: string;
  dueOn: string;
  reason: string;
  returnedAt: string;
};

/** The receiver took the report in. */
export type ReportAcceptedV1 = {
  reportId: string;
  planId: string;
  agencyId: string;
  periodKey: string;
  dueOn: string;
  acceptedAt: string;
};

/** Time as an event: the sending day ended and the report is not in (once per report). */
export type ReportOverdueV1 = {
  reportId: string;
  planId: string;
  agencyId: string;
  periodKey: string;
  dueOn: string;
  markedAt: string;
};

/** A city as the operator last set it: settings and whether it is served (active) or suspended. */
export type CityV1 = {
  cityId: string;
  name: string;
  level: 'province' | 'city';
  /** IANA time zone its days are counted in. */
  timeZone: string;
  /** Days before a due date a task shows as due soon (sắp đến hạn). */
  dueSoonDays: number;
  /** Its departures from NĐ 09/2019's reporting calendar; {} keeps the decree's days (cut-off 15, sending 20). */
  reporting: { cutoffDay?: number; dueDay?: number | Partial<Record<'month' | 'quarter' | 'half' | 'nine_months' | 'year', number>> };
  status: 'active' | 'suspended';
  /** The city's own identity provider (its tokens may speak for this city only), or null: the deployment's. */
  identityProvider: { issuer: string; audience: string; jwksUrl: string | null; claims: { city: string; role: string; agency: string } } | null;
};

/** The operator created a city: the deployment serves it from now on. */
export type CityCreatedV1 = { city: CityV1; reason: string; createdAt: string; actor: ActorV1 };
/** The operator changed some of a city's settings (`changed` names them: name, level, timeZone, dueSoonDays, reporting, identityProvider); `city` is the whole city after. */
export type CitySettingsChangedV1 = { city: CityV1; changed: string[]; reason: string; changedAt: string; actor: ActorV1 };
/** The operator suspended a city: its users and keys are refused until it is resumed; nothing of it is lost. */
export type CitySuspendedV1 = { city: CityV1; reason: string; suspendedAt: string; actor: ActorV1 };
/** The operator resumed a suspended city. */
export type CityResumedV1 = { city: CityV1; reason: string; resumedAt: string; actor: ActorV1 };

/** The operator merged a city into another (`into`); `city`: as it last served. Its last message: it takes no more changes. */
export type CityMergedV1 = { city: CityV1; into: string; reason: string; mergedAt: string; actor: ActorV1 };
/** A merged city's plan goes on in its successor (this message's cityid), same id. */
export type PlanMovedV1 = { planId: string; fromCityId: string; taskIds: string[]; reason: string; movedAt: string };
/** A merged city's task goes on in its successor (this message's cityid), same id. */
export type TaskMovedV1 = { taskId: string; planId: string; fromCityId: string; reason: string; movedAt: string };

export const CITY_CREATED_V1 = 'vn.mandate.city.created.v1';
export const CITY_MERGED_V1 = 'vn.mandate.city.merged.v1';
export const PLAN_MOVED_V1 = 'vn.mandate.plan.moved.v1';
export const TASK_MOVED_V1 = 'vn.mandate.task.moved.v1';
export const CITY_SETTINGS_CHANGED_V1 = 'vn.mandate.city.settings-changed.v1';
export const CITY_SUSPENDED_V1 = 'vn.mandate.city.suspended.v1';
export const CITY_RESUMED_V1 = 'vn.mandate.city.resumed.v1';

/** The city a message of mandate.cities.v1 carries (every version), or null for any other type. */
export const cityOfContract = (event: { type: string; data: unknown }): CityV1 | null =>
  event.type.startsWith('vn.mandate.city.') ? ((event.data as { city?: CityV1 }).city ?? null) : null;

/** The city a message of mandate.cities.v1 says its city merged into, or null. */
export const successorOfContract = (event: { type: string; data: unknown }): string | null =>
  event.type === CITY_MERGED_V1 ? (event.data as CityMergedV1).into : null;

/** Retired: see RETIRED_CONTRACTS. */
export const PLAN_ISSUED_V1 = 'vn.mandate.plan.issued.v1';
export const PLAN_ISSUED_V2 = 'vn.mandate.plan.issued.v2';
export const PLAN_NUMBERED_V1 = 'vn.mandate.plan.numbered.v1';
export const PLAN_IMPORT_REVIEWED_V1 = 'vn.mandate.plan.import-reviewed.v1';
/** Retired: see RETIRED_CONTRACTS. */
export const TASK_ISSUED_V1 = 'vn.mandate.task.issued.v1';
/** Retired: see RETIRED_CONTRACTS. */
export const TASK_ISSUED_V2 = 'vn.mandate.task.issued.v2';
export const TASK_ISSUED_V3 = 'vn.mandate.task.issued.v3';
/** Retired: see RETIRED_CONTRACTS. */
export const TASK_ASSIGNED_V1 = 'vn.mandate.task.assigned.v1';
export const TASK_ASSIGNED_V2 = 'vn.mandate.task.assigned.v2';
/** Retired: see RETIRED_CONTRACTS. */
export const TASK_STATUS_CHANGED_V1 = 'vn.mandate.task.status-changed.v1';
export const TASK_STATUS_CHANGED_V2 = 'vn.mandate.task.status-changed.v2';
/** Retired: see RETIRED_CONTRACTS. */
export const PLAN_AMENDED_V1 = 'vn.mandate.plan.amended.v1';
export const PLAN_AMENDED_V2 = 'vn.mandate.plan.amended.v2';
export const TASK_REVISED_V1 = 'vn.mandate.task.revised.v1';
export const TASK_WITHDRAWN_V1 = 'vn.mandate.task.withdrawn.v1';
export const TASK_PROGRESS_REPORTED_V1 = 'vn.mandate.task.progress-reported.v1';
export const TASK_EXTENSION_REQUESTED_V1 = 'vn.mandate.task.extension-requested.v1';
export const TASK_EXTENSION_APPROVED_V1 = 'vn.mandate.task.extension-approved.v1';
export const TASK_EXTENSION_REJECTED_V1 = 'vn.mandate.task.extension-rejected.v1';
export const TASK_DUE_SOON_V1 = 'vn.mandate.task.due-soon.v1';
export const TASK_OVERDUE_V1 = 'vn.mandate.task.overdue.v1';
export const TASK_OCCURRENCE_OPENED_V1 = 'vn.mandate.task.occurrence-opened.v1';
export const TASK_LINKED_V1 = 'vn.mandate.task.linked.v1';
export const PLAN_INDICATORS_SET_V1 = 'vn.mandate.plan.indicators-set.v1';
export const REPORT_REQUESTED_V1 = 'vn.mandate.report.requested.v1';
export const REPORT_SUBMITTED_V1 = 'vn.mandate.report.submitted.v1';
export const REPORT_RETURNED_V1 = 'vn.mandate.report.returned.v1';
export const REPORT_ACCEPTED_V1 = 'vn.mandate.report.accepted.v1';
export const REPORT_OVERDUE_V1 = 'vn.mandate.report.overdue.v1';

export type PlansContract =
  | { type: typeof PLAN_ISSUED_V1; data: PlanIssuedV1 }
  | { type: typeof PLAN_ISSUED_V2; data: PlanIssuedV2 }
  | { type: typeof PLAN_NUMBERED_V1; data: PlanNumberedV1 }
  | { type: typeof PLAN_IMPORT_REVIEWED_V1; data: PlanImportReviewedV1 }
  | { type: typeof TASK_ISSUED_V1; data: TaskIssuedV1 }
  | { type: typeof TASK_ISSUED_V2; data: TaskIssuedV2 }
  | { type: typeof TASK_ISSUED_V3; data: TaskIssuedV3 }
  | { type: typeof TASK_ASSIGNED_V1; data: TaskAssignedV1 }
  | { type: typeof TASK_ASSIGNED_V2; data: TaskAssignedV2 }
  | { type: typeof TASK_STATUS_CHANGED_V1; data: TaskStatusChangedV1 }
  | { type: typeof TASK_STATUS_CHANGED_V2; data: TaskStatusChangedV2 }
  | { type: typeof PLAN_AMENDED_V1; data: PlanAmendedV1 }
  | { type: typeof PLAN_AMENDED_V2; data: PlanAmendedV2 }
  | { type: typeof TASK_REVISED_V1; data: TaskRevisedV1 }
  | { type: typeof TASK_WITHDRAWN_V1; data: TaskWithdrawnV1 }
  | { type: typeof TASK_PROGRESS_REPORTED_V1; data: TaskProgressReportedV1 }
  | { type: typeof TASK_EXTENSION_REQUESTED_V1; data: TaskExtensionRequestedV1 }
  | { type: typeof TASK_EXTENSION_APPROVED_V1; data: TaskExtensionApprovedV1 }
  | { type: typeof TASK_EXTENSION_REJECTED_V1; data: TaskExtensionRejectedV1 }
  | { type: typeof TASK_DUE_SOON_V1; data: TaskDueSoonV1 }
  | { type: typeof TASK_OVERDUE_V1; data: TaskOverdueV1 }
  | { type: typeof TASK_OCCURRENCE_OPENED_V1; data: TaskOccurrenceOpenedV1 }
  | { type: typeof TASK_LINKED_V1; data: TaskLinkedV1 }
  | { type: typeof PLAN_INDICATORS_SET_V1; data: PlanIndicatorsSetV1 }
  | { type: typeof CITY_CREATED_V1; data: CityCreatedV1 }
  | { type: typeof CITY_SETTINGS_CHANGED_V1; data: CitySettingsChangedV1 }
  | { type: typeof CITY_SUSPENDED_V1; data: CitySuspendedV1 }
  | { type: typeof CITY_RESUMED_V1; data: CityResumedV1 }
  | { type: typeof CITY_MERGED_V1; data: CityMergedV1 }
  | { type: typeof PLAN_MOVED_V1; data: PlanMovedV1 }
  | { type: typeof TASK_MOVED_V1; data: TaskMovedV1 };

/** The contracts the reporting service publishes. */
export type ReportsContract =
  | { type: typeof REPORT_REQUESTED_V1; data: ReportRequestedV1 }
  | { type: typeof REPORT_SUBMITTED_V1; data: ReportSubmittedV1 }
  | { type: typeof REPORT_RETURNED_V1; data: ReportReturnedV1 }
  | { type: typeof REPORT_ACCEPTED_V1; data: ReportAcceptedV1 }
  | { type: typeof REPORT_OVERDUE_V1; data: ReportOverdueV1 };

/** Every contract of the platform, whichever service publishes it. */
export type MandateContract = PlansContract | ReportsContract;

/** The codes of vn.mandate.task.status-changed.v1. */
export const TASK_STATUS_CODES = ['not_started', 'in_progress', 'pending_confirmation', 'completed', 'suspended'] as const;
export type TaskStatusCodeV1 = (typeof TASK_STATUS_CODES)[number];

/** The codes of vn.mandate.task.status-changed.v2. */
export const TASK_STATUS_CODES_V2 = ['not_started', 'in_progress', 'submitted', 'completed', 'returned', 'paused', 'cancelled', 'declined'] as const;
export type TaskStatusCodeV2 = (typeof TASK_STATUS_CODES_V2)[number];

/** What v2 calls each v1 code: two were renamed, none lost. */
export const TASK_STATUS_V1_TO_V2: Readonly<Record<TaskStatusCodeV1, TaskStatusCodeV2>> = {
  not_started: 'not_started',
  in_progress: 'in_progress',
  pending_confirmation: 'submitted',
  completed: 'completed',
  suspended: 'paused',
};

/** A status code in v2 terms: a v1 code renamed, any other as it is (read models may hold either). */
export const taskStatusCodeV2Of = (code: string): TaskStatusCodeV2 =>
  Object.hasOwn(TASK_STATUS_V1_TO_V2, code) ? TASK_STATUS_V1_TO_V2[code as TaskStatusCodeV1] : (code as TaskStatusCodeV2);

/**
 * The status change a message carries, in v2 codes, whichever version it is; null for any other
 * type. v1 messages published before 2026-12-02 stay on the topic (and in its dead letters), so
 * consumers read both.
 */
export const taskStatusChangeOf = (event: { type: string; data: unknown }): TaskStatusChangedV2 | null => {
  if (event.type === TASK_STATUS_CHANGED_V2) return event.data as TaskStatusChangedV2;
  if (event.type !== TASK_STATUS_CHANGED_V1) return null;
  const d = event.data as TaskStatusChangedV1;
  return { ...d, from: taskStatusCodeV2Of(d.from), to: taskStatusCodeV2Of(d.to) };
};

/**
 * An issued task as `taskIssuedOf` reads it: TaskIssuedV3, except that `issuedAt` is null when a
 * v1 message is read without its envelope's `time` (a CloudEvent always has one).
 */
export type TaskIssuedRead = Omit<TaskIssuedV3, 'issuedAt'> & { issuedAt: string | null };

/**
 * The issued task a message carries, in the v3 shape, whichever version it is (v2 is v3 with a
 * number always); null for any other type. v1 messages published before 2026-12-02 stay on the topic (and in its dead letters), so
 * consumers read both. A v1 message did not carry group, deliverable, supervisor or note: they read
 * as null (as for a document that states none). Its `issuedAt` is the envelope's `time`: the plans
 * service stamped both from the same instant.
 */
export const taskIssuedOf = (event: { type: string; data: unknown; time?: string }): TaskIssuedRead | null => {
  if (event.type === TASK_ISSUED_V3 || event.type === TASK_ISSUED_V2) return event.data as TaskIssuedV3;
  if (event.type !== TASK_ISSUED_V1) return null;
  const d = event.data as TaskIssuedV1;
  return {
    taskId: d.taskId,
    planId: d.planId,
    planNumber: d.planNumber,
    ref: d.ref,
    title: d.title,
    group: null,
    deliverable: null,
    deadline: d.deadline,
    supervisor: null,
    note: null,
    status: d.status,
    issuedAt: event.time ?? null,
  };
};

/**
 * The issued plan a message carries, in the v2 shape, whichever version it is (v1 is v2 with a
 * number and date always); null for any other type. v1 messages stay on the topic, so consumers read both.
 */
export const planIssuedOf = (event: { type: string; data: unknown }): PlanIssuedV2 | null =>
  event.type === PLAN_ISSUED_V2 || event.type === PLAN_ISSUED_V1 ? (event.data as PlanIssuedV2) : null;

/** The amendment a message carries, in the v2 shape, whichever version it is; null for any other type. */
export const planAmendedOf = (event: { type: string; data: unknown }): PlanAmendedV2 | null =>
  event.type === PLAN_AMENDED_V2 || event.type === PLAN_AMENDED_V1 ? (event.data as PlanAmendedV2) : null;

/** An assignment a message carries, in the v2 shape, whichever version it is (v1: no reason, no succession); null for any other type. */
export const taskAssignedOf = (event: { type: string; data: unknown }): TaskAssignedV2 | null => {
  if (event.type === TASK_ASSIGNED_V2) return event.data as TaskAssignedV2;
  return event.type === TASK_ASSIGNED_V1 ? { ...(event.data as TaskAssignedV1), reason: null, succession: null } : null;
};

/**
 * The topic each contract type of the plans service is published on (key: the stream id, `plan-<uuid>`,
 * `task-<uuid>`, or `city-<cityId>` for the operator's city events, whose `cityid` is `platform`).
 */
export const CONTRACT_TOPICS = {
  [PLAN_ISSUED_V1]: PLANS_TOPIC,
  [PLAN_ISSUED_V2]: PLANS_TOPIC,
  [PLAN_NUMBERED_V1]: PLANS_TOPIC,
  [PLAN_IMPORT_REVIEWED_V1]: PLANS_TOPIC,
  [TASK_ISSUED_V1]: TASKS_TOPIC,
  [TASK_ISSUED_V2]: TASKS_TOPIC,
  [TASK_ISSUED_V3]: TASKS_TOPIC,
  [TASK_ASSIGNED_V1]: TASKS_TOPIC,
  [TASK_ASSIGNED_V2]: TASKS_TOPIC,
  [TASK_STATUS_CHANGED_V1]: TASKS_TOPIC,
  [TASK_STATUS_CHANGED_V2]: TASKS_TOPIC,
  [PLAN_AMENDED_V1]: PLANS_TOPIC,
  [PLAN_AMENDED_V2]: PLANS_TOPIC,
  [TASK_REVISED_V1]: TASKS_TOPIC,
  [TASK_WITHDRAWN_V1]: TASKS_TOPIC,
  [TASK_PROGRESS_REPORTED_V1]: TASKS_TOPIC,
  [TASK_EXTENSION_REQUESTED_V1]: TASKS_TOPIC,
  [TASK_EXTENSION_APPROVED_V1]: TASKS_TOPIC,
  [TASK_EXTENSION_REJECTED_V1]: TASKS_TOPIC,
  [TASK_DUE_SOON_V1]: TASKS_TOPIC,
  [TASK_OVERDUE_V1]: TASKS_TOPIC,
  [TASK_OCCURRENCE_OPENED_V1]: TASKS_TOPIC,
  [TASK_LINKED_V1]: TASKS_TOPIC,
  [PLAN_INDICATORS_SET_V1]: PLANS_TOPIC,
  [CITY_CREATED_V1]: CITIES_TOPIC,
  [CITY_SETTINGS_CHANGED_V1]: CITIES_TOPIC,
  [CITY_SUSPENDED_V1]: CITIES_TOPIC,
  [CITY_RESUMED_V1]: CITIES_TOPIC,
  [CITY_MERGED_V1]: CITIES_TOPIC,
  [PLAN_MOVED_V1]: PLANS_TOPIC,
  [TASK_MOVED_V1]: TASKS_TOPIC,
} as const satisfies Record<PlansContract['type'], string>;

/** The topic each contract type of the reporting service is published on (key: the stream id, `report-<uuid>`). */
export const REPORT_CONTRACT_TOPICS = {
  [REPORT_REQUESTED_V1]: REPORTS_TOPIC,
  [REPORT_SUBMITTED_V1]: REPORTS_TOPIC,
  [REPORT_RETURNED_V1]: REPORTS_TOPIC,
  [REPORT_ACCEPTED_V1]: REPORTS_TOPIC,
  [REPORT_OVERDUE_V1]: REPORTS_TOPIC,
} as const satisfies Record<ReportsContract['type'], string>;

/** Every contract type's topic, whichever service publishes it (the AsyncAPI document and the events catalogue). */
export const ALL_CONTRACT_TOPICS = { ...CONTRACT_TOPICS, ...REPORT_CONTRACT_TOPICS } as const satisfies Record<MandateContract['type'], string>;

/**
 * Types the plans service no longer publishes. They stay in the union, the schemas and the
 * AsyncAPI document (marked deprecated): their messages are still on the topics and in the dead
 * letters, and consumers still read them.
 */
export const RETIRED_CONTRACTS = {
  [TASK_ISSUED_V1]: { since: '2026-12-02', replacedBy: TASK_ISSUED_V3 },
  [TASK_STATUS_CHANGED_V1]: { since: '2026-12-02', replacedBy: TASK_STATUS_CHANGED_V2 },
  [TASK_ISSUED_V2]: { since: '2026-12-07', replacedBy: TASK_ISSUED_V3 },
  [PLAN_ISSUED_V1]: { since: '2026-12-07', replacedBy: PLAN_ISSUED_V2 },
  [PLAN_AMENDED_V1]: { since: '2026-12-07', replacedBy: PLAN_AMENDED_V2 },
  [TASK_ASSIGNED_V1]: { since: '2026-12-08', replacedBy: TASK_ASSIGNED_V2 },
} as const satisfies Partial<Record<PlansContract['type'], { since: string; replacedBy: PlansContract['type'] }>>;

export { contractSchemas, contractSchemaFiles, cloudEventSchema, kafkaHeadersSchema } from './schemas';
export { validateContract, validateCloudEvent, contractTypes, type ContractValidation } from './validate';

// Compile-time: the schemas cover exactly the contract union.
type SchemaKeys = keyof typeof import('./schemas').contractSchemas;
const _schemasCoverContracts: [SchemaKeys] extends [MandateContract['type']] ? ([MandateContract['type']] extends [SchemaKeys] ? true : never) : never = true;
void _schemasCoverContracts;

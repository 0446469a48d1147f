import { auditOf, endOfLocalDay, ForbiddenError, IllegalStateError, ValidationError, type Command, type Decider, type Event } from '@mandate/kernel';

/**
 * An agency's periodic report on a plan (báo cáo định kỳ): requested for a reporting period,
 * drafted and submitted by the agency, accepted or returned (with a reason) by the planning
 * department or the office. A submission after the period's sending day is flagged late; a report
 * still owed when that day has ended is marked overdue, once.
 */
export type ReportPeriodRef = { key: string; label: string; from: string; to: string; due: string };

/** Per task: how far it came, the result, difficulties (khó khăn, vướng mắc), proposals (đề xuất, kiến nghị). */
export type TaskReportItem = { taskId: string; progress: number | null; result: string; difficulties: string; proposals: string };

/** Per indicator (chỉ tiêu): the actual value for the period, as written ("7,2", "65%"). */
export type IndicatorActual = { indicator: string; actual: string; note: string };

export type ReportContent = { summary: string; tasks: TaskReportItem[]; indicators: IndicatorActual[] };

export type ReportRequested = Event<
  'ReportRequested',
  {
    reportId: string;
    planId: string;
    planNumber: string;
    agencyId: string;
    agencyName: string;
    /** Who receives it (gửi về …): the planning department unless the duty names another */
    receiver: string;
    period: ReportPeriodRef;
    /** The tasks the agency leads in the plan when it was requested */
    taskIds: string[];
    /** What asked for it: a plan-wide request for the period, or a task's repeating duty */
    cause: { kind: 'plan' } | { kind: 'occurrence'; taskId: string; occurrence: number };
    requestedAt: string;
  }
>;
export type ReportDraftSaved = Event<'ReportDraftSaved', { reportId: string; content: ReportContent; savedAt: string }>;
export type ReportSubmitted = Event<'ReportSubmitted', { reportId: string; content: ReportContent; submittedAt: string; late: boolean }>;
export type ReportAccepted = Event<'ReportAccepted', { reportId: string; note: string; acceptedAt: string }>;
export type ReportReturned = Event<'ReportReturned', { reportId: string; reason: string; returnedAt: string }>;
/** Time as an event: the sending day (`dueOn`) ended and the report was not in. */
export type ReportOverdue = Event<'ReportOverdue', { reportId: string; dueOn: string; markedAt: string }>;
export type AgencyReportEvent = ReportRequested | ReportDraftSaved | ReportSubmitted | ReportAccepted | ReportReturned | ReportOverdue;

export type RequestReport = Command<'RequestReport', Omit<ReportRequested['data'], 'requestedAt'>>;
export type SaveReportDraft = Command<'SaveReportDraft', { reportId: string; content: ReportContent }>;
export type SubmitReport = Command<'SubmitReport', { reportId: string; content?: ReportContent }>;
export type AcceptReport = Command<'AcceptReport', { reportId: string; note?: string }>;
export type ReturnReport = Command<'ReturnReport', { reportId: string; reason: string }>;
/** The scheduler's command: marks the report overdue if it is so at the command's instant. */
export type MarkReportOverdue = Command<'MarkReportOverdue', { reportId: string }>;
export type AgencyReportCommand = RequestReport | SaveReportDraft | SubmitReport | AcceptReport | ReturnReport | MarkReportOverdue;

export const REPORT_STATUSES = ['requested', 'draft', 'submitted', 'accepted', 'returned'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
/** Statuses in which the agency still owes the report: a submission now would be its (re)submission. */
export const REPORT_OWED_STATUSES: readonly ReportStatus[] = ['requested', 'draft', 'returned'];

export type AgencyReport =
  | { status: 'none' }
  | {
      status: ReportStatus;
      request: ReportRequested['data'];
      content: ReportContent;
      submittedAt: string | null;
      late: boolean;
      /** The last return's reason, while it is being reworked */
      returnedFor: string | null;
      /** When it was marked overdue (once: its sending day does not move) */
      overdueMarkedAt: string | null;
    };

const EMPTY: ReportContent = { summary: '', tasks: [], indicators: [] };
const MAX_TEXT = 8000;

const text = (value: string, field: string): string => {
  if (value.length > MAX_TEXT) throw new ValidationError(`${field} is at most ${MAX_TEXT} characters`, 'report-text-too-long');
  return value.trim();
};

const checkedContent = (content: ReportContent, request: ReportRequested['data']): ReportContent => {
  const known = new Set(request.taskIds);
  const seen = new Set<string>();
  const tasks = content.tasks.map((item, i) => {
    if (!known.has(item.taskId)) throw new ValidationError(`tasks[${i}]: task ${item.taskId} is not one this report covers`, 'report-task-unknown');
    if (seen.has(item.taskId)) throw new ValidationError(`tasks[${i}]: task ${item.taskId} is reported twice`, 'report-task-twice');
    seen.add(item.taskId);
    if (item.progress !== null && (!Number.isFinite(item.progress) || item.progress < 0 || item.progress > 100)) {
      throw new ValidationError(`tasks[${i}]: progress is a percentage from 0 to 100`, 'report-progress-invalid');
    }
    return {
      taskId: item.taskId,
      progress: item.progress,
      result: text(item.result, 'result'),
      difficulties: text(item.difficulties, 'difficulties'),
      proposals: text(item.proposals, 'proposals'),
    };
  });
  const indicators = content.indicators.map((row) => ({
    indicator: text(row.indicator, 'indicator'),
    actual: text(row.actual, 'actual'),
    note: text(row.note, 'note'),
  }));
  if (indicators.some((row) => !row.indicator)) throw new ValidationError('Every indicator row names its indicator', 'report-indicator-missing');
  return { summary: text(content.summary, 'summary'), tasks, indicators };
};

const requireReport = (state: AgencyReport) => {
  if (state.status === 'none') throw new IllegalStateError('No such report', 'report-not-found');
  return state;
};

/** The agency's own officers write and send its report. */
const requireAuthor = (command: AgencyReportCommand, report: Exclude<AgencyReport, { status: 'none' }>) => {
  const { role, agencyId } = command.metadata;
  if (role !== 'agency' || agencyId !== report.request.agencyId)
    throw new ForbiddenError("Only the reporting agency's officers write its report", 'report-forbidden');
};

/** The planning department (the usual receiver) or the office take reports in or send them back. */
const requireReceiver = (command: AgencyReportCommand) => {
  if (command.metadata.role !== 'planning' && command.metadata.role !== 'office') {
    throw new ForbiddenError('Only the planning department or the office accept or return reports', 'report-review-forbidden');
  }
};

export const decideAgencyReport = (command: AgencyReportCommand, state: AgencyReport): AgencyReportEvent[] => {
  const at = command.metadata.now.toISOString();
  const metadata = auditOf(command.metadata);
  switch (command.type) {
    case 'RequestReport': {
      // The planning department or the office ask (a repeating duty's request is the system, acting as the office).
      if (command.metadata.role !== 'planning' && command.metadata.role !== 'office')
        throw new ForbiddenError('Only the planning department or the office request reports', 'report-request-forbidden');
      // Exactly once per agency, plan and period: the same request again changes nothing.
      if (state.status !== 'none') return [];
      return [{ type: 'ReportRequested', data: { ...command.data, requestedAt: at }, metadata }];
    }
    case 'SaveReportDraft': {
      const report = requireReport(state);
      requireAuthor(command, report);
      if (report.status === 'submitted' || report.status === 'accepted')
        throw new IllegalStateError(`A ${report.status} report is not edited`, 'report-closed');
      return [
        {
          type: 'ReportDraftSaved',
          data: { reportId: command.data.reportId, content: checkedContent(command.data.content, report.request), savedAt: at },
          metadata,
        },
      ];
    }
    case 'SubmitReport': {
      const report = requireReport(state);
      requireAuthor(command, report);
      if (report.status === 'submitted' || report.status === 'accepted') throw new IllegalStateError(`The report is already ${report.status}`, 'report-closed');
      const content = command.data.content ? checkedContent(command.data.content, report.request) : report.content;
      if (!content.summary && content.tasks.length === 0) throw new ValidationError('A report says something: a summary or a task', 'report-empty');
      const late = command.metadata.now > endOfLocalDay(report.request.period.due);
      return [{ type: 'ReportSubmitted', data: { reportId: command.data.reportId, content, submittedAt: at, late }, metadata }];
    }
    case 'AcceptReport': {
      const report = requireReport(state);
      requireReceiver(command);
      if (report.status !== 'submitted') throw new IllegalStateError(`Only a submitted report is accepted (it is ${report.status})`, 'report-not-submitted');
      return [{ type: 'ReportAccepted', data: { reportId: command.data.reportId, note: command.data.note?.trim() ?? '', acceptedAt: at }, metadata }];
    }
    case 'ReturnReport': {
      const report = requireReport(state);
      requireReceiver(command);
      if (report.status !== 'submitted') throw new IllegalStateError(`Only a submitted report is returned (it is ${report.status})`, 'report-not-submitted');
      const reason = text(command.data.reason ?? '', 'reason');
      if (!reason) throw new ValidationError('A returned report needs a reason', 'reason-required');
      return [{ type: 'ReportReturned', data: { reportId: command.data.reportId, reason, returnedAt: at }, metadata }];
    }
    case 'MarkReportOverdue': {
      const report = requireReport(state);
      const dueOn = report.request.period.due;
      // Decided at the command's instant, as `late` is on submission: an early or repeated scan records nothing.
      if (report.overdueMarkedAt !== null || !REPORT_OWED_STATUSES.includes(report.status) || command.metadata.now <= endOfLocalDay(dueOn)) return [];
      return [{ type: 'ReportOverdue', data: { reportId: command.data.reportId, dueOn, markedAt: at }, metadata }];
    }
  }
};

export const evolveAgencyReport = (state: AgencyReport, event: AgencyReportEvent): AgencyReport => {
  if (event.type === 'ReportRequested')
    return { status: 'requested', request: event.data, content: EMPTY, submittedAt: null, late: false, returnedFor: null, overdueMarkedAt: null };
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ReportDraftSaved':
      return { ...state, status: 'draft', content: event.data.content };
    case 'ReportSubmitted':
      // A resubmission after a return keeps the first lateness: the deadline was missed once.
      return {
        ...state,
        status: 'submitted',
        content: event.data.content,
        submittedAt: event.data.submittedAt,
        late: state.late || event.data.late,
        returnedFor: null,
      };
    case 'ReportAccepted':
      return { ...state, status: 'accepted' };
    case 'ReportReturned':
      return { ...state, status: 'returned', returnedFor: event.data.reason };
    case 'ReportOverdue':
      return { ...state, overdueMarkedAt: event.data.markedAt };
  }
};

export const agencyReportDecider: Decider<AgencyReport, AgencyReportCommand, AgencyReportEvent> = {
  decide: decideAgencyReport,
  evolve: evolveAgencyReport,
  initialState: () => ({ status: 'none' }),
};

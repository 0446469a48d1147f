import { ForbiddenError, IllegalStateError, ValidationError, type CommandMetadata } from '@mandate/kernel';
import { DeciderSpecification } from '@mandate/testing';
import { agencyReportDecider, type AgencyReportEvent, type ReportContent } from './agency-report';

const given = DeciderSpecification.for(agencyReportDecider);
const REPORT = 'c0000000-0000-4000-8000-000000000001';
const PLAN = 'c0000000-0000-4000-8000-0000000000aa';
const [T1, T2] = ['c0000000-0000-4000-8000-0000000000b1', 'c0000000-0000-4000-8000-0000000000b2'];
// 10 March 2024, 9:00 in Hà Nội: before Q1's sending day (20/3).
const ON_TIME = new Date('2024-03-10T02:00:00Z');
const LATE = new Date('2024-03-21T02:00:00Z');
const as = (role: CommandMetadata['role'], agencyId: string | null, now = ON_TIME): CommandMetadata => ({
  actorId: `${role}-1`,
  role,
  agencyId,
  cityId: 'ha-noi',
  now,
});
const planning = as('planning', 'so-ke-hoach-dau-tu');
const justice = as('agency', 'so-tu-phap');
const finance = as('agency', 'so-tai-chinh');
const audit = ({ actorId, role, agencyId, cityId }: CommandMetadata) => ({ actorId, role, agencyId, cityId });

const period = { key: '2024-Q1', label: 'Quý I/2024', from: '2023-12-15', to: '2024-03-14', due: '2024-03-20' };
const request = {
  reportId: REPORT,
  planId: PLAN,
  planNumber: '183/KH-UBND',
  agencyId: 'so-tu-phap',
  agencyName: 'Sở Tư pháp',
  receiver: 'Sở Kế hoạch và Đầu tư',
  period,
  taskIds: [T1, T2],
  cause: { kind: 'plan' as const },
};
const requested: AgencyReportEvent = { type: 'ReportRequested', data: { ...request, requestedAt: ON_TIME.toISOString() }, metadata: audit(planning) };
const content: ReportContent = {
  summary: 'Quý I triển khai đúng kế hoạch',
  tasks: [{ taskId: T1, progress: 80, result: 'Đã rà soát 120 văn bản', difficulties: 'Thiếu biên chế', proposals: 'Bổ sung 02 biên chế' }],
  indicators: [{ indicator: 'Tỷ lệ hồ sơ trực tuyến', actual: '65%', note: '' }],
};
const submitted = (late = false, at = ON_TIME): AgencyReportEvent => ({
  type: 'ReportSubmitted',
  data: { reportId: REPORT, content, submittedAt: at.toISOString(), late },
  metadata: audit(justice),
});
const returned: AgencyReportEvent = {
  type: 'ReportReturned',
  data: { reportId: REPORT, reason: 'Thiếu số liệu chỉ tiêu', returnedAt: ON_TIME.toISOString() },
  metadata: audit(planning),
};

describe("An agency's periodic report", () => {
  it('is requested once per agency, plan and period', () => {
    given([]).when({ type: 'RequestReport', data: request, metadata: planning }).then([requested]);
    given([requested]).when({ type: 'RequestReport', data: request, metadata: planning }).thenNothingHappened();
    given([]).when({ type: 'RequestReport', data: request, metadata: justice }).thenThrows(ForbiddenError, 'report-request-forbidden');
  });

  it('is drafted by the agency, about the tasks it covers only', () => {
    given([requested])
      .when({ type: 'SaveReportDraft', data: { reportId: REPORT, content }, metadata: justice })
      .then([{ type: 'ReportDraftSaved', data: { reportId: REPORT, content, savedAt: ON_TIME.toISOString() }, metadata: audit(justice) }]);
    given([requested])
      .when({ type: 'SaveReportDraft', data: { reportId: REPORT, content }, metadata: finance })
      .thenThrows(ForbiddenError, 'report-forbidden');
    given([requested])
      .when({ type: 'SaveReportDraft', data: { reportId: REPORT, content }, metadata: planning })
      .thenThrows(ForbiddenError, 'report-forbidden');
    const stranger = { ...content, tasks: [{ ...content.tasks[0], taskId: 'c0000000-0000-4000-8000-0000000000ff' }] };
    given([requested])
      .when({ type: 'SaveReportDraft', data: { reportId: REPORT, content: stranger }, metadata: justice })
      .thenThrows(ValidationError, 'report-task-unknown');
    const twice = { ...content, tasks: [content.tasks[0], content.tasks[0]] };
    given([requested])
      .when({ type: 'SaveReportDraft', data: { reportId: REPORT, content: twice }, metadata: justice })
      .thenThrows(ValidationError, 'report-task-twice');
    const over = { ...content, tasks: [{ ...content.tasks[0], progress: 120 }] };
    given([requested])
      .when({ type: 'SaveReportDraft', data: { reportId: REPORT, content: over }, metadata: justice })
      .thenThrows(ValidationError, 'report-progress-invalid');
  });

  it('is submitted on time before the sending day ends, late after it', () => {
    given([requested])
      .when({ type: 'SubmitReport', data: { reportId: REPORT, content }, metadata: justice })
      .then([submitted(false)]);
    given([requested])
      .when({ type: 'SubmitReport', data: { reportId: REPORT, content }, metadata: as('agency', 'so-tu-phap', LATE) })
      .then([{ ...submitted(true, LATE), metadata: audit(as('agency', 'so-tu-phap', LATE)) }]);
    given([requested])
      .when({ type: 'SubmitReport', data: { reportId: REPORT }, metadata: justice })
      .thenThrows(ValidationError, 'report-empty');
    given([requested, submitted()])
      .when({ type: 'SubmitReport', data: { reportId: REPORT, content }, metadata: justice })
      .thenThrows(IllegalStateError, 'report-closed');
  });

  it('is accepted or returned with a reason by the planning department, then reworked and sent again', () => {
    given([requested, submitted()])
      .when({ type: 'AcceptReport', data: { reportId: REPORT }, metadata: planning })
      .then([{ type: 'ReportAccepted', data: { reportId: REPORT, note: '', acceptedAt: ON_TIME.toISOString() }, metadata: audit(planning) }]);
    given([requested, submitted()])
      .when({ type: 'ReturnReport', data: { reportId: REPORT, reason: 'Thiếu số liệu chỉ tiêu' }, metadata: planning })
      .then([returned]);
    given([requested, submitted()])
      .when({ type: 'ReturnReport', data: { reportId: REPORT, reason: ' ' }, metadata: planning })
      .thenThrows(ValidationError, 'reason-required');
    given([requested, submitted()])
      .when({ type: 'AcceptReport', data: { reportId: REPORT }, metadata: justice })
      .thenThrows(ForbiddenError, 'report-review-forbidden');
    given([requested])
      .when({ type: 'AcceptReport', data: { reportId: REPORT }, metadata: planning })
      .thenThrows(IllegalStateError, 'report-not-submitted');
    given([requested, submitted(), returned])
      .when({ type: 'SubmitReport', data: { reportId: REPORT, content }, metadata: justice })
      .then([submitted()]);
    given([])
      .when({ type: 'AcceptReport', data: { reportId: REPORT }, metadata: planning })
      .thenThrows(IllegalStateError, 'report-not-found');
  });

  it('stays late once it was late, through a return and a timely resubmission', () => {
    const state = [requested, submitted(true, LATE), returned, submitted(false)].reduce(agencyReportDecider.evolve, agencyReportDecider.initialState());
    expect(state).toMatchObject({ status: 'submitted', late: true, returnedFor: null });
  });
});

describe('A report not in by its sending day', () => {
  // The scheduler acts as the city office's system user, at the instant it scans.
  const scheduler = (now: Date): CommandMetadata => ({ actorId: 'system:report-scheduler', role: 'office', agencyId: null, cityId: 'ha-noi', now });
  const mark = (now: Date) => ({ type: 'MarkReportOverdue' as const, data: { reportId: REPORT }, metadata: scheduler(now) });
  // Q1's sending day, 20/3/2024, ends at 17:00 UTC in Hà Nội.
  const END_OF_DUE_DAY = new Date('2024-03-20T16:59:59.999Z');
  const NEXT_DAY = new Date('2024-03-20T17:00:00.000Z');
  const overdue = (at = NEXT_DAY): AgencyReportEvent => ({
    type: 'ReportOverdue',
    data: { reportId: REPORT, dueOn: '2024-03-20', markedAt: at.toISOString() },
    metadata: audit(scheduler(at)),
  });
  const drafted: AgencyReportEvent = {
    type: 'ReportDraftSaved',
    data: { reportId: REPORT, content, savedAt: ON_TIME.toISOString() },
    metadata: audit(justice),
  };

  it('is marked overdue once the sending day has ended in Hà Nội', () => {
    given([requested]).when(mark(END_OF_DUE_DAY)).thenNothingHappened();
    given([requested]).when(mark(NEXT_DAY)).then([overdue()]);
    given([requested])
      .when(mark(LATE))
      .then([overdue(LATE)]);
  });

  it('is marked while only a draft exists, or after a return sent it back to be redone', () => {
    given([requested, drafted])
      .when(mark(LATE))
      .then([overdue(LATE)]);
    given([requested, submitted(), returned])
      .when(mark(LATE))
      .then([overdue(LATE)]);
  });

  it('is marked exactly once, whatever happens to it afterwards', () => {
    given([requested, overdue()]).when(mark(LATE)).thenNothingHappened();
    const lateSubmission = { ...submitted(true, LATE), metadata: audit(as('agency', 'so-tu-phap', LATE)) };
    given([requested, overdue(), lateSubmission, returned]).when(mark(LATE)).thenNothingHappened();
  });

  it('is not marked when it was submitted or accepted in time', () => {
    const accepted: AgencyReportEvent = {
      type: 'ReportAccepted',
      data: { reportId: REPORT, note: '', acceptedAt: ON_TIME.toISOString() },
      metadata: audit(planning),
    };
    given([requested, submitted()]).when(mark(LATE)).thenNothingHappened();
    given([requested, submitted(), accepted]).when(mark(LATE)).thenNothingHappened();
  });

  it('is no report before it was requested', () => {
    given([]).when(mark(LATE)).thenThrows(IllegalStateError, 'report-not-found');
  });

  it('keeps the mark in its state, and a late submission stays late', () => {
    const lateSubmission = { ...submitted(true, LATE), metadata: audit(as('agency', 'so-tu-phap', LATE)) };
    const state = [requested, overdue(), lateSubmission].reduce(agencyReportDecider.evolve, agencyReportDecider.initialState());
    expect(state).toMatchObject({ status: 'submitted', late: true, overdueMarkedAt: NEXT_DAY.toISOString() });
  });
});

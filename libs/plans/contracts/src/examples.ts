/**
 * One example of each contract's data, in the words of the seeds (Hà Nội's plan 183/KH-UBND and
 * Sở Tư pháp's report on it; for the operator's city events, Tỉnh Quảng Ninh and Thành phố Hải
 * Phòng around the merger of 1 July 2025): the contract tests validate them, and docs/events.md
 * (the events catalogue) is generated from them.
 */
import {
  CITY_CREATED_V1,
  CITY_RESUMED_V1,
  CITY_MERGED_V1,
  PLAN_MOVED_V1,
  TASK_MOVED_V1,
  CITY_SETTINGS_CHANGED_V1,
  CITY_SUSPENDED_V1,
  PLAN_AMENDED_V1,
  PLAN_AMENDED_V2,
  PLAN_INDICATORS_SET_V1,
  PLAN_ISSUED_V1,
  PLAN_ISSUED_V2,
  PLAN_NUMBERED_V1,
  PLAN_IMPORT_REVIEWED_V1,
  REPORT_ACCEPTED_V1,
  REPORT_OVERDUE_V1,
  REPORT_REQUESTED_V1,
  REPORT_RETURNED_V1,
  REPORT_SUBMITTED_V1,
  TASK_ASSIGNED_V1,
  TASK_ASSIGNED_V2,
  TASK_DUE_SOON_V1,
  TASK_EXTENSION_APPROVED_V1,
  TASK_EXTENSION_REJECTED_V1,
  TASK_EXTENSION_REQUESTED_V1,
  TASK_ISSUED_V1,
  TASK_ISSUED_V2,
  TASK_ISSUED_V3,
  TASK_LINKED_V1,
  TASK_OCCURRENCE_OPENED_V1,
  TASK_OVERDUE_V1,
  TASK_PROGRESS_REPORTED_V1,
  TASK_REVISED_V1,
  TASK_STATUS_CHANGED_V1,
  TASK_STATUS_CHANGED_V2,
  TASK_WITHDRAWN_V1,
  type ActorV1,
  type CityCreatedV1,
  type CityMergedV1,
  type PlanMovedV1,
  type TaskMovedV1,
  type CityResumedV1,
  type CitySettingsChangedV1,
  type CitySuspendedV1,
  type CityV1,
  type PlanAmendedV1,
  type PlanAmendedV2,
  type PlanIndicatorsSetV1,
  type PlanIssuedV1,
  type PlanIssuedV2,
  type PlanNumberedV1,
  type PlanImportReviewedV1,
  type ReportAcceptedV1,
  type ReportOverdueV1,
  type ReportRequestedV1,
  type ReportReturnedV1,
  type ReportSubmittedV1,
  type TaskAssignedV1,
  type TaskAssignedV2,
  type TaskDueSoonV1,
  type TaskExtensionApprovedV1,
  type TaskExtensionRejectedV1,
  type TaskExtensionRequestedV1,
  type TaskIssuedV1,
  type TaskIssuedV2,
  type TaskIssuedV3,
  type TaskLinkedV1,
  type TaskOccurrenceOpenedV1,
  type TaskOverdueV1,
  type TaskProgressReportedV1,
  type TaskRevisedV1,
  type TaskStatusChangedV1,
  type TaskStatusChangedV2,
  type TaskWithdrawnV1,
} from './index';

export const PLAN_ID = 'b9f0c7e4-0000-4000-8000-000000000183';
export const TASK_ID = 'b9f0c7e4-0000-4000-8000-000000000001';
export const TASK_ID_2 = 'b9f0c7e4-0000-4000-8000-000000000002';
export const TASK_ID_3 = 'b9f0c7e4-0000-4000-8000-000000000003';
export const REPORT_ID = 'b9f0c7e4-0000-4000-8000-0000000000a1';

export const planIssued = (): PlanIssuedV1 => ({
  planId: PLAN_ID,
  number: '183/KH-UBND',
  kind: 'plan',
  title: 'Triển khai thực hiện Nghị quyết số 50/NQ-CP',
  issuedOn: '2021-08-10',
  issuer: 'UBND thành phố Hà Nội',
  taskCount: 1,
  taskIds: [TASK_ID],
});
/** The copy before signing of a plan ("Số:      /KH-UBND", "ngày      tháng 8 năm 2021"), tracked as it is. */
export const planIssuedV2 = (): PlanIssuedV2 => ({ ...planIssued(), number: null, issuedOn: null });
/** Its signed version, imported as its amendment, gave it its number and date. */
export const planNumbered = (): PlanNumberedV1 => ({ planId: PLAN_ID, number: '183/KH-UBND', issuedOn: '2021-08-10', numberedAt: '2021-08-12T02:00:00.000Z' });
export const planImportReviewed = (): PlanImportReviewedV1 => ({
  planId: PLAN_ID,
  document: 'ke-hoach-183.pdf',
  reviewedBy: 'u-office',
  changes: [
    { path: 'document.number', from: null, to: '183/KH-UBND' },
    {
      path: 'tasks.PL2.I.3.lead',
      from: { agencyId: null, name: 'Viện NC phát triển KTXH' },
      to: { agencyId: 'vien-nghien-cuu-phat-trien-kt-xh', name: 'Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội' },
    },
    { path: 'tasks.PL2.I.3.deadline', from: 'Quý IV/20211', to: 'Quý IV/2021' },
    { path: 'tasks.PL2.III.9', from: { title: 'Ghi chú: các đơn vị báo cáo trước ngày 15' }, to: null },
  ],
  reviewedAt: '2021-08-10T03:00:00.000Z',
});
export const taskIssued = (): TaskIssuedV1 => ({
  taskId: TASK_ID,
  planId: PLAN_ID,
  planNumber: '183/KH-UBND',
  ref: 'PL2.I.1',
  title: 'Xây dựng, trình Quốc hội thông qua Luật Thủ đô sửa đổi.',
  deadline: { text: 'Tháng 9/2021', kind: 'month', due: '2021-09-30' },
  status: 'not_started',
});
export const taskIssuedV2 = (): TaskIssuedV2 => ({
  taskId: TASK_ID,
  planId: PLAN_ID,
  planNumber: '183/KH-UBND',
  ref: 'PL2.I.1',
  title: 'Xây dựng, trình Quốc hội thông qua Luật Thủ đô sửa đổi.',
  group: 'I. Hoàn thiện thể chế',
  deliverable: 'Luật Thủ đô (sửa đổi)',
  deadline: { text: 'Tháng 9/2021', kind: 'month', due: '2021-09-30' },
  supervisor: 'PCT TT Lê Hồng Sơn',
  note: null,
  status: 'not_started',
  issuedAt: '2021-09-01T02:00:00.000Z',
});
export const taskIssuedV3 = (): TaskIssuedV3 => ({ ...taskIssuedV2(), planNumber: null });
export const taskAssigned = (): TaskAssignedV1 => ({
  taskId: TASK_ID,
  planId: PLAN_ID,
  lead: { agencyId: 'so-tu-phap', name: 'Sở Tư pháp', resolution: 'resolved' },
  coordinators: [{ agencyId: null, name: 'các Sở, Ban, ngành', resolution: 'group' }],
  previousLeadAgencyId: null,
});
/** A hand-over after Sở Kế hoạch và Đầu tư merged into Sở Tài chính (Hải Phòng, 1 March 2025). */
export const taskAssignedV2 = (): TaskAssignedV2 => ({
  taskId: TASK_ID,
  planId: PLAN_ID,
  lead: { agencyId: 'so-tai-chinh', name: 'Sở Tài chính', resolution: 'resolved' },
  coordinators: [],
  previousLeadAgencyId: 'so-ke-hoach-va-dau-tu',
  reason: 'Sáp nhập Sở Kế hoạch và Đầu tư vào Sở Tài chính từ ngày 01/03/2025',
  succession: { predecessorAgencyIds: ['so-ke-hoach-va-dau-tu'], effectiveOn: '2025-03-01' },
});
export const taskStatusChanged = (): TaskStatusChangedV1 => ({
  taskId: TASK_ID,
  planId: PLAN_ID,
  from: 'not_started',
  to: 'in_progress',
  note: '',
  changedAt: '2021-09-01T02:00:00.000Z',
  actor: { userId: 'u-so-tu-phap', role: 'agency', agencyId: 'so-tu-phap' },
});
export const taskStatusChangedV2 = (): TaskStatusChangedV2 => ({
  taskId: TASK_ID,
  planId: PLAN_ID,
  from: 'submitted',
  to: 'returned',
  note: 'Chưa có ý kiến thẩm định của Bộ Tư pháp.',
  changedAt: '2021-10-01T02:00:00.000Z',
  actor: { userId: 'u-planning', role: 'planning', agencyId: 'so-ke-hoach-dau-tu' },
});
export const planAmended = (): PlanAmendedV1 => ({
  planId: PLAN_ID,
  number: '183/KH-UBND',
  title: 'Triển khai thực hiện Nghị quyết số 50/NQ-CP (sửa đổi)',
  addedTaskIds: [TASK_ID_3],
  revisedTaskIds: [TASK_ID],
  withdrawnTaskIds: [TASK_ID_2],
  amendedAt: '2021-10-01T02:00:00.000Z',
});
export const planAmendedV2 = (): PlanAmendedV2 => ({ ...planAmended(), number: null });
export const taskRevised = (): TaskRevisedV1 => ({
  taskId: TASK_ID,
  planId: PLAN_ID,
  changes: { title: 'Xây dựng Luật Thủ đô sửa đổi.', deadline: { text: 'Quý IV/2021', kind: 'quarter', due: '2021-12-31' }, note: null },
  revisedAt: '2021-10-01T02:00:00.000Z',
});
export const taskWithdrawn = (): TaskWithdrawnV1 => ({
  taskId: TASK_ID_2,
  planId: PLAN_ID,
  reason: 'Not in the version of 183/KH-UBND imported from ha-noi-183-KH-UBND-2021-v2.txt',
  withdrawnAt: '2021-10-01T02:00:00.000Z',
});
export const taskProgressReported = (): TaskProgressReportedV1 => ({
  taskId: TASK_ID,
  planId: PLAN_ID,
  percent: 60,
  text: 'Đã trình dự thảo Luật Thủ đô sửa đổi lên Bộ Tư pháp.',
  attachments: [{ name: 'du-thao-luat-thu-do.pdf', contentType: 'application/pdf', size: 482113, url: null }],
  reportedAt: '2021-09-15T02:00:00.000Z',
  actor: { userId: 'u-so-tu-phap', role: 'agency', agencyId: 'so-tu-phap' },
});
export const taskExtensionRequested = (): TaskExtensionRequestedV1 => ({
  taskId: TASK_ID,
  planId: PLAN_ID,
  requestId: 'gh-2021-001',
  until: '2021-12-31',
  reason: 'Chờ ý kiến thẩm định của Bộ Tư pháp.',
  requestedAt: '2021-09-20T02:00:00.000Z',
  actor: { userId: 'u-so-tu-phap', role: 'agency', agencyId: 'so-tu-phap' },
});
export const taskExtensionApproved = (): TaskExtensionApprovedV1 => ({
  taskId: TASK_ID,
  planId: PLAN_ID,
  requestId: 'gh-2021-001',
  previousDue: '2021-09-30',
  deadline: { text: 'Gia hạn đến ngày 31/12/2021', kind: 'date', due: '2021-12-31' },
  note: '',
  approvedAt: '2021-09-22T02:00:00.000Z',
  actor: { userId: 'u-office', role: 'office', agencyId: 'van-phong-ubnd' },
});
export const taskExtensionRejected = (): TaskExtensionRejectedV1 => ({
  taskId: TASK_ID,
  planId: PLAN_ID,
  requestId: 'gh-2021-001',
  reason: 'Nhiệm vụ trọng tâm, không gia hạn.',
  rejectedAt: '2021-09-22T02:00:00.000Z',
  actor: { userId: 'u-planning', role: 'planning', agencyId: 'so-ke-hoach-dau-tu' },
});
export const taskDueSoon = (): TaskDueSoonV1 => ({ taskId: TASK_ID, planId: PLAN_ID, due: '2021-09-30', at: '2021-09-27T17:00:00.000Z' });
export const taskOverdue = (): TaskOverdueV1 => ({ taskId: TASK_ID, planId: PLAN_ID, due: '2021-09-30', at: '2021-09-30T17:00:00.000Z' });
export const taskOccurrenceOpened = (): TaskOccurrenceOpenedV1 => ({
  taskId: TASK_ID,
  planId: PLAN_ID,
  occurrence: 2,
  periodStart: '2021-10-01',
  due: '2021-12-31',
  kind: 'report',
  openedAt: '2021-09-30T17:00:00.000Z',
});
export const taskLinked = (): TaskLinkedV1 => ({ taskId: TASK_ID_2, planId: PLAN_ID, parentTaskId: TASK_ID, linkedAt: '2021-10-01T02:00:00.000Z' });
export const planIndicatorsSet = (): PlanIndicatorsSetV1 => ({
  planId: PLAN_ID,
  indicators: [
    {
      ref: 'PL1.1',
      group: 'A. Chỉ tiêu kinh tế',
      name: 'Tốc độ tăng trưởng GRDP bình quân',
      unit: '%',
      targets: [
        { horizon: 2025, text: '7,5-8,0', min: 7.5, max: 8 },
        { horizon: 2030, text: 'đạt 8,5', value: 8.5 },
      ],
      lead: { agencyId: 'so-ke-hoach-dau-tu', name: 'Sở Kế hoạch và Đầu tư' },
    },
    {
      ref: 'PL1.2',
      group: null,
      name: 'Tỷ lệ hộ nghèo',
      unit: null,
      targets: [{ horizon: null, text: 'Cơ bản không còn hộ nghèo' }],
      lead: null,
    },
  ],
  setAt: '2021-09-01T02:00:00.000Z',
});
// Sở Tư pháp's report on plan 183/KH-UBND for the third quarter of 2021, due on 20/9/2021.
const reportOf = { reportId: REPORT_ID, planId: PLAN_ID, agencyId: 'so-tu-phap', periodKey: '2021-Q3', dueOn: '2021-09-20' };
export const reportRequested = (): ReportRequestedV1 => ({
  reportId: REPORT_ID,
  planId: PLAN_ID,
  planNumber: '183/KH-UBND',
  agencyId: 'so-tu-phap',
  receiver: 'Sở Kế hoạch và Đầu tư',
  periodKey: '2021-Q3',
  dueOn: '2021-09-20',
  taskIds: [TASK_ID],
  requestedAt: '2021-09-01T02:00:00.000Z',
});
export const reportOverdue = (): ReportOverdueV1 => ({ ...reportOf, markedAt: '2021-09-20T17:00:00.000Z' });
export const reportSubmitted = (): ReportSubmittedV1 => ({ ...reportOf, submittedAt: '2021-09-22T02:00:00.000Z', late: true });
export const reportReturned = (): ReportReturnedV1 => ({ ...reportOf, reason: 'Thiếu số liệu chỉ tiêu quý III.', returnedAt: '2021-09-23T02:00:00.000Z' });
export const reportAccepted = (): ReportAcceptedV1 => ({ ...reportOf, acceptedAt: '2021-09-27T02:00:00.000Z' });
// The platform operator's city events (cityid platform, subject city-<cityId>).
const operator: ActorV1 = { userId: 'u-operator', role: 'operator', agencyId: null };
/** Thành phố Hải Phòng after the merger: Hải Dương's agencies report a few days later than the decree's 20th. */
export const haiPhong = (): CityV1 => ({
  cityId: 'hai-phong',
  name: 'Thành phố Hải Phòng',
  level: 'city',
  timeZone: 'Asia/Ho_Chi_Minh',
  dueSoonDays: 5,
  reporting: { cutoffDay: 15, dueDay: { month: 22, quarter: 22, half: 25, nine_months: 25, year: 25 } },
  status: 'active',
  identityProvider: {
    issuer: 'https://sso.haiphong.gov.vn/realms/haiphong',
    audience: 'mandate',
    jwksUrl: null,
    claims: { city: 'mandate_city', role: 'mandate_role', agency: 'mandate_agency' },
  },
});
export const cityCreated = (): CityCreatedV1 => ({
  city: {
    cityId: 'quang-ninh',
    name: 'Tỉnh Quảng Ninh',
    level: 'province',
    timeZone: 'Asia/Ho_Chi_Minh',
    dueSoonDays: 3,
    reporting: {},
    status: 'active',
    identityProvider: null,
  },
  reason: 'Triển khai theo Công văn đề nghị của UBND tỉnh Quảng Ninh',
  createdAt: '2025-06-20T02:00:00.000Z',
  actor: operator,
});
export const citySuspended = (): CitySuspendedV1 => ({
  city: { ...haiPhong(), dueSoonDays: 3, reporting: {}, status: 'suspended' },
  reason: 'Tạm dừng để hợp nhất dữ liệu của tỉnh Hải Dương vào thành phố Hải Phòng theo Nghị quyết 202/2025/QH15',
  suspendedAt: '2025-06-30T12:00:00.000Z',
  actor: operator,
});
export const cityMerged = (): CityMergedV1 => ({
  city: { ...haiPhong(), cityId: 'hai-duong', name: 'Tỉnh Hải Dương', level: 'province', dueSoonDays: 3, reporting: {} },
  into: 'hai-phong',
  reason: 'Nghị quyết 202/2025/QH15: sáp nhập tỉnh Hải Dương vào thành phố Hải Phòng từ 01/7/2025',
  mergedAt: '2025-07-01T01:00:00.000Z',
  actor: operator,
});
export const planMoved = (): PlanMovedV1 => ({
  planId: PLAN_ID,
  fromCityId: 'hai-duong',
  taskIds: [TASK_ID],
  reason: 'Nghị quyết 202/2025/QH15: sáp nhập tỉnh Hải Dương vào thành phố Hải Phòng từ 01/7/2025',
  movedAt: '2025-07-01T01:00:05.000Z',
});
export const taskMoved = (): TaskMovedV1 => ({
  taskId: TASK_ID,
  planId: PLAN_ID,
  fromCityId: 'hai-duong',
  reason: 'Nghị quyết 202/2025/QH15: sáp nhập tỉnh Hải Dương vào thành phố Hải Phòng từ 01/7/2025',
  movedAt: '2025-07-01T01:00:04.000Z',
});
export const cityResumed = (): CityResumedV1 => ({
  city: { ...haiPhong(), dueSoonDays: 3, reporting: {} },
  reason: 'Đã hợp nhất xong dữ liệu của tỉnh Hải Dương (cũ)',
  resumedAt: '2025-07-01T01:00:00.000Z',
  actor: operator,
});
export const citySettingsChanged = (): CitySettingsChangedV1 => ({
  city: haiPhong(),
  changed: ['dueSoonDays', 'reporting'],
  reason: 'Sáp nhập tỉnh Hải Dương vào thành phố Hải Phòng theo Nghị quyết 202/2025/QH15',
  changedAt: '2025-07-01T02:00:00.000Z',
  actor: operator,
});
export const contractExamples = {
  [PLAN_ISSUED_V1]: planIssued,
  [PLAN_ISSUED_V2]: planIssuedV2,
  [PLAN_NUMBERED_V1]: planNumbered,
  [PLAN_IMPORT_REVIEWED_V1]: planImportReviewed,
  [TASK_ISSUED_V1]: taskIssued,
  [TASK_ISSUED_V2]: taskIssuedV2,
  [TASK_ISSUED_V3]: taskIssuedV3,
  [TASK_ASSIGNED_V1]: taskAssigned,
  [TASK_ASSIGNED_V2]: taskAssignedV2,
  [TASK_STATUS_CHANGED_V1]: taskStatusChanged,
  [TASK_STATUS_CHANGED_V2]: taskStatusChangedV2,
  [PLAN_AMENDED_V1]: planAmended,
  [PLAN_AMENDED_V2]: planAmendedV2,
  [TASK_REVISED_V1]: taskRevised,
  [TASK_WITHDRAWN_V1]: taskWithdrawn,
  [TASK_PROGRESS_REPORTED_V1]: taskProgressReported,
  [TASK_EXTENSION_REQUESTED_V1]: taskExtensionRequested,
  [TASK_EXTENSION_APPROVED_V1]: taskExtensionApproved,
  [TASK_EXTENSION_REJECTED_V1]: taskExtensionRejected,
  [TASK_DUE_SOON_V1]: taskDueSoon,
  [TASK_OVERDUE_V1]: taskOverdue,
  [TASK_OCCURRENCE_OPENED_V1]: taskOccurrenceOpened,
  [TASK_LINKED_V1]: taskLinked,
  [PLAN_INDICATORS_SET_V1]: planIndicatorsSet,
  [REPORT_REQUESTED_V1]: reportRequested,
  [REPORT_SUBMITTED_V1]: reportSubmitted,
  [REPORT_RETURNED_V1]: reportReturned,
  [REPORT_ACCEPTED_V1]: reportAccepted,
  [REPORT_OVERDUE_V1]: reportOverdue,
  [CITY_CREATED_V1]: cityCreated,
  [CITY_SETTINGS_CHANGED_V1]: citySettingsChanged,
  [CITY_SUSPENDED_V1]: citySuspended,
  [CITY_RESUMED_V1]: cityResumed,
  [CITY_MERGED_V1]: cityMerged,
  [PLAN_MOVED_V1]: planMoved,
  [TASK_MOVED_V1]: taskMoved,
};

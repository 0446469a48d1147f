import type { PlanEvent, TaskEvent } from '@mandate/plans-domain';
import { useWords } from './i18n';

/** The event types of the plans log (the domain's own union: a type only, nothing of it reaches the bundle). */
export type StoredEventType = PlanEvent['type'] | TaskEvent['type'];

/**
 * What each stored event is called, for the history and the auditor's search. Typed against the domain:
 * an event type added there fails the web app's typecheck until it is named here.
 */
export const EVENT_LABELS: Record<'vi' | 'en', Record<StoredEventType, string>> = {
  vi: {
    PlanIssued: 'Ban hành kế hoạch',
    PlanAmended: 'Sửa đổi kế hoạch',
    PlanIndicatorsSet: 'Cập nhật chỉ tiêu',
    PlanNumbered: 'Ghi số, ngày ban hành',
    PlanImportReviewed: 'Sửa khi xem lại văn bản nhập',
    PlanMovedToCity: 'Chuyển về tỉnh, thành phố sau sáp nhập',
    TaskIssued: 'Ban hành nhiệm vụ',
    TaskAssigned: 'Đã giao',
    TaskStatusChanged: 'Chuyển trạng thái',
    TaskRevised: 'Điều chỉnh nhiệm vụ',
    TaskWithdrawn: 'Rút khỏi kế hoạch',
    ProgressReported: 'Báo cáo tiến độ',
    ExtensionRequested: 'Đề nghị gia hạn',
    ExtensionApproved: 'Đồng ý gia hạn',
    ExtensionRejected: 'Không đồng ý gia hạn',
    TaskBecameDueSoon: 'Sắp đến hạn',
    TaskBecameOverdue: 'Quá hạn',
    TaskLinkedToParent: 'Liên kết với nhiệm vụ cấp trên',
    TaskOccurrenceOpened: 'Mở kỳ thực hiện',
    TaskMovedToCity: 'Chuyển về tỉnh, thành phố sau sáp nhập',
  },
  en: {
    PlanIssued: 'Plan issued',
    PlanAmended: 'Plan amended',
    PlanIndicatorsSet: 'Indicators set',
    PlanNumbered: 'Number and date recorded',
    PlanImportReviewed: 'Corrected in the import review',
    PlanMovedToCity: 'Moved with its merged city',
    TaskIssued: 'Task issued',
    TaskAssigned: 'Assigned',
    TaskStatusChanged: 'Status changed',
    TaskRevised: 'Task adjusted',
    TaskWithdrawn: 'Withdrawn from the plan',
    ProgressReported: 'Progress report',
    ExtensionRequested: 'Extension requested',
    ExtensionApproved: 'Extension granted',
    ExtensionRejected: 'Extension refused',
    TaskBecameDueSoon: 'Due soon',
    TaskBecameOverdue: 'Overdue',
    TaskLinkedToParent: "Linked to a higher plan's task",
    TaskOccurrenceOpened: 'Occurrence opened',
    TaskMovedToCity: 'Moved with its merged city',
  },
};

/** Every event type, in the order the labels list them (the auditor's search offers them). */
export const EVENT_TYPES = Object.keys(EVENT_LABELS.vi) as StoredEventType[];

/** An event type's name in the chosen language (the type itself for one this app does not know). */
export const useEventLabel = () => {
  const words: Record<string, string> = useWords(EVENT_LABELS);
  return (type: string) => words[type] ?? type;
};

import {
  REPORT_OVERDUE_V1,
  REPORT_REQUESTED_V1,
  TASK_ASSIGNED_V1,
  TASK_ASSIGNED_V2,
  taskAssignedOf,
  TASK_DUE_SOON_V1,
  TASK_EXTENSION_APPROVED_V1,
  TASK_EXTENSION_REJECTED_V1,
  TASK_EXTENSION_REQUESTED_V1,
  TASK_OVERDUE_V1,
  taskStatusChangeOf,
  type ReportOverdueV1,
  type ReportRequestedV1,
} from '@mandate/plans-contracts';
import { ruleEnabled, type NotificationSettings, type RuleId } from './settings';

/** A published event as notifications reads it (the CloudEvent fields it needs). */
export type PublishedEvent = { id: string; type: string; cityid: string; time: string; data: unknown };

/** What an event is about, for links and the inbox: a task, or an agency's report. */
export const aboutOf = (event: PublishedEvent): { taskId: string | null; reportId: string | null } => {
  const { taskId, reportId } = (event.data ?? {}) as { taskId?: unknown; reportId?: unknown };
  return { taskId: typeof taskId === 'string' ? taskId : null, reportId: typeof reportId === 'string' ? reportId : null };
};

/** What the notifications service knows of a task from the events it has received. */
export type TaskFacts = { leadAgencyId: string | null; supervisor: string | null };

/** Who a notice is for: an agency (its inbox, its mailbox and its officers) or a supervising leader. */
export type Addressee = { agencyId: string } | { leader: string };

export type Notice = { rule: RuleId; subject: string; to: Addressee };

export const SUBJECTS = {
  lead: 'Được giao chủ trì nhiệm vụ',
  coordinator: 'Được giao phối hợp thực hiện nhiệm vụ',
  submitted: 'Nhiệm vụ chờ xác nhận hoàn thành',
  confirmed: 'Nhiệm vụ đã được xác nhận hoàn thành',
  returned: 'Nhiệm vụ bị trả lại, đề nghị thực hiện lại',
  declined: 'Cơ quan chủ trì từ chối thực hiện nhiệm vụ',
  dueSoon: 'Nhiệm vụ sắp đến hạn',
  overdue: 'Nhiệm vụ đã quá hạn',
  overdueAgain: 'Nhắc lại: nhiệm vụ vẫn quá hạn',
  extensionRequested: 'Đề nghị gia hạn nhiệm vụ',
  extensionApproved: 'Đề nghị gia hạn được chấp thuận',
  extensionRejected: 'Đề nghị gia hạn không được chấp thuận',
  reportRequested: 'Đề nghị gửi báo cáo',
  reportLate: 'Báo cáo chưa được gửi đúng hạn',
  weeklyDigest: 'Tổng hợp nhiệm vụ trong tuần',
} as const;

const toLead = (task: TaskFacts | undefined): Addressee[] => (task?.leadAgencyId ? [{ agencyId: task.leadAgencyId }] : []);

/**
 * Who is told what when a task event arrives, under the city's rules. A lead agency the service has
 * not heard of (never assigned to a resolved agency) is nobody to tell.
 */
export const noticesFor = (event: PublishedEvent, task: TaskFacts | undefined, settings: NotificationSettings): Notice[] => {
  const notices = candidates(event, task, settings);
  return notices.filter((notice) => ruleEnabled(settings, notice.rule));
};

const candidates = (event: PublishedEvent, task: TaskFacts | undefined, settings: NotificationSettings): Notice[] => {
  const each = (rule: RuleId, subject: string, to: Addressee[]): Notice[] => to.map((addressee) => ({ rule, subject, to: addressee }));
  const planning: Addressee[] = [{ agencyId: settings.agencies.planning }];
  switch (event.type) {
    case TASK_ASSIGNED_V1:
    case TASK_ASSIGNED_V2: {
      const d = taskAssignedOf(event)!;
      return [
        ...each('task-assigned', SUBJECTS.lead, d.lead.agencyId ? [{ agencyId: d.lead.agencyId }] : []),
        ...each(
          'task-assigned',
          SUBJECTS.coordinator,
          d.coordinators.flatMap((c) => (c.agencyId ? [{ agencyId: c.agencyId }] : [])),
        ),
      ];
    }
    case TASK_DUE_SOON_V1:
      return each('task-due-soon', SUBJECTS.dueSoon, toLead(task));
    case TASK_OVERDUE_V1:
      return each('task-overdue', SUBJECTS.overdue, toLead(task));
    case TASK_EXTENSION_REQUESTED_V1:
      return each('extension-requested', SUBJECTS.extensionRequested, planning);
    case TASK_EXTENSION_APPROVED_V1:
      return each('extension-decided', SUBJECTS.extensionApproved, toLead(task));
    case TASK_EXTENSION_REJECTED_V1:
      return each('extension-decided', SUBJECTS.extensionRejected, toLead(task));
    case REPORT_REQUESTED_V1:
      return each('report-requested', SUBJECTS.reportRequested, [{ agencyId: (event.data as ReportRequestedV1).agencyId }]);
    case REPORT_OVERDUE_V1: {
      // The agency that owes it, and the planning department that consolidates the reports.
      const { agencyId } = event.data as ReportOverdueV1;
      return each('report-late', SUBJECTS.reportLate, agencyId === settings.agencies.planning ? [{ agencyId }] : [{ agencyId }, ...planning]);
    }
  }
  const change = taskStatusChangeOf(event);
  switch (change?.to) {
    case 'submitted':
      return each('completion-submitted', SUBJECTS.submitted, planning);
    case 'completed':
      return each('completion-confirmed', SUBJECTS.confirmed, toLead(task));
    case 'returned':
      return each('completion-returned', SUBJECTS.returned, toLead(task));
    case 'declined':
      return each('task-declined', SUBJECTS.declined, [{ agencyId: settings.agencies.office }]);
    default:
      return [];
  }
};

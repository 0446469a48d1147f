// A plan of Hà Nội issued in January 2024, four tasks in two groups, as the plans service published it.
import {
  PLAN_ISSUED_V1,
  TASK_ASSIGNED_V1,
  TASK_EXTENSION_APPROVED_V1,
  TASK_ISSUED_V1,
  TASK_ISSUED_V2,
  TASK_PROGRESS_REPORTED_V1,
  TASK_REVISED_V1,
  TASK_STATUS_CHANGED_V1,
  TASK_STATUS_CHANGED_V2,
  TASK_WITHDRAWN_V1,
} from '@mandate/plans-contracts';
import type { FeedEvent } from '../plan-feed';

export const PLAN = '00000000-0000-4000-8000-000000000001';
export const [T1, T2, T3, T4] = ['a', 'b', 'c', 'd'].map((c) => `00000000-0000-4000-8000-00000000000${c}`);
const justice = { agencyId: 'so-tu-phap', name: 'Sở Tư pháp', resolution: 'resolved' };
const finance = { agencyId: 'so-tai-chinh', name: 'Sở Tài chính', resolution: 'resolved' };
const actor = { userId: 'u', role: 'agency', agencyId: 'so-tu-phap' };
const due = (text: string, day: string) => ({ text, kind: 'quarter', due: day });

const issued = (taskId: string, ref: string, title: string, group: string, deadline: ReturnType<typeof due>, supervisor: string | null): FeedEvent => ({
  type: TASK_ISSUED_V2,
  time: '2024-01-05T02:00:00Z',
  data: {
    taskId,
    planId: PLAN,
    planNumber: '183/KH-UBND',
    ref,
    title,
    deadline,
    status: 'not_started',
    group,
    deliverable: 'Báo cáo UBND Thành phố',
    supervisor,
    note: null,
    issuedAt: '2024-01-05T02:00:00Z',
  },
});
const assigned = (taskId: string, lead: typeof justice, time = '2024-01-05T02:00:00Z'): FeedEvent => ({
  type: TASK_ASSIGNED_V1,
  time,
  data: { taskId, planId: PLAN, lead, coordinators: [finance], previousLeadAgencyId: null },
});
const moved = (taskId: string, from: string, to: string, time: string): FeedEvent => ({
  type: TASK_STATUS_CHANGED_V2,
  time,
  data: { taskId, planId: PLAN, from, to, note: '', changedAt: time, actor },
});

// Hà Nội's plan, issued in January 2024: four tasks in two groups.
export const feed: FeedEvent[] = [
  {
    type: PLAN_ISSUED_V1,
    time: '2024-01-05T02:00:00Z',
    data: {
      planId: PLAN,
      number: '183/KH-UBND',
      kind: 'plan',
      title: 'Thực hiện Chương trình số 06-CTr/TU',
      issuedOn: '2024-01-05',
      issuer: 'UBND Thành phố Hà Nội',
      taskCount: 4,
      taskIds: [T1, T2, T3, T4],
    },
  },
  // Task 2 arrives before task 1 (another partition): the document's order still rules.
  issued(T2, 'PL2.I.2', 'Ban hành quy chế phối hợp', 'I. Hoàn thiện thể chế', due('Quý I/2024', '2024-03-31'), 'PCT Dương Đức Tuấn'),
  issued(T1, 'PL2.I.1', 'Rà soát văn bản quy phạm pháp luật', 'I. Hoàn thiện thể chế', due('Tháng 2/2024', '2024-02-29'), 'PCT Dương Đức Tuấn'),
  {
    type: TASK_ISSUED_V1,
    time: '2024-01-05T02:00:00Z',
    data: {
      taskId: T3,
      planId: PLAN,
      planNumber: '183/KH-UBND',
      ref: 'PL2.II.1',
      title: 'Đào tạo cán bộ',
      deadline: due('Quý IV/2024', '2024-12-31'),
      status: 'not_started',
    },
  },
  issued(T4, 'PL2.II.2', 'Nhiệm vụ bị rút', 'II. Nguồn nhân lực', due('Quý II/2024', '2024-06-30'), null),
  assigned(T1, justice),
  assigned(T2, justice),
  assigned(T3, finance),
  moved(T1, 'not_started', 'in_progress', '2024-01-10T03:00:00Z'),
  moved(T1, 'in_progress', 'submitted', '2024-02-20T03:00:00Z'),
  moved(T1, 'submitted', 'completed', '2024-02-25T03:00:00Z'), // on time
  moved(T2, 'not_started', 'in_progress', '2024-01-12T03:00:00Z'),
  {
    type: TASK_PROGRESS_REPORTED_V1,
    time: '2024-03-01T03:00:00Z',
    data: { taskId: T2, planId: PLAN, percent: 60, text: 'Đã lấy ý kiến các sở', attachments: [], reportedAt: '2024-03-01T03:00:00Z', actor },
  },
  {
    type: TASK_WITHDRAWN_V1,
    time: '2024-02-01T03:00:00Z',
    data: { taskId: T4, planId: PLAN, reason: 'Kế hoạch điều chỉnh', withdrawnAt: '2024-02-01T03:00:00Z' },
  },
  // After Q1's cut-off (14/3/2024): an old-vocabulary move, a revision and an extension.
  {
    type: TASK_STATUS_CHANGED_V1,
    time: '2024-04-02T03:00:00Z',
    data: { taskId: T3, planId: PLAN, from: 'not_started', to: 'suspended', note: 'Chờ kinh phí', changedAt: '2024-04-02T03:00:00Z', actor },
  },
  {
    type: TASK_REVISED_V1,
    time: '2024-04-03T03:00:00Z',
    data: { taskId: T2, planId: PLAN, changes: { title: 'Ban hành quy chế phối hợp liên ngành' }, revisedAt: '2024-04-03T03:00:00Z' },
  },
  {
    type: TASK_EXTENSION_APPROVED_V1,
    time: '2024-04-04T03:00:00Z',
    data: {
      taskId: T2,
      planId: PLAN,
      requestId: 'r1',
      previousDue: '2024-03-31',
      deadline: due('Quý II/2024', '2024-06-30'),
      note: '',
      approvedAt: '2024-04-04T03:00:00Z',
      actor,
    },
  },
];

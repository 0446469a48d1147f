// Named builders for decider tests: the facts of ha-noi 183/KH-UBND, task 1 of Phụ lục 2.
import type { Audit, CommandMetadata, Role } from '@mandate/kernel';
import type { AgencyRef } from '../agency';
import type { DeadlineSpec } from '../deadline-spec';
import type { TaskDraft } from '../plan/plan-draft';
import type { IssuePlan } from '../plan/plan.commands';
import type { PlanIssued } from '../plan/plan.events';
import type { AssignTask, ChangeTaskStatus, IssueTask } from '../task/task.commands';
import type { TaskAssigned, TaskIssued, TaskStatusChanged } from '../task/task.events';
import type { TaskStatus } from '../task/task-status';

export const NOW = new Date('2021-09-01T02:00:00.000Z');
export const PLAN_ID = 'b9f0c7e4-0000-4000-8000-000000000183';
export const TASK_ID = 'b9f0c7e4-0000-4000-8000-000000000001';

export const agency = (agencyId: string, name: string): AgencyRef => ({ agencyId, name, text: name, resolution: 'resolved' });
export const justice = agency('so-tu-phap', 'Sở Tư pháp');
export const finance = agency('so-tai-chinh', 'Sở Tài chính');
export const allDepartments: AgencyRef = {
  agencyId: null,
  name: 'các Sở, Ban, ngành',
  text: 'các Sở, Ban, ngành',
  resolution: 'group',
};

export const byOffice: CommandMetadata = { actorId: 'u-office', role: 'office', agencyId: 'van-phong-ubnd', cityId: 'ha-noi', now: NOW };
export const byPlanning: CommandMetadata = { ...byOffice, actorId: 'u-planning', role: 'planning', agencyId: 'so-ke-hoach-dau-tu' };
export const officerOf = (ref: AgencyRef, role: Role = 'agency'): CommandMetadata => ({
  ...byOffice,
  actorId: `u-${ref.agencyId}`,
  role,
  agencyId: ref.agencyId,
});
const audit = ({ now: _now, ...rest }: CommandMetadata): Audit => rest;

export const deadline = (text = 'Tháng 9/2021', due: string | null = '2021-09-30'): DeadlineSpec => ({
  text,
  kind: due ? 'month' : 'unspecified',
  due,
  start: null,
  recurrence: null,
});

export const taskDraft = (overrides: Partial<TaskDraft> = {}): TaskDraft => ({
  ref: 'PL2.I.1',
  title: 'Xây dựng, trình Quốc hội thông qua Luật Thủ đô sửa đổi.',
  group: 'I. Cơ chế, chính sách tổng hợp',
  lead: justice,
  coordinators: [allDepartments],
  deliverable: null,
  deadline: deadline(),
  supervisor: 'PCT TT Lê Hồng Sơn',
  note: null,
  ...overrides,
});

export const issueTask = (draft = taskDraft(), metadata = byOffice): IssueTask => ({
  type: 'IssueTask',
  data: { taskId: TASK_ID, planId: PLAN_ID, planNumber: '183/KH-UBND', draft },
  metadata,
});

export const issued = (draft = taskDraft(), metadata = byOffice): TaskIssued => ({
  type: 'TaskIssued',
  data: {
    taskId: TASK_ID,
    planId: PLAN_ID,
    planNumber: '183/KH-UBND',
    ref: draft.ref,
    title: draft.title,
    group: draft.group,
    deliverable: draft.deliverable,
    deadline: draft.deadline,
    supervisor: draft.supervisor,
    note: draft.note,
    issuedAt: metadata.now.toISOString(),
  },
  metadata: audit(metadata),
});

export const assigned = (
  lead: AgencyRef = justice,
  coordinators: AgencyRef[] = [allDepartments],
  previousLeadAgencyId: string | null = null,
  metadata = byOffice,
): TaskAssigned => ({
  type: 'TaskAssigned',
  data: { taskId: TASK_ID, planId: PLAN_ID, lead, coordinators, previousLeadAgencyId, assignedAt: metadata.now.toISOString(), reason: null, succession: null },
  metadata: audit(metadata),
});

export const assignTask = (lead: AgencyRef, coordinators: AgencyRef[], metadata = byOffice): AssignTask => ({
  type: 'AssignTask',
  data: { taskId: TASK_ID, lead, coordinators },
  metadata,
});

export const changeStatus = (to: TaskStatus, metadata: CommandMetadata, note = ''): ChangeTaskStatus => ({
  type: 'ChangeTaskStatus',
  data: { taskId: TASK_ID, to, note },
  metadata,
});

export const statusChanged = (from: TaskStatus, to: TaskStatus, metadata: CommandMetadata, note = ''): TaskStatusChanged => ({
  type: 'TaskStatusChanged',
  data: { taskId: TASK_ID, planId: PLAN_ID, from, to, note, changedAt: metadata.now.toISOString() },
  metadata: audit(metadata),
});

const planDraft = {
  number: '183/KH-UBND' as string | null,
  kind: 'plan' as const,
  title: 'Triển khai thực hiện Nghị quyết số 50/NQ-CP',
  issuedOn: '2021-08-10' as string | null,
  effectiveOn: null,
  issuer: 'UBND thành phố Hà Nội',
  signer: null,
  fields: [],
  implements: ['Nghị quyết số 50/NQ-CP ngày 20/5/2021'],
  source: { document: 'ha-noi-183-KH-UBND-2021.txt', truncated: false, warnings: [] },
};

export const issuePlan = (overrides: Partial<typeof planDraft> = {}, metadata = byOffice): IssuePlan => ({
  type: 'IssuePlan',
  data: { planId: PLAN_ID, draft: { ...planDraft, ...overrides }, tasks: [{ taskId: TASK_ID, ref: 'PL2.I.1' }] },
  metadata,
});

export const planIssued = (metadata = byOffice, overrides: Partial<typeof planDraft> = {}): PlanIssued => ({
  type: 'PlanIssued',
  data: {
    planId: PLAN_ID,
    ...planDraft,
    ...overrides,
    fields: [],
    implements: [...planDraft.implements],
    source: { ...planDraft.source, warnings: [] },
    tasks: [{ taskId: TASK_ID, ref: 'PL2.I.1' }],
    issuedAt: metadata.now.toISOString(),
    unitId: null,
  },
  metadata: audit(metadata),
});

import { ForbiddenError, IllegalStateError } from '@mandate/kernel';
import { DeciderSpecification } from '@mandate/testing';
import {
  assigned,
  byOffice,
  changeStatus,
  deadline,
  finance,
  issued,
  justice,
  NOW,
  officerOf,
  PLAN_ID,
  planIssued,
  TASK_ID,
  taskDraft,
} from '../testing/builders';
import { taskDecider } from '../task/task.decider';
import type { PlanAmended } from './plan.events';
import { correspondTasks } from './amendment';
import { planDecider } from './plan.decider';

const task = DeciderSpecification.for(taskDecider);
const plan = DeciderSpecification.for(planDecider);
const audit = { actorId: 'u-office', role: 'office' as const, agencyId: 'van-phong-ubnd', cityId: 'ha-noi' };
const OTHER = 'b9f0c7e4-0000-4000-8000-000000000002';

const revise = (overrides = {}) => ({ type: 'ReviseTask' as const, data: { taskId: TASK_ID, draft: taskDraft(overrides) }, metadata: byOffice });
const withdraw = (metadata = byOffice) => ({ type: 'WithdrawTask' as const, data: { taskId: TASK_ID, reason: 'Not in version 2' }, metadata });

describe('A task when its plan is amended', () => {
  it('takes a revision of only the fields the new version changes', () =>
    task([issued(), assigned()])
      .when(revise({ deadline: deadline('Tháng 12/2021', '2021-12-31') }))
      .then([
        {
          type: 'TaskRevised',
          data: { taskId: TASK_ID, planId: PLAN_ID, changes: { deadline: deadline('Tháng 12/2021', '2021-12-31') }, revisedAt: NOW.toISOString() },
          metadata: audit,
        },
      ]));

  it('is reassigned when the new version names another lead', () =>
    task([issued(), assigned()])
      .when(revise({ lead: finance }))
      .then([assigned(finance, [...taskDraft().coordinators], 'so-tu-phap')]));

  it('does nothing when the new version says the same', () => task([issued(), assigned()]).when(revise()).thenNothingHappened());

  it('is withdrawn when the new version drops it, and then takes no more status changes', () => {
    task([issued(), assigned()])
      .when(withdraw())
      .then([{ type: 'TaskWithdrawn', data: { taskId: TASK_ID, planId: PLAN_ID, reason: 'Not in version 2', withdrawnAt: NOW.toISOString() }, metadata: audit }]);
    const withdrawn = { type: 'TaskWithdrawn' as const, data: { taskId: TASK_ID, planId: PLAN_ID, reason: 'x', withdrawnAt: NOW.toISOString() }, metadata: audit };
    task([issued(), assigned(), withdrawn]).when(changeStatus('in_progress', officerOf(justice))).thenThrows(IllegalStateError, 'task-withdrawn');
    task([issued(), assigned(), withdrawn]).when(withdraw()).thenNothingHappened();
  });

  it('is amended by the city office only', () => task([issued()]).when(withdraw(officerOf(justice))).thenThrows(ForbiddenError, 'amend-forbidden'));
});

describe('A plan when a changed version is imported', () => {
  const draft = planIssued().data;
  const amend = (tasks: { taskId: string; ref: string }[], revised: string[] = [], overrides = {}) => ({
    type: 'AmendPlan' as const,
    data: { planId: PLAN_ID, draft: { ...draft, kind: 'plan' as const, ...overrides }, tasks, revised },
    metadata: byOffice,
  });
  const amended = (changes: Partial<PlanAmended['data']>): PlanAmended => ({
    type: 'PlanAmended',
    data: {
      planId: PLAN_ID,
      number: draft.number,
      title: draft.title,
      effectiveOn: draft.effectiveOn,
      signer: draft.signer,
      implements: draft.implements,
      source: draft.source,
      tasks: [],
      added: [],
      revised: [],
      withdrawn: [],
      amendedAt: NOW.toISOString(),
      ...changes,
    },
    metadata: audit,
  });

  it('records the tasks added, revised and withdrawn', () =>
    plan([planIssued()])
      .when(amend([{ taskId: OTHER, ref: 'PL2.I.2' }]))
      .then([amended({ tasks: [{ taskId: OTHER, ref: 'PL2.I.2' }], added: [{ taskId: OTHER, ref: 'PL2.I.2' }], withdrawn: [{ taskId: TASK_ID, ref: 'PL2.I.1' }] })]));

  it('records a task renumbered or revised in place', () =>
    plan([planIssued()])
      .when(amend([{ taskId: TASK_ID, ref: 'PL2.I.1' }], [TASK_ID]))
      .then([amended({ tasks: [{ taskId: TASK_ID, ref: 'PL2.I.1' }], revised: [{ taskId: TASK_ID, ref: 'PL2.I.1' }] })]));

  it('changes nothing when the version is the same', () => plan([planIssued()]).when(amend([{ taskId: TASK_ID, ref: 'PL2.I.1' }])).thenNothingHappened());

  it('records a metadata change alone (a new title)', () =>
    plan([planIssued()])
      .when(amend([{ taskId: TASK_ID, ref: 'PL2.I.1' }], [], { title: 'Tiêu đề mới' }))
      .then([amended({ title: 'Tiêu đề mới', tasks: [{ taskId: TASK_ID, ref: 'PL2.I.1' }] })]));

  it('cannot amend a plan that was never issued', () =>
    plan([]).when(amend([{ taskId: TASK_ID, ref: 'PL2.I.1' }])).thenThrows(IllegalStateError, 'plan-not-issued'));
});

describe('Which task of the new version continues which', () => {
  const current = [
    { taskId: 'a', ref: '1', title: 'Xây dựng cơ sở dữ liệu đất đai' },
    { taskId: 'b', ref: '2', title: 'Ban hành quy chế khai thác dữ liệu' },
    { taskId: 'c', ref: '3', title: 'Đào tạo cán bộ' },
  ];

  it('follows a task by its title when rows are renumbered', () =>
    expect(
      correspondTasks(current, [
        { ref: '1', title: 'Ban hành quy chế khai thác dữ liệu' },
        { ref: '2', title: 'Đào tạo cán bộ' },
      ]),
    ).toEqual({ continues: ['b', 'c'], dropped: [current[0]] }));

  it('follows a reworded title by its number, but not another task under the same number', () =>
    expect(
      correspondTasks(current, [
        { ref: '1', title: 'Xây dựng và vận hành cơ sở dữ liệu đất đai' },
        { ref: '2', title: 'Ban hành quy chế khai thác dữ liệu' },
        { ref: '3', title: 'Kiểm tra, đánh giá kết quả thí điểm' },
      ]),
    ).toEqual({ continues: ['a', 'b', null], dropped: [current[2]] }));
});

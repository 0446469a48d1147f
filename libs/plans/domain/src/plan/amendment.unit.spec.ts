import { fold, ForbiddenError, IllegalStateError } from '@mandate/kernel';
import { asStored, DeciderSpecification } from '@mandate/testing';
import {
  agency,
  assigned,
  byOffice,
  byPlanning,
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
import { amendmentConflicts, taskDecider, type IssuedTask } from '../task/task.decider';
import type { TaskEvent } from '../task/task.events';
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
      .then([
        { type: 'TaskWithdrawn', data: { taskId: TASK_ID, planId: PLAN_ID, reason: 'Not in version 2', withdrawnAt: NOW.toISOString() }, metadata: audit },
      ]);
    const withdrawn = {
      type: 'TaskWithdrawn' as const,
      data: { taskId: TASK_ID, planId: PLAN_ID, reason: 'x', withdrawnAt: NOW.toISOString() },
      metadata: audit,
    };
    task([issued(), assigned(), withdrawn])
      .when(changeStatus('in_progress', officerOf(justice)))
      .thenThrows(IllegalStateError, 'task-withdrawn');
    task([issued(), assigned(), withdrawn]).when(withdraw()).thenNothingHappened();
  });

  it('is amended by the city office only', () =>
    task([issued()])
      .when(withdraw(officerOf(justice)))
      .thenThrows(ForbiddenError, 'amend-forbidden'));
});

describe('A task when a version of its document comes after changes of its own', () => {
  // What happened to task 1 of 183/KH-UBND after the plan was imported: later than the import.
  const later = { ...byOffice, now: new Date('2021-10-05T02:00:00.000Z') };
  const auditOf = ({ now: _now, ...rest }: typeof byOffice) => rest;
  const extended = { text: 'Gia hạn đến ngày 31/12/2021', kind: 'date' as const, due: '2021-12-31', start: null, recurrence: null };
  const extensionApproved: TaskEvent[] = [
    {
      type: 'ExtensionRequested',
      data: { taskId: TASK_ID, planId: PLAN_ID, requestId: 'r1', until: '2021-12-31', reason: 'Chờ ý kiến của Bộ', requestedAt: later.now.toISOString() },
      metadata: auditOf(officerOf(justice)),
    },
    {
      type: 'ExtensionApproved',
      data: {
        taskId: TASK_ID,
        planId: PLAN_ID,
        requestId: 'r1',
        previousDeadline: deadline(),
        deadline: extended,
        note: 'Đồng ý',
        approvedAt: later.now.toISOString(),
      },
      metadata: auditOf(byPlanning),
    },
  ];
  const editedByOffice = (changes: Record<string, unknown>): TaskEvent => ({
    type: 'TaskRevised',
    data: { taskId: TASK_ID, planId: PLAN_ID, changes, revisedAt: later.now.toISOString(), reason: 'Theo chỉ đạo của Chủ tịch' },
    metadata: auditOf(later),
  });
  const reassigned = assigned(finance, [], 'so-tu-phap', later);
  const revised = (changes: Record<string, unknown>): TaskEvent => ({
    type: 'TaskRevised',
    data: { taskId: TASK_ID, planId: PLAN_ID, changes, revisedAt: NOW.toISOString() },
    metadata: audit,
  });
  const agencyOfNature = agency('so-tai-nguyen-moi-truong', 'Sở Tài nguyên và Môi trường');
  const quarterIV = { text: 'Quý IV/2021', kind: 'quarter' as const, due: '2021-12-31', start: null, recurrence: null };
  const stateAfter = (events: TaskEvent[]) => fold(taskDecider, events) as IssuedTask;

  describe('given an extension approved since the plan was imported', () => {
    const history = [issued(), assigned(), ...extensionApproved];

    it('changes nothing when the same document is imported again', () => task(history).when(revise()).thenNothingHappened());

    it('changes nothing when the same document is imported again, its events read back from the store', () =>
      task(history.map(asStored)).when(revise()).thenNothingHappened());

    it('revises only the title when a new version changes only the title: the extended deadline stays', () =>
      task(history)
        .when(revise({ title: 'Xây dựng Luật Thủ đô (sửa đổi).' }))
        .then([revised({ title: 'Xây dựng Luật Thủ đô (sửa đổi).' })]));

    it('takes the new version’s deadline when it changes the deadline too, and names the extension it replaced', () => {
      const draft = taskDraft({ title: 'Xây dựng Luật Thủ đô (sửa đổi).', deadline: quarterIV });
      task(history)
        .when(revise(draft))
        .then([revised({ title: draft.title, deadline: quarterIV })]);
      expect(amendmentConflicts(stateAfter(history), draft)).toEqual([{ field: 'deadline', was: extended, now: quarterIV }]);
    });

    it('names no conflict for what the new version leaves as the last one said', () =>
      expect(amendmentConflicts(stateAfter(history), taskDraft({ title: 'Xây dựng Luật Thủ đô (sửa đổi).' }))).toEqual([]));
  });

  describe('given the office edited the title since', () => {
    const history = [issued(), assigned(), editedByOffice({ title: 'Trình Quốc hội Luật Thủ đô (sửa đổi).' })];

    it('keeps the edit when the same document is imported again', () => task(history).when(revise()).thenNothingHappened());

    it('keeps the edit when a new version changes only the deadline', () =>
      task(history)
        .when(revise({ deadline: quarterIV }))
        .then([revised({ deadline: quarterIV })]));
  });

  describe('given the office gave the task to another agency since', () => {
    const history = [issued(), assigned(), reassigned];

    it('keeps the reassignment when the same document is imported again', () => task(history).when(revise()).thenNothingHappened());

    it('keeps the reassignment when a new version changes another field', () =>
      task(history)
        .when(revise({ note: 'Ưu tiên' }))
        .then([revised({ note: 'Ưu tiên' })]));

    it('assigns the lead a new version names, and names the reassignment it replaced', () => {
      const draft = taskDraft({ lead: agencyOfNature, coordinators: [justice] });
      task(history)
        .when(revise(draft))
        .then([assigned(agencyOfNature, [justice], 'so-tai-chinh')]);
      expect(amendmentConflicts(stateAfter(history), draft)).toEqual([
        { field: 'assignment', was: { lead: finance, coordinators: [] }, now: { lead: agencyOfNature, coordinators: [justice] } },
      ]);
    });
  });

  describe('given a revised version already imported', () => {
    const history = [issued(), assigned(), revised({ deadline: quarterIV }), ...extensionApproved];

    it('changes nothing when that version is imported again, after an extension', () =>
      task(history)
        .when(revise({ deadline: quarterIV }))
        .thenNothingHappened());

    it('goes back to the first version’s deadline when the first version is imported again', () =>
      task([issued(), assigned(), revised({ deadline: quarterIV })])
        .when(revise())
        .then([revised({ deadline: deadline() })]));
  });
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
      .then([
        amended({ tasks: [{ taskId: OTHER, ref: 'PL2.I.2' }], added: [{ taskId: OTHER, ref: 'PL2.I.2' }], withdrawn: [{ taskId: TASK_ID, ref: 'PL2.I.1' }] }),
      ]));

  it('records a task renumbered or revised in place', () =>
    plan([planIssued()])
      .when(amend([{ taskId: TASK_ID, ref: 'PL2.I.1' }], [TASK_ID]))
      .then([amended({ tasks: [{ taskId: TASK_ID, ref: 'PL2.I.1' }], revised: [{ taskId: TASK_ID, ref: 'PL2.I.1' }] })]));

  it('changes nothing when the version is the same', () =>
    plan([planIssued()])
      .when(amend([{ taskId: TASK_ID, ref: 'PL2.I.1' }]))
      .thenNothingHappened());

  it('records a metadata change alone (a new title)', () =>
    plan([planIssued()])
      .when(amend([{ taskId: TASK_ID, ref: 'PL2.I.1' }], [], { title: 'Tiêu đề mới' }))
      .then([amended({ title: 'Tiêu đề mới', tasks: [{ taskId: TASK_ID, ref: 'PL2.I.1' }] })]));

  it('cannot amend a plan that was never issued', () =>
    plan([])
      .when(amend([{ taskId: TASK_ID, ref: 'PL2.I.1' }]))
      .thenThrows(IllegalStateError, 'plan-not-issued'));
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

// The same document imported again changes nothing: each seed, through the real parser, with the
// first import's events read back as the store gives them (JSON, jsonb's key order).
import { fold, type CommandMetadata } from '@mandate/kernel';
import { correspondTasks, planDecider, taskDecider, type IssuedTask, type PlanDraft, type PlanEvent, type TaskEvent } from '@mandate/plans-domain';
import { asStored } from '@mandate/testing';
import { importPlan } from './import-plan';
import { directoryOf, manifest, seedText } from './test-seeds';

const at = (iso: string, role: CommandMetadata['role'] = 'office'): CommandMetadata => ({
  actorId: `u-${role}`,
  role,
  agencyId: null,
  cityId: 'x',
  now: new Date(iso),
});
const PLAN_ID = 'plan-1';

/** The first import as the plans service records it: a stream per task, one for the plan. */
const issue = (draft: PlanDraft) => {
  const { tasks, ...planDraft } = draft;
  const ids = tasks.map((t, i) => ({ taskId: `task-${i}`, ref: t.ref }));
  const taskStreams = tasks.map((t, i) =>
    taskDecider
      .decide(
        { type: 'IssueTask', data: { taskId: ids[i].taskId, planId: PLAN_ID, planNumber: draft.number, draft: t }, metadata: at('2024-01-02T03:00:00Z') },
        taskDecider.initialState(),
      )
      .map(asStored),
  );
  const plan = planDecider
    .decide({ type: 'IssuePlan', data: { planId: PLAN_ID, draft: planDraft, tasks: ids }, metadata: at('2024-01-02T03:00:01Z') }, planDecider.initialState())
    .map(asStored);
  return { plan, taskStreams };
};

/** Importing `draft` again, as the plans service does: every task it continues is revised, then the plan amended. */
const importAgain = (draft: PlanDraft, plan: PlanEvent[], taskStreams: TaskEvent[][]) => {
  const metadata = at('2024-06-01T03:00:00Z');
  const tasks = taskStreams.map((events) => fold(taskDecider, events) as IssuedTask);
  const { continues, dropped } = correspondTasks(
    tasks.map((t) => ({ taskId: t.taskId, ref: t.ref, title: t.title })),
    draft.tasks,
  );
  const taskEvents = draft.tasks.flatMap((t, i): unknown[] => {
    const task = tasks.find((c) => c.taskId === continues[i]);
    return task ? taskDecider.decide({ type: 'ReviseTask', data: { taskId: task.taskId, draft: t }, metadata }, task) : [{ type: 'new task', ref: t.ref }];
  });
  const { tasks: _tasks, ...planDraft } = draft;
  const planEvents = planDecider.decide(
    {
      type: 'AmendPlan',
      data: { planId: PLAN_ID, draft: planDraft, tasks: draft.tasks.map((t, i) => ({ taskId: continues[i] ?? `new-${i}`, ref: t.ref })), revised: [] },
      metadata,
    },
    fold(planDecider, plan),
  );
  return { taskEvents, planEvents, dropped };
};

describe('A seed document imported again, byte for byte', () => {
  it.each(manifest().map((e) => [e.file, e.cityId]))('%s: no events, so the outcome is unchanged', (file, cityId) => {
    const read = () => importPlan(seedText(file), { document: file, cityId, directory: directoryOf(cityId) });
    const { plan, taskStreams } = issue(read());
    expect(importAgain(read(), plan, taskStreams)).toEqual({ taskEvents: [], planEvents: [], dropped: [] });
  });

  it('183/KH-UBND after an extension of one of its tasks: no events, and the extended deadline stays', () => {
    const read = () =>
      importPlan(seedText('ha-noi-183-KH-UBND-2021.txt'), { document: 'ha-noi-183-KH-UBND-2021.txt', cityId: 'ha-noi', directory: directoryOf('ha-noi') });
    const { plan, taskStreams } = issue(read());
    const extended = taskStreams[1];
    const lead = (fold(taskDecider, extended) as IssuedTask).lead!;
    const officer = { ...at('2024-03-01T03:00:00Z', 'agency'), agencyId: lead.agencyId };
    for (const command of [
      { type: 'RequestExtension' as const, data: { taskId: 'task-1', requestId: 'r1', until: '2026-12-31', reason: 'Chờ ý kiến của Bộ' }, metadata: officer },
      { type: 'ApproveExtension' as const, data: { taskId: 'task-1', requestId: 'r1', note: 'Đồng ý' }, metadata: at('2024-03-02T03:00:00Z', 'planning') },
    ]) {
      extended.push(...taskDecider.decide(command, fold(taskDecider, extended)).map(asStored));
    }
    expect(importAgain(read(), plan, taskStreams)).toEqual({ taskEvents: [], planEvents: [], dropped: [] });
    expect((fold(taskDecider, extended) as IssuedTask).deadline.due).toBe('2026-12-31');
  });
});

import fc from 'fast-check';
import { DomainError } from '@mandate/kernel';
import { allDepartments, byOffice, byPlanning, finance, issued, assigned, justice, officerOf, NOW, TASK_ID } from '../testing/builders';
import type { TaskCommand } from './task.commands';
import type { TaskEvent } from './task.events';
import { TASK_STATUSES } from './task-status';
import { decideTask, evolveTask, initialTaskState, type Task } from './task.decider';

// Any sequence of commands, by any of the people who act on tasks, on a task of the builders.
const actors = [
  byOffice,
  byPlanning,
  officerOf(justice),
  officerOf(finance),
  officerOf({ agencyId: 'so-y-te', name: 'Sở Y tế', text: 'Sở Y tế', resolution: 'resolved' }),
];
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

const command = fc
  .tuple(
    fc.constantFrom(...actors),
    fc.integer({ min: 0, max: 200_000 }),
    fc.oneof(
      // Status moves weigh more: they are what the invariants are about.
      {
        weight: 6,
        arbitrary: fc.record({ type: fc.constant('ChangeTaskStatus' as const), to: fc.constantFrom(...TASK_STATUSES), note: fc.constantFrom('', 'Lý do') }),
      },
      fc.record({ type: fc.constant('ReportProgress' as const), percent: fc.integer({ min: -5, max: 105 }) }),
      fc.record({
        type: fc.constant('RequestExtension' as const),
        requestId: fc.constantFrom('r1', 'r2'),
        until: fc.constantFrom('2021-10-31', '2022-03-31', '2021-02-30'),
      }),
      fc.record({ type: fc.constant('ApproveExtension' as const), requestId: fc.constantFrom('r1', 'r2') }),
      fc.record({ type: fc.constant('RejectExtension' as const), requestId: fc.constantFrom('r1', 'r2') }),
      fc.record({ type: fc.constant('AssignTask' as const), lead: fc.constantFrom(justice, finance) }),
      fc.record({ type: fc.constant('MarkDeadline' as const), mark: fc.constantFrom('due_soon' as const, 'overdue' as const) }),
    ),
  )
  .map(([actor, minutes, c]): TaskCommand => {
    const metadata = { ...actor, now: later(minutes) };
    switch (c.type) {
      case 'ChangeTaskStatus':
        return { type: c.type, data: { taskId: TASK_ID, to: c.to, note: c.note }, metadata };
      case 'ReportProgress':
        return { type: c.type, data: { taskId: TASK_ID, percent: c.percent, text: 'Tiến độ', attachments: [] }, metadata };
      case 'RequestExtension':
        return { type: c.type, data: { taskId: TASK_ID, requestId: c.requestId, until: c.until, reason: 'Cần thêm thời gian' }, metadata };
      case 'ApproveExtension':
        return { type: c.type, data: { taskId: TASK_ID, requestId: c.requestId, note: '' }, metadata };
      case 'RejectExtension':
        return { type: c.type, data: { taskId: TASK_ID, requestId: c.requestId, reason: 'Không có căn cứ' }, metadata };
      case 'AssignTask':
        return { type: c.type, data: { taskId: TASK_ID, lead: c.lead, coordinators: [allDepartments] }, metadata };
      default:
        return { type: c.type, data: { taskId: TASK_ID, mark: c.mark }, metadata };
    }
  });

/** Runs the commands in order; refused ones (a domain error) change nothing, as over HTTP. */
const run = (commands: readonly TaskCommand[]) => {
  const log: TaskEvent[] = [issued(), assigned()];
  let state: Task = log.reduce(evolveTask, initialTaskState());
  for (const c of commands) {
    try {
      const events = decideTask(c, state);
      log.push(...events);
      state = events.reduce(evolveTask, state);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error; // anything else is a bug
    }
  }
  return { log, state };
};

describe('Any sequence of commands on a task', () => {
  const sequences = fc.array(command, { minLength: 5, maxLength: 60, size: 'large' });

  it('replaying its events gives the same state as deciding them one by one', () =>
    fc.assert(
      fc.property(sequences, (commands) => expect(run(commands).log.reduce(evolveTask, initialTaskState())).toEqual(run(commands).state)),
      { numRuns: 300 },
    ));

  it('completes a task only by a confirmation of the office or the planning department after a submission', () =>
    fc.assert(
      fc.property(sequences, (commands) => {
        const { log } = run(commands);
        log.forEach((event, i) => {
          if (event.type !== 'TaskStatusChanged' || event.data.to !== 'completed') return;
          expect(['office', 'planning']).toContain(event.metadata.role);
          expect(event.data.from).toBe('submitted');
          expect(log.slice(0, i).some((e) => e.type === 'TaskStatusChanged' && e.data.to === 'submitted')).toBe(true);
        });
      }),
      { numRuns: 300 },
    ));

  it('never leaves a final status, records each deadline mark once per due date, and changes a deadline only through an approval', () =>
    fc.assert(
      fc.property(sequences, (commands) => {
        const { log } = run(commands);
        const statuses = log.filter((e) => e.type === 'TaskStatusChanged').map((e) => (e.type === 'TaskStatusChanged' ? e.data : null)!);
        statuses.forEach((s, i) => {
          if (s.to === 'completed' || s.to === 'cancelled') expect(statuses.slice(i + 1)).toEqual([]);
          if (i > 0) expect(s.from).toBe(statuses[i - 1].to); // each move starts where the last ended
        });
        const marks = log
          .filter((e) => e.type === 'TaskBecameOverdue' || e.type === 'TaskBecameDueSoon')
          .map((e) => `${e.type}:${(e.data as { due: string }).due}`);
        expect(new Set(marks).size).toBe(marks.length);
        const dues = log.filter((e) => e.type === 'ExtensionApproved').length;
        let state: Task = initialTaskState();
        let changes = 0;
        for (const e of log) {
          const before = state.status === 'none' ? null : state.deadline.due;
          state = evolveTask(state, e);
          if (e.type !== 'TaskIssued' && state.status !== 'none' && state.deadline.due !== before) changes++;
        }
        expect(changes).toBeLessThanOrEqual(dues);
      }),
      { numRuns: 300 },
    ));
});

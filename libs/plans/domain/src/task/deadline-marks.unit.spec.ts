import { DeciderSpecification } from '@mandate/testing';
import { assigned, byOffice, issued, justice, officerOf, PLAN_ID, statusChanged, TASK_ID, taskDraft } from '../testing/builders';
import type { TaskEvent } from './task.events';
import { taskDecider } from './task.decider';

const given = DeciderSpecification.for(taskDecider);
// The task of the builders is due on 30 September 2021 (Hà Nội time).
const at = (iso: string) => ({ ...byOffice, actorId: 'system:deadline-scheduler', now: new Date(iso) });
const mark = (what: 'due_soon' | 'overdue', iso: string) => ({ type: 'MarkDeadline' as const, data: { taskId: TASK_ID, mark: what }, metadata: at(iso) });
const audit = { actorId: 'system:deadline-scheduler', role: 'office', agencyId: 'van-phong-ubnd', cityId: 'ha-noi' } as never;
const overdue = (due: string, iso: string): TaskEvent => ({
  type: 'TaskBecameOverdue',
  data: { taskId: TASK_ID, planId: PLAN_ID, due, at: iso },
  metadata: audit,
});
const dueSoon = (due: string, iso: string): TaskEvent => ({
  type: 'TaskBecameDueSoon',
  data: { taskId: TASK_ID, planId: PLAN_ID, due, at: iso },
  metadata: audit,
});
const open = [issued(), assigned()];

describe('Time as events', () => {
  it('marks a task due soon within the window, once', () => {
    given(open)
      .when(mark('due_soon', '2021-09-28T01:00:00.000Z'))
      .then([dueSoon('2021-09-30', '2021-09-28T01:00:00.000Z')]);
    given([...open, dueSoon('2021-09-30', '2021-09-28T01:00:00.000Z')])
      .when(mark('due_soon', '2021-09-29T01:00:00.000Z'))
      .thenNothingHappened();
  });

  it('does not mark it before the window or when the scan comes early', () =>
    given(open).when(mark('due_soon', '2021-09-20T01:00:00.000Z')).thenNothingHappened());

  it('marks it overdue once the due day has ended in Hà Nội, once', () => {
    given(open).when(mark('overdue', '2021-09-30T16:59:00.000Z')).thenNothingHappened();
    given(open)
      .when(mark('overdue', '2021-09-30T17:00:00.000Z'))
      .then([overdue('2021-09-30', '2021-09-30T17:00:00.000Z')]);
    given([...open, overdue('2021-09-30', '2021-10-01T00:00:00.000Z')])
      .when(mark('overdue', '2021-10-05T00:00:00.000Z'))
      .thenNothingHappened();
  });

  it('marks it again after the deadline moved', () => {
    const extended: TaskEvent = {
      type: 'ExtensionApproved',
      data: {
        taskId: TASK_ID,
        planId: PLAN_ID,
        requestId: 'r1',
        previousDeadline: issued().data.deadline,
        deadline: { text: 'Gia hạn', kind: 'date', due: '2021-10-31', start: null, recurrence: null },
        note: '',
        approvedAt: '2021-10-02T00:00:00.000Z',
      },
      metadata: audit,
    };
    given([...open, overdue('2021-09-30', '2021-10-01T00:00:00.000Z'), extended])
      .when(mark('overdue', '2021-11-01T00:00:00.000Z'))
      .then([overdue('2021-10-31', '2021-11-01T00:00:00.000Z')]);
  });

  it('does not mark a task the agency has submitted or that is completed', () => {
    const submitted = [...open, statusChanged('not_started', 'submitted', officerOf(justice))];
    given(submitted).when(mark('overdue', '2021-10-05T00:00:00.000Z')).thenNothingHappened();
  });
});

describe('Repeating duties', () => {
  const yearly = issued(taskDraft({ deadline: { text: 'Định kỳ hàng năm', kind: 'recurring', due: null, start: null, recurrence: 'yearly' } }));
  const openAt = (iso: string) => ({ type: 'OpenOccurrences' as const, data: { taskId: TASK_ID }, metadata: at(iso) });
  const opened = (n: number, periodStart: string, due: string, iso: string): TaskEvent => ({
    type: 'TaskOccurrenceOpened',
    data: { taskId: TASK_ID, planId: PLAN_ID, occurrence: n, periodStart, due, kind: 'report', openedAt: iso },
    metadata: audit,
  });

  it('open every period that began, catching up after downtime, once', () => {
    const iso = '2023-01-05T00:00:00.000Z';
    given([yearly])
      .when(openAt(iso))
      .then([opened(1, '2021-01-01', '2021-12-31', iso), opened(2, '2022-01-01', '2022-12-31', iso), opened(3, '2023-01-01', '2023-12-31', iso)]);
    given([yearly, opened(1, '2021-01-01', '2021-12-31', iso), opened(2, '2022-01-01', '2022-12-31', iso), opened(3, '2023-01-01', '2023-12-31', iso)])
      .when(openAt('2023-06-01T00:00:00.000Z'))
      .thenNothingHappened();
  });

  it('are not opened for a task with one due date', () => given(open).when(openAt('2023-01-05T00:00:00.000Z')).thenNothingHappened());

  describe('of a weekly duty ("trước 16 giờ ngày thứ Sáu hằng tuần")', () => {
    const weekly = issued(
      taskDraft({ deadline: { text: 'trước 16 giờ ngày thứ Sáu hằng tuần', kind: 'recurring', due: null, start: null, recurrence: 'weekly', weekday: 5 } }),
    );

    it('open one occurrence per week begun, due on its Friday, catching up after downtime, once', () => {
      // Given the duty issued on Wednesday 1 September 2021
      // When the scheduler runs on Tuesday 14 September
      const iso = '2021-09-14T00:00:00.000Z';
      // Then the weeks of 30 August, 6 and 13 September are opened, in order
      const weeks = [opened(1, '2021-08-30', '2021-09-03', iso), opened(2, '2021-09-06', '2021-09-10', iso), opened(3, '2021-09-13', '2021-09-17', iso)];
      given([weekly]).when(openAt(iso)).then(weeks);
      // And again the same week: nothing more; the next Monday: that week only
      given([weekly, ...weeks])
        .when(openAt('2021-09-16T00:00:00.000Z'))
        .thenNothingHappened();
      given([weekly, ...weeks])
        .when(openAt('2021-09-20T00:00:00.000Z'))
        .then([opened(4, '2021-09-20', '2021-09-24', '2021-09-20T00:00:00.000Z')]);
    });

    it('open none for a duty that is paused', () =>
      given([weekly, assigned(), statusChanged('not_started', 'paused', byOffice)])
        .when(openAt('2021-09-14T00:00:00.000Z'))
        .thenNothingHappened());
  });
});

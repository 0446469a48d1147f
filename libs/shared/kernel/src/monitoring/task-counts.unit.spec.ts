const deadline = (text: string, due: string | null) => ({ text, kind: due ? 'month' : 'unspecified', due });
import { countTask, emptyCounts, type CountedTask } from './task-counts';

describe('Counting tasks as a monitoring report does, on 15 October 2021 (Hà Nội)', () => {
  const now = new Date('2021-10-15T03:00:00Z');
  const september = deadline('Tháng 9/2021', '2021-09-30');
  const december = deadline('Quý IV/2021', '2021-12-31');
  const today = deadline('trước ngày 15/10/2021', '2021-10-15');
  const tasks: CountedTask[] = [
    { status: 'completed', deadline: september, completedAt: '2021-09-20T02:00:00Z' }, // on time
    { status: 'completed', deadline: september, completedAt: '2021-10-05T02:00:00Z' }, // late
    { status: 'in_progress', deadline: september, completedAt: null }, // open, overdue
    { status: 'submitted', deadline: december, completedAt: null }, // open, on time, not yet due
    { status: 'not_started', deadline: today, completedAt: null }, // due today, still on time
    { status: 'cancelled', deadline: september, completedAt: null },
    { status: 'in_progress', deadline: deadline('Thường xuyên', null), completedAt: null }, // no due date
  ];

  it('fills every column from a hand count', () =>
    expect(tasks.reduce((c, t) => countTask(c, t, now), emptyCounts())).toEqual({
      assigned: 7,
      due: 5,
      completedOnTime: 1,
      completedLate: 1,
      openOnTime: 3,
      openOverdue: 1,
      cancelled: 1,
    }));
});

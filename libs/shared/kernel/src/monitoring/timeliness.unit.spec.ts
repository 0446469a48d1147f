const deadline = (text: string, due: string | null) => ({ text, kind: due ? 'month' : 'unspecified', due });
import { statusLabel, timelinessOf } from './timeliness';

describe('Timeliness of a task due at the end of September 2021 (Vietnam time)', () => {
  const task = { status: 'in_progress' as const, deadline: deadline('Tháng 9/2021', '2021-09-30'), completedAt: null };

  it('is on time a month before', () => expect(timelinessOf(task, new Date('2021-08-30T00:00:00Z'))).toBe('on_time'));
  it('is due soon in its last three days', () => {
    expect(timelinessOf(task, new Date('2021-09-27T16:00:00Z'))).toBe('on_time');
    expect(timelinessOf(task, new Date('2021-09-28T00:00:00Z'))).toBe('due_soon');
  });
  it('is due soon earlier in a city that warns a week ahead', () => expect(timelinessOf(task, new Date('2021-09-25T00:00:00Z'), 7)).toBe('due_soon'));
  it('is still on time late on the due day in Hà Nội', () => expect(timelinessOf(task, new Date('2021-09-30T16:59:00Z'))).toBe('due_soon'));
  it('is overdue once the due day has ended in Hà Nội', () => expect(timelinessOf(task, new Date('2021-09-30T17:00:00Z'))).toBe('overdue'));
  it('is labelled as monitoring offices write it', () => {
    expect(statusLabel('in_progress', 'overdue')).toBe('Đang thực hiện - quá hạn');
    expect(statusLabel('in_progress', 'on_time')).toBe('Đang thực hiện - trong hạn');
    expect(statusLabel('in_progress', 'due_soon')).toBe('Đang thực hiện - sắp đến hạn');
    expect(statusLabel('submitted', 'on_time')).toBe('Chờ xác nhận');
    expect(statusLabel('paused', 'no_deadline')).toBe('Tạm hoãn');
    expect(statusLabel('cancelled', 'no_deadline')).toBe('Dừng thực hiện');
    expect(statusLabel('returned', 'overdue')).toBe('Thực hiện lại - quá hạn');
    expect(statusLabel('declined', 'on_time')).toBe('Từ chối thực hiện');
  });
  it('tells late completion from on-time completion', () => {
    const late = { ...task, status: 'completed' as const, completedAt: '2021-10-02T03:00:00Z' };
    expect(timelinessOf(late, new Date('2022-01-01T00:00:00Z'))).toBe('completed_late');
    expect(statusLabel('completed', 'completed_late')).toBe('Hoàn thành quá hạn');
  });
  it('has no deadline when the text names none', () => expect(timelinessOf({ ...task, deadline: deadline('', null) }, new Date())).toBe('no_deadline'));
});

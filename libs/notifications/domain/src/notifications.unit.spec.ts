import {
  REPORT_OVERDUE_V1,
  REPORT_REQUESTED_V1,
  REPORT_SUBMITTED_V1,
  TASK_ASSIGNED_V1,
  TASK_ASSIGNED_V2,
  TASK_EXTENSION_APPROVED_V1,
  TASK_EXTENSION_REQUESTED_V1,
  TASK_OVERDUE_V1,
  TASK_PROGRESS_REPORTED_V1,
  TASK_STATUS_CHANGED_V1,
  TASK_STATUS_CHANGED_V2,
  TASK_STATUS_CODES_V2,
} from '@mandate/plans-contracts';
import { deliveryOf, nextDigestTime, outsideQuietHours } from './delivery';
import { noticesFor, SUBJECTS, type PublishedEvent } from './notices';
import { overdueReminderOwed, weeklyDigestOf, weeklyDigestOwed, type DigestTask } from './reminders';
import { DEFAULT_PREFERENCES, notificationSettingsOf, preferencesSchema } from './settings';

const TASK = 'b9f0c7e4-0000-4000-8000-000000000001';
const defaults = notificationSettingsOf(undefined);
const event = (type: string, data: object): PublishedEvent => ({
  id: 'e1',
  type,
  cityid: 'ha-noi',
  time: '2026-12-01T02:00:00Z',
  data: { taskId: TASK, ...data },
});
const led = { leadAgencyId: 'so-tu-phap', supervisor: 'Lê Hồng Sơn' };
const statusChange = (to: string) => event(TASK_STATUS_CHANGED_V2, { from: 'in_progress', to, note: '' });
// Vietnam is UTC+7: local 08:00 is 01:00Z.
const at = (local: string) => new Date(`${local}+07:00`);

describe('who is told what', () => {
  it('an assignment tells the lead agency it leads and each resolved coordinator it coordinates; a group of agencies is nobody', () => {
    const notices = noticesFor(
      event(TASK_ASSIGNED_V1, {
        lead: { agencyId: 'so-tu-phap', name: 'Sở Tư pháp', resolution: 'resolved' },
        coordinators: [
          { agencyId: 'so-noi-vu', name: 'Sở Nội vụ', resolution: 'resolved' },
          { agencyId: null, name: 'các Sở, Ban, ngành', resolution: 'group' },
        ],
      }),
      undefined,
      defaults,
    );
    expect(notices).toEqual([
      { rule: 'task-assigned', subject: SUBJECTS.lead, to: { agencyId: 'so-tu-phap' } },
      { rule: 'task-assigned', subject: SUBJECTS.coordinator, to: { agencyId: 'so-noi-vu' } },
    ]);
  });

  it('a hand-over after a merger (assigned v2) tells the successor it leads now', () => {
    const notices = noticesFor(
      event(TASK_ASSIGNED_V2, {
        lead: { agencyId: 'so-tai-chinh', name: 'Sở Tài chính', resolution: 'resolved' },
        coordinators: [],
        previousLeadAgencyId: 'so-ke-hoach-dau-tu',
        reason: 'Sáp nhập Sở Kế hoạch và Đầu tư vào Sở Tài chính',
        succession: { predecessorAgencyIds: ['so-ke-hoach-dau-tu'], effectiveOn: '2025-03-01' },
      }),
      undefined,
      defaults,
    );
    expect(notices).toEqual([{ rule: 'task-assigned', subject: SUBJECTS.lead, to: { agencyId: 'so-tai-chinh' } }]);
  });

  it('a submission asks the planning department to confirm; a confirmation, a return, an overdue mark go to the lead agency', () => {
    expect(noticesFor(statusChange('submitted'), led, defaults)).toEqual([
      { rule: 'completion-submitted', subject: SUBJECTS.submitted, to: { agencyId: 'so-ke-hoach-dau-tu' } },
    ]);
    expect(noticesFor(statusChange('completed'), led, defaults)).toEqual([
      { rule: 'completion-confirmed', subject: SUBJECTS.confirmed, to: { agencyId: 'so-tu-phap' } },
    ]);
    expect(noticesFor(statusChange('returned'), led, defaults)).toEqual([
      { rule: 'completion-returned', subject: SUBJECTS.returned, to: { agencyId: 'so-tu-phap' } },
    ]);
    expect(noticesFor(event(TASK_OVERDUE_V1, { due: '2026-11-30' }), led, defaults)).toEqual([
      { rule: 'task-overdue', subject: SUBJECTS.overdue, to: { agencyId: 'so-tu-phap' } },
    ]);
  });

  it('a v1 status change is read in v2 codes: "Từ chối" (declined) tells the city office', () => {
    expect(noticesFor(event(TASK_STATUS_CHANGED_V1, { from: 'Chưa thực hiện', to: 'declined', note: 'Không thuộc thẩm quyền' }), led, defaults)).toEqual([
      { rule: 'task-declined', subject: SUBJECTS.declined, to: { agencyId: 'van-phong-ubnd' } },
    ]);
  });

  it('of the statuses a task moves to, submitted, completed, returned and declined are told; a v1 "pending_confirmation" reads as submitted', () => {
    const told = TASK_STATUS_CODES_V2.filter((to) => noticesFor(statusChange(to), led, defaults).length > 0);
    expect(told).toEqual(['submitted', 'completed', 'returned', 'declined']);
    expect(noticesFor(event(TASK_STATUS_CHANGED_V1, { from: 'in_progress', to: 'pending_confirmation', note: '' }), led, defaults)[0]).toMatchObject({
      rule: 'completion-submitted',
    });
    expect(noticesFor(event('vn.mandate.task.status-changed.v3', { to: 'submitted' }), led, defaults)).toEqual([]);
  });

  it('an extension request goes to the planning department, its decision back to the lead agency', () => {
    expect(noticesFor(event(TASK_EXTENSION_REQUESTED_V1, { until: '2027-01-31' }), led, defaults)[0]).toMatchObject({
      rule: 'extension-requested',
      to: { agencyId: 'so-ke-hoach-dau-tu' },
    });
    expect(noticesFor(event(TASK_EXTENSION_APPROVED_V1, {}), led, defaults)[0]).toMatchObject({
      rule: 'extension-decided',
      subject: SUBJECTS.extensionApproved,
      to: { agencyId: 'so-tu-phap' },
    });
  });

  it('a report request goes to the agency asked; a late report to that agency and the planning department', () => {
    const report = (type: string) => ({
      id: 'e2',
      type,
      cityid: 'ha-noi',
      time: '2026-12-01T02:00:00Z',
      data: { reportId: 'r1', planId: 'p1', agencyId: 'so-y-te', periodKey: '2026-Q4', dueOn: '2026-12-20' },
    });
    expect(noticesFor(report(REPORT_REQUESTED_V1), undefined, defaults)).toEqual([
      { rule: 'report-requested', subject: SUBJECTS.reportRequested, to: { agencyId: 'so-y-te' } },
    ]);
    expect(noticesFor(report(REPORT_OVERDUE_V1), undefined, defaults)).toEqual([
      { rule: 'report-late', subject: SUBJECTS.reportLate, to: { agencyId: 'so-y-te' } },
      { rule: 'report-late', subject: SUBJECTS.reportLate, to: { agencyId: 'so-ke-hoach-dau-tu' } },
    ]);
    expect(noticesFor(report(REPORT_SUBMITTED_V1), undefined, defaults)).toEqual([]);
  });

  it('a task whose lead agency is unknown tells nobody of its deadline; progress reports tell nobody', () => {
    expect(noticesFor(event(TASK_OVERDUE_V1, { due: '2026-11-30' }), { leadAgencyId: null, supervisor: null }, defaults)).toEqual([]);
    expect(noticesFor(event(TASK_PROGRESS_REPORTED_V1, { percent: 50 }), led, defaults)).toEqual([]);
  });

  it("a city's own rules: a rule switched off tells nobody, and its own planning department confirms", () => {
    const city = notificationSettingsOf({ notifications: { rules: { 'completion-confirmed': false }, agencies: { planning: 'so-tai-chinh' } } });
    expect(noticesFor(statusChange('completed'), led, city)).toEqual([]);
    expect(noticesFor(statusChange('submitted'), led, city)).toEqual([
      { rule: 'completion-submitted', subject: SUBJECTS.submitted, to: { agencyId: 'so-tai-chinh' } },
    ]);
  });

  it('a malformed city setting is refused, not half applied', () => {
    expect(() => notificationSettingsOf({ notifications: { overdueRepeatDays: -1 } })).toThrow();
    expect(() => notificationSettingsOf({ notifications: { digest: { time: '25:00' } } })).toThrow();
    expect(() => notificationSettingsOf({ notifications: { rules: { 'no-such-rule': true } } })).toThrow();
  });
});

describe('how an e-mail reaches a person', () => {
  const deliver = (now: Date, preferences = DEFAULT_PREFERENCES, recentSends: Date[] = [], settings = defaults) =>
    deliveryOf({ rule: 'task-overdue', now, preferences, settings, recentSends });

  it('by default at once', () => {
    expect(deliver(at('2026-12-01T10:00:00'))).toEqual({ kind: 'send', at: at('2026-12-01T10:00:00') });
  });

  it('not at all when the person turned e-mail off', () => {
    expect(deliver(at('2026-12-01T10:00:00'), { ...DEFAULT_PREFERENCES, email: false })).toEqual({ kind: 'skip' });
  });

  it('during quiet hours that span midnight, when they end: late evening waits for the next morning, early morning for the same one', () => {
    const quiet = { ...DEFAULT_PREFERENCES, quietHours: { from: '21:00', to: '07:00' } };
    expect(deliver(at('2026-12-01T22:30:00'), quiet)).toEqual({ kind: 'send', at: at('2026-12-02T07:00:00') });
    expect(deliver(at('2026-12-02T05:00:00'), quiet)).toEqual({ kind: 'send', at: at('2026-12-02T07:00:00') });
    expect(deliver(at('2026-12-02T07:00:00'), quiet)).toEqual({ kind: 'send', at: at('2026-12-02T07:00:00') });
    expect(outsideQuietHours(at('2026-12-02T12:30:00'), { from: '12:00', to: '13:30' })).toEqual(at('2026-12-02T13:30:00'));
  });

  it('digest only: kept for the next daily digest (07:30 by default), but the weekly digest itself is sent', () => {
    const digestOnly = { ...DEFAULT_PREFERENCES, digestOnly: true };
    expect(deliver(at('2026-12-01T10:00:00'), digestOnly)).toEqual({ kind: 'hold', until: at('2026-12-02T07:30:00'), because: 'digest-only' });
    expect(deliver(at('2026-12-01T06:00:00'), digestOnly)).toEqual({ kind: 'hold', until: at('2026-12-01T07:30:00'), because: 'digest-only' });
    expect(deliveryOf({ rule: 'weekly-digest', now: at('2026-12-01T10:00:00'), preferences: digestOnly, settings: defaults, recentSends: [] }).kind).toBe(
      'send',
    );
  });

  it('past the hourly limit, kept until a slot opens an hour after the send that filled the window', () => {
    const city = notificationSettingsOf({ notifications: { rateLimitPerHour: 3 } });
    const sends = [at('2026-12-01T09:10:00'), at('2026-12-01T09:20:00'), at('2026-12-01T09:40:00')];
    expect(deliver(at('2026-12-01T09:50:00'), DEFAULT_PREFERENCES, sends, city)).toEqual({
      kind: 'hold',
      until: at('2026-12-01T10:10:00'),
      because: 'rate-limit',
    });
    // An hour after the first, two remain in the window: sent.
    expect(deliver(at('2026-12-01T10:15:00'), DEFAULT_PREFERENCES, sends, city).kind).toBe('send');
    expect(deliver(at('2026-12-01T09:50:00'), DEFAULT_PREFERENCES, sends, notificationSettingsOf({ notifications: { rateLimitPerHour: 0 } })).kind).toBe(
      'send',
    );
  });

  it('preferences are checked: quiet hours need two different clock times', () => {
    expect(preferencesSchema.safeParse({ email: true, digestOnly: false, quietHours: { from: '22:00', to: '22:00' } }).success).toBe(false);
    expect(preferencesSchema.safeParse({ email: true, digestOnly: false, quietHours: { from: '22:00', to: '6:00' } }).success).toBe(false);
    expect(preferencesSchema.safeParse({ email: true, digestOnly: false, quietHours: null, extra: 1 }).success).toBe(false);
  });

  it('the daily digest time is today when still ahead, else tomorrow', () => {
    expect(nextDigestTime(at('2026-12-01T07:30:00'), defaults)).toEqual(at('2026-12-01T07:30:00'));
    expect(nextDigestTime(at('2026-12-01T23:59:00'), defaults)).toEqual(at('2026-12-02T07:30:00'));
  });
});

describe('reminders while overdue', () => {
  const overdue = { status: 'in_progress' as const, overdueDue: '2026-11-30', currentDue: '2026-11-30' };

  it('the first overdue day gets the overdue notice itself; every 7 days after, one reminder more', () => {
    expect(overdueReminderOwed(overdue, at('2026-12-01T09:00:00'), defaults)).toBeNull();
    expect(overdueReminderOwed(overdue, at('2026-12-07T23:00:00'), defaults)).toBeNull();
    expect(overdueReminderOwed(overdue, at('2026-12-08T00:30:00'), defaults)).toBe(1);
    expect(overdueReminderOwed(overdue, at('2026-12-14T09:00:00'), defaults)).toBe(1);
    expect(overdueReminderOwed(overdue, at('2026-12-15T09:00:00'), defaults)).toBe(2);
  });

  it('none once the work is submitted or done, after an extension moved the deadline, or in a city that wants none', () => {
    const later = at('2026-12-20T09:00:00');
    expect(overdueReminderOwed({ ...overdue, status: 'submitted' }, later, defaults)).toBeNull();
    expect(overdueReminderOwed({ ...overdue, status: 'completed' }, later, defaults)).toBeNull();
    expect(overdueReminderOwed({ ...overdue, currentDue: '2027-01-31' }, later, defaults)).toBeNull();
    expect(overdueReminderOwed(overdue, later, notificationSettingsOf({ notifications: { overdueRepeatDays: 0 } }))).toBeNull();
    expect(overdueReminderOwed(overdue, later, notificationSettingsOf({ notifications: { overdueRepeatDays: 3 } }))).toBe(6);
  });
});

describe('the weekly digest', () => {
  it('is owed from Monday 07:30 until the end of that ISO week', () => {
    expect(weeklyDigestOwed(at('2026-11-30T07:29:00'), defaults)).toBeNull(); // Monday, before the hour
    expect(weeklyDigestOwed(at('2026-11-30T07:30:00'), defaults)).toBe('2026-W49');
    expect(weeklyDigestOwed(at('2026-12-06T23:59:00'), defaults)).toBe('2026-W49'); // Sunday
    expect(weeklyDigestOwed(at('2026-12-07T07:00:00'), defaults)).toBeNull();
    expect(weeklyDigestOwed(at('2027-01-01T09:00:00'), defaults)).toBe('2026-W53'); // a Friday in the last ISO week of 2026
    expect(weeklyDigestOwed(at('2026-12-04T09:00:00'), notificationSettingsOf({ notifications: { digest: { weekday: 5, time: '16:00' } } }))).toBeNull();
  });

  it('lists work overdue, due within a week and awaiting confirmation; says nothing when there is nothing', () => {
    const task = (ref: string, status: DigestTask['status'], due: string | null): DigestTask => ({
      taskId: ref,
      ref,
      title: `Nhiệm vụ ${ref}`,
      planNumber: '183/KH-UBND',
      status,
      due,
    });
    const tasks = [
      task('3', 'in_progress', '2026-12-05'),
      task('10', 'not_started', '2026-11-20'),
      task('2', 'returned', '2026-11-20'),
      task('4', 'in_progress', '2027-03-31'),
      task('5', 'submitted', '2026-11-25'),
      task('6', 'completed', '2026-11-01'),
      task('7', 'in_progress', null),
    ];
    const digest = weeklyDigestOf(tasks, at('2026-12-01T07:30:00'), '2026-W49')!;
    expect(digest.overdue.map((t) => t.ref)).toEqual(['2', '10']);
    expect(digest.dueThisWeek.map((t) => t.ref)).toEqual(['3']);
    expect(digest.awaitingConfirmation.map((t) => t.ref)).toEqual(['5']);
    expect(weeklyDigestOf([task('4', 'in_progress', '2027-03-31')], at('2026-12-01T07:30:00'), '2026-W49')).toBeNull();
  });
});

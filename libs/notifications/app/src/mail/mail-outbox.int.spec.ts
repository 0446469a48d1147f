// E-mail through a real SMTP server the test runs (smtp-server), parsed as a mail client would (mailparser).
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@mandate/messaging';
import { TASK_ASSIGNED_V1, TASK_ISSUED_V2, TASK_OVERDUE_V1, TASK_STATUS_CHANGED_V2 } from '@mandate/plans-contracts';
import { openServiceDatabase } from '@mandate/runtime';
import { aCloudEvent, createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { notificationsMigrations } from '../migrations';
import { movingClock, notificationsInstance, SCHEMA, smtpSink } from '../notifications.fixture';

jest.setTimeout(60_000);
const PLAN = randomUUID();
const contacts = { 'ha-noi': { 'so-tu-phap': 'so-tu-phap@hanoi.test', 'so-ke-hoach-dau-tu': 'so-khdt@hanoi.test' } };
const cloudEvent = (type: string, sequence: number, data: unknown): CloudEvent => aCloudEvent(type, data, { sequence: String(sequence) });
const issued = (taskId: string, ref = 'PL2.I.1', supervisor: string | null = null, due = '2025-12-31') =>
  cloudEvent(TASK_ISSUED_V2, 1, {
    taskId,
    planId: PLAN,
    planNumber: '183/KH-UBND',
    ref,
    title: 'Xây dựng, trình Quốc hội thông qua Luật Thủ đô sửa đổi.',
    status: 'not_started',
    deadline: { text: due === '2025-12-31' ? 'Quý IV/2025' : due, kind: 'quarter', due },
    group: null,
    deliverable: null,
    supervisor,
    note: null,
    issuedAt: new Date().toISOString(),
  });
const assigned = (taskId: string, lead = 'so-tu-phap') =>
  cloudEvent(TASK_ASSIGNED_V1, 2, {
    taskId,
    planId: PLAN,
    lead: { agencyId: lead, name: lead, resolution: 'resolved' },
    coordinators: [{ agencyId: 'so-tai-chinh', name: 'Sở Tài chính', resolution: 'resolved' }],
    previousLeadAgencyId: null,
  });
const returned = (taskId: string) =>
  cloudEvent(TASK_STATUS_CHANGED_V2, 4, {
    taskId,
    planId: PLAN,
    from: 'submitted',
    to: 'returned',
    note: 'Hồ sơ chưa đủ thành phần',
    changedAt: new Date().toISOString(),
    actor: { userId: 'p', role: 'planning', agencyId: 'so-ke-hoach-dau-tu' },
  });
const overdue = (taskId: string, due = '2025-12-31') => cloudEvent(TASK_OVERDUE_V1, 3, { taskId, planId: PLAN, due, at: new Date().toISOString() });

describe('E-mail notices', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('mail');
    ds = await openServiceDatabase({ url: db.url, schema: SCHEMA, migrations: notificationsMigrations(SCHEMA) });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('sends the lead agency one Vietnamese e-mail per assignment, through redelivery; agencies without a mailbox get none', async () => {
    const server = await smtpSink();
    const { log, mail, sendUntil } = notificationsInstance(ds, { smtpPort: server.port, directory: contacts });
    const task = randomUUID();
    await log.handle(issued(task));
    const assignment = assigned(task);
    await log.handle(assignment);
    await log.handle(assignment); // redelivered
    await sendUntil(() => server.received.length >= 1);
    await mail.sendDue();
    expect(server.received).toHaveLength(1);
    const [received] = server.received;
    expect(received.subject).toBe('[Mandate] Được giao chủ trì nhiệm vụ: PL2.I.1 Xây dựng, trình Quốc hội thông qua Luật Thủ đô sửa đổi.');
    expect(received.to).toMatchObject({ text: 'so-tu-phap@hanoi.test' });
    expect(received.from).toMatchObject({ text: expect.stringContaining('no-reply@mandate.test') });
    expect(received.text).toContain('Nhiệm vụ: Xây dựng, trình Quốc hội thông qua Luật Thủ đô sửa đổi.');
    expect(received.text).toContain('Thời hạn: Quý IV/2025');
    expect(received.text).toContain(`https://mandate.test/tasks/${task}`);
    expect(received.html).toContain('<strong>Được giao chủ trì nhiệm vụ.</strong>');
    expect(received.messageId).toBe(`<${assignment.id}.agency.so-tu-phap@mandate>`);
    await mail.close();
    await server.close();
  });

  it('keeps e-mails while the SMTP server is down and sends every one when it is back', async () => {
    const probe = await smtpSink();
    const port = probe.port;
    await probe.close(); // the port is free again: nothing listens there now
    const one = notificationsInstance(ds, { smtpPort: port, directory: contacts });
    const tasks = [randomUUID(), randomUUID(), randomUUID()];
    for (const task of tasks) {
      await one.log.handle(issued(task));
      await one.log.handle(assigned(task));
      await one.log.handle(returned(task));
    }
    await one.mail.sendDue();
    const waiting = (await ds.query(`SELECT status, attempts, last_error FROM notifications.mail_outbox WHERE status = 'pending' AND attempts > 0`)) as {
      last_error: string;
    }[];
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting[0].last_error).toMatch(/ECONNREFUSED|connect/i);
    const server = await smtpSink(port);
    const two = notificationsInstance(ds, { smtpPort: port, directory: contacts });
    // Two instances work the queue: each e-mail goes out once.
    await Promise.all([one.sendUntil(() => server.received.length >= 6), two.sendUntil(() => server.received.length >= 6)]);
    expect(server.received).toHaveLength(6);
    const returnedMail = server.received.filter((m) => m.subject?.startsWith('[Mandate] Nhiệm vụ bị trả lại'));
    expect(returnedMail).toHaveLength(3);
    expect(returnedMail[0].text).toContain('Lý do: Hồ sơ chưa đủ thành phần');
    expect(new Set(server.received.map((m) => m.messageId)).size).toBe(6);
    await one.mail.close();
    await two.mail.close();
    await server.close();
  });

  describe("people's own preferences and the city's hourly limit", () => {
    const city = 'ha-noi';
    const people = {
      [city]: {
        agencies: {},
        people: [
          { userId: 'u-night', email: 'night@hanoi.test', agencyId: 'so-xay-dung' },
          { userId: 'u-digest', email: 'digest@hanoi.test', agencyId: 'so-xay-dung' },
          { userId: 'u-off', email: 'off@hanoi.test', agencyId: 'so-xay-dung' },
          { userId: 'u-busy', email: 'busy@hanoi.test', agencyId: 'so-cong-thuong' },
          { userId: 'u-leader', email: 'leader@hanoi.test', leader: 'Dương Đức Tuấn' },
        ],
      },
    };

    it('quiet hours hold an e-mail until morning, digest-only people get one bundle at the digest time, e-mail off gets none', async () => {
      const server = await smtpSink();
      const clock = movingClock('2026-12-01T22:00:00+07:00');
      const instance = notificationsInstance(ds, { smtpPort: server.port, directory: people, clock, cities: { [city]: { rateLimitPerHour: 0 } } });
      await instance.preferences.put(city, 'u-night', { email: true, digestOnly: false, quietHours: { from: '21:30', to: '06:30' } });
      await instance.preferences.put(city, 'u-digest', { email: true, digestOnly: true, quietHours: null });
      await instance.preferences.put(city, 'u-off', { email: false, digestOnly: false, quietHours: null });
      const tasks = [randomUUID(), randomUUID(), randomUUID()];
      for (const [i, task] of tasks.entries()) {
        await instance.log.handle(issued(task, `PL2.II.${i + 1}`));
        await instance.log.handle(assigned(task, 'so-xay-dung'));
      }
      await instance.mail.bundleDue();
      await instance.mail.sendDue();
      await new Promise((r) => setTimeout(r, 300));
      expect(server.received).toHaveLength(0); // 22:00: inside the quiet hours, before the digest time

      clock.set('2026-12-02T06:30:00+07:00');
      await instance.sendUntil(() => server.received.length >= 3);
      expect(server.received.map((m) => (m.to as { text: string }).text)).toEqual(['night@hanoi.test', 'night@hanoi.test', 'night@hanoi.test']);

      clock.set('2026-12-02T07:30:00+07:00');
      await instance.sendUntil(() => server.received.length >= 4);
      await instance.mail.bundleDue();
      await instance.mail.sendDue();
      expect(server.received).toHaveLength(4);
      const bundle = server.received[3];
      expect((bundle.to as { text: string }).text).toBe('digest@hanoi.test');
      expect(bundle.subject).toBe('[Mandate] 3 thông báo mới');
      expect(bundle.text).toContain('Được giao chủ trì nhiệm vụ: PL2.II.3');
      expect(bundle.text).toContain(`https://mandate.test/tasks/${tasks[0]}`);
      await instance.mail.close();
      await server.close();
    });

    it('past the hourly limit, the rest wait and go as one bundle when a slot opens', async () => {
      const server = await smtpSink();
      const clock = movingClock('2026-12-03T09:00:00+07:00');
      const instance = notificationsInstance(ds, { smtpPort: server.port, directory: people, clock, cities: { [city]: { rateLimitPerHour: 2 } } });
      const tasks = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      for (const [i, task] of tasks.entries()) {
        await instance.log.handle(issued(task, `PL2.III.${i + 1}`));
        await instance.log.handle(assigned(task, 'so-cong-thuong'));
      }
      await instance.sendUntil(() => server.received.length >= 2);
      await new Promise((r) => setTimeout(r, 200));
      await instance.mail.bundleDue();
      await instance.mail.sendDue();
      expect(server.received.map((m) => m.subject)).toEqual([expect.stringContaining('PL2.III.1'), expect.stringContaining('PL2.III.2')]);
      clock.set('2026-12-03T10:00:00+07:00');
      await instance.sendUntil(() => server.received.length >= 3);
      expect(server.received[2].subject).toBe('[Mandate] 3 thông báo mới');
      await instance.mail.close();
      await server.close();
    });

    it('sends a leader the weekly digest of the tasks they supervise, listing each with its link', async () => {
      const server = await smtpSink();
      const clock = movingClock('2026-12-07T07:00:00+07:00'); // a Monday
      const instance = notificationsInstance(ds, {
        smtpPort: server.port,
        directory: people,
        clock,
        cities: { [city]: { overdueRepeatDays: 0, digest: { weekday: 1, time: '08:00' } } },
      });
      const [late, other] = [randomUUID(), randomUUID()];
      await instance.log.handle(issued(late, 'PL2.I.9', 'Dương Đức Tuấn', '2026-11-30'));
      await instance.log.handle(assigned(late, 'so-ke-hoach-dau-tu'));
      await instance.log.handle(overdue(late, '2026-11-30'));
      await instance.log.handle(issued(other, 'PL2.I.10', 'Chu Ngọc Anh', '2026-11-30'));
      await instance.mail.sendDue();
      server.received.length = 0;
      await instance.reminders.run();
      clock.set('2026-12-07T08:00:00+07:00');
      await instance.reminders.run();
      await instance.reminders.run();
      await instance.sendUntil(() => server.received.some((m) => (m.to as { text: string }).text === 'leader@hanoi.test'));
      const digests = server.received.filter((m) => (m.to as { text: string }).text === 'leader@hanoi.test');
      expect(digests).toHaveLength(1);
      expect(digests[0].subject).toBe('[Mandate] Tổng hợp nhiệm vụ trong tuần 2026-W50: 1 đã quá hạn');
      expect(digests[0].text).toContain('PL2.I.9 (KH 183/KH-UBND, hạn 30/11/2026)');
      expect(digests[0].text).toContain(`https://mandate.test/tasks/${late}`);
      expect(digests[0].text).not.toContain('PL2.I.10');
      await instance.mail.close();
      await server.close();
    });
  });
});

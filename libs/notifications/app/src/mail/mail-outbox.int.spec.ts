// E-mail through a real SMTP server the test runs (smtp-server), parsed as a mail client would (mailparser).
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Inbox, type CloudEvent } from '@mandate/messaging';
import { TASK_ASSIGNED_V1, TASK_ISSUED_V2, TASK_STATUS_CHANGED_V2 } from '@mandate/plans-contracts';
import { createLogger, openServiceDatabase } from '@mandate/runtime';
import { aCloudEvent, createTestDatabase, type TestDatabase } from '@mandate/testing';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { DataSource } from 'typeorm';
import { NotificationLog, notificationLogMigration } from '../notification-log';
import { MailOutbox, mailOutboxMigration } from './mail-outbox';

jest.setTimeout(60_000);
const SCHEMA = 'notifications';
const PLAN = randomUUID();
const contacts = { 'ha-noi': { 'so-tu-phap': 'so-tu-phap@hanoi.test', 'so-ke-hoach-dau-tu': 'so-khdt@hanoi.test' } };
const cloudEvent = (type: string, sequence: number, data: unknown): CloudEvent => aCloudEvent(type, data, { sequence: String(sequence) });
const issued = (taskId: string) =>
  cloudEvent(TASK_ISSUED_V2, 1, {
    taskId, planId: PLAN, planNumber: '183/KH-UBND', ref: 'PL2.I.1', title: 'Xây dựng, trình Quốc hội thông qua Luật Thủ đô sửa đổi.', status: 'not_started',
    deadline: { text: 'Quý IV/2025', kind: 'quarter', due: '2025-12-31' }, group: null, deliverable: null, supervisor: null, note: null, issuedAt: new Date().toISOString(),
  });
const assigned = (taskId: string) =>
  cloudEvent(TASK_ASSIGNED_V1, 2, {
    taskId, planId: PLAN, lead: { agencyId: 'so-tu-phap', name: 'Sở Tư pháp', resolution: 'resolved' }, coordinators: [{ agencyId: 'so-tai-chinh', name: 'Sở Tài chính', resolution: 'resolved' }], previousLeadAgencyId: null,
  });
const returned = (taskId: string) =>
  cloudEvent(TASK_STATUS_CHANGED_V2, 4, { taskId, planId: PLAN, from: 'submitted', to: 'returned', note: 'Hồ sơ chưa đủ thành phần', changedAt: new Date().toISOString(), actor: { userId: 'p', role: 'planning', agencyId: 'so-ke-hoach-dau-tu' } });

/** A real SMTP server on `port` (0: any), collecting what it is sent. */
const smtp = async (port = 0) => {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream).then((mail) => (received.push(mail), done()), done);
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

describe('E-mail notices', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const outboxOn = (port: number) =>
    new MailOutbox(ds, SCHEMA, { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Mandate <no-reply@mandate.test>', contacts, publicUrl: 'https://mandate.test', backoffMs: 50, logger: createLogger('silent') });
  const sendUntil = async (outbox: MailOutbox, done: () => boolean, ms = 15_000) => {
    const deadline = Date.now() + ms;
    while (!done() && Date.now() < deadline) {
      await outbox.sendDue();
      await new Promise((r) => setTimeout(r, 30));
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase('mail');
    ds = await openServiceDatabase({ url: db.url, schema: SCHEMA, migrations: [Inbox.migration(SCHEMA), notificationLogMigration(SCHEMA), mailOutboxMigration(SCHEMA)] });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('sends the lead agency one Vietnamese e-mail per assignment, through redelivery; agencies without a mailbox get none', async () => {
    const server = await smtp();
    const outbox = outboxOn(server.port);
    const log = new NotificationLog(ds, SCHEMA, new Inbox(ds, SCHEMA), outbox.enqueueIn);
    const task = randomUUID();
    await outbox.observe(issued(task));
    const assignment = assigned(task);
    await log.handle(assignment);
    await log.handle(assignment); // redelivered
    await sendUntil(outbox, () => server.received.length >= 1);
    await outbox.sendDue();
    expect(server.received).toHaveLength(1);
    const [mail] = server.received;
    expect(mail.subject).toBe('[Mandate] Được giao chủ trì nhiệm vụ: PL2.I.1 Xây dựng, trình Quốc hội thông qua Luật Thủ đô sửa đổi.');
    expect(mail.to).toMatchObject({ text: 'so-tu-phap@hanoi.test' });
    expect(mail.from).toMatchObject({ text: expect.stringContaining('no-reply@mandate.test') });
    expect(mail.text).toContain('Nhiệm vụ: Xây dựng, trình Quốc hội thông qua Luật Thủ đô sửa đổi.');
    expect(mail.text).toContain('Thời hạn: Quý IV/2025');
    expect(mail.text).toContain(`https://mandate.test/tasks/${task}`);
    expect(mail.html).toContain('<strong>Được giao chủ trì nhiệm vụ.</strong>');
    expect(mail.messageId).toBe(`<${assignment.id}.so-tu-phap@mandate>`);
    await outbox.close();
    await server.close();
  });

  it('keeps e-mails while the SMTP server is down and sends every one when it is back', async () => {
    const probe = await smtp();
    const port = probe.port;
    await probe.close(); // the port is free again: nothing listens there now
    const outbox = outboxOn(port);
    const log = new NotificationLog(ds, SCHEMA, new Inbox(ds, SCHEMA), outbox.enqueueIn);
    const tasks = [randomUUID(), randomUUID(), randomUUID()];
    for (const task of tasks) {
      await outbox.observe(issued(task));
      await log.handle(assigned(task));
      await log.handle(returned(task));
    }
    await outbox.sendDue();
    const waiting = (await ds.query(`SELECT status, attempts, last_error FROM notifications.mail_outbox WHERE status = 'pending' AND attempts > 0`)) as { last_error: string }[];
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting[0].last_error).toMatch(/ECONNREFUSED|connect/i);
    const server = await smtp(port);
    const other = outboxOn(port);
    // Two instances work the queue: each e-mail goes out once.
    await Promise.all([sendUntil(outbox, () => server.received.length >= 6), sendUntil(other, () => server.received.length >= 6)]);
    expect(server.received).toHaveLength(6);
    const returnedMail = server.received.filter((m) => m.subject?.startsWith('[Mandate] Nhiệm vụ bị trả lại'));
    expect(returnedMail).toHaveLength(3);
    expect(returnedMail[0].text).toContain('Lý do: Hồ sơ chưa đủ thành phần');
    expect(new Set(server.received.map((m) => m.messageId)).size).toBe(6);
    await outbox.close();
    await other.close();
    await server.close();
  });
});

import * as fs from 'node:fs';
import type { CloudEvent } from '@mandate/messaging';
import { TASK_REVISED_V1, taskIssuedOf, type TaskRevisedV1 } from '@mandate/plans-contracts';
import { ident, returnedRows, sqlMigration, type Logger } from '@mandate/runtime';
import nodemailer, { type Transporter } from 'nodemailer';
import type { DataSource, EntityManager } from 'typeorm';
import type { RecordedNotice } from '../notification-log';
import { mailFor, type MailTask } from './mail-templates';

export const mailOutboxMigration = sqlMigration(
  'MailOutbox',
  1767225603000,
  (s) => [
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.mail_tasks (
       task_id uuid PRIMARY KEY, city_id text NOT NULL, ref text NOT NULL, title text NOT NULL, plan_number text NOT NULL, deadline text NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.mail_outbox (
       id bigserial PRIMARY KEY, city_id text NOT NULL, event_id text NOT NULL, recipient_agency_id text NOT NULL, address text NOT NULL,
       subject text NOT NULL, text_body text NOT NULL, html_body text NOT NULL, status text NOT NULL DEFAULT 'pending',
       attempts int NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL DEFAULT now(), last_error text, sent_at timestamptz,
       message_id text, created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (event_id, recipient_agency_id))`,
    `CREATE INDEX IF NOT EXISTS mail_outbox_due ON ${ident(s)}.mail_outbox (next_attempt_at) WHERE status = 'pending'`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.mail_outbox`, `DROP TABLE IF EXISTS ${ident(s)}.mail_tasks`],
);

/** The deployment's address book: city -> agency -> official mailbox. Events never carry addresses. */
export type Contacts = Readonly<Record<string, Readonly<Record<string, string>>>>;
export const readContacts = (file: string | undefined): Contacts => (file ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Contacts) : {});

export type MailOptions = {
  /** smtp://host:port (smtps:// for TLS); without it nothing is queued */
  smtpUrl: string | undefined;
  from: string;
  contacts: Contacts;
  /** Where people open a task: `${publicUrl}/tasks/<id>` */
  publicUrl: string;
  backoffMs: number;
  logger: Logger;
};

const MAX_BACKOFF_MS = 30 * 60 * 1000;
const LEASE_SECONDS = 120;

/**
 * E-mail as a channel: a notice recorded for an agency with a known mailbox queues one e-mail in the
 * same transaction (once per event and recipient, whatever the redeliveries), and a dispatcher shared
 * by instances sends what is due over SMTP, retrying with backoff while the server is down.
 */
export class MailOutbox {
  private readonly transport: Transporter | null;

  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly options: MailOptions,
  ) {
    this.transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null;
  }

  private get s() {
    return ident(this.schema);
  }

  /** Keeps what e-mails say of a task (its number, title, plan and deadline) as the plans service publishes it. */
  async observe(event: CloudEvent): Promise<void> {
    const issued = taskIssuedOf(event);
    if (issued) {
      await this.db.query(
        `INSERT INTO ${this.s}.mail_tasks (task_id, city_id, ref, title, plan_number, deadline) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (task_id) DO NOTHING`,
        [issued.taskId, event.cityid, issued.ref, issued.title, issued.planNumber, issued.deadline.text],
      );
    } else if (event.type === TASK_REVISED_V1) {
      const { taskId, changes } = event.data as TaskRevisedV1;
      await this.db.query(
        `UPDATE ${this.s}.mail_tasks SET ref = coalesce($2, ref), title = coalesce($3, title), deadline = coalesce($4, deadline) WHERE task_id = $1`,
        [taskId, changes.ref ?? null, changes.title ?? null, changes.deadline?.text ?? null],
      );
    }
  }

  /** The notice's e-mail, queued in the recording transaction when its recipient has a mailbox. */
  readonly enqueueIn = async (manager: EntityManager, notice: RecordedNotice): Promise<void> => {
    const address = this.options.contacts[notice.cityId]?.[notice.recipient];
    if (!this.transport || !address) return;
    const [task] = (await manager.query(`SELECT ref, title, plan_number, deadline FROM ${this.s}.mail_tasks WHERE task_id = $1`, [notice.taskId])) as {
      ref: string;
      title: string;
      plan_number: string;
      deadline: string;
    }[];
    const mailTask: MailTask | null = task ? { ref: task.ref, title: task.title, planNumber: task.plan_number, deadline: task.deadline } : null;
    const mail = mailFor(notice, mailTask, `${this.options.publicUrl.replace(/\/$/, '')}/tasks/${notice.taskId}`);
    await manager.query(
      `INSERT INTO ${this.s}.mail_outbox (city_id, event_id, recipient_agency_id, address, subject, text_body, html_body)
       VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (event_id, recipient_agency_id) DO NOTHING`,
      [notice.cityId, notice.eventId, notice.recipient, address, mail.subject, mail.text, mail.html],
    );
  };

  /** Sends the e-mails due now (claimed so another instance skips them); returns how many were tried. */
  async sendDue(limit = 20): Promise<number> {
    if (!this.transport) return 0;
    const rows = returnedRows<{
      id: string;
      address: string;
      subject: string;
      text_body: string;
      html_body: string;
      attempts: number;
      event_id: string;
      recipient_agency_id: string;
    }>(await this.db.query(
      `WITH due AS (
         SELECT id FROM ${this.s}.mail_outbox WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE ${this.s}.mail_outbox m SET next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS}) FROM due WHERE m.id = due.id
       RETURNING m.id, m.address, m.subject, m.text_body, m.html_body, m.attempts, m.event_id, m.recipient_agency_id`,
      [limit],
    ));
    for (const row of rows) {
      try {
        const info = await this.transport.sendMail({
          from: this.options.from,
          to: row.address,
          subject: row.subject,
          text: row.text_body,
          html: row.html_body,
          // The same cause to the same recipient has one Message-ID: a retry after a lost answer is recognisable.
          messageId: `<${row.event_id}.${row.recipient_agency_id}@mandate>`,
        });
        await this.db.query(
          `UPDATE ${this.s}.mail_outbox SET status = 'sent', attempts = attempts + 1, sent_at = now(), message_id = $2, last_error = NULL WHERE id = $1`,
          [row.id, info.messageId],
        );
      } catch (error) {
        const delay = Math.min(this.options.backoffMs * 2 ** row.attempts, MAX_BACKOFF_MS);
        await this.db.query(
          `UPDATE ${this.s}.mail_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3::double precision / 1000) WHERE id = $1`,
          [row.id, String((error as Error).message).slice(0, 500), delay],
        );
        this.options.logger.warn({ err: error, mailId: row.id }, 'e-mail not sent; will retry');
      }
    }
    return rows.length;
  }

  async close(): Promise<void> {
    this.transport?.close();
  }
}

import type { Clock } from '@mandate/kernel';
import { DEFAULT_PREFERENCES, deliveryOf, type NotificationSettings } from '@mandate/notifications-domain';
import { ident, returnedRows, sqlMigration, type Logger } from '@mandate/runtime';
import nodemailer, { type Transporter } from 'nodemailer';
import type { DataSource, EntityManager } from 'typeorm';
import type { Directory } from '../directory';
import type { NoticeTasks } from '../notice-tasks';
import type { RecordedNotice } from '../notification-log';
import type { PreferenceStore } from '../preferences';
import { bundleMailFor, digestMailFor, mailFor, reportMailFor } from './mail-templates';

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

/**
 * E-mails to people as well as agencies' mailboxes: the recipient is a key (`agency:<id>`,
 * `user:<id>`); an e-mail may be held (digest only, over the hourly limit) and later go out inside a
 * bundle.
 */
export const mailRecipientsMigration = sqlMigration(
  'MailRecipients',
  1767225608000,
  (s) => [
    `ALTER TABLE ${ident(s)}.mail_outbox ADD COLUMN IF NOT EXISTS recipient text, ADD COLUMN IF NOT EXISTS rule text NOT NULL DEFAULT 'notice',
       ADD COLUMN IF NOT EXISTS held_until timestamptz, ADD COLUMN IF NOT EXISTS bundle_id bigint, ADD COLUMN IF NOT EXISTS link text`,
    `UPDATE ${ident(s)}.mail_outbox SET recipient = 'agency:' || recipient_agency_id WHERE recipient IS NULL`,
    `ALTER TABLE ${ident(s)}.mail_outbox ALTER COLUMN recipient SET NOT NULL, ALTER COLUMN recipient_agency_id DROP NOT NULL`,
    `ALTER TABLE ${ident(s)}.mail_outbox DROP CONSTRAINT IF EXISTS mail_outbox_event_id_recipient_agency_id_key`,
    `CREATE UNIQUE INDEX IF NOT EXISTS mail_outbox_cause_recipient ON ${ident(s)}.mail_outbox (event_id, recipient)`,
    `CREATE INDEX IF NOT EXISTS mail_outbox_held ON ${ident(s)}.mail_outbox (held_until) WHERE status = 'held'`,
    `CREATE INDEX IF NOT EXISTS mail_outbox_recent ON ${ident(s)}.mail_outbox (recipient, next_attempt_at)`,
  ],
  (s) => [`DROP INDEX IF EXISTS ${ident(s)}.mail_outbox_cause_recipient`],
);

export type MailOptions = {
  /** smtp://host:port (smtps:// for TLS); without it nothing is queued */
  smtpUrl: string | undefined;
  from: string;
  directory: Directory;
  preferences: PreferenceStore;
  tasks: NoticeTasks;
  settingsOf: (cityId: string) => NotificationSettings;
  /** Where people open Mandate: tasks at `${publicUrl}/tasks/<id>` */
  publicUrl: string;
  backoffMs: number;
  clock: Clock;
  logger: Logger;
};

const MAX_BACKOFF_MS = 30 * 60 * 1000;
/** How long a claimed e-mail is another instance's: longer than the SMTP timeouts below, so two never send one. */
const LEASE_SECONDS = 60;
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
const HOUR_MS = 60 * 60 * 1000;

type OutboxRow = { id: string; address: string; subject: string; text_body: string; html_body: string; attempts: number; event_id: string; recipient: string };

/**
 * E-mail as a channel: a recorded notice queues one e-mail per recipient (the agency's mailbox, its
 * people) in the same transaction, as each person's preferences and the city's hourly limit decide:
 * now, after quiet hours, or held for a bundle. Loops shared by instances send what is due over SMTP,
 * retrying with backoff while the server is down, and gather held e-mails into bundles.
 */
export class MailOutbox {
  private readonly transport: Transporter | null;

  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly options: MailOptions,
  ) {
    this.transport = options.smtpUrl ? nodemailer.createTransport({ url: options.smtpUrl, pool: true, maxConnections: 4, ...SMTP_TIMEOUTS }) : null;
  }

  private get s() {
    return ident(this.schema);
  }

  private get publicUrl() {
    return this.options.publicUrl.replace(/\/$/, '');
  }

  /** The notice's e-mails, queued in the recording transaction for each recipient with a mailbox. */
  readonly enqueueIn = async (manager: EntityManager, notice: RecordedNotice): Promise<void> => {
    if (!this.transport) return;
    const recipients = this.options.directory.recipientsOf(notice.cityId, notice.to);
    if (recipients.length === 0) return;
    const settings = this.options.settingsOf(notice.cityId);
    const preferences = await this.options.preferences.ofPeople(
      manager,
      notice.cityId,
      recipients.flatMap((r) => (r.userId ? [r.userId] : [])),
    );
    const link = notice.taskId
      ? `${this.publicUrl}/tasks/${notice.taskId}`
      : notice.report
        ? `${this.publicUrl}/reports/${notice.report.reportId}`
        : `${this.publicUrl}/`;
    const mail = notice.digest
      ? digestMailFor(notice.subject, notice.digest, this.publicUrl)
      : notice.report
        ? reportMailFor(notice, notice.report, link)
        : mailFor(notice, notice.taskId ? await this.options.tasks.mailTaskOf(manager, notice.taskId) : null, link);
    const now = this.options.clock.now();
    for (const recipient of recipients) {
      // One recipient's sends are counted and added one transaction at a time, across instances.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`mandate.mail:${recipient.key}`]);
      const recent = (await manager.query(
        `SELECT next_attempt_at FROM ${this.s}.mail_outbox WHERE recipient = $1 AND status IN ('pending','sent') AND next_attempt_at > $2`,
        [recipient.key, new Date(now.getTime() - HOUR_MS)],
      )) as { next_attempt_at: Date }[];
      const delivery = deliveryOf({
        rule: notice.rule,
        now,
        preferences: preferences.get(recipient.userId ?? '') ?? DEFAULT_PREFERENCES,
        settings,
        recentSends: recent.map((r) => new Date(r.next_attempt_at)),
      });
      if (delivery.kind === 'skip') continue;
      await manager.query(
        `INSERT INTO ${this.s}.mail_outbox (city_id, event_id, recipient, recipient_agency_id, address, rule, subject, text_body, html_body, link, status, next_attempt_at, held_until)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT (event_id, recipient) DO NOTHING`,
        [
          notice.cityId,
          notice.causeId,
          recipient.key,
          'agencyId' in notice.to ? notice.to.agencyId : null,
          recipient.address,
          notice.rule,
          mail.subject,
          mail.text,
          mail.html,
          link,
          delivery.kind === 'send' ? 'pending' : 'held',
          delivery.kind === 'send' ? delivery.at : now,
          delivery.kind === 'hold' ? delivery.until : null,
        ],
      );
    }
  };

  /**
   * Gathers each recipient's held e-mails whose time has come into one bundle e-mail (queued like any
   * other); returns how many bundles were made. Instances skip what another is gathering.
   */
  async bundleDue(limit = 50): Promise<number> {
    if (!this.transport) return 0;
    const now = this.options.clock.now();
    const due = (await this.db.query(`SELECT recipient FROM ${this.s}.mail_outbox WHERE status = 'held' AND held_until <= $1 GROUP BY recipient LIMIT $2`, [
      now,
      limit,
    ])) as { recipient: string }[];
    let made = 0;
    for (const { recipient } of due) {
      made += await this.db.transaction(async (manager) => {
        const held = (await manager.query(
          `SELECT id, city_id, address, subject, link FROM ${this.s}.mail_outbox
            WHERE recipient = $1 AND status = 'held' AND held_until <= $2 ORDER BY id FOR UPDATE SKIP LOCKED`,
          [recipient, now],
        )) as { id: string; city_id: string; address: string; subject: string; link: string | null }[];
        if (held.length === 0) return 0;
        const mail = bundleMailFor(
          held.map((h) => ({ subject: h.subject, link: h.link ?? `${this.publicUrl}/` })),
          this.publicUrl,
        );
        const [bundle] = returnedRows<{ id: string }>(
          await manager.query(
            `INSERT INTO ${this.s}.mail_outbox (city_id, event_id, recipient, address, rule, subject, text_body, html_body, link, status, next_attempt_at)
             VALUES ($1,$2,$3,$4,'bundle',$5,$6,$7,$8,'pending',$9) RETURNING id`,
            [held[0].city_id, `bundle:${held[0].id}`, recipient, held[held.length - 1].address, mail.subject, mail.text, mail.html, `${this.publicUrl}/`, now],
          ),
        );
        await manager.query(`UPDATE ${this.s}.mail_outbox SET status = 'bundled', bundle_id = $2 WHERE id = ANY($1::bigint[])`, [
          held.map((h) => h.id),
          bundle.id,
        ]);
        return 1;
      });
    }
    return made;
  }

  /** Sends the e-mails due now (claimed so another instance skips them); returns how many were tried. */
  async sendDue(limit = 20): Promise<number> {
    if (!this.transport) return 0;
    const now = this.options.clock.now();
    const rows = returnedRows<OutboxRow>(
      await this.db.query(
        `WITH due AS (
           SELECT id FROM ${this.s}.mail_outbox WHERE status = 'pending' AND next_attempt_at <= $2 ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
         UPDATE ${this.s}.mail_outbox m SET next_attempt_at = $2::timestamptz + make_interval(secs => ${LEASE_SECONDS}) FROM due WHERE m.id = due.id
         RETURNING m.id, m.address, m.subject, m.text_body, m.html_body, m.attempts, m.event_id, m.recipient`,
        [limit, now],
      ),
    );
    await Promise.all(rows.map((row) => this.send(row, now)));
    return rows.length;
  }

  private async send(row: OutboxRow, claimedAt: Date): Promise<void> {
    try {
      const info = await this.transport!.sendMail({
        from: this.options.from,
        to: row.address,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        // The same cause to the same recipient has one Message-ID: a retry after a lost answer is recognisable.
        messageId: `<${row.event_id.replace(/[^A-Za-z0-9.-]/g, '.')}.${row.recipient.replace(/[^A-Za-z0-9.-]/g, '.')}@mandate>`,
      });
      // The send time stays the time it was due: the hourly limit counts sends by it.
      await this.db.query(
        `UPDATE ${this.s}.mail_outbox SET status = 'sent', attempts = attempts + 1, sent_at = now(), next_attempt_at = $3, message_id = $2, last_error = NULL WHERE id = $1`,
        [row.id, info.messageId, claimedAt],
      );
    } catch (error) {
      const delay = Math.min(this.options.backoffMs * 2 ** row.attempts, MAX_BACKOFF_MS);
      await this.db.query(
        `UPDATE ${this.s}.mail_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $4::timestamptz + make_interval(secs => $3::double precision / 1000) WHERE id = $1`,
        [row.id, String((error as Error).message).slice(0, 500), delay, claimedAt],
      );
      this.options.logger.warn({ err: error, mailId: row.id }, 'e-mail not sent; will retry');
    }
  }

  async close(): Promise<void> {
    this.transport?.close();
  }
}

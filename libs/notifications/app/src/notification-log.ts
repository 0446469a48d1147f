import { type Inbox, type CloudEvent } from '@mandate/messaging';
import { aboutOf, noticesFor, type Notice, type NotificationSettings, type WeeklyDigest } from '@mandate/notifications-domain';
import { ident, returnedRows, sqlMigration, type SqlWrites } from '@mandate/runtime';
import type { DataSource, EntityManager } from 'typeorm';
import type { NoticeTasks } from './notice-tasks';

export const notificationLogMigration = sqlMigration(
  'NotificationLog',
  1763900000400,
  (s) => [
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.notifications (
       id bigserial PRIMARY KEY, city_id text NOT NULL, event_id uuid NOT NULL, recipient_agency_id text NOT NULL,
       channel text NOT NULL, subject text NOT NULL, task_id uuid NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
       UNIQUE (event_id, recipient_agency_id, channel))`,
    `CREATE INDEX IF NOT EXISTS notifications_recipient ON ${ident(s)}.notifications (city_id, recipient_agency_id, id)`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.notifications`],
);

/** Which notices the agency has read: the in-app inbox's unread count. */
export const notificationReadStateMigration = sqlMigration(
  'NotificationReadState',
  1767225604000,
  (s) => [`ALTER TABLE ${ident(s)}.notifications ADD COLUMN IF NOT EXISTS read_at timestamptz`],
  (s) => [`ALTER TABLE ${ident(s)}.notifications DROP COLUMN IF EXISTS read_at`],
);

/** The PostgreSQL channel a recorded notice is announced on (at commit), for live inboxes on every instance. */
export const NOTICE_CHANNEL = 'mandate_notices';

/** The notices' own columns: the rule that made each, and notices of no single task (digests). */
export const notificationRulesMigration = sqlMigration(
  'NotificationRules',
  1767225607000,
  (s) => [
    `ALTER TABLE ${ident(s)}.notifications ADD COLUMN IF NOT EXISTS rule text, ADD COLUMN IF NOT EXISTS report_id uuid, ALTER COLUMN task_id DROP NOT NULL`,
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.reminders_sent (
       cause text PRIMARY KEY, city_id text NOT NULL, rule text NOT NULL, sent_at timestamptz NOT NULL DEFAULT now())`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.reminders_sent`, `ALTER TABLE ${ident(s)}.notifications DROP COLUMN IF EXISTS rule`],
);

/** A notice just recorded, for the channels that deliver it (e-mail), in the recording transaction. */
export type RecordedNotice = Notice & {
  cityId: string;
  /** The event it answers, or the id of a reminder's or digest's cause: with the recipient, what makes it once. */
  causeId: string;
  taskId: string | null;
  /** An agency report it is about, with the period and sending day e-mails name. */
  report: { reportId: string; periodKey: string; dueOn: string } | null;
  /** The reason the event gave (trả lại, từ chối, gia hạn), when it gave one. */
  reason: string | null;
  digest: WeeklyDigest | null;
};

export type NotificationRecord = {
  id: string;
  recipientAgencyId: string;
  rule: string | null;
  channel: string;
  subject: string;
  taskId: string | null;
  reportId: string | null;
  createdAt: string;
  read: boolean;
};

const reasonOf = (data: unknown): string | null => {
  const { note, reason } = (data ?? {}) as { note?: unknown; reason?: unknown };
  const text = typeof reason === 'string' && reason.trim() ? reason : note;
  return typeof text === 'string' && text.trim() ? text.trim() : null;
};

/**
 * Records, exactly once per cause and recipient, what agencies are told (their inbox), and hands each
 * notice to the channels in the same transaction. The city's rules decide who is told what.
 */
export class NotificationLog {
  static readonly consumer = 'notifications.log';

  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly inbox: Inbox,
    private readonly options: {
      tasks: NoticeTasks;
      settingsOf: (cityId: string) => NotificationSettings;
      /** Called once per notice recorded, in the same transaction: what a channel queues commits with it. */
      onRecorded?: (manager: EntityManager, notice: RecordedNotice) => Promise<void>;
    },
  ) {}

  handle(event: CloudEvent): Promise<boolean> {
    return this.inbox.handleOnce(NotificationLog.consumer, event.id, (manager) => this.applyIn(manager, event));
  }

  /**
   * Records what one event tells, within the caller's transaction (whose inbox has taken the event's
   * id). `writes`: where answerless statements go when the caller sends them together.
   */
  async applyIn(manager: EntityManager, event: CloudEvent, writes: SqlWrites = manager): Promise<void> {
    await this.options.tasks.apply(writes, event);
    const { taskId, reportId } = aboutOf(event);
    if (!taskId && !reportId) return;
    const facts = taskId ? await this.options.tasks.factsOf(manager, event.cityid, taskId) : undefined;
    const { periodKey, dueOn } = event.data as { periodKey?: string; dueOn?: string };
    const report = reportId ? { reportId, periodKey: periodKey ?? '', dueOn: dueOn ?? '' } : null;
    for (const notice of noticesFor(event, facts, this.options.settingsOf(event.cityid))) {
      await this.deliver(manager, { ...notice, cityId: event.cityid, causeId: event.id, taskId, report, reason: reasonOf(event.data), digest: null });
    }
  }

  /** Records one notice: in the addressed agency's inbox (announced to live streams at commit), then to the channels. */
  async deliver(manager: EntityManager, notice: RecordedNotice): Promise<void> {
    if ('agencyId' in notice.to) {
      const inserted = returnedRows<{ id: string }>(
        await manager.query(
          // Recorded and announced (at commit) in one statement: the live stream learns the new row's id.
          `WITH recorded AS (
             INSERT INTO ${ident(this.schema)}.notifications (city_id, event_id, recipient_agency_id, channel, subject, task_id, report_id, rule)
             VALUES ($1,$2,$3,'inbox',$4,$5,$6,$7) ON CONFLICT DO NOTHING RETURNING id)
           SELECT id, pg_notify($8, jsonb_set($9::jsonb, '{id}', to_jsonb(id::text))::text) FROM recorded`,
          [
            notice.cityId,
            notice.causeId,
            notice.to.agencyId,
            notice.subject,
            notice.taskId,
            notice.report?.reportId ?? null,
            notice.rule,
            NOTICE_CHANNEL,
            JSON.stringify({
              id: null,
              cityId: notice.cityId,
              recipientAgencyId: notice.to.agencyId,
              rule: notice.rule,
              subject: notice.subject,
              taskId: notice.taskId,
              reportId: notice.report?.reportId ?? null,
            }),
          ],
        ),
      );
      if (inserted.length === 0) return; // recorded before: its channels were given it then
    }
    await this.options.onRecorded?.(manager, notice);
  }

  async list(cityId: string, agencyId: string | null, limit = 100): Promise<NotificationRecord[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT id, recipient_agency_id, rule, channel, subject, task_id, report_id, created_at, read_at FROM ${ident(this.schema)}.notifications
       WHERE city_id = $1 AND ($2::text IS NULL OR recipient_agency_id = $2) ORDER BY id DESC LIMIT $3`,
      [cityId, agencyId, limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      recipientAgencyId: String(r.recipient_agency_id),
      rule: (r.rule as string | null) ?? null,
      channel: String(r.channel),
      subject: String(r.subject),
      taskId: (r.task_id as string | null) ?? null,
      reportId: (r.report_id as string | null) ?? null,
      createdAt: new Date(r.created_at as string).toISOString(),
      read: r.read_at !== null,
    }));
  }

  async unread(cityId: string, agencyId: string | null): Promise<number> {
    const [row] = (await this.db.query(
      `SELECT count(*)::int AS n FROM ${ident(this.schema)}.notifications WHERE city_id = $1 AND ($2::text IS NULL OR recipient_agency_id = $2) AND read_at IS NULL`,
      [cityId, agencyId],
    )) as { n: number }[];
    return row.n;
  }

  /** Marks the agency's notices read (one, or all); returns how many changed. */
  async markRead(cityId: string, agencyId: string, id?: string): Promise<number> {
    if (id !== undefined && !/^\d{1,18}$/.test(id)) return 0;
    return returnedRows(
      await this.db.query(
        `UPDATE ${ident(this.schema)}.notifications SET read_at = now()
          WHERE city_id = $1 AND recipient_agency_id = $2 AND read_at IS NULL AND ($3::bigint IS NULL OR id = $3::bigint) RETURNING id`,
        [cityId, agencyId, id ?? null],
      ),
    ).length;
  }
}

import { Inbox, type CloudEvent } from '@mandate/messaging';
import {
  TASK_ASSIGNED_V1,
  TASK_DUE_SOON_V1,
  TASK_OVERDUE_V1,
  TASK_STATUS_CHANGED_V1,
  TASK_STATUS_CHANGED_V2,
  taskStatusChangeOf,
  type TaskAssignedV1,
} from '@mandate/plans-contracts';
import { ident, returnedRows, sqlMigration } from '@mandate/runtime';
import type { DataSource, EntityManager } from 'typeorm';

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

/** The planning department confirms completions in both seed cities (domain.md: Sở KH&ĐT). */
const CONFIRMING_AGENCY = 'so-ke-hoach-dau-tu';
/** The city office (Văn phòng UBND) has this id in both seed cities. */
const CITY_OFFICE = 'van-phong-ubnd';

/**
 * Stands for the task's lead agency, which a status change or a deadline mark does not name: the log finds it in
 * the lead notice of the task's latest assignment.
 */
export const TASK_LEAD = Symbol('the lead agency of the task');

export const SUBJECTS = {
  lead: 'Được giao chủ trì nhiệm vụ',
  coordinator: 'Được giao phối hợp thực hiện nhiệm vụ',
  submitted: 'Nhiệm vụ chờ xác nhận hoàn thành',
  returned: 'Nhiệm vụ bị trả lại, đề nghị thực hiện lại',
  declined: 'Cơ quan chủ trì từ chối thực hiện nhiệm vụ',
  dueSoon: 'Nhiệm vụ sắp đến hạn',
  overdue: 'Nhiệm vụ đã quá hạn',
} as const;

export type Notice = { recipient: string | typeof TASK_LEAD; subject: string };

/** Who would be told what about a task event; delivery channels come with the notifications issue. */
export const noticesFor = (event: CloudEvent): Notice[] => {
  switch (event.type) {
    case TASK_ASSIGNED_V1: {
      const d = event.data as TaskAssignedV1;
      return [
        ...(d.lead.agencyId ? [{ recipient: d.lead.agencyId, subject: SUBJECTS.lead }] : []),
        ...d.coordinators.flatMap((c) => (c.agencyId ? [{ recipient: c.agencyId, subject: SUBJECTS.coordinator }] : [])),
      ];
    }
    case TASK_STATUS_CHANGED_V1:
    case TASK_STATUS_CHANGED_V2: {
      switch (taskStatusChangeOf(event)!.to) {
        case 'submitted':
          return [{ recipient: CONFIRMING_AGENCY, subject: SUBJECTS.submitted }];
        case 'returned':
          return [{ recipient: TASK_LEAD, subject: SUBJECTS.returned }];
        case 'declined':
          return [{ recipient: CITY_OFFICE, subject: SUBJECTS.declined }];
        default:
          return [];
      }
    }
    case TASK_DUE_SOON_V1:
      return [{ recipient: TASK_LEAD, subject: SUBJECTS.dueSoon }];
    case TASK_OVERDUE_V1:
      return [{ recipient: TASK_LEAD, subject: SUBJECTS.overdue }];
    default:
      return [];
  }
};

/** A notice just recorded, for channels that deliver it (e-mail), in the recording transaction. */
export type RecordedNotice = { cityId: string; eventId: string; recipient: string; subject: string; taskId: string; event: CloudEvent };

export type NotificationRecord = { id: string; recipientAgencyId: string; channel: string; subject: string; taskId: string; createdAt: string; read: boolean };

/** Records, exactly once per recipient, what would be sent. */
export class NotificationLog {
  static readonly consumer = 'notifications.log';

  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly inbox: Inbox,
    /** Called once per notice recorded, in the same transaction: what a channel queues commits with it. */
    private readonly onRecorded: (manager: EntityManager, notice: RecordedNotice) => Promise<void> = async () => undefined,
  ) {}

  handle(event: CloudEvent): Promise<boolean> {
    return this.inbox.handleOnce(NotificationLog.consumer, event.id, (manager) => this.record(manager, event));
  }

  private async record(manager: EntityManager, event: CloudEvent): Promise<void> {
    const taskId = (event.data as { taskId?: string }).taskId;
    if (!taskId) return;
    for (const notice of noticesFor(event)) {
      const recipient = notice.recipient === TASK_LEAD ? await this.leadOf(manager, event.cityid, taskId) : notice.recipient;
      if (!recipient) continue; // never assigned to a resolved agency: nobody to tell
      const inserted = (await manager.query(
        `INSERT INTO ${ident(this.schema)}.notifications (city_id, event_id, recipient_agency_id, channel, subject, task_id)
         VALUES ($1,$2,$3,'inbox',$4,$5) ON CONFLICT DO NOTHING RETURNING id`,
        [event.cityid, event.id, recipient, notice.subject, taskId],
      )) as unknown[];
      if (inserted.length > 0) {
        await this.onRecorded(manager, { cityId: event.cityid, eventId: event.id, recipient, subject: notice.subject, taskId, event });
        const id = String((inserted[0] as { id: string }).id);
        await manager.query(`SELECT pg_notify($1, $2)`, [NOTICE_CHANNEL, JSON.stringify({ id, cityId: event.cityid, recipientAgencyId: recipient, subject: notice.subject, taskId })]);
      }
    }
  }

  /**
   * The agency last told it leads the task. Assignments share the task's partition, so they are
   * recorded in the order they happened.
   */
  private async leadOf(manager: EntityManager, cityId: string, taskId: string): Promise<string | null> {
    const rows: { recipient_agency_id: string }[] = await manager.query(
      `SELECT recipient_agency_id FROM ${ident(this.schema)}.notifications
       WHERE city_id = $1 AND task_id = $2 AND subject = $3 ORDER BY id DESC LIMIT 1`,
      [cityId, taskId, SUBJECTS.lead],
    );
    return rows[0]?.recipient_agency_id ?? null;
  }

  async list(cityId: string, agencyId: string | null, limit = 100): Promise<NotificationRecord[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT id, recipient_agency_id, channel, subject, task_id, created_at, read_at FROM ${ident(this.schema)}.notifications
       WHERE city_id = $1 AND ($2::text IS NULL OR recipient_agency_id = $2) ORDER BY id DESC LIMIT $3`,
      [cityId, agencyId, limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      recipientAgencyId: String(r.recipient_agency_id),
      channel: String(r.channel),
      subject: String(r.subject),
      taskId: String(r.task_id),
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

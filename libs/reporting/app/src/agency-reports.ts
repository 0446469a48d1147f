import { v5 as uuidv5 } from 'uuid';
import { handleCommand, toDomainEvent, type CommandOptions, type PostgresEventStore, type ScannedEvent, type StoredEvent } from '@mandate/event-store';
import {
  IllegalStateError,
  NotFoundError,
  ValidationError,
  periodOfKey,
  type CommandMetadata,
  type ReportingCalendarSettings,
  type ReportingPeriod,
  isAgencyActor,
} from '@mandate/kernel';
import type { CloudEvent } from '@mandate/messaging';
import { TASK_OCCURRENCE_OPENED_V1, type TaskOccurrenceOpenedV1 } from '@mandate/plans-contracts';
import {
  agencyReportDecider,
  planFeedAt,
  REPORT_OWED_STATUSES,
  type AgencyReport,
  type AgencyReportCommand,
  type AgencyReportEvent,
  type ReportContent,
  type ReportedPlan,
  type ReportedTask,
  type ReportRequested,
} from '@mandate/reporting-domain';
import { ident, sqlMigration } from '@mandate/runtime';
import type { DataSource, EntityManager } from 'typeorm';
import type { PlanFeedStore } from './plan-feed.store';

export const agencyReportsMigration = sqlMigration(
  'AgencyReports',
  1767225601100,
  (s) => [
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.agency_reports (
       report_id uuid PRIMARY KEY, city_id text NOT NULL, plan_id uuid NOT NULL, plan_number text NOT NULL,
       agency_id text NOT NULL, agency_name text NOT NULL, receiver text NOT NULL,
       period_key text NOT NULL, period jsonb NOT NULL, status text NOT NULL, late boolean NOT NULL DEFAULT false,
       submitted_at timestamptz, returned_for text, content jsonb NOT NULL, version bigint NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS agency_reports_plan ON ${ident(s)}.agency_reports (city_id, plan_id, period_key)`,
    `CREATE INDEX IF NOT EXISTS agency_reports_agency ON ${ident(s)}.agency_reports (city_id, agency_id, period_key)`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.agency_reports`],
);

/** When a report was marked overdue, so the overdue scheduler looks only at the reports still unmarked and owed. */
export const agencyReportsOverdueMigration = sqlMigration(
  'AgencyReportsOverdue',
  1767225601200,
  (s) => [
    `ALTER TABLE ${ident(s)}.agency_reports ADD COLUMN IF NOT EXISTS overdue_at timestamptz`,
    `CREATE INDEX IF NOT EXISTS agency_reports_unmarked ON ${ident(s)}.agency_reports ((period->>'due'))
       WHERE overdue_at IS NULL AND status IN ('requested', 'draft', 'returned')`,
  ],
  (s) => [`DROP INDEX IF EXISTS ${ident(s)}.agency_reports_unmarked`, `ALTER TABLE ${ident(s)}.agency_reports DROP COLUMN IF EXISTS overdue_at`],
);

/** Fixed namespace of report ids: one report per (city, plan, agency, period), whoever asks first. */
const REPORT_NAMESPACE = '8f2b9c4e-3d1a-4f6b-9e0c-5a7d2b1c4e60';
export const reportIdOf = (cityId: string, planId: string, agencyId: string, periodKey: string): string =>
  uuidv5(`${cityId}/${planId}/${agencyId}/${periodKey}`, REPORT_NAMESPACE);
const streamOf = (reportId: string) => `report-${reportId}`;

export type ReportActor = { userId: string; role: CommandMetadata['role']; agencyId: string | null; cityId: string };

export type AgencyReportRow = {
  id: string;
  planId: string;
  planNumber: string;
  agency: { agencyId: string; name: string };
  receiver: string;
  period: ReportRequested['data']['period'];
  status: string;
  late: boolean;
  /** Its sending day ended and it is still owed (requested, drafted or returned), as the scheduler marked it */
  overdue: boolean;
  /** When it was marked overdue (kept once it is sent: the mark happened) */
  overdueMarkedAt: string | null;
  submittedAt: string | null;
  returnedFor: string | null;
  content: ReportContent;
  version: number;
};

/** The system user time acts as: the overdue scheduler, on the city office's behalf. */
const SCHEDULER = 'system:report-scheduler';
/** Spelled out in the scan's SQL (not a parameter), so PostgreSQL can use the partial index agency_reports_unmarked. */
const OWED_SQL = REPORT_OWED_STATUSES.map((status) => `'${status}'`).join(', ');

/** Who receives a duty's reports: the one its text names (gửi về …), else the planning office of the plan's level. */
export const receiverOf = (plan: ReportedPlan | null, task?: ReportedTask): string => {
  const named =
    task && /gửi\s+(?:về\s+)?((?:Sở|Phòng|Văn phòng|Ban|UBND)\s[^,.;()]+?)(?=\s+(?:để|trước|chậm nhất|theo)(?:\s|$)|[,.;()]|$)/iu.exec(task.title)?.[1];
  if (named) return named.trim();
  return plan && /^(UBND|Ủy ban nhân dân)\s+(huyện|quận|thị xã)/iu.test(plan.issuer) ? 'Phòng Tài chính - Kế hoạch' : 'Sở Kế hoạch và Đầu tư';
};

/**
 * The reporting period a repeating duty's occurrence belongs to: its length and its last month. The decree's
 * calendar has no week: a weekly occurrence (due within days of its Monday) belongs to the month of its due day,
 * whose report its first occurrence of the month requests.
 */
export const periodOfOccurrence = (
  occurrence: Pick<TaskOccurrenceOpenedV1, 'periodStart' | 'due'>,
  settings: ReportingCalendarSettings = {},
): ReportingPeriod | null => {
  const [sy, sm] = occurrence.periodStart.split('-').map(Number);
  const [dy, dm] = occurrence.due.split('-').map(Number);
  const weekly = Date.parse(occurrence.due) - Date.parse(occurrence.periodStart) < 7 * 86_400_000;
  const months = weekly ? 1 : (dy - sy) * 12 + (dm - sm) + 1;
  const key =
    months <= 1 ? `${dy}-M${String(dm).padStart(2, '0')}` : months <= 3 ? `${dy}-Q${Math.ceil(dm / 3)}` : months <= 6 ? `${dy}-H${dm <= 6 ? 1 : 2}` : `${dy}-Y`;
  return periodOfKey(key, settings);
};

/**
 * Agency reports as event-sourced aggregates in reporting's own log, with a list kept inline. Requests
 * come from the planning department for a plan's period, or from a task's repeating duty
 * (task.occurrence-opened), exactly once per agency, plan and period.
 */
export class AgencyReports {
  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly store: PostgresEventStore,
    private readonly feed: PlanFeedStore,
    private readonly settingsOf: (cityId: string) => ReportingCalendarSettings,
    private readonly now: () => Date,
    /** Told after every append, so a publisher (the bus, the relay) reads the log now rather than at its next poll. */
    private readonly onAppended: () => void = () => undefined,
  ) {}

  /** Asks every agency that leads tasks of the plan for its report of the period. */
  async requestForPlan(planId: string, periodKey: string, actor: ReportActor, correlationId: string) {
    const period = periodOfKey(periodKey, this.settingsOf(actor.cityId));
    if (!period) throw new ValidationError(`"${periodKey}" names no reporting period (2024-Q1, 2024-M03, 2024-H1, 2024-9M, 2024-Y)`, 'period-unknown');
    const { plan, tasks } = planFeedAt(await this.feed.events(actor.cityId, planId));
    if (!plan) throw new NotFoundError(`Plan ${planId} not found`, 'plan-not-found');
    // A report cites the plan by its number (report.requested.v1): a copy before signing is not reported on yet.
    if (plan.number === null)
      throw new IllegalStateError(`Plan ${planId} has no number yet (a copy before signing): reports are asked once it is signed`, 'plan-not-numbered');
    const planNumber = plan.number;
    const byAgency = new Map<string, { name: string; taskIds: string[] }>();
    for (const task of tasks) {
      if (task.withdrawn || !task.lead?.agencyId) continue;
      const entry = byAgency.get(task.lead.agencyId) ?? { name: task.lead.name, taskIds: [] };
      entry.taskIds.push(task.taskId);
      byAgency.set(task.lead.agencyId, entry);
    }
    let created = 0;
    const ids: string[] = [];
    for (const [agencyId, { name, taskIds }] of byAgency) {
      const reportId = reportIdOf(actor.cityId, planId, agencyId, period.key);
      const result = await this.act(
        reportId,
        {
          type: 'RequestReport',
          data: {
            reportId,
            planId,
            planNumber,
            agencyId,
            agencyName: name,
            receiver: receiverOf(plan),
            period: periodRef(period),
            taskIds,
            cause: { kind: 'plan' },
          },
          metadata: this.metadata(actor),
        },
        { correlationId },
      );
      created += result.events.length;
      ids.push(reportId);
    }
    return { created, items: await this.rows(actor.cityId, { ids }) };
  }

  /** A repeating duty's new period: its lead agency is asked for the report, once. Redelivery changes nothing. */
  /** `feed`: the intake's transaction, which has just appended the occurrence to the plan's feed. */
  async requestForOccurrence(event: CloudEvent, feed?: EntityManager): Promise<boolean> {
    if (event.type !== TASK_OCCURRENCE_OPENED_V1) return false;
    const occurrence = event.data as TaskOccurrenceOpenedV1;
    const period = periodOfOccurrence(occurrence, this.settingsOf(event.cityid));
    const { plan, tasks } = planFeedAt(await this.feed.events(event.cityid, occurrence.planId, undefined, feed));
    const task = tasks.find((t) => t.taskId === occurrence.taskId);
    // A copy before signing (no number yet) is not reported on: report.requested.v1 cites the plan by its number.
    if (!period || !plan || plan.number === null || !task?.lead?.agencyId) return false;
    const reportId = reportIdOf(event.cityid, occurrence.planId, task.lead.agencyId, period.key);
    const system: ReportActor = { userId: 'system:reporting', role: 'office', agencyId: null, cityId: event.cityid };
    const result = await this.act(
      reportId,
      {
        type: 'RequestReport',
        data: {
          reportId,
          planId: occurrence.planId,
          planNumber: plan.number,
          agencyId: task.lead.agencyId,
          agencyName: task.lead.name,
          receiver: receiverOf(plan, task),
          period: periodRef(period),
          taskIds: [task.taskId],
          cause: { kind: 'occurrence', taskId: task.taskId, occurrence: occurrence.occurrence },
        },
        metadata: this.metadata(system),
      },
      { correlationId: event.correlationid, causationId: event.id },
    );
    return result.events.length > 0;
  }

  async saveDraft(reportId: string, content: ReportContent, actor: ReportActor, options: CommandOptions) {
    return this.actOnExisting(reportId, { type: 'SaveReportDraft', data: { reportId, content }, metadata: this.metadata(actor) }, actor, options);
  }

  async submit(reportId: string, content: ReportContent | undefined, actor: ReportActor, options: CommandOptions) {
    return this.actOnExisting(reportId, { type: 'SubmitReport', data: { reportId, content }, metadata: this.metadata(actor) }, actor, options);
  }

  async accept(reportId: string, note: string, actor: ReportActor, options: CommandOptions) {
    return this.actOnExisting(reportId, { type: 'AcceptReport', data: { reportId, note }, metadata: this.metadata(actor) }, actor, options);
  }

  async return(reportId: string, reason: string, actor: ReportActor, options: CommandOptions) {
    return this.actOnExisting(reportId, { type: 'ReturnReport', data: { reportId, reason }, metadata: this.metadata(actor) }, actor, options);
  }

  /**
   * Reports still owed and not marked overdue whose sending day is before today in Vietnam (the
   * decider decides at its own instant; this only narrows the scan), earliest sending day first.
   */
  async overdueCandidates(limit: number): Promise<{ reportId: string; cityId: string }[]> {
    const rows = (await this.db.query(
      `SELECT report_id, city_id FROM ${ident(this.schema)}.agency_reports
        WHERE overdue_at IS NULL AND status IN (${OWED_SQL})
          AND period->>'due' < to_char($1::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')
        ORDER BY period->>'due', report_id LIMIT $2`,
      [this.now().toISOString(), limit],
    )) as { report_id: string; city_id: string }[];
    return rows.map((r) => ({ reportId: r.report_id, cityId: r.city_id }));
  }

  /** The scheduler's command: marks the report overdue if it is so now, once. */
  async markOverdue(reportId: string, cityId: string): Promise<AgencyReportEvent[]> {
    const system: ReportActor = { userId: SCHEDULER, role: 'office', agencyId: null, cityId };
    const result = await this.act(
      reportId,
      { type: 'MarkReportOverdue', data: { reportId }, metadata: this.metadata(system) },
      { correlationId: `MarkReportOverdue:${reportId}` },
    );
    return result.events;
  }

  /** One report as the caller may see it: an agency sees its own only. */
  async get(reportId: string, actor: ReportActor): Promise<AgencyReportRow> {
    const [row] = await this.rows(actor.cityId, { ids: [reportId] });
    if (!row || !visibleTo(row, actor)) throw new NotFoundError(`Report ${reportId} not found`, 'report-not-found');
    return row;
  }

  async history(reportId: string, actor: ReportActor): Promise<StoredEvent[]> {
    await this.get(reportId, actor);
    return (await this.store.readStream(streamOf(reportId), { cityId: actor.cityId })).events;
  }

  async list(actor: ReportActor, filter: { planId?: string; period?: string; agencyId?: string; status?: string }): Promise<AgencyReportRow[]> {
    const agencyId = isAgencyActor(actor) ? (actor.agencyId ?? '') : filter.agencyId;
    return this.rows(actor.cityId, { ...filter, agencyId });
  }

  /** How a city's agency reports stand, counts only (the operator's view); `overdue`: marked and still owed. */
  async countsOf(cityId: string): Promise<{ byStatus: Record<string, number>; late: number; overdue: number }> {
    const rows = (await this.db.query(
      `SELECT status, count(*)::int AS n, count(*) FILTER (WHERE late)::int AS late,
              count(*) FILTER (WHERE overdue_at IS NOT NULL AND status IN (${OWED_SQL}))::int AS overdue
         FROM ${ident(this.schema)}.agency_reports WHERE city_id = $1 GROUP BY status`,
      [cityId],
    )) as { status: string; n: number; late: number; overdue: number }[];
    return {
      byStatus: Object.fromEntries(rows.map((r) => [r.status, r.n])),
      late: rows.reduce((sum, r) => sum + r.late, 0),
      overdue: rows.reduce((sum, r) => sum + r.overdue, 0),
    };
  }

  private async rows(
    cityId: string,
    filter: { ids?: string[]; planId?: string; period?: string; agencyId?: string; status?: string },
  ): Promise<AgencyReportRow[]> {
    const params: unknown[] = [cityId];
    const where = ['city_id = $1'];
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (filter.ids) where.push(`report_id = ANY ($${params.push(filter.ids.filter((id) => uuid.test(id)))}::uuid[])`);
    if (filter.planId !== undefined) {
      if (!uuid.test(filter.planId)) return [];
      where.push(`plan_id = $${params.push(filter.planId)}`);
    }
    if (filter.period !== undefined) where.push(`period_key = $${params.push(filter.period)}`);
    if (filter.agencyId !== undefined) where.push(`agency_id = $${params.push(filter.agencyId)}`);
    if (filter.status !== undefined) where.push(`status = $${params.push(filter.status)}`);
    const rows = (await this.db.query(
      `SELECT * FROM ${ident(this.schema)}.agency_reports WHERE ${where.join(' AND ')} ORDER BY period_key, plan_number, agency_name`,
      params,
    )) as Record<string, unknown>[];
    return rows.map(toRow);
  }

  private metadata(actor: ReportActor): CommandMetadata {
    return { actorId: actor.userId, role: actor.role, agencyId: actor.agencyId, cityId: actor.cityId, now: this.now() };
  }

  private async actOnExisting(reportId: string, command: AgencyReportCommand, actor: ReportActor, options: CommandOptions) {
    await this.get(reportId, actor); // 404 for another city's report or, for an agency, another agency's
    await this.act(reportId, command, options);
    const row = await this.get(reportId, actor);
    return row;
  }

  private async act(reportId: string, command: AgencyReportCommand, options: CommandOptions & { causationId?: string }) {
    const result = await handleCommand<AgencyReport, AgencyReportCommand, AgencyReportEvent>(this.store, agencyReportDecider, streamOf(reportId), command, {
      ...options,
      project: projectAgencyReports(this.schema),
    });
    if (result.events.length > 0) this.onAppended();
    return result;
  }
}

/** The agency report list, kept inline with each command and rebuilt from the log the same way. */
export const projectAgencyReports =
  (schema: string) =>
  async (manager: EntityManager, stored: readonly ScannedEvent[]): Promise<void> => {
    const table = `${ident(schema)}.agency_reports`;
    for (const record of stored) {
      const event = toDomainEvent<AgencyReportEvent>(record);
      const version = record.streamVersion.toString();
      switch (event.type) {
        case 'ReportRequested': {
          const d = event.data;
          await manager.query(
            `INSERT INTO ${table} (report_id, city_id, plan_id, plan_number, agency_id, agency_name, receiver, period_key, period, status, content, version)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'requested',$10,$11) ON CONFLICT (report_id) DO NOTHING`,
            [
              d.reportId,
              record.metadata.cityId,
              d.planId,
              d.planNumber,
              d.agencyId,
              d.agencyName,
              d.receiver,
              d.period.key,
              JSON.stringify(d.period),
              JSON.stringify({ summary: '', tasks: [], indicators: [] }),
              version,
            ],
          );
          break;
        }
        case 'ReportDraftSaved':
          await manager.query(`UPDATE ${table} SET status = 'draft', content = $2, version = $3 WHERE report_id = $1`, [
            event.data.reportId,
            JSON.stringify(event.data.content),
            version,
          ]);
          break;
        case 'ReportSubmitted':
          await manager.query(
            `UPDATE ${table} SET status = 'submitted', content = $2, submitted_at = $3, late = late OR $4, returned_for = NULL, version = $5 WHERE report_id = $1`,
            [event.data.reportId, JSON.stringify(event.data.content), event.data.submittedAt, event.data.late, version],
          );
          break;
        case 'ReportAccepted':
          await manager.query(`UPDATE ${table} SET status = 'accepted', version = $2 WHERE report_id = $1`, [event.data.reportId, version]);
          break;
        case 'ReportReturned':
          await manager.query(`UPDATE ${table} SET status = 'returned', returned_for = $2, version = $3 WHERE report_id = $1`, [
            event.data.reportId,
            event.data.reason,
            version,
          ]);
          break;
        case 'ReportOverdue':
          await manager.query(`UPDATE ${table} SET overdue_at = $2, version = $3 WHERE report_id = $1`, [event.data.reportId, event.data.markedAt, version]);
          break;
      }
    }
  };

const periodRef = (p: ReportingPeriod) => ({ key: p.key, label: p.label, from: p.from, to: p.to, due: p.due });

const visibleTo = (row: AgencyReportRow, actor: ReportActor) => !isAgencyActor(actor) || row.agency.agencyId === actor.agencyId;

const toRow = (r: Record<string, unknown>): AgencyReportRow => ({
  id: String(r.report_id),
  planId: String(r.plan_id),
  planNumber: String(r.plan_number),
  agency: { agencyId: String(r.agency_id), name: String(r.agency_name) },
  receiver: String(r.receiver),
  period: r.period as AgencyReportRow['period'],
  status: String(r.status),
  late: Boolean(r.late),
  overdue: Boolean(r.overdue_at) && (REPORT_OWED_STATUSES as readonly string[]).includes(String(r.status)),
  overdueMarkedAt: r.overdue_at ? new Date(r.overdue_at as string).toISOString() : null,
  submittedAt: r.submitted_at ? new Date(r.submitted_at as string).toISOString() : null,
  returnedFor: (r.returned_for as string | null) ?? null,
  content: r.content as ReportContent,
  version: Number(r.version),
});

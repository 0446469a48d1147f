import { cloudEventSource, type CloudEvent } from '@mandate/messaging';
import { PLAN_MOVED_V1, TASK_LINKED_V1, TASK_MOVED_V1 } from '@mandate/plans-contracts';
import type { FeedEvent } from '@mandate/reporting-domain';
import { ident, sqlMigration, type SqlWrites } from '@mandate/runtime';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Reporting's own append-only copy of the plans contracts it consumed, per plan: the log its reports
 * are folded from (a plan as of any cut-off), and from which any reporting read model can be
 * rebuilt without asking the plans service. Deduplicated on the CloudEvent id, so redelivery and
 * replays from the beginning change nothing.
 */
export const planFeedMigration = sqlMigration(
  'PlanFeed',
  1767225601000,
  (s) => [
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.plan_feed (
       position bigserial PRIMARY KEY,
       event_id text NOT NULL UNIQUE,
       city_id text NOT NULL,
       plan_id uuid NOT NULL,
       type text NOT NULL,
       time timestamptz NOT NULL,
       data jsonb NOT NULL,
       subject text NOT NULL,
       sequence bigint NOT NULL,
       correlation_id text NOT NULL,
       -- The writing transaction: a rebuild reads the feed in a snapshot, then what it did not see.
       txid xid8 NOT NULL DEFAULT pg_current_xact_id())`,
    `CREATE INDEX IF NOT EXISTS plan_feed_plan ON ${ident(s)}.plan_feed (city_id, plan_id, position)`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.plan_feed`],
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class PlanFeedStore {
  static readonly consumer = 'reporting.plan-feed';

  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
  ) {}

  /** Keeps an event about a plan or its tasks (once). Events without a plan are not reporting's. */
  append(event: CloudEvent): Promise<void> {
    return this.appendIn(this.db.manager, event);
  }

  /** `append` within the caller's transaction, so what is derived from the feed commits with it. */
  async appendIn(writes: SqlWrites, event: CloudEvent): Promise<void> {
    const planId = (event.data as { planId?: unknown } | null)?.planId;
    if (typeof planId !== 'string' || !UUID.test(planId)) return;
    await writes.query(
      `INSERT INTO ${ident(this.schema)}.plan_feed (event_id, city_id, plan_id, type, time, data, subject, sequence, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (event_id) DO NOTHING`,
      [event.id, event.cityid, planId, event.type, event.time, JSON.stringify(event.data), event.subject, event.sequence, event.correlationid],
    );
    // A merged city's plan or task went on in its successor: what the feed holds of the plan goes with it.
    // Each moved message follows every earlier event of its plan or task (same key), so nothing stays behind.
    if (event.type === PLAN_MOVED_V1 || event.type === TASK_MOVED_V1) {
      await writes.query(`UPDATE ${ident(this.schema)}.plan_feed SET city_id = $2 WHERE plan_id = $1 AND city_id <> $2`, [planId, event.cityid]);
    }
  }

  /** The plan's events in the order they arrived; nothing for another city's plan. `reader`: a transaction that appended some. */
  async events(cityId: string, planId: string, until?: Date, reader: Pick<EntityManager, 'query'> = this.db): Promise<FeedEvent[]> {
    if (!UUID.test(planId)) return [];
    const params: unknown[] = [cityId, planId];
    const bound = until ? `AND time <= $${params.push(until)}` : '';
    const rows = (await reader.query(
      `SELECT type, time, data FROM ${ident(this.schema)}.plan_feed WHERE city_id = $1 AND plan_id = $2 ${bound} ORDER BY position`,
      params,
    )) as { type: string; time: Date; data: unknown }[];
    return rows.map((r) => ({ type: r.type, time: r.time.toISOString(), data: r.data }));
  }

  /** The city's other plans with tasks linked to a higher plan's (cascade) by `until`: the candidates of a roll-up. */
  async linkingPlans(cityId: string, exceptPlanId: string, until?: Date): Promise<string[]> {
    const params: unknown[] = [cityId, TASK_LINKED_V1, UUID.test(exceptPlanId) ? exceptPlanId : null];
    const bound = until ? `AND time <= $${params.push(until)}` : '';
    const rows = (await this.db.query(
      `SELECT DISTINCT plan_id FROM ${ident(this.schema)}.plan_feed WHERE city_id = $1 AND type = $2 AND plan_id IS DISTINCT FROM $3::uuid ${bound}`,
      params,
    )) as { plan_id: string }[];
    return rows.map((r) => r.plan_id);
  }

  /** Every plan's events of a city up to `until`, per plan in arrival order: the input of dashboards. */
  async cityEvents(cityId: string, until?: Date): Promise<{ planId: string; events: FeedEvent[] }[]> {
    const params: unknown[] = [cityId];
    const bound = until ? `AND time <= $${params.push(until)}` : '';
    const rows = (await this.db.query(
      `SELECT plan_id, type, time, data FROM ${ident(this.schema)}.plan_feed WHERE city_id = $1 ${bound} ORDER BY plan_id, position`,
      params,
    )) as { plan_id: string; type: string; time: Date; data: unknown }[];
    const plans = new Map<string, FeedEvent[]>();
    for (const r of rows) {
      const events = plans.get(r.plan_id) ?? [];
      events.push({ type: r.type, time: r.time.toISOString(), data: r.data });
      plans.set(r.plan_id, events);
    }
    return [...plans].map(([planId, events]) => ({ planId, events }));
  }
}

export type FeedRow = { event_id: string; city_id: string; type: string; time: Date; data: unknown; subject: string; sequence: string; correlation_id: string };

/** A feed row as the CloudEvent it was: what projections of the feed take. */
export const cloudEventOf = (row: FeedRow): CloudEvent => ({
  specversion: '1.0',
  id: row.event_id,
  type: row.type,
  source: cloudEventSource(row.city_id, 'plans'),
  subject: row.subject,
  time: row.time.toISOString(),
  datacontenttype: 'application/json',
  cityid: row.city_id,
  correlationid: row.correlation_id,
  sequence: row.sequence,
  data: row.data,
});

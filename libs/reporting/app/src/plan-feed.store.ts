import type { CloudEvent } from '@mandate/messaging';
import type { FeedEvent } from '@mandate/reporting-domain';
import { ident, sqlMigration } from '@mandate/runtime';
import type { DataSource } from 'typeorm';

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
       data jsonb NOT NULL)`,
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

  /** Keeps an event about a plan or its tasks; true when it was new. Events without a plan are not reporting's. */
  async append(event: CloudEvent): Promise<boolean> {
    const planId = (event.data as { planId?: unknown } | null)?.planId;
    if (typeof planId !== 'string' || !UUID.test(planId)) return false;
    const rows = (await this.db.query(
      `INSERT INTO ${ident(this.schema)}.plan_feed (event_id, city_id, plan_id, type, time, data) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (event_id) DO NOTHING RETURNING position`,
      [event.id, event.cityid, planId, event.type, event.time, JSON.stringify(event.data)],
    )) as unknown[];
    return rows.length > 0;
  }

  /** The plan's events in the order they arrived; nothing for another city's plan. */
  async events(cityId: string, planId: string, until?: Date): Promise<FeedEvent[]> {
    if (!UUID.test(planId)) return [];
    const params: unknown[] = [cityId, planId];
    const bound = until ? `AND time <= $${params.push(until)}` : '';
    const rows = (await this.db.query(
      `SELECT type, time, data FROM ${ident(this.schema)}.plan_feed WHERE city_id = $1 AND plan_id = $2 ${bound} ORDER BY position`,
      params,
    )) as { type: string; time: Date; data: unknown }[];
    return rows.map((r) => ({ type: r.type, time: r.time.toISOString(), data: r.data }));
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

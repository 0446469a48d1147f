import { NotFoundError } from '@mandate/kernel';
import { type Inbox, type CloudEvent } from '@mandate/messaging';
import {
  PLAN_ISSUED_V1,
  PLAN_ISSUED_V2,
  PLAN_NUMBERED_V1,
  planIssuedOf,
  TASK_ISSUED_V1,
  TASK_ISSUED_V2,
  TASK_ISSUED_V3,
  TASK_STATUS_CHANGED_V1,
  TASK_STATUS_CHANGED_V2,
  TASK_STATUS_CODES_V2,
  TASK_WITHDRAWN_V1,
  taskIssuedOf,
  taskStatusChangeOf,
  taskStatusCodeV2Of,
  type PlanNumberedV1,
  type TaskWithdrawnV1,
  PLAN_MOVED_V1,
  TASK_MOVED_V1,
  type PlanMovedV1,
  type TaskMovedV1,
} from '@mandate/plans-contracts';
import { ident, sqlMigration, type SqlWrites } from '@mandate/runtime';
import type { DataSource, EntityManager } from 'typeorm';

export const planSummaryMigration = sqlMigration(
  'PlanSummary',
  1763900000200,
  (s) => [
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.plans (
       plan_id uuid PRIMARY KEY, city_id text NOT NULL, number text NOT NULL, title text NOT NULL, task_count int NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.task_status (
       task_id uuid PRIMARY KEY, city_id text NOT NULL, plan_id uuid NOT NULL, status text NOT NULL, sequence bigint NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS task_status_plan ON ${ident(s)}.task_status (city_id, plan_id)`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.task_status`, `DROP TABLE IF EXISTS ${ident(s)}.plans`],
);

/** Counts status changes applied per plan: activity for dashboards, and proof nothing is applied twice. */
export const planSummaryChangesMigration = sqlMigration(
  'PlanSummaryChanges',
  1763900000210,
  // Per task, not per plan: a task's events share its partition, a plan's issue is on another topic.
  (s) => [`ALTER TABLE ${ident(s)}.task_status ADD COLUMN IF NOT EXISTS status_changes bigint NOT NULL DEFAULT 0`],
  (s) => [`ALTER TABLE ${ident(s)}.task_status DROP COLUMN IF EXISTS status_changes`],
);

/** A plan tracked before signing has no number until its signed version gives it (plan.issued.v2, plan.numbered.v1). */
export const planSummaryUnnumberedMigration = sqlMigration(
  'PlanSummaryUnnumbered',
  1763900000220,
  (s) => [`ALTER TABLE ${ident(s)}.plans ALTER COLUMN number DROP NOT NULL`],
  (s) => [`DELETE FROM ${ident(s)}.plans WHERE number IS NULL`, `ALTER TABLE ${ident(s)}.plans ALTER COLUMN number SET NOT NULL`],
);

/**
 * Marks a task its plan withdrew. Not a status code: the row stays, with its sequence, so that a
 * late or replayed event of the task cannot count it again, but it no longer counts in the plan.
 */
const WITHDRAWN = 'withdrawn';

/**
 * `byStatus` and `total` count the tasks the plan holds now (withdrawn ones left out, cancelled
 * ones counted under `cancelled`), by the codes of vn.mandate.task.status-changed.v2;
 * `statusChanges` counts every change applied, those of since withdrawn tasks included.
 */
export type PlanSummary = { planId: string; number: string | null; byStatus: Record<string, number>; total: number; statusChanges: number };

/** Task counts per status for each plan, fed only by the plans service's published contracts. */
export class PlanSummaryProjection {
  static readonly consumer = 'reporting.plan-summary';

  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly inbox: Inbox,
  ) {}

  handle(event: CloudEvent): Promise<boolean> {
    return this.inbox.handleOnce(PlanSummaryProjection.consumer, event.id, (manager) => this.project(manager, event));
  }

  /** Takes the event's id in this projection's inbox, in the caller's transaction; false when it was handled before. */
  claimIn(manager: EntityManager, eventId: string): Promise<boolean> {
    return this.inbox.markIn(manager, PlanSummaryProjection.consumer, eventId);
  }

  /** The change one event makes to the summary tables of this projection's schema (no deduplication: a rebuild's). */
  async project(manager: SqlWrites, event: CloudEvent): Promise<void> {
    const s = ident(this.schema);
    switch (event.type) {
      case PLAN_ISSUED_V1:
      case PLAN_ISSUED_V2: {
        const d = planIssuedOf(event)!;
        await manager.query(`INSERT INTO ${s}.plans (plan_id, city_id, number, title, task_count) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`, [
          d.planId,
          event.cityid,
          d.number,
          d.title,
          d.taskCount,
        ]);
        return;
      }
      case PLAN_NUMBERED_V1: {
        const d = event.data as PlanNumberedV1;
        await manager.query(`UPDATE ${s}.plans SET number = $3 WHERE plan_id = $1 AND city_id = $2`, [d.planId, event.cityid, d.number]);
        return;
      }
      case TASK_ISSUED_V1:
      case TASK_ISSUED_V2:
      case TASK_ISSUED_V3: {
        const d = taskIssuedOf(event)!;
        await manager.query(`INSERT INTO ${s}.task_status (task_id, city_id, plan_id, status, sequence) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`, [
          d.taskId,
          event.cityid,
          d.planId,
          d.status,
          event.sequence,
        ]);
        return;
      }
      case TASK_STATUS_CHANGED_V1:
      case TASK_STATUS_CHANGED_V2: {
        const d = taskStatusChangeOf(event)!;
        await manager.query(
          `UPDATE ${s}.task_status SET status = CASE WHEN sequence < $3 THEN $2 ELSE status END,
                  sequence = GREATEST(sequence, $3), status_changes = status_changes + 1
           WHERE task_id = $1`,
          [d.taskId, d.to, event.sequence],
        );
        return;
      }
      case TASK_WITHDRAWN_V1: {
        const d = event.data as TaskWithdrawnV1;
        // An upsert: should the withdrawal overtake the issue (a DLQ replay), the issue then finds the row taken.
        await manager.query(
          `INSERT INTO ${s}.task_status AS t (task_id, city_id, plan_id, status, sequence) VALUES ($1,$2,$3,$4,$5)
           ON CONFLICT (task_id) DO UPDATE SET status = CASE WHEN t.sequence < EXCLUDED.sequence THEN EXCLUDED.status ELSE t.status END,
                  sequence = GREATEST(t.sequence, EXCLUDED.sequence)`,
          [d.taskId, event.cityid, d.planId, WITHDRAWN, event.sequence],
        );
        return;
      }
      case PLAN_MOVED_V1:
      case TASK_MOVED_V1: {
        // A merged city's plan went on in its successor: its counts go with it.
        const { planId } = event.data as PlanMovedV1 | TaskMovedV1;
        await manager.query(`UPDATE ${s}.plans SET city_id = $2 WHERE plan_id = $1 AND city_id <> $2`, [planId, event.cityid]);
        await manager.query(`UPDATE ${s}.task_status SET city_id = $2 WHERE plan_id = $1 AND city_id <> $2`, [planId, event.cityid]);
        return;
      }
      default:
        return; // Other contracts (task.revised included) say nothing about status counts.
    }
  }

  async summary(cityId: string, planId: string): Promise<PlanSummary> {
    const s = ident(this.schema);
    const plans: { number: string | null }[] = await this.db.query(`SELECT number FROM ${s}.plans WHERE city_id = $1 AND plan_id::text = $2`, [cityId, planId]);
    if (!plans[0]) throw new NotFoundError(`Plan ${planId} not found`, 'plan-not-found');
    const rows: { status: string; n: string; changes: string }[] = await this.db.query(
      `SELECT status, count(*) AS n, sum(status_changes) AS changes FROM ${s}.task_status
       WHERE city_id = $1 AND plan_id::text = $2 GROUP BY status`,
      [cityId, planId],
    );
    const held = rows.filter((r) => r.status !== WITHDRAWN);
    const byStatus: Record<string, number> = Object.fromEntries(TASK_STATUS_CODES_V2.map((code) => [code, 0]));
    // Rows last changed by a v1 message hold its codes (pending_confirmation, suspended).
    for (const row of held) {
      const code = taskStatusCodeV2Of(row.status);
      byStatus[code] = (byStatus[code] ?? 0) + Number(row.n);
    }
    return {
      planId,
      number: plans[0].number,
      byStatus,
      total: held.reduce((sum, r) => sum + Number(r.n), 0),
      statusChanges: rows.reduce((sum, r) => sum + Number(r.changes), 0),
    };
  }
}

import { ForbiddenError, isAgencyActor } from '@mandate/kernel';
import { type Inbox, type CloudEvent } from '@mandate/messaging';
import {
  PLAN_NUMBERED_V1,
  TASK_ASSIGNED_V1,
  TASK_MOVED_V1,
  PLAN_MOVED_V1,
  type TaskMovedV1,
  type PlanMovedV1,
  TASK_ASSIGNED_V2,
  taskAssignedOf,
  TASK_EXTENSION_APPROVED_V1,
  TASK_ISSUED_V1,
  TASK_ISSUED_V2,
  TASK_ISSUED_V3,
  TASK_REVISED_V1,
  TASK_STATUS_CHANGED_V1,
  TASK_STATUS_CHANGED_V2,
  TASK_WITHDRAWN_V1,
  taskIssuedOf,
  taskStatusChangeOf,
  taskStatusCodeV2Of,
  type PlanNumberedV1,
  type TaskExtensionApprovedV1,
  type TaskRevisedV1,
  type TaskWithdrawnV1,
} from '@mandate/plans-contracts';
import { ident, sqlMigration, type SqlWrites } from '@mandate/runtime';
import type { DataSource, EntityManager } from 'typeorm';

export const workQueueMigration = sqlMigration(
  'WorkQueue',
  1763900000300,
  (s) => [
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.tasks (
       task_id uuid PRIMARY KEY, city_id text NOT NULL, plan_id uuid NOT NULL, plan_number text NOT NULL,
       ref text NOT NULL, title text NOT NULL, deadline jsonb NOT NULL, status text NOT NULL, sequence bigint NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.work_queue (
       city_id text NOT NULL, agency_id text NOT NULL, task_id uuid NOT NULL, relation text NOT NULL,
       PRIMARY KEY (task_id, agency_id))`,
    `CREATE INDEX IF NOT EXISTS work_queue_agency ON ${ident(s)}.work_queue (city_id, agency_id)`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.work_queue`, `DROP TABLE IF EXISTS ${ident(s)}.tasks`],
);

/** A task of a plan tracked before signing has no plan number (task.issued.v3). */
export const workQueueUnnumberedMigration = sqlMigration(
  'WorkQueueUnnumbered',
  1763900000310,
  (s) => [`ALTER TABLE ${ident(s)}.tasks ALTER COLUMN plan_number DROP NOT NULL`],
  (s) => [`UPDATE ${ident(s)}.tasks SET plan_number = '' WHERE plan_number IS NULL`, `ALTER TABLE ${ident(s)}.tasks ALTER COLUMN plan_number SET NOT NULL`],
);

/**
 * The number a plan tracked before signing got later (plan.numbered.v1). Kept per plan because the plan's
 * event and its tasks' events come on different topics, in either order: a task issued (or replayed)
 * after its plan was numbered still shows the number.
 */
export const workQueuePlanNumbersMigration = sqlMigration(
  'WorkQueuePlanNumbers',
  1763900000320,
  (s) => [`CREATE TABLE IF NOT EXISTS ${ident(s)}.plan_numbers (plan_id uuid PRIMARY KEY, city_id text NOT NULL, number text NOT NULL)`],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.plan_numbers`],
);

export type WorkItem = {
  taskId: string;
  planId: string;
  /** As the task was issued: null for a plan tracked before signing. */
  planNumber: string | null;
  ref: string;
  title: string;
  relation: 'lead' | 'coordinator';
  deadline: { text: string; kind: string; due: string | null };
  /** A code of vn.mandate.task.status-changed.v2. */
  status: string;
};

/**
 * Each agency's work queue: the tasks it leads or coordinates, from the plans contracts (with the number
 * their plan has, given late for a plan tracked before signing). A
 * withdrawn or cancelled task leaves it: neither asks anything more of an agency, and neither
 * comes back. A declined task stays with the agency that declined it until the city office
 * reassigns it (the assignment rebuilds the queues) or insists.
 */
export class WorkQueueProjection {
  static readonly consumer = 'assignments.work-queue';
  /** The event types a queue changes with; progress reports, extension requests and refusals change nothing it shows. */
  static readonly events = [
    TASK_ISSUED_V1,
    TASK_ISSUED_V2,
    TASK_ISSUED_V3,
    PLAN_NUMBERED_V1,
    TASK_ASSIGNED_V1,
    TASK_ASSIGNED_V2,
    TASK_STATUS_CHANGED_V1,
    TASK_STATUS_CHANGED_V2,
    TASK_REVISED_V1,
    TASK_EXTENSION_APPROVED_V1,
    TASK_WITHDRAWN_V1,
    TASK_MOVED_V1,
    PLAN_MOVED_V1,
  ] as const;

  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly inbox: Inbox,
  ) {}

  handle(event: CloudEvent): Promise<boolean> {
    return this.inbox.handleOnce(WorkQueueProjection.consumer, event.id, (manager) => this.applyIn(manager, event));
  }

  /**
   * The change one event makes, within the caller's transaction (whose inbox has taken the event's
   * id). `writes`: where statements whose answer is not needed go, when the caller sends them together.
   */
  async applyIn(manager: EntityManager, event: CloudEvent, writes: SqlWrites = manager): Promise<void> {
    const s = ident(this.schema);
    switch (event.type) {
      case TASK_ISSUED_V1:
      case TASK_ISSUED_V2:
      case TASK_ISSUED_V3: {
        const d = taskIssuedOf(event)!;
        await writes.query(
          `INSERT INTO ${s}.tasks (task_id, city_id, plan_id, plan_number, ref, title, deadline, status, sequence)
           VALUES ($1,$2,$3,COALESCE($4, (SELECT number FROM ${s}.plan_numbers WHERE plan_id = $3)),$5,$6,$7,$8,$9) ON CONFLICT DO NOTHING`,
          [d.taskId, event.cityid, d.planId, d.planNumber, d.ref, d.title, JSON.stringify(d.deadline), d.status, event.sequence],
        );
        return;
      }
      case PLAN_NUMBERED_V1: {
        const d = event.data as PlanNumberedV1;
        if (!d.number) return;
        await writes.query(
          `INSERT INTO ${s}.plan_numbers (plan_id, city_id, number) VALUES ($1,$2,$3) ON CONFLICT (plan_id) DO UPDATE SET number = EXCLUDED.number`,
          [d.planId, event.cityid, d.number],
        );
        await writes.query(`UPDATE ${s}.tasks SET plan_number = $2 WHERE plan_id = $1 AND plan_number IS DISTINCT FROM $2`, [d.planId, d.number]);
        return;
      }
      case TASK_MOVED_V1: {
        // A merged city's task went on in its successor: its queue entries go with it, its agencies stay.
        const d = event.data as TaskMovedV1;
        await writes.query(`UPDATE ${s}.tasks SET city_id = $2 WHERE task_id = $1`, [d.taskId, event.cityid]);
        await writes.query(`UPDATE ${s}.work_queue SET city_id = $2 WHERE task_id = $1`, [d.taskId, event.cityid]);
        return;
      }
      case PLAN_MOVED_V1: {
        const d = event.data as PlanMovedV1;
        await writes.query(`UPDATE ${s}.plan_numbers SET city_id = $2 WHERE plan_id = $1`, [d.planId, event.cityid]);
        return;
      }
      case TASK_ASSIGNED_V1:
      case TASK_ASSIGNED_V2: {
        const d = taskAssignedOf(event)!;
        // TypeORM answers an UPDATE on postgres with [rows, affected], not with the rows.
        const [, affected]: [unknown[], number] = await manager.query(`UPDATE ${s}.tasks SET sequence = $2 WHERE task_id = $1 AND sequence < $2`, [
          d.taskId,
          event.sequence,
        ]);
        if (affected === 0) return; // stale: a later event of the task is already applied
        await writes.query(`DELETE FROM ${s}.work_queue WHERE task_id = $1`, [d.taskId]);
        const members = [
          ...(d.lead.agencyId ? [{ agencyId: d.lead.agencyId, relation: 'lead' }] : []),
          ...d.coordinators.flatMap((c) => (c.agencyId ? [{ agencyId: c.agencyId, relation: 'coordinator' }] : [])),
        ];
        for (const member of members) {
          await writes.query(`INSERT INTO ${s}.work_queue (city_id, agency_id, task_id, relation) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING`, [
            event.cityid,
            member.agencyId,
            d.taskId,
            member.relation,
          ]);
        }
        return;
      }
      case TASK_STATUS_CHANGED_V1:
      case TASK_STATUS_CHANGED_V2: {
        const d = taskStatusChangeOf(event)!;
        await writes.query(`UPDATE ${s}.tasks SET status = $2, sequence = $3 WHERE task_id = $1 AND sequence < $3`, [d.taskId, d.to, event.sequence]);
        // Unconditionally: cancelled is final, so even a cancellation replayed after later events is the task's state.
        if (d.to === 'cancelled') await writes.query(`DELETE FROM ${s}.work_queue WHERE task_id = $1`, [d.taskId]);
        return;
      }
      case TASK_REVISED_V1: {
        const { taskId, changes } = event.data as TaskRevisedV1;
        if (changes.ref === undefined && changes.title === undefined && changes.deadline === undefined) return; // nothing a queue shows
        await writes.query(
          `UPDATE ${s}.tasks SET ref = COALESCE($3, ref), title = COALESCE($4, title), deadline = COALESCE($5::jsonb, deadline), sequence = $2
           WHERE task_id = $1 AND sequence < $2`,
          [taskId, event.sequence, changes.ref ?? null, changes.title ?? null, changes.deadline ? JSON.stringify(changes.deadline) : null],
        );
        return;
      }
      case TASK_EXTENSION_APPROVED_V1: {
        const d = event.data as TaskExtensionApprovedV1;
        await writes.query(`UPDATE ${s}.tasks SET deadline = $3::jsonb, sequence = $2 WHERE task_id = $1 AND sequence < $2`, [
          d.taskId,
          event.sequence,
          JSON.stringify(d.deadline),
        ]);
        return;
      }
      case TASK_WITHDRAWN_V1: {
        const d = event.data as TaskWithdrawnV1;
        // The row stays, marked and at the withdrawal's sequence, so a late assignment cannot queue it again.
        await writes.query(`UPDATE ${s}.tasks SET status = 'withdrawn', sequence = $2 WHERE task_id = $1 AND sequence < $2`, [d.taskId, event.sequence]);
        await writes.query(`DELETE FROM ${s}.work_queue WHERE task_id = $1`, [d.taskId]);
        return;
      }
      default:
        return; // not among `events`
    }
  }

  /** An agency officer sees only its own queue; city-wide roles see any agency's. */
  async queue(actor: { cityId: string; role: string; agencyId: string | null }, agencyId: string): Promise<WorkItem[]> {
    if (isAgencyActor(actor) && actor.agencyId !== agencyId) {
      throw new ForbiddenError('An agency officer sees only the work queue of its own agency', 'queue-forbidden');
    }
    const s = ident(this.schema);
    const rows: Record<string, string>[] = await this.db.query(
      `SELECT t.task_id, t.plan_id, t.plan_number, t.ref, t.title, q.relation, t.deadline, t.status
       FROM ${s}.work_queue q JOIN ${s}.tasks t USING (task_id)
       WHERE q.city_id = $1 AND q.agency_id = $2
       ORDER BY (t.deadline->>'due') NULLS LAST, t.plan_number, t.ref`,
      [actor.cityId, agencyId],
    );
    return rows.map((r) => ({
      taskId: r.task_id,
      planId: r.plan_id,
      planNumber: r.plan_number,
      ref: r.ref,
      title: r.title,
      relation: r.relation as WorkItem['relation'],
      deadline: r.deadline as unknown as WorkItem['deadline'],
      status: taskStatusCodeV2Of(r.status), // rows last changed by a v1 message hold its codes
    }));
  }
}

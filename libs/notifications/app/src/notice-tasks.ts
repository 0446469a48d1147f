import type { TaskStatus } from '@mandate/kernel';
import type { DigestTask, PublishedEvent, TaskFacts } from '@mandate/notifications-domain';
import {
  PLAN_NUMBERED_V1,
  TASK_ASSIGNED_V1,
  TASK_MOVED_V1,
  type TaskMovedV1,
  TASK_ASSIGNED_V2,
  taskAssignedOf,
  TASK_EXTENSION_APPROVED_V1,
  TASK_OVERDUE_V1,
  TASK_REVISED_V1,
  TASK_WITHDRAWN_V1,
  taskIssuedOf,
  taskStatusChangeOf,
  type PlanNumberedV1,
  type TaskExtensionApprovedV1,
  type TaskOverdueV1,
  type TaskRevisedV1,
} from '@mandate/plans-contracts';
import { ident, sqlMigration, type SqlWrites } from '@mandate/runtime';
import type { EntityManager } from 'typeorm';

/**
 * The tasks as notices speak of them, kept from the published events: what e-mails say (number,
 * title, plan, deadline) and what reminders and digests need (lead agency, leader, status, the due
 * date an overdue mark was for). The first form held only what e-mails say (`mail_tasks`).
 */
export const noticeTasksMigration = sqlMigration(
  'NoticeTasks',
  1767225605000,
  (s) => [
    `ALTER TABLE IF EXISTS ${ident(s)}.mail_tasks RENAME TO notice_tasks`,
    `ALTER TABLE ${ident(s)}.notice_tasks
       ADD COLUMN IF NOT EXISTS plan_id uuid, ADD COLUMN IF NOT EXISTS due date, ADD COLUMN IF NOT EXISTS supervisor text,
       ADD COLUMN IF NOT EXISTS lead_agency_id text, ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'not_started',
       ADD COLUMN IF NOT EXISTS overdue_due date, ADD COLUMN IF NOT EXISTS withdrawn boolean NOT NULL DEFAULT false,
       ADD COLUMN IF NOT EXISTS reminded int NOT NULL DEFAULT 0`,
    // Leads known before this table kept them: the latest "lead" notice of each task.
    `UPDATE ${ident(s)}.notice_tasks t SET lead_agency_id = (
       SELECT n.recipient_agency_id FROM ${ident(s)}.notifications n
        WHERE n.task_id = t.task_id AND n.subject = 'Được giao chủ trì nhiệm vụ' ORDER BY n.id DESC LIMIT 1)
     WHERE lead_agency_id IS NULL`,
    `CREATE INDEX IF NOT EXISTS notice_tasks_lead ON ${ident(s)}.notice_tasks (city_id, lead_agency_id)`,
    `CREATE INDEX IF NOT EXISTS notice_tasks_overdue ON ${ident(s)}.notice_tasks (overdue_due) WHERE overdue_due IS NOT NULL`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.notice_tasks`],
);

/** A task of a plan tracked before signing has no plan number (task.issued.v3) until plan.numbered.v1 gives it. */
export const noticeTasksUnnumberedMigration = sqlMigration(
  'NoticeTasksUnnumbered',
  1767225605100,
  (s) => [`ALTER TABLE ${ident(s)}.notice_tasks ALTER COLUMN plan_number DROP NOT NULL`],
  (s) => [
    `UPDATE ${ident(s)}.notice_tasks SET plan_number = '' WHERE plan_number IS NULL`,
    `ALTER TABLE ${ident(s)}.notice_tasks ALTER COLUMN plan_number SET NOT NULL`,
  ],
);

/** What an e-mail says of its task; `planNumber` null while its plan has none. */
export type MailTask = { ref: string; title: string; planNumber: string | null; deadline: string };

/** A task the overdue reminders look at. */
export type OverdueTask = { taskId: string; cityId: string; status: TaskStatus; overdueDue: string; currentDue: string | null };

export class NoticeTasks {
  constructor(private readonly schema: string) {}

  private get table() {
    return `${ident(this.schema)}.notice_tasks`;
  }

  /** Applies one published event to the task it is about (in the recording transaction). */
  async apply(manager: SqlWrites, event: PublishedEvent): Promise<void> {
    const issued = taskIssuedOf(event);
    if (issued) {
      await manager.query(
        `INSERT INTO ${this.table} (task_id, city_id, plan_id, ref, title, plan_number, deadline, due, supervisor) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
         ON CONFLICT (task_id) DO UPDATE SET plan_id = EXCLUDED.plan_id, ref = EXCLUDED.ref, title = EXCLUDED.title, plan_number = EXCLUDED.plan_number,
           deadline = EXCLUDED.deadline, due = EXCLUDED.due, supervisor = EXCLUDED.supervisor WHERE notice_tasks.ref = ''`,
        [
          issued.taskId,
          event.cityid,
          issued.planId,
          issued.ref,
          issued.title,
          issued.planNumber,
          issued.deadline.text,
          issued.deadline.due,
          issued.supervisor ?? null,
        ],
      );
      return;
    }
    const change = taskStatusChangeOf(event);
    if (change) {
      await manager.query(`UPDATE ${this.table} SET status = $2 WHERE task_id = $1 AND city_id = $3`, [change.taskId, change.to, event.cityid]);
      return;
    }
    switch (event.type) {
      case TASK_MOVED_V1: {
        // A merged city's task went on in its successor: its notices are the successor's from now.
        await manager.query(`UPDATE ${this.table} SET city_id = $2 WHERE task_id = $1`, [(event.data as TaskMovedV1).taskId, event.cityid]);
        return;
      }
      case TASK_ASSIGNED_V1:
      case TASK_ASSIGNED_V2: {
        const d = taskAssignedOf(event)!;
        // An assignment heard before the task itself (another topic's partition) still records the lead.
        await manager.query(
          `INSERT INTO ${this.table} (task_id, city_id, ref, title, plan_number, deadline, lead_agency_id) VALUES ($1,$2,'','','','',$3)
           ON CONFLICT (task_id) DO UPDATE SET lead_agency_id = EXCLUDED.lead_agency_id WHERE notice_tasks.city_id = EXCLUDED.city_id`,
          [d.taskId, event.cityid, d.lead.agencyId],
        );
        return;
      }
      case TASK_REVISED_V1: {
        const { taskId, changes } = event.data as TaskRevisedV1;
        await manager.query(
          `UPDATE ${this.table} SET ref = coalesce($2, ref), title = coalesce($3, title), deadline = coalesce($4, deadline),
             due = CASE WHEN $5 THEN $6::date ELSE due END, supervisor = CASE WHEN $7 THEN $8 ELSE supervisor END WHERE task_id = $1 AND city_id = $9`,
          [
            taskId,
            changes.ref ?? null,
            changes.title ?? null,
            changes.deadline?.text ?? null,
            changes.deadline !== undefined,
            changes.deadline?.due ?? null,
            changes.supervisor !== undefined,
            changes.supervisor ?? null,
            event.cityid,
          ],
        );
        return;
      }
      case TASK_EXTENSION_APPROVED_V1: {
        const d = event.data as TaskExtensionApprovedV1;
        await manager.query(`UPDATE ${this.table} SET deadline = $2, due = $3 WHERE task_id = $1 AND city_id = $4`, [
          d.taskId,
          d.deadline.text,
          d.deadline.due,
          event.cityid,
        ]);
        return;
      }
      case TASK_OVERDUE_V1: {
        const d = event.data as TaskOverdueV1;
        await manager.query(`UPDATE ${this.table} SET overdue_due = $2, reminded = 0 WHERE task_id = $1 AND city_id = $3`, [d.taskId, d.due, event.cityid]);
        return;
      }
      case PLAN_NUMBERED_V1: {
        const d = event.data as PlanNumberedV1;
        await manager.query(`UPDATE ${this.table} SET plan_number = $2 WHERE plan_id = $1 AND city_id = $3`, [d.planId, d.number, event.cityid]);
        return;
      }
      case TASK_WITHDRAWN_V1:
        await manager.query(`UPDATE ${this.table} SET withdrawn = true WHERE task_id = $1 AND city_id = $2`, [
          (event.data as { taskId: string }).taskId,
          event.cityid,
        ]);
        return;
    }
  }

  /** What rules need of a task of the city (another city's task is none of its business). */
  async factsOf(manager: EntityManager, cityId: string, taskId: string): Promise<TaskFacts | undefined> {
    const [row] = (await manager.query(`SELECT lead_agency_id, supervisor FROM ${this.table} WHERE task_id = $1 AND city_id = $2`, [taskId, cityId])) as {
      lead_agency_id: string | null;
      supervisor: string | null;
    }[];
    return row ? { leadAgencyId: row.lead_agency_id, supervisor: row.supervisor } : undefined;
  }

  async mailTaskOf(manager: EntityManager, taskId: string): Promise<MailTask | null> {
    const [row] = (await manager.query(`SELECT ref, title, plan_number, deadline FROM ${this.table} WHERE task_id = $1`, [taskId])) as {
      ref: string;
      title: string;
      plan_number: string | null;
      deadline: string;
    }[];
    return row?.ref ? { ref: row.ref, title: row.title, planNumber: row.plan_number, deadline: row.deadline } : null;
  }

  /**
   * A city's tasks marked overdue whose next reminder (every `everyDays` after the first overdue day)
   * may have come by `today` and was not sent: the candidates `overdueReminderOwed` decides on, a page
   * at a time after `afterTaskId`.
   */
  async reminderCandidates(
    manager: EntityManager,
    cityId: string,
    today: string,
    everyDays: number,
    limit: number,
    afterTaskId: string | null,
  ): Promise<OverdueTask[]> {
    const rows: { task_id: string; status: TaskStatus; overdue_due: string; due: string | null }[] = await manager.query(
      `SELECT task_id, status, to_char(overdue_due, 'YYYY-MM-DD') AS overdue_due, to_char(due, 'YYYY-MM-DD') AS due FROM ${this.table}
        -- Finished tasks can never be owed one again: left out so the scan does not grow with the years.
        WHERE city_id = $1 AND overdue_due IS NOT NULL AND NOT withdrawn AND status NOT IN ('completed','cancelled')
          AND ($2::date - overdue_due - 1) / $3::int > reminded
          AND ($5::uuid IS NULL OR task_id > $5)
        ORDER BY task_id LIMIT $4`,
      [cityId, today, everyDays, limit, afterTaskId],
    );
    return rows.map((r) => ({ taskId: r.task_id, cityId, status: r.status, overdueDue: r.overdue_due, currentDue: r.due }));
  }

  async markReminded(manager: EntityManager, taskId: string, k: number): Promise<void> {
    await manager.query(`UPDATE ${this.table} SET reminded = greatest(reminded, $2) WHERE task_id = $1`, [taskId, k]);
  }

  /** The cities the service has heard of. */
  async cities(manager: EntityManager): Promise<string[]> {
    return ((await manager.query(`SELECT DISTINCT city_id FROM ${this.table}`)) as { city_id: string }[]).map((r) => r.city_id);
  }

  /** A city's live tasks with what a digest shows, and who leads and supervises each. */
  async ofCity(manager: EntityManager, cityId: string): Promise<(DigestTask & { leadAgencyId: string | null; supervisor: string | null })[]> {
    const rows: Record<string, string | null>[] = await manager.query(
      `SELECT task_id, ref, title, plan_number, status, to_char(due, 'YYYY-MM-DD') AS due, lead_agency_id, supervisor FROM ${this.table}
        WHERE city_id = $1 AND NOT withdrawn AND status NOT IN ('completed','cancelled')`,
      [cityId],
    );
    return rows.map((r) => ({
      taskId: r.task_id!,
      ref: r.ref!,
      title: r.title!,
      planNumber: r.plan_number,
      status: r.status as TaskStatus,
      due: r.due,
      leadAgencyId: r.lead_agency_id,
      supervisor: r.supervisor,
    }));
  }
}

import { ident, sqlMigration, type SqlWrites } from '@mandate/runtime';
import type { StoredEvent } from '@mandate/event-store';
import type { PlanEvent, TaskEvent } from '@mandate/plans-domain';
import type { EntityManager } from 'typeorm';
import { toDomainEvent } from './command-handler';

/**
 * Inline projections of the plans service: written in the same transaction as the events they
 * come from, so a list never disagrees with the streams. Each row keeps the stream version it
 * applied and ignores anything not newer, which makes replays harmless.
 */
export const plansReadModelMigration = sqlMigration(
  'PlansReadModel',
  1763900000100,
  (s) => [
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.plan_list (
       plan_id uuid PRIMARY KEY,
       city_id text NOT NULL,
       number text NOT NULL,
       kind text NOT NULL,
       title text NOT NULL,
       issued_on date NOT NULL,
       issuer text NOT NULL,
       task_count int NOT NULL,
       truncated boolean NOT NULL,
       warnings jsonb NOT NULL,
       source_document text NOT NULL,
       version bigint NOT NULL)`,
    `CREATE UNIQUE INDEX IF NOT EXISTS plan_list_city_number ON ${ident(s)}.plan_list (city_id, number)`,
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.task_list (
       task_id uuid PRIMARY KEY,
       city_id text NOT NULL,
       plan_id uuid NOT NULL,
       issued_position bigint NOT NULL,
       ref text NOT NULL,
       title text NOT NULL,
       task_group text,
       lead jsonb,
       coordinators jsonb NOT NULL,
       deadline jsonb NOT NULL,
       status text NOT NULL,
       completed_at timestamptz,
       version bigint NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS task_list_plan ON ${ident(s)}.task_list (city_id, plan_id, issued_position)`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.task_list`, `DROP TABLE IF EXISTS ${ident(s)}.plan_list`],
);

/**
 * The documents each plan implements, for the cascade links (a district plan under the city's).
 * Rows projected before this column existed are filled from their plan's latest event.
 */
export const plansReadModelCascadeMigration = sqlMigration(
  'PlansReadModelCascade',
  1767225600200, // after the event store's (1767225600000): it reads the events to fill old rows
  (s) => [
    `ALTER TABLE ${ident(s)}.plan_list ADD COLUMN IF NOT EXISTS implements jsonb NOT NULL DEFAULT '[]'::jsonb`,
    `UPDATE ${ident(s)}.plan_list p SET implements = COALESCE(
       (SELECT e.data->'implements' FROM ${ident(s)}.events e
        WHERE e.stream_id = 'plan-' || p.plan_id::text AND e.type IN ('PlanIssued', 'PlanAmended')
        ORDER BY e.stream_version DESC LIMIT 1), '[]'::jsonb)`,
    // Document order: a task an amendment inserts mid-document is listed where the document has it.
    `ALTER TABLE ${ident(s)}.task_list ADD COLUMN IF NOT EXISTS position int`,
    `UPDATE ${ident(s)}.task_list t SET position = o.ordinality FROM ${ident(s)}.plan_list p,
       LATERAL (SELECT e.data->'tasks' AS tasks FROM ${ident(s)}.events e
                WHERE e.stream_id = 'plan-' || p.plan_id::text AND e.type IN ('PlanIssued', 'PlanAmended')
                ORDER BY e.stream_version DESC LIMIT 1) latest,
       LATERAL jsonb_array_elements(latest.tasks) WITH ORDINALITY o(task, ordinality)
     WHERE p.plan_id = t.plan_id AND (o.task->>'taskId')::uuid = t.task_id`,
    `CREATE INDEX IF NOT EXISTS task_list_plan_position ON ${ident(s)}.task_list (city_id, plan_id, position)`,
  ],
  (s) => [
    `DROP INDEX IF EXISTS ${ident(s)}.task_list_plan_position`,
    `ALTER TABLE ${ident(s)}.task_list DROP COLUMN IF EXISTS position`,
    `ALTER TABLE ${ident(s)}.plan_list DROP COLUMN IF EXISTS implements`,
  ],
);

/** The supervising leader of each task, for the lists and counts per leader; old rows filled from their TaskIssued. */
export const plansReadModelSupervisorMigration = sqlMigration(
  'PlansReadModelSupervisor',
  1767225600300,
  (s) => [
    `ALTER TABLE ${ident(s)}.task_list ADD COLUMN IF NOT EXISTS supervisor text`,
    `UPDATE ${ident(s)}.task_list t SET supervisor = e.data->>'supervisor' FROM ${ident(s)}.events e
     WHERE e.stream_id = 'task-' || t.task_id::text AND e.type = 'TaskIssued' AND t.supervisor IS NULL`,
  ],
  (s) => [`ALTER TABLE ${ident(s)}.task_list DROP COLUMN IF EXISTS supervisor`],
);

/** The due dates a task was marked due soon / overdue for, so the deadline scheduler scans only what is left. */
export const plansReadModelDeadlineMarksMigration = sqlMigration(
  'PlansReadModelDeadlineMarks',
  1767225600400,
  (s) => [
    `ALTER TABLE ${ident(s)}.task_list ADD COLUMN IF NOT EXISTS due_soon_marked text`,
    `ALTER TABLE ${ident(s)}.task_list ADD COLUMN IF NOT EXISTS overdue_marked text`,
    // Cascade: the task of a higher plan this one carries out.
    `ALTER TABLE ${ident(s)}.task_list ADD COLUMN IF NOT EXISTS parent_task_id uuid`,
    `CREATE INDEX IF NOT EXISTS task_list_parent ON ${ident(s)}.task_list (city_id, parent_task_id) WHERE parent_task_id IS NOT NULL`,
  ],
  (s) => [`ALTER TABLE ${ident(s)}.task_list DROP COLUMN IF EXISTS due_soon_marked`, `ALTER TABLE ${ident(s)}.task_list DROP COLUMN IF EXISTS overdue_marked`],
);

/** The last period opened of a repeating duty, so the scheduler looks only at those whose next period began. */
export const plansReadModelOccurrencesMigration = sqlMigration(
  'PlansReadModelOccurrences',
  1767225600500,
  (s) => [`ALTER TABLE ${ident(s)}.task_list ADD COLUMN IF NOT EXISTS occurrence_due text`],
  (s) => [`ALTER TABLE ${ident(s)}.task_list DROP COLUMN IF EXISTS occurrence_due`],
);

/** When the task's own terms were last changed (đã điều chỉnh), filled from the log for tasks revised before. */
export const plansReadModelAdjustedMigration = sqlMigration(
  'PlansReadModelAdjusted',
  1767225600600,
  (s) => [
    `ALTER TABLE ${ident(s)}.task_list ADD COLUMN IF NOT EXISTS adjusted_at timestamptz`,
    `UPDATE ${ident(s)}.task_list t SET adjusted_at = r.at FROM (
       SELECT stream_id, max((data->>'revisedAt')::timestamptz) AS at FROM ${ident(s)}.events WHERE type = 'TaskRevised' GROUP BY stream_id) r
     WHERE r.stream_id = 'task-' || t.task_id::text`,
  ],
  (s) => [`ALTER TABLE ${ident(s)}.task_list DROP COLUMN IF EXISTS adjusted_at`],
);

/**
 * A plan tracked before signing has no number or issue date yet (PlanIssued v2): null until its
 * signed version gives them (PlanNumbered). The unique (city, number) index lets any number of nulls by.
 */
export const plansReadModelUnnumberedMigration = sqlMigration(
  'PlansReadModelUnnumbered',
  1767225600700,
  (s) => [`ALTER TABLE ${ident(s)}.plan_list ALTER COLUMN number DROP NOT NULL`, `ALTER TABLE ${ident(s)}.plan_list ALTER COLUMN issued_on DROP NOT NULL`],
  (s) => [
    `DELETE FROM ${ident(s)}.plan_list WHERE number IS NULL OR issued_on IS NULL`,
    `ALTER TABLE ${ident(s)}.plan_list ALTER COLUMN number SET NOT NULL`,
    `ALTER TABLE ${ident(s)}.plan_list ALTER COLUMN issued_on SET NOT NULL`,
  ],
);

/**
 * The lead a task had before its agency merged into the current one (TaskAssigned v3's succession),
 * for counts "as the agencies were". Hand-overs recorded before this column show under their
 * successor in both views until the read model is rebuilt from the log (`mandate projections rebuild plans`).
 */
export const plansReadModelFormerLeadMigration = sqlMigration(
  'PlansReadModelFormerLead',
  1767225600800,
  (s) => [`ALTER TABLE ${ident(s)}.task_list ADD COLUMN IF NOT EXISTS former_lead jsonb`],
  (s) => [`ALTER TABLE ${ident(s)}.task_list DROP COLUMN IF EXISTS former_lead`],
);

/**
 * Plans of a city merged into another list under the successor with the city they came from: their
 * numbers are unique among the city's own plans only (Hải Dương's 86/KH-UBND is not Hải Phòng's).
 */
export const plansReadModelMovedPlansMigration = sqlMigration(
  'PlansReadModelMovedPlans',
  1767225600900,
  (s) => [
    `ALTER TABLE ${ident(s)}.plan_list ADD COLUMN IF NOT EXISTS from_city text`,
    `DROP INDEX IF EXISTS ${ident(s)}.plan_list_city_number`,
    `CREATE UNIQUE INDEX IF NOT EXISTS plan_list_city_own_number ON ${ident(s)}.plan_list (city_id, number) WHERE from_city IS NULL`,
  ],
  (s) => [
    `DROP INDEX IF EXISTS ${ident(s)}.plan_list_city_own_number`,
    `DELETE FROM ${ident(s)}.plan_list WHERE from_city IS NOT NULL`,
    `CREATE UNIQUE INDEX IF NOT EXISTS plan_list_city_number ON ${ident(s)}.plan_list (city_id, number)`,
    `ALTER TABLE ${ident(s)}.plan_list DROP COLUMN IF EXISTS from_city`,
  ],
);

/** The unit of the province whose own plan it is (PlanIssued v3), null for the province's: what its office may act on. */
export const plansReadModelUnitsMigration = sqlMigration(
  'PlansReadModelUnits',
  1767225601000,
  (s) => [
    `ALTER TABLE ${ident(s)}.plan_list ADD COLUMN IF NOT EXISTS unit_id text`,
    // Numbers are unique among the province's own plans and among each unit's.
    `DROP INDEX IF EXISTS ${ident(s)}.plan_list_city_own_number`,
    `CREATE UNIQUE INDEX IF NOT EXISTS plan_list_city_unit_number ON ${ident(s)}.plan_list (city_id, coalesce(unit_id, ''), number) WHERE from_city IS NULL`,
  ],
  (s) => [
    `DROP INDEX IF EXISTS ${ident(s)}.plan_list_city_unit_number`,
    `DELETE FROM ${ident(s)}.plan_list WHERE unit_id IS NOT NULL`,
    `CREATE UNIQUE INDEX IF NOT EXISTS plan_list_city_own_number ON ${ident(s)}.plan_list (city_id, number) WHERE from_city IS NULL`,
    `ALTER TABLE ${ident(s)}.plan_list DROP COLUMN IF EXISTS unit_id`,
  ],
);

/** The plans read model's migrations, in order. */
export const plansReadModelMigrations = (schema: string) => [
  plansReadModelMigration(schema),
  plansReadModelCascadeMigration(schema),
  plansReadModelSupervisorMigration(schema),
  plansReadModelDeadlineMarksMigration(schema),
  plansReadModelOccurrencesMigration(schema),
  plansReadModelAdjustedMigration(schema),
  plansReadModelUnnumberedMigration(schema),
  plansReadModelFormerLeadMigration(schema),
  plansReadModelMovedPlansMigration(schema),
  plansReadModelUnitsMigration(schema),
];

/** Numbers the plan's tasks 1…n in the order its (current version of the) document lists them. */
const placeTasks = (writes: SqlWrites, table: string, order: readonly { taskId: string }[]) =>
  writes.query(`UPDATE ${table} t SET position = o.ordinality FROM unnest($1::uuid[]) WITH ORDINALITY o(task_id, ordinality) WHERE t.task_id = o.task_id`, [
    order.map((t) => t.taskId),
  ]);

export const projectPlans =
  (schema: string) =>
  // `writes`: the append transaction's answerless statements, sent with its COMMIT (inBatchedTransaction).
  async (manager: EntityManager, stored: StoredEvent[], writes: SqlWrites = manager): Promise<void> => {
    const plans = `${ident(schema)}.plan_list`;
    const tasks = `${ident(schema)}.task_list`;
    for (const record of stored) {
      const event = toDomainEvent<PlanEvent | TaskEvent>(record);
      const version = record.streamVersion.toString();
      switch (event.type) {
        case 'PlanIssued': {
          const d = event.data;
          await writes.query(
            `INSERT INTO ${plans} (plan_id, city_id, number, kind, title, issued_on, issuer, task_count, truncated, warnings, source_document, version, implements, unit_id)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) ON CONFLICT (plan_id) DO NOTHING`,
            [
              d.planId,
              record.metadata.cityId,
              d.number,
              d.kind,
              d.title,
              d.issuedOn,
              d.issuer,
              d.tasks.length,
              d.source.truncated,
              JSON.stringify(d.source.warnings),
              d.source.document,
              version,
              JSON.stringify(d.implements),
              d.unitId ?? null,
            ],
          );
          await placeTasks(writes, tasks, d.tasks);
          break;
        }
        case 'TaskIssued': {
          const d = event.data;
          await writes.query(
            `INSERT INTO ${tasks} (task_id, city_id, plan_id, issued_position, ref, title, task_group, lead, coordinators, deadline, status, version, supervisor)
             VALUES ($1,$2,$3,$4,$5,$6,$7,NULL,'[]',$8,'not_started',$9,$10) ON CONFLICT (task_id) DO NOTHING`,
            [
              d.taskId,
              record.metadata.cityId,
              d.planId,
              record.globalPosition.toString(),
              d.ref,
              d.title,
              d.group,
              JSON.stringify(d.deadline),
              version,
              d.supervisor,
            ],
          );
          break;
        }
        case 'TaskAssigned':
          await writes.query(
            // formerLeadAfter in SQL: the right-hand sides read the row as it was.
            `UPDATE ${tasks} SET lead = $2, coordinators = $3, version = $4,
               former_lead = CASE WHEN NOT $5 THEN NULL WHEN lead->>'agencyId' IS DISTINCT FROM $2::jsonb->>'agencyId' AND lead IS NOT NULL THEN coalesce(former_lead, lead) ELSE former_lead END
             WHERE task_id = $1 AND version < $4`,
            [event.data.taskId, JSON.stringify(event.data.lead), JSON.stringify(event.data.coordinators), version, event.data.succession != null],
          );
          break;
        case 'TaskStatusChanged':
          await writes.query(`UPDATE ${tasks} SET status = $2, completed_at = $3, version = $4 WHERE task_id = $1 AND version < $4`, [
            event.data.taskId,
            event.data.to,
            event.data.to === 'completed' ? event.data.changedAt : null,
            version,
          ]);
          break;
        case 'TaskRevised': {
          const c = event.data.changes;
          await writes.query(
            `UPDATE ${tasks} SET
               ref = CASE WHEN $9::boolean THEN $10 ELSE ref END,
               supervisor = CASE WHEN $11::boolean THEN $12 ELSE supervisor END,
               title = CASE WHEN $2::boolean THEN $3 ELSE title END,
               task_group = CASE WHEN $4::boolean THEN $5 ELSE task_group END,
               deadline = CASE WHEN $6::boolean THEN $7::jsonb ELSE deadline END,
               adjusted_at = $13,
               version = $8
             WHERE task_id = $1 AND version < $8`,
            [
              event.data.taskId,
              'title' in c,
              c.title ?? null,
              'group' in c,
              c.group ?? null,
              'deadline' in c,
              JSON.stringify(c.deadline ?? null),
              version,
              'ref' in c,
              c.ref ?? null,
              'supervisor' in c,
              c.supervisor ?? null,
              event.data.revisedAt,
            ],
          );
          break;
        }
        case 'ExtensionApproved':
          await writes.query(`UPDATE ${tasks} SET deadline = $2, version = $3 WHERE task_id = $1 AND version < $3`, [
            event.data.taskId,
            JSON.stringify(event.data.deadline),
            version,
          ]);
          break;
        case 'TaskOccurrenceOpened':
          await writes.query(`UPDATE ${tasks} SET occurrence_due = $2, version = $3 WHERE task_id = $1 AND version < $3`, [
            event.data.taskId,
            event.data.due,
            version,
          ]);
          break;
        case 'TaskLinkedToParent':
          await writes.query(`UPDATE ${tasks} SET parent_task_id = $2, version = $3 WHERE task_id = $1 AND version < $3`, [
            event.data.taskId,
            event.data.parentTaskId,
            version,
          ]);
          break;
        case 'TaskBecameDueSoon':
        case 'TaskBecameOverdue': {
          const column = event.type === 'TaskBecameDueSoon' ? 'due_soon_marked' : 'overdue_marked';
          await writes.query(`UPDATE ${tasks} SET ${column} = $2, version = $3 WHERE task_id = $1 AND version < $3`, [
            event.data.taskId,
            event.data.due,
            version,
          ]);
          break;
        }
        case 'ProgressReported':
        case 'ExtensionRequested':
        case 'ExtensionRejected':
          // Nothing listed changes, but the row's version is the ETag clients send back.
          await writes.query(`UPDATE ${tasks} SET version = $2 WHERE task_id = $1 AND version < $2`, [event.data.taskId, version]);
          break;
        case 'TaskWithdrawn':
          // The plan's list shows what its current version holds; the stream keeps the task's history.
          await writes.query(`DELETE FROM ${tasks} WHERE task_id = $1`, [event.data.taskId]);
          break;
        case 'PlanIndicatorsSet':
        case 'PlanImportReviewed':
          // The lists show no indicators nor an import's corrections; the version is still the plan's ETag.
          await writes.query(`UPDATE ${plans} SET version = $2 WHERE plan_id = $1 AND version < $2`, [event.data.planId, version]);
          break;
        case 'PlanNumbered':
          await writes.query(`UPDATE ${plans} SET number = $2, issued_on = $3, version = $4 WHERE plan_id = $1 AND version < $4`, [
            event.data.planId,
            event.data.number,
            event.data.issuedOn,
            version,
          ]);
          break;
        case 'PlanMovedToCity':
          // Its city merged into another: the plan lists there, marked with the city it came from (its number
          // may be one the successor's own plans use too).
          await writes.query(`UPDATE ${plans} SET city_id = $2, from_city = coalesce(from_city, $3), version = $4 WHERE plan_id = $1`, [
            event.data.planId,
            record.metadata.cityId,
            event.data.fromCityId,
            version,
          ]);
          break;
        case 'TaskMovedToCity':
          await writes.query(`UPDATE ${tasks} SET city_id = $2, version = $3 WHERE task_id = $1`, [event.data.taskId, record.metadata.cityId, version]);
          break;
        case 'PlanAmended': {
          const d = event.data;
          await writes.query(
            `UPDATE ${plans} SET title = $2, task_count = $3, truncated = $4, warnings = $5, source_document = $6, version = $7, implements = $8
             WHERE plan_id = $1 AND version < $7`,
            [
              d.planId,
              d.title,
              d.tasks.length,
              d.source.truncated,
              JSON.stringify(d.source.warnings),
              d.source.document,
              version,
              JSON.stringify(d.implements),
            ],
          );
          await placeTasks(writes, tasks, d.tasks);
          break;
        }
      }
    }
  };

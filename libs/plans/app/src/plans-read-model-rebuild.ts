import type { PostgresEventStore, ScannedEvent } from '@mandate/event-store';
import { evolvePlan, evolveTask, initialPlanState, initialTaskState, type Plan, type PlanEvent, type Task, type TaskEvent } from '@mandate/plans-domain';
import { ident } from '@mandate/runtime';
import type { DataSource, EntityManager } from 'typeorm';
import { toDomainEvent } from './command-handler';

type TaskRow = { state: Task; cityId: string; issuedPosition: string; version: string };
type PlanRow = {
  state: Plan;
  cityId: string;
  version: string;
  issued: { number: string | null; kind: string; issuedOn: string | null; issuer: string; unitId: string | null } | null;
  title: string;
  truncated: boolean;
  warnings: string[];
  sourceDocument: string;
  implements: string[];
  /** The city it came from when its own merged into this one. */
  fromCity: string | null;
};

const ROWS_PER_INSERT = 5000;

/**
 * The plans read model rebuilt from the log the fast way: every stream folded in memory with the
 * deciders' own `evolve`, then the rows written in bulk — the same rows the inline projection keeps
 * (a test holds them equal), without a round trip per event.
 */
export class PlansReadModelRebuild {
  private readonly tasks = new Map<string, TaskRow>();
  private readonly plans = new Map<string, PlanRow>();

  add(events: readonly ScannedEvent[]): void {
    for (const record of events) {
      const version = record.streamVersion.toString();
      if (record.streamId.startsWith('task-')) {
        const row = this.tasks.get(record.streamId) ?? {
          state: initialTaskState(),
          cityId: record.metadata.cityId,
          issuedPosition: record.globalPosition.toString(),
          version,
        };
        row.state = evolveTask(row.state, toDomainEvent<TaskEvent>(record));
        row.version = version;
        // A task moved with its merged city lists under the city it went on in.
        row.cityId = record.metadata.cityId;
        this.tasks.set(record.streamId, row);
      } else if (record.streamId.startsWith('plan-')) {
        const event = toDomainEvent<PlanEvent>(record);
        // Indicators and an import's review are not in the lists, only the version moves; a number given later replaces the null one.
        if (event.type === 'PlanMovedToCity') {
          // The plan goes on in the merged city's successor: its row lists there, the rest as it was.
          const known = this.plans.get(record.streamId);
          if (known)
            Object.assign(known, {
              cityId: record.metadata.cityId,
              fromCity: known.fromCity ?? event.data.fromCityId,
              version,
              state: evolvePlan(known.state, event),
            });
          continue;
        }
        if (event.type === 'PlanIndicatorsSet' || event.type === 'PlanNumbered' || event.type === 'PlanImportReviewed') {
          const known = this.plans.get(record.streamId);
          if (known) known.version = version;
          if (known?.issued && event.type === 'PlanNumbered') {
            known.state = evolvePlan(known.state, event);
            known.issued = { ...known.issued, number: event.data.number, issuedOn: event.data.issuedOn };
          }
          continue;
        }
        const row: PlanRow = this.plans.get(record.streamId) ?? {
          state: initialPlanState(),
          cityId: record.metadata.cityId,
          version,
          issued: null,
          title: '',
          truncated: false,
          warnings: [],
          sourceDocument: '',
          implements: [],
          fromCity: null,
        };
        row.state = evolvePlan(row.state, event);
        row.version = version;
        if (event.type === 'PlanIssued')
          row.issued = {
            number: event.data.number,
            kind: event.data.kind,
            issuedOn: event.data.issuedOn,
            issuer: event.data.issuer,
            unitId: event.data.unitId ?? null,
          };
        row.title = event.data.title;
        row.truncated = event.data.source.truncated;
        row.warnings = event.data.source.warnings;
        row.sourceDocument = event.data.source.document;
        row.implements = event.data.implements;
        this.plans.set(record.streamId, row);
      }
    }
  }

  get streams(): number {
    return this.tasks.size + this.plans.size;
  }

  /** Writes every row; the tables are expected empty. */
  async write(manager: EntityManager, schema: string): Promise<void> {
    const positions = new Map<string, number>();
    const planRows = [...this.plans.values()].filter((p) => p.state.status === 'issued' && p.issued);
    for (const plan of planRows) if (plan.state.status === 'issued') plan.state.tasks.forEach((t, i) => positions.set(t.taskId, i + 1));
    for (let i = 0; i < planRows.length; i += ROWS_PER_INSERT) {
      const chunk = planRows.slice(i, i + ROWS_PER_INSERT);
      await manager.query(
        `INSERT INTO ${ident(schema)}.plan_list (plan_id, city_id, number, kind, title, issued_on, issuer, task_count, truncated, warnings, source_document, version, implements, from_city, unit_id)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(plan_id uuid, city_id text, number text, kind text, title text, issued_on date, issuer text,
           task_count int, truncated boolean, warnings jsonb, source_document text, version bigint, implements jsonb, from_city text, unit_id text)`,
        [
          JSON.stringify(
            chunk.map((p) => ({
              plan_id: p.state.status === 'issued' ? p.state.planId : null,
              city_id: p.cityId,
              number: p.issued!.number,
              kind: p.issued!.kind,
              title: p.title,
              issued_on: p.issued!.issuedOn,
              issuer: p.issued!.issuer,
              task_count: p.state.status === 'issued' ? p.state.tasks.length : 0,
              truncated: p.truncated,
              warnings: p.warnings,
              source_document: p.sourceDocument,
              version: p.version,
              implements: p.implements,
              from_city: p.fromCity,
              unit_id: p.issued!.unitId,
            })),
          ),
        ],
      );
    }
    // A withdrawn task leaves the list, as the inline projection deletes it.
    const taskRows = [...this.tasks.values()].filter((t) => t.state.status !== 'none' && !t.state.withdrawnAt);
    for (let i = 0; i < taskRows.length; i += ROWS_PER_INSERT) {
      const chunk = taskRows.slice(i, i + ROWS_PER_INSERT);
      await manager.query(
        `INSERT INTO ${ident(schema)}.task_list (task_id, city_id, plan_id, issued_position, ref, title, task_group, lead, coordinators, deadline, status,
           completed_at, version, position, supervisor, due_soon_marked, overdue_marked, parent_task_id, occurrence_due, adjusted_at, former_lead)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(task_id uuid, city_id text, plan_id uuid, issued_position bigint, ref text, title text,
           task_group text, lead jsonb, coordinators jsonb, deadline jsonb, status text, completed_at timestamptz, version bigint, position int,
           supervisor text, due_soon_marked text, overdue_marked text, parent_task_id uuid, occurrence_due text, adjusted_at timestamptz, former_lead jsonb)`,
        [
          JSON.stringify(
            chunk.map(({ state, cityId, issuedPosition, version }) => {
              if (state.status === 'none') throw new Error('unreachable');
              return {
                task_id: state.taskId,
                city_id: cityId,
                plan_id: state.planId,
                issued_position: issuedPosition,
                ref: state.ref,
                title: state.title,
                task_group: state.group,
                lead: state.lead,
                coordinators: state.coordinators,
                deadline: state.deadline,
                status: state.status,
                completed_at: state.completedAt,
                version,
                position: positions.get(state.taskId) ?? null,
                supervisor: state.supervisor,
                due_soon_marked: state.dueSoonMarkedFor,
                overdue_marked: state.overdueMarkedFor,
                parent_task_id: state.parentTaskId,
                occurrence_due: state.occurrence?.due ?? null,
                adjusted_at: state.adjusted?.at ?? null,
                former_lead: state.formerLead,
              };
            }),
          ),
        ],
      );
    }
  }
}

export type RebuildProgress = { events: number; total: number };
export type RebuildResult = {
  events: number;
  /** Of those, the events committed while the scan ran, folded under the tables' lock */
  tailEvents: number;
  streams: number;
  foldSeconds: number;
  seconds: number;
};

/**
 * The whole rebuild: a snapshot scan of the log folded page by page (the next page is fetched
 * meanwhile), then, in one transaction that holds the tables (TRUNCATE waits for inline projections
 * in flight and blocks new ones, whose updates then land on the new rows), the events committed
 * after the snapshot folded too and every row written. Readers wait for the commit rather than see
 * a half-built table.
 */
export const rebuildPlansReadModel = async (
  db: DataSource,
  store: PostgresEventStore,
  schema: string,
  /** Called after each page; a returned promise is awaited (the next page is already being fetched). */
  onProgress: (progress: RebuildProgress) => void | Promise<void> = () => undefined,
): Promise<RebuildResult> => {
  const started = performance.now();
  const rebuild = new PlansReadModelRebuild();
  const scan = await store.scan();
  const total = Number(scan.lastPosition);
  let events = 0;
  let tailEvents = 0;
  try {
    for await (const page of scan.pages()) {
      rebuild.add(page);
      events += page.length;
      await onProgress({ events, total });
    }
  } finally {
    await scan.close();
  }
  const foldSeconds = (performance.now() - started) / 1000;
  await db.transaction(async (manager) => {
    await manager.query(`TRUNCATE ${ident(schema)}.plan_list, ${ident(schema)}.task_list`);
    const tail = await store.readCommittedAfter(manager, scan.snapshot);
    rebuild.add(tail);
    events += tail.length;
    tailEvents = tail.length;
    await rebuild.write(manager, schema);
  });
  return { events, tailEvents, streams: rebuild.streams, foldSeconds, seconds: (performance.now() - started) / 1000 };
};

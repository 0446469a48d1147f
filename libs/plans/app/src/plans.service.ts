import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { fold, ForbiddenError, NotFoundError, ValidationError, type Clock, type CommandMetadata } from '@mandate/kernel';
import { verifyReport, type CommandOptions, type PostgresEventStore, type StoredEvent } from '@mandate/event-store';
import {
  FINAL_STATUSES,
  type AgencyRef,
  amendmentConflicts,
  correspondTasks,
  planDecider,
  taskDecider,
  type ImportReviewChange,
  type Plan,
  type PlanEvent,
  type IssuedTask,
  type PlanDraft,
  type AmendmentConflict,
  type Task,
  type TaskCommand,
  type TaskEvent,
  type TaskStatus,
  storedForm,
} from '@mandate/plans-domain';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
import { ALL_CITIES, cities, FairLimiter, ident, withCityScope } from '@mandate/runtime';
import type { DataSource } from 'typeorm';
import type { Actor } from './actor';
import { handleCommand, toDomainEvent } from './command-handler';
import { projectPlans } from './plans-read-model';
import { readIntegrationFeed } from './integration-feed';

/** Namespace for deterministic ids: the same document in the same city always gets the same ids. */
const ID_NAMESPACE = '6f1c8a52-4c1e-4d0f-9a57-1b1f0c9e2d11';

export const planIdFor = (cityId: string, number: string): string => uuidv5(`plan:${cityId}:${number}`, ID_NAMESPACE);
export const taskIdFor = (cityId: string, number: string, ref: string): string => uuidv5(`task:${cityId}:${number}:${ref}`, ID_NAMESPACE);
/**
 * What a plan's ids derive from: its number, or for a copy before signing (no number) its content,
 * so the same copy imported again is the same plan and a changed copy is another (unless the office
 * names the plan it amends). The file name is not content: the same copy renamed is still the same.
 */
export const planKeyOf = (draft: PlanDraft): string =>
  draft.number ??
  `unnumbered:${createHash('sha256')
    .update(storedForm({ ...draft, source: { ...draft.source, document: '' } }))
    .digest('hex')}`;
export const planStream = (planId: string) => `plan-${planId}`;
export const taskStream = (taskId: string) => `task-${taskId}`;

/** A unit's plans are known within the unit: a commune's 35/KH-UBND is not the province's. */
const unitKeyOf = (draft: PlanDraft, unitId: string | null): string => (unitId === null ? planKeyOf(draft) : `unit:${unitId}:${planKeyOf(draft)}`);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type PlanSummaryRow = {
  id: string;
  /** null while the plan is tracked before signing. */
  number: string | null;
  kind: string;
  title: string;
  issuedOn: string | null;
  issuer: string;
  taskCount: number;
  truncated: boolean;
  warnings: string[];
  sourceDocument: string;
  /** The documents it implements as cited, with the plan each names when this city holds it. */
  implements: { text: string; number: string | null; planId: string | null }[];
  /** The unit of the province whose own plan it is (its office keeps it), null for the province's. */
  unitId: string | null;
};

export type PlanDetail = PlanSummaryRow & {
  /** Plans of the city that say they implement this one (a district's plan under the city's). */
  implementedBy: { planId: string; number: string | null; title: string; issuer: string }[];
};

/** "Kế hoạch số 86/KH-UBND ngày 20/3/2020" -> "86/KH-UBND". */
const citedNumber = (text: string): string | null => /\bsố\s+([^\s,;]+)/iu.exec(text)?.[1] ?? null;

export type TaskListRow = {
  id: string;
  planId: string;
  ref: string;
  title: string;
  group: string | null;
  lead: IssuedTask['lead'];
  /** Its lead before agencies merged (the old split), null when the current lead was chosen, not inherited */
  formerLead: IssuedTask['formerLead'];
  coordinators: IssuedTask['coordinators'];
  deadline: IssuedTask['deadline'];
  supervisor: string | null;
  status: TaskStatus;
  completedAt: string | null;
  /** When its own terms were last changed (đã điều chỉnh) */
  adjustedAt: string | null;
  version: string;
};

/**
 * Commands (or reads) per task run a few at a time for the whole process: tasks are streams of their
 * own, so their appends are independent, and a plan of thousands of tasks should not wait on one round
 * trip after another. Fewer than the service's database pool (5), so HTTP requests still get a
 * connection meanwhile, however many imports run; and cities take turns, so one city's six
 * thousand-task imports do not hold another city's single one back (issue 20, fairness).
 */
const TASKS_IN_FLIGHT = 3;

/** What importing a document did: a new plan, an amendment of the one with its number (or the one named), or nothing. */
export type ImportOutcome = {
  planId: string;
  outcome: 'created' | 'amended' | 'unchanged';
  taskCount: number;
  added: number;
  revised: number;
  withdrawn: number;
  /** Fields the new version changed that had been changed since the last one (edit, extension, reassignment): the document's value now holds. */
  conflicts: (AmendmentConflict & { taskId: string; ref: string })[];
};

/** The plans service's use cases; controllers and the importer call these and nothing lower. */
export class PlansService {
  private readonly project: ReturnType<typeof projectPlans>;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly clock: Clock,
    private readonly onAppended: () => void = () => undefined,
  ) {
    this.project = projectPlans(schema);
  }

  private readonly bulk = new FairLimiter(TASKS_IN_FLIGHT);

  /** `run` for each item, through the process's bulk limiter, in `cityId`'s turns. */
  private async eachTask<T>(cityId: string, items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
    await Promise.all(items.map((item) => this.bulk.run(cityId, () => run(item))));
  }

  private metadata(actor: Actor): CommandMetadata {
    return { actorId: actor.userId, role: actor.role, agencyId: actor.agencyId, cityId: actor.cityId, now: this.clock.now() };
  }

  /** Issue a plan and its tasks; issuing the same document again changes nothing. `unitId`: whose own plan it is (a unit of the province), null for the province's. */
  async issuePlan(draft: PlanDraft, actor: Actor, correlationId: string, unitId: string | null = null): Promise<{ planId: string; created: boolean }> {
    const key = unitKeyOf(draft, unitId);
    const planId = planIdFor(actor.cityId, key);
    const tasks = draft.tasks.map((t) => ({ taskId: taskIdFor(actor.cityId, key, t.ref), ref: t.ref, draft: t }));
    const { tasks: _drafts, ...planDraft } = draft;
    const options = { correlationId, project: this.project };
    // Tasks first: if this is interrupted, the plan is not listed until a retry completes it.
    let created = false;
    await this.eachTask(actor.cityId, tasks, async (task) => {
      const result = await handleCommand(
        this.store,
        taskDecider,
        taskStream(task.taskId),
        {
          type: 'IssueTask',
          data: { taskId: task.taskId, planId, planNumber: draft.number, draft: task.draft },
          metadata: this.metadata(actor),
        },
        options,
      );
      created ||= result.events.length > 0;
    });
    const plan = await handleCommand(
      this.store,
      planDecider,
      planStream(planId),
      {
        type: 'IssuePlan',
        data: { planId, draft: planDraft, tasks: tasks.map(({ taskId, ref }) => ({ taskId, ref })), unitId },
        metadata: this.metadata(actor),
      },
      options,
    );
    created ||= plan.events.length > 0;
    if (created) this.onAppended();
    return { planId, created };
  }

  /**
   * Imports a document: the first time it issues the plan; a later version with the same number
   * (same city, so same plan id) amends it task by task — added tasks are issued, changed ones
   * revised, missing ones withdrawn — and the same version again changes nothing. A copy before
   * signing (no number) is known by its content; `amends` names the plan a version amends whatever
   * its number says (the signed version of such a copy, which then records its number). `review`:
   * what the office corrected in the parsed document before confirming it, recorded on the plan
   * (PlanImportReviewed, by the actor) after the issue or amendment, when the import did something.
   */
  async importDocument(
    draft: PlanDraft,
    actor: Actor,
    correlationId: string,
    target: { amends?: string; review?: { changes: readonly ImportReviewChange[] } } = {},
  ): Promise<ImportOutcome> {
    // A unit's office imports its unit's own plans, as the office of that unit.
    const unitId = actor.role === 'unit' ? actor.agencyId : null;
    if (unitId !== null) actor = { ...actor, role: 'office' };
    const outcome = await this.importDraft(draft, actor, correlationId, target, unitId);
    const changes = target.review?.changes ?? [];
    if (outcome.outcome !== 'unchanged' && changes.length > 0) {
      const reviewed = await handleCommand(
        this.store,
        planDecider,
        planStream(outcome.planId),
        {
          type: 'RecordImportReview',
          data: { planId: outcome.planId, document: draft.source.document, changes: changes.map((c) => ({ ...c })) },
          metadata: this.metadata(actor),
        },
        { correlationId, project: this.project },
      );
      if (reviewed.events.length > 0) this.onAppended();
    }
    return outcome;
  }

  private async importDraft(draft: PlanDraft, actor: Actor, correlationId: string, target: { amends?: string }, unitId: string | null): Promise<ImportOutcome> {
    const planId = target.amends ?? (await this.planIdOf(draft, actor, unitId));
    const { events } = await this.store.readStream(planStream(planId), { cityId: actor.cityId });
    if (target.amends !== undefined && events.length === 0)
      throw new NotFoundError(`Plan ${target.amends} not found: there is nothing to amend`, 'plan-not-found');
    // New task ids of an amendment: from the number it is known by, or (named by the office) from its id.
    const key = target.amends !== undefined ? `plan:${planId}` : unitKeyOf(draft, unitId);
    const plan: Plan = fold(
      planDecider,
      events.map((e) => toDomainEvent<PlanEvent>(e)),
    );
    // A unit's office amends its unit's plans only (the province's office may amend any).
    if (unitId !== null && plan.status === 'issued' && (plan.unitId ?? null) !== unitId) {
      throw new ForbiddenError(`Plan ${planId} is not a plan of your unit: its office or the province's amends it`, 'plan-of-another-unit');
    }
    const none = { added: 0, revised: 0, withdrawn: 0, taskCount: draft.tasks.length, conflicts: [] };
    if (plan.status === 'none') {
      const { created } = await this.issuePlan(draft, actor, correlationId, unitId);
      return { planId, outcome: created ? 'created' : 'unchanged', ...none, added: created ? draft.tasks.length : 0 };
    }
    const options = { correlationId, project: this.project };
    const titles = new Map<string, string>(
      (
        (await this.db.query(`SELECT task_id, title FROM ${ident(this.schema)}.task_list WHERE city_id = $1 AND plan_id = $2`, [actor.cityId, planId])) as {
          task_id: string;
          title: string;
        }[]
      ).map((r) => [r.task_id, r.title]),
    );
    const current = plan.tasks.map((t) => ({ ...t, title: titles.get(t.taskId) ?? '' }));
    const { continues, dropped } = correspondTasks(current, draft.tasks);
    // Every id the plan ever gave out stays with its task: a new task never reuses a withdrawn one's stream.
    const used = new Set(
      events.flatMap((e) => {
        const d = e.data as { tasks?: { taskId: string }[]; added?: { taskId: string }[] };
        return [...(d.tasks ?? []), ...(d.added ?? [])].map((t) => t.taskId);
      }),
    );
    const newId = (ref: string, title: string): string => {
      for (const seed of [ref, `${ref}:${title}`]) {
        const id = taskIdFor(actor.cityId, key, seed);
        if (!used.has(id)) return id;
      }
      return taskIdFor(actor.cityId, key, `${ref}:${title}:${used.size}`);
    };
    const tasks = draft.tasks.map((t, i) => ({ taskId: continues[i] ?? newId(t.ref, t.title), ref: t.ref, draft: t, known: continues[i] !== null }));
    const revised: string[] = [];
    const conflicts: ImportOutcome['conflicts'] = [];
    const position = new Map(tasks.map((t, i) => [t.taskId, i]));
    let appended = false;
    await this.eachTask(actor.cityId, tasks, async (task) => {
      const command = task.known
        ? { type: 'ReviseTask' as const, data: { taskId: task.taskId, draft: task.draft }, metadata: this.metadata(actor) }
        : {
            type: 'IssueTask' as const,
            data: { taskId: task.taskId, planId, planNumber: draft.number ?? plan.number, draft: task.draft },
            metadata: this.metadata(actor),
          };
      // The conflicts of the state the revision was decided on (the last attempt, after a retry).
      let found: AmendmentConflict[] = [];
      const decider = {
        ...taskDecider,
        decide: (c: TaskCommand, state: Task) => {
          found = c.type === 'ReviseTask' && state.status !== 'none' ? amendmentConflicts(state, c.data.draft) : [];
          return taskDecider.decide(c, state);
        },
      };
      const result = await handleCommand(this.store, decider, taskStream(task.taskId), command, options);
      conflicts.push(...found.map((c) => ({ taskId: task.taskId, ref: task.ref, ...c })));
      if (result.events.length > 0 && task.known) revised.push(task.taskId);
      appended ||= result.events.length > 0;
    });
    await this.eachTask(actor.cityId, dropped, async (gone) => {
      const result = await handleCommand(
        this.store,
        taskDecider,
        taskStream(gone.taskId),
        {
          type: 'WithdrawTask',
          data: { taskId: gone.taskId, reason: `Not in the version of ${draft.number ?? plan.number ?? 'the plan'} imported from ${draft.source.document}` },
          metadata: this.metadata(actor),
        },
        options,
      );
      appended ||= result.events.length > 0;
    });
    const { tasks: _drafts, ...planDraft } = draft;
    const amended = await handleCommand(
      this.store,
      planDecider,
      planStream(planId),
      {
        type: 'AmendPlan',
        data: { planId, draft: planDraft, tasks: tasks.map(({ taskId, ref }) => ({ taskId, ref })), revised },
        metadata: this.metadata(actor),
      },
      options,
    );
    if (appended || amended.events.length > 0) this.onAppended();
    const change = amended.events.find((e) => e.type === 'PlanAmended');
    // Only the indicators changed (or were set for the first time on a plan issued before they were kept).
    if (!change || change.type !== 'PlanAmended') return { planId, outcome: amended.events.length > 0 ? 'amended' : 'unchanged', ...none };
    return {
      planId,
      outcome: 'amended',
      taskCount: draft.tasks.length,
      added: change.data.added.length,
      revised: change.data.revised.length,
      withdrawn: change.data.withdrawn.length,
      // In document order (tasks are revised a few at a time, so they finish in any order).
      conflicts: conflicts.sort((a, b) => position.get(a.taskId)! - position.get(b.taskId)!),
    };
  }

  /**
   * The plan a document is: the one its number (or, without one, its content) derives; for a number
   * a plan got later (PlanNumbered, its ids derived from its unsigned copy), the one listed with it.
   */
  private async planIdOf(draft: PlanDraft, actor: Actor, unitId: string | null): Promise<string> {
    const derived = planIdFor(actor.cityId, unitKeyOf(draft, unitId));
    if (draft.number === null) return derived;
    const rows: { plan_id: string }[] = await this.db.query(
      // The city's own plans (one moved in with a merged city may carry the same number), the unit's when a unit imports.
      `SELECT plan_id FROM ${ident(this.schema)}.plan_list WHERE city_id = $1 AND number = $2 AND from_city IS NULL AND unit_id IS NOT DISTINCT FROM $3`,
      [actor.cityId, draft.number, unitId],
    );
    return rows[0]?.plan_id ?? derived;
  }

  async changeTaskStatus(
    taskId: string,
    change: { to: TaskStatus; note: string },
    actor: Actor,
    options: CommandOptions,
  ): Promise<{ task: IssuedTask; version: bigint }> {
    if (!UUID.test(taskId)) throw taskNotFound(taskId);
    actor = await this.actingOn(taskId, actor);
    const result = await handleCommand(
      this.store,
      taskDecider,
      taskStream(taskId),
      {
        type: 'ChangeTaskStatus',
        data: { taskId, to: change.to, note: change.note },
        metadata: this.metadata(actor),
      },
      { ...options, project: this.project, missing: () => taskNotFound(taskId) },
    );
    if (result.events.length) this.onAppended();
    if (result.state.status === 'none') throw taskNotFound(taskId);
    return { task: result.state, version: result.streamVersion };
  }

  /**
   * Who a unit's office is on a task: the office, on its unit's own plans; elsewhere the agency its
   * unit is (the province's plans give communes tasks). Everyone else is who they are.
   */
  private async actingOn(taskId: string, actor: Actor): Promise<Actor> {
    if (actor.role !== 'unit') return actor;
    const [row] = (await this.db.query(
      `SELECT p.unit_id FROM ${ident(this.schema)}.task_list t JOIN ${ident(this.schema)}.plan_list p ON p.plan_id = t.plan_id WHERE t.city_id = $1 AND t.task_id = $2`,
      [actor.cityId, taskId],
    )) as { unit_id: string | null }[];
    return { ...actor, role: row?.unit_id != null && row.unit_id === actor.agencyId ? 'office' : 'agency' };
  }

  /**
   * A command on one existing task (progress, extension requests and decisions): the same path as
   * a status change — read, decide, append with the version the client saw, if it sent one.
   */
  async actOnTask(
    taskId: string,
    command: DistributiveOmit<Exclude<TaskCommand, { type: 'IssueTask' }>, 'metadata'>,
    actor: Actor,
    options: CommandOptions,
  ): Promise<{ task: IssuedTask; version: bigint; events: TaskEvent[] }> {
    if (!UUID.test(taskId)) throw taskNotFound(taskId);
    actor = await this.actingOn(taskId, actor);
    const result = await handleCommand(this.store, taskDecider, taskStream(taskId), { ...command, metadata: this.metadata(actor) } as TaskCommand, {
      ...options,
      project: this.project,
      missing: () => taskNotFound(taskId),
    });
    if (result.events.length) this.onAppended();
    if (result.state.status === 'none') throw taskNotFound(taskId);
    return { task: result.state, version: result.streamVersion, events: result.events };
  }

  /**
   * A city merged into `actor.cityId` (the successor; the operator acts in it): every task stream,
   * then every plan stream of the merged city goes on in the successor's log, each continuing from its
   * head there (the chain unbroken), and the read model lists them there. Runs across both cities'
   * rows; safe to run again (a stream moved already is left). Answers how many of each moved.
   */
  async moveCity(fromCityId: string, reason: string, actor: Actor, correlationId: string): Promise<{ plans: number; tasks: number }> {
    return withCityScope(ALL_CITIES, async () => {
      const streams = (await this.db.query(
        `SELECT DISTINCT stream_id FROM ${ident(this.schema)}.events WHERE city_id = $1 AND (stream_id LIKE 'task-%' OR stream_id LIKE 'plan-%')`,
        [fromCityId],
      )) as { stream_id: string }[];
      const ids = (prefix: string) => streams.filter((r) => r.stream_id.startsWith(prefix)).map((r) => r.stream_id);
      const options = { correlationId, project: this.project, continueFrom: fromCityId, commandId: `move-city:${fromCityId}` };
      let tasks = 0;
      let plans = 0;
      // Tasks first: a plan listed in the successor finds its tasks there.
      await this.eachTask(actor.cityId, ids('task-'), async (stream) => {
        const taskId = stream.slice('task-'.length);
        const { events } = await handleCommand(
          this.store,
          taskDecider,
          stream,
          { type: 'MoveTaskToCity', data: { taskId, fromCityId, reason }, metadata: this.metadata(actor) },
          options,
        );
        if (events.length) tasks += 1;
      });
      for (const stream of ids('plan-')) {
        const planId = stream.slice('plan-'.length);
        const { events } = await handleCommand(
          this.store,
          planDecider,
          stream,
          { type: 'MovePlanToCity', data: { planId, fromCityId, reason }, metadata: this.metadata(actor) },
          options,
        );
        if (events.length) plans += 1;
      }
      if (tasks + plans > 0) this.onAppended();
      return { plans, tasks };
    });
  }

  /**
   * Agencies merged into a successor: every open task of the city whose lead or coordinators are
   * among them passes to it (a TaskAssigned citing the merger, task by task). Safe to run again: a
   * task handed over already, or closed, changes nothing. Answers how many tasks moved.
   */
  async handOver(
    merger: { predecessorIds: readonly string[]; successor: AgencyRef; reason: string; effectiveOn: string | null },
    actor: Actor,
    correlationId: string,
  ): Promise<{ moved: number; taskIds: string[] }> {
    const { predecessorIds, successor, reason, effectiveOn } = merger;
    const rows = (await this.db.query(
      `SELECT task_id FROM ${ident(this.schema)}.task_list
        WHERE city_id = $1 AND NOT (status = ANY($3))
          AND (lead->>'agencyId' = ANY($2) OR EXISTS (SELECT 1 FROM jsonb_array_elements(coordinators) c WHERE c->>'agencyId' = ANY($2)))
        ORDER BY issued_position`,
      [actor.cityId, [...predecessorIds], [...FINAL_STATUSES]],
    )) as { task_id: string }[];
    const moved: string[] = [];
    await this.eachTask(actor.cityId, rows, async ({ task_id: taskId }) => {
      const { events } = await this.actOnTask(
        taskId,
        { type: 'HandOverTask', data: { taskId, predecessorIds: [...predecessorIds], successor, reason, effectiveOn } },
        actor,
        {
          correlationId,
          // One hand-over per task and merger: a retry finds its events instead of appending again.
          commandId: `hand-over:${successor.agencyId}:${[...predecessorIds].sort().join(',')}`,
        },
      );
      if (events.length) moved.push(taskId);
    });
    return { moved: moved.length, taskIds: moved };
  }

  /**
   * The plan and its tasks as they were at `asOf`, computed from the log (events recorded before
   * that instant): what an auditor asks for when a past report is questioned.
   */
  async planAsOf(planId: string, actor: Actor, asOf: Date): Promise<{ tasks: { task: IssuedTask; version: bigint }[] }> {
    const plan = await this.foldPlan(planId, actor, asOf);
    const tasks: { task: IssuedTask; version: bigint }[] = [];
    await this.eachTask(actor.cityId, plan.tasks, async ({ taskId }) => {
      const events = await this.readBefore(taskStream(taskId), actor.cityId, asOf);
      const task = fold(
        taskDecider,
        events.map((e) => toDomainEvent<TaskEvent>(e)),
      );
      if (task.status !== 'none') tasks.push({ task, version: events.at(-1)?.streamVersion ?? 0n });
    });
    const order = new Map(plan.tasks.map((t, i) => [t.taskId, i]));
    return { tasks: tasks.sort((a, b) => order.get(a.task.taskId)! - order.get(b.task.taskId)!) };
  }

  /** What changed in a plan between two instants: per task, its state at each end and the events between. */
  async planDiff(planId: string, actor: Actor, from: Date, to: Date) {
    if (!(from < to)) throw new ValidationError('from must be before to', 'invalid-interval');
    const planEvents = await this.readBefore(planStream(planId), actor.cityId, to);
    if (!UUID.test(planId) || planEvents.length === 0) throw new NotFoundError(`Plan ${planId} not found at ${to.toISOString()}`, 'plan-not-found');
    const atFrom = fold(
      planDecider,
      planEvents.filter((e) => e.recordedAt < from).map((e) => toDomainEvent<PlanEvent>(e)),
    );
    const atTo = fold(
      planDecider,
      planEvents.map((e) => toDomainEvent<PlanEvent>(e)),
    );
    const ids = [...new Set([...(atFrom.status === 'issued' ? atFrom.tasks : []), ...(atTo.status === 'issued' ? atTo.tasks : [])].map((t) => t.taskId))];
    const inWindow = (e: StoredEvent) => e.recordedAt >= from && e.recordedAt < to;
    const entry = (e: StoredEvent) => ({
      type: e.type,
      recordedAt: e.recordedAt.toISOString(),
      version: Number(e.streamVersion),
      actor: { userId: e.metadata.actorId, role: e.metadata.role, agencyId: e.metadata.agencyId },
    });
    const summary = (task: Task) =>
      task.status === 'none'
        ? null
        : { status: task.status, due: task.deadline.due, leadAgencyId: task.lead?.agencyId ?? null, title: task.title, withdrawn: task.withdrawnAt !== null };
    const changed: unknown[] = [];
    await this.eachTask(actor.cityId, ids, async (taskId) => {
      const events = await this.readBefore(taskStream(taskId), actor.cityId, to);
      const window = events.filter(inWindow);
      if (window.length === 0) return;
      const before = fold(
        taskDecider,
        events.filter((e) => e.recordedAt < from).map((e) => toDomainEvent<TaskEvent>(e)),
      );
      const after = fold(
        taskDecider,
        events.map((e) => toDomainEvent<TaskEvent>(e)),
      );
      changed.push({ taskId, ref: after.status === 'none' ? null : after.ref, before: summary(before), after: summary(after), events: window.map(entry) });
    });
    const position = new Map(ids.map((id, i) => [id, i]));
    return {
      planId,
      from: from.toISOString(),
      to: to.toISOString(),
      plan: planEvents.filter(inWindow).map(entry),
      tasks: (changed as { taskId: string }[]).sort((a, b) => position.get(a.taskId)! - position.get(b.taskId)!),
    };
  }

  private async foldPlan(planId: string, actor: Actor, asOf: Date) {
    if (!UUID.test(planId)) throw new NotFoundError(`Plan ${planId} not found`, 'plan-not-found');
    const events = await this.readBefore(planStream(planId), actor.cityId, asOf);
    const plan = fold(
      planDecider,
      events.map((e) => toDomainEvent<PlanEvent>(e)),
    );
    if (plan.status !== 'issued') throw new NotFoundError(`Plan ${planId} did not exist at ${asOf.toISOString()}`, 'plan-not-found');
    return plan;
  }

  /**
   * Tasks owing a mark now: past their due day and not marked overdue for it, or within
   * `windowDays` of it and not marked due soon. Each city's own window is the decider's to apply;
   * `windowDays` is the widest, so nothing is scanned tick after tick for nothing.
   */
  async deadlineCandidates(windowDays: number, limit: number): Promise<{ taskId: string; cityId: string }[]> {
    const rows: { task_id: string; city_id: string }[] = await this.db.query(
      `WITH today AS (SELECT ($1::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day)
       SELECT task_id, city_id FROM ${ident(this.schema)}.task_list, today
       WHERE status IN ('not_started', 'in_progress', 'returned', 'declined')
         AND deadline->>'due' IS NOT NULL AND deadline->>'kind' <> 'done'
         AND overdue_marked IS DISTINCT FROM deadline->>'due'
         AND ((deadline->>'due')::date < today.day
              OR ((deadline->>'due')::date <= today.day + $2::int AND due_soon_marked IS DISTINCT FROM deadline->>'due'))
       ORDER BY deadline->>'due' LIMIT $3`,
      [this.clock.now().toISOString(), windowDays, limit],
    );
    return rows.map((r) => ({ taskId: r.task_id, cityId: r.city_id }));
  }

  /** The scheduler's command: marks the task due soon or overdue if it is so now, once per due date. */
  markDeadline(taskId: string, cityId: string, dueSoonDays: number | undefined): Promise<TaskEvent[]> {
    return this.scheduled(cityId, { type: 'MarkDeadline', data: { taskId, dueSoonDays } });
  }

  /** Repeating duties whose current period may not be open yet (the decider decides). */
  async occurrenceCandidates(limit: number): Promise<{ taskId: string; cityId: string }[]> {
    const rows: { task_id: string; city_id: string }[] = await this.db.query(
      `SELECT task_id, city_id FROM ${ident(this.schema)}.task_list
       WHERE deadline->>'kind' IN ('recurring', 'continuous') AND status NOT IN ('completed', 'cancelled', 'paused')
         AND (occurrence_due IS NULL OR occurrence_due < to_char($1::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD'))
       ORDER BY occurrence_due NULLS FIRST LIMIT $2`,
      [this.clock.now().toISOString(), limit],
    );
    return rows.map((r) => ({ taskId: r.task_id, cityId: r.city_id }));
  }

  /** The scheduler's command for a repeating duty: opens the periods that began and are not open yet. */
  openOccurrences(taskId: string, cityId: string): Promise<TaskEvent[]> {
    return this.scheduled(cityId, { type: 'OpenOccurrences', data: { taskId } });
  }

  /** A command time sends, not a person: the scheduler acts as the city office's system user. */
  private async scheduled(
    cityId: string,
    command: Extract<DistributiveOmit<TaskCommand, 'metadata'>, { type: 'MarkDeadline' | 'OpenOccurrences' }>,
  ): Promise<TaskEvent[]> {
    const actor: Actor = { userId: 'system:deadline-scheduler', role: 'office', agencyId: null, cityId };
    const taskId = command.data.taskId;
    const result = await handleCommand(this.store, taskDecider, taskStream(taskId), { ...command, metadata: this.metadata(actor) } as TaskCommand, {
      correlationId: `${command.type}:${taskId}`,
      project: this.project,
    });
    if (result.events.length) this.onAppended();
    return result.events;
  }

  /** Cascade: links a task to the task of a higher plan it carries out; the parent must be of the caller's city. */
  async linkTask(taskId: string, parentTaskId: string, actor: Actor, options: CommandOptions) {
    if (!UUID.test(parentTaskId)) throw new ValidationError(`Task ${parentTaskId} is not a task id`, 'link-parent-invalid');
    await this.getTask(parentTaskId, actor); // 404 for an unknown task or another city's
    return this.actOnTask(taskId, { type: 'LinkTask', data: { taskId, parentTaskId } }, actor, options);
  }

  /** The tasks that carry out this one (roll-up of a city task over its district tasks), as listed now. */
  async childTasks(taskId: string, actor: Actor): Promise<(TaskListRow & { planNumber: string | null })[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT t.*, p.number AS plan_number FROM ${ident(this.schema)}.task_list t JOIN ${ident(this.schema)}.plan_list p ON p.plan_id = t.plan_id
       WHERE t.city_id = $1 AND t.parent_task_id = $2 ORDER BY p.issued_on, t.position`,
      [actor.cityId, taskId],
    );
    return rows.map((r) => ({ ...toTaskListRow(r), planNumber: r.plan_number === null ? null : String(r.plan_number) }));
  }

  /** The task as its stream says now (or as it was on `asOf`): the authority, not a read model. */
  async getTask(taskId: string, actor: Actor, asOf?: Date): Promise<{ task: IssuedTask; version: bigint }> {
    const { events, streamVersion } = await this.readTask(taskId, actor, asOf);
    const task = fold(
      taskDecider,
      events.map((e) => toDomainEvent<TaskEvent>(e)),
    );
    if (task.status === 'none') throw new NotFoundError(`Task ${taskId} not found`, 'task-not-found');
    return { task, version: asOf ? (events.at(-1)?.streamVersion ?? 0n) : streamVersion };
  }

  /** The task's whole history: what came before in a city merged into this one too. */
  async taskHistory(taskId: string, actor: Actor): Promise<StoredEvent[]> {
    const { events } = await this.readTask(taskId, actor);
    return this.withEarlierParts(events);
  }

  /**
   * A stream that went on in this city from a merged one: its part there first (read across cities:
   * the city it came from is no longer anyone's to read), as far back as it goes.
   */
  private async withEarlierParts(events: StoredEvent[]): Promise<StoredEvent[]> {
    const link = events[0]?.metadata.continuesFrom;
    if (!link) return events;
    const earlier = await withCityScope(ALL_CITIES, () =>
      this.store.readStream(events[0].streamId, { cityId: link.cityId, toVersion: BigInt(link.streamVersion) }),
    );
    return [...(await this.withEarlierParts(earlier.events)), ...events];
  }

  private async readTask(taskId: string, actor: Actor, asOf?: Date) {
    if (!UUID.test(taskId)) throw new NotFoundError(`Task ${taskId} not found`, 'task-not-found');
    const result =
      asOf === undefined
        ? await this.store.readStream(taskStream(taskId), { cityId: actor.cityId })
        : await this.readBefore(taskStream(taskId), actor.cityId, asOf).then((events) => ({ events, streamVersion: events.at(-1)?.streamVersion ?? 0n }));
    if (result.events.length === 0) throw new NotFoundError(`Task ${taskId} not found`, 'task-not-found');
    return result;
  }

  /**
   * A stream as it was before an instant, for the views "as of" (an auditor's): a stream that came
   * from a merged city is read with its part there, so a day before the merger shows it too.
   */
  private async readBefore(streamId: string, cityId: string, before: Date): Promise<StoredEvent[]> {
    const { events } = await this.store.readStream(streamId, { cityId, recordedBefore: before });
    // One that came from a merged city shows here from its move on: before the move nothing is here, so the
    // link is read from its first event here (an extra read only when nothing was found).
    if (events.length > 0) return this.withEarlierParts(events);
    const [first] = (await this.store.readStream(streamId, { cityId })).events;
    return first?.metadata.continuesFrom ? (await this.withEarlierParts([first])).filter((e) => e.recordedAt < before) : [];
  }

  /** The city's integration events after a position, for integrators (`readIntegrationFeed`). */
  integrationFeed(actor: Actor, options: { after: string | null; types: readonly string[] | null; limit: number }) {
    return readIntegrationFeed(this.store, actor, options);
  }

  /**
   * Recomputes the hash chains of the caller's city (or of one task) and the city's daily anchors, and
   * names the first broken link and the first broken anchor (`anchors` is null for one task).
   */
  /**
   * The city's chains (or one task's), and those of the cities merged into it: their logs are this
   * city's history now (a moved stream's earlier part is verified with the city it was in).
   */
  async verifyLog(actor: Actor, taskId?: string) {
    if (taskId !== undefined) await this.readTask(taskId, actor);
    const streamId = taskId === undefined ? undefined : taskStream(taskId);
    const own = verifyReport(await this.store.verify({ cityId: actor.cityId, streamId }));
    const merged = cities.mergedInto(actor.cityId);
    if (merged.length === 0) return own;
    const mergedCities = await withCityScope(ALL_CITIES, () =>
      Promise.all(merged.map(async (cityId) => ({ cityId, ...verifyReport(await this.store.verify({ cityId, streamId })) }))),
    );
    return { ...own, ok: own.ok && mergedCities.every((part) => part.ok), mergedCities };
  }

  async listPlans(actor: Actor): Promise<PlanSummaryRow[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT plan_id, number, kind, title, to_char(issued_on, 'YYYY-MM-DD') AS issued_on, issuer, task_count, truncated, warnings, source_document, implements, unit_id
       FROM ${ident(this.schema)}.plan_list WHERE city_id = $1 ORDER BY issued_on DESC, number`,
      [actor.cityId],
    );
    // A link is kept as cited even while the parent is not imported; it resolves once it is.
    const byNumber = new Map(rows.filter((r) => r.number !== null).map((r) => [String(r.number).toUpperCase(), String(r.plan_id)]));
    return rows.map((r) => ({
      id: String(r.plan_id),
      number: r.number === null ? null : String(r.number),
      kind: String(r.kind),
      title: String(r.title),
      issuedOn: r.issued_on === null ? null : String(r.issued_on),
      issuer: String(r.issuer),
      taskCount: Number(r.task_count),
      truncated: Boolean(r.truncated),
      warnings: r.warnings as string[],
      sourceDocument: String(r.source_document),
      implements: ((r.implements as string[] | null) ?? []).map((text) => {
        const number = citedNumber(text);
        return { text, number, planId: (number && byNumber.get(number.toUpperCase())) ?? null };
      }),
      unitId: (r.unit_id as string | null) ?? null,
    }));
  }

  async getPlan(planId: string, actor: Actor): Promise<PlanDetail> {
    const plans = UUID.test(planId) ? await this.listPlans(actor) : [];
    const plan = plans.find((p) => p.id === planId);
    if (!plan) throw new NotFoundError(`Plan ${planId} not found`, 'plan-not-found');
    const implementedBy = plans
      .filter((other) => other.implements.some((link) => link.planId === planId))
      .map((other) => ({ planId: other.id, number: other.number, title: other.title, issuer: other.issuer }));
    return { ...plan, implementedBy };
  }

  /** Tasks of a plan in document order, `limit` at a time; `cursor` is opaque to clients. */
  /** 404 unless the city has the plan; a page of tasks need not load every plan and its links. */
  private async requirePlan(planId: string, actor: Actor): Promise<void> {
    const found: unknown[] = UUID.test(planId)
      ? await this.db.query(`SELECT 1 FROM ${ident(this.schema)}.plan_list WHERE plan_id = $1 AND city_id = $2`, [planId, actor.cityId])
      : [];
    if (found.length === 0) throw new NotFoundError(`Plan ${planId} not found`, 'plan-not-found');
  }

  /** Every task of the plan as listed now, in document order: the input of filtered lists and counts. */
  async allTasks(planId: string, actor: Actor): Promise<TaskListRow[]> {
    if (!UUID.test(planId)) throw new NotFoundError(`Plan ${planId} not found`, 'plan-not-found');
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM ${ident(this.schema)}.task_list WHERE city_id = $1 AND plan_id = $2 ORDER BY position`,
      [actor.cityId, planId],
    );
    // A task of the caller's city names its plan there: only an empty answer needs the plan looked up.
    if (rows.length === 0) await this.requirePlan(planId, actor);
    return rows.map(toTaskListRow);
  }

  async listTasks(planId: string, actor: Actor, page: { limit: number; cursor: string | null }) {
    if (!UUID.test(planId)) throw new NotFoundError(`Plan ${planId} not found`, 'plan-not-found');
    const after = page.cursor ? decodeCursor(page.cursor) : '0';
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM ${ident(this.schema)}.task_list
       WHERE city_id = $1 AND plan_id = $2 AND position > $3
       ORDER BY position LIMIT $4`,
      [actor.cityId, planId, after, page.limit + 1],
    );
    // The plan is looked up only when no row answered (a page past the end, a plan without tasks, an unknown one).
    if (rows.length === 0) await this.requirePlan(planId, actor);
    const items: TaskListRow[] = rows.slice(0, page.limit).map(toTaskListRow);
    const last = rows[page.limit - 1];
    const next = rows.length > page.limit && last ? encodeCursor(String(last.position)) : null;
    return { items, next };
  }
}

const toTaskListRow = (r: Record<string, unknown>): TaskListRow => ({
  id: String(r.task_id),
  planId: String(r.plan_id),
  ref: String(r.ref),
  title: String(r.title),
  group: (r.task_group as string | null) ?? null,
  lead: (r.lead as TaskListRow['lead']) ?? null,
  formerLead: (r.former_lead as TaskListRow['formerLead']) ?? null,
  coordinators: r.coordinators as TaskListRow['coordinators'],
  deadline: r.deadline as TaskListRow['deadline'],
  supervisor: (r.supervisor as string | null) ?? null,
  status: r.status as TaskStatus,
  completedAt: r.completed_at ? new Date(r.completed_at as string).toISOString() : null,
  adjustedAt: r.adjusted_at ? new Date(r.adjusted_at as string).toISOString() : null,
  version: String(r.version),
});

const taskNotFound = (taskId: string) => new NotFoundError(`Task ${taskId} not found`, 'task-not-found');

const encodeCursor = (position: string) => Buffer.from(`p:${position}`).toString('base64url');
/** A task's place in its plan is an integer column (2^31 - 1 at most): a larger number is no cursor we gave out. */
const MAX_POSITION = 2 ** 31 - 1;
const decodeCursor = (cursor: string): string => {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const match = /^p:(\d{1,10})$/.exec(decoded);
  if (!match || Number(match[1]) > MAX_POSITION) throw new ValidationError('The cursor is not one this API gave out', 'cursor-invalid');
  return match[1];
};

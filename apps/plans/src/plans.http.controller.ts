import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { IllegalStateError, ValidationError } from '@mandate/kernel';
import { Doc, CommandOrigin, CurrentActor, etag, HttpProblem, optionalIfMatch, parseIfMatch, parseInput, type RequestActor, Requires } from '@mandate/http';
import { personNamed } from '@mandate/plan-import';
import { PlansService, type DirectoryService, type TaskListRow } from '@mandate/plans-app';
import {
  TASK_STATUSES,
  countTask,
  emptyCounts,
  isTaskStatus,
  parseDeadline,
  type TaskCounts,
  ADJUSTED_LABEL,
  statusLabel,
  timelinessOf,
  type AgencyRef,
  type DeadlineSpec,
  type IssuedTask,
  type TaskStatus,
} from '@mandate/plans-domain';
import { Clock } from '@mandate/kernel';
import type { Response } from 'express';
import { z } from 'zod';
import { dueSoonDaysOf } from './seed';
import { historyItem } from './history';
import { CLOCK, DIRECTORY_SERVICE, PLANS_SERVICE } from './tokens';

const statusBody = z.object({
  status: z.string({ error: 'status is required' }),
  note: z.string().max(4000).default(''),
});

const progressBody = z.object({
  percent: z.number({ error: 'percent is a whole number from 0 to 100' }).int().min(0).max(100),
  text: z.string({ error: 'text is required' }).max(4000),
  attachments: z
    .array(
      z.object({
        name: z.string().min(1).max(255),
        contentType: z.string().min(1).max(255),
        size: z.number().int().min(0),
        url: z.string().url().max(2000).nullable().default(null),
      }),
    )
    .max(20)
    .default([]),
});

const extensionBody = z.object({
  until: z.string({ error: 'until is required (YYYY-MM-DD)' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'until is a date, YYYY-MM-DD'),
  reason: z.string({ error: 'reason is required' }).max(4000),
});
const decisionNote = z.object({ note: z.string().max(4000).default('') });
const textBody = z.object({ text: z.string().max(4000).default('') });
const reasonBody = z.object({ reason: z.string({ error: 'reason is required' }).max(4000) });
const editBody = z
  .object({
    title: z.string().min(1).max(2000).optional(),
    deadline: z.string().min(1).max(200).optional(),
    reason: z.string({ error: 'reason is required' }).max(4000),
  })
  .refine((b) => b.title !== undefined || b.deadline !== undefined, 'send title, deadline or both');

const reassignBody = z.object({
  leadAgencyId: z.string({ error: 'leadAgencyId is required' }).min(1).max(100),
  coordinatorAgencyIds: z.array(z.string().min(1).max(100)).max(50).default([]),
});

/** The lifecycle's named moves: path -> the status it moves to, and the body field that says why. */
const MOVES = {
  submit: { to: 'submitted', body: textBody, note: (b: { text?: string }) => b.text ?? '' },
  confirm: { to: 'completed', body: decisionNote, note: (b: { note?: string }) => b.note ?? '' },
  return: { to: 'returned', body: reasonBody, note: (b: { reason?: string }) => b.reason ?? '' },
  decline: { to: 'declined', body: reasonBody, note: (b: { reason?: string }) => b.reason ?? '' },
  pause: { to: 'paused', body: reasonBody, note: (b: { reason?: string }) => b.reason ?? '' },
  cancel: { to: 'cancelled', body: reasonBody, note: (b: { reason?: string }) => b.reason ?? '' },
  start: { to: 'in_progress', body: decisionNote, note: (b: { note?: string }) => b.note ?? '' },
} as const;
const rejectionBody = z.object({ reason: z.string({ error: 'reason is required' }).max(4000) });
const linkBody = z.object({ parentTaskId: z.string({ error: 'parentTaskId is required' }).max(100) });
const verifyQuery = z.object({ taskId: z.string().max(100).optional() });
/** What the named moves take, together (each move reads its own field: MOVES), for the API's documentation. */
const moveBody = z.object({ ...textBody.shape, ...decisionNote.shape, ...reasonBody.partial().shape });

/** Commands that add to a task rather than overwrite it take If-Match when the client has one. */
/** Years 1 to 9999, what ISO 8601 and PostgreSQL's timestamps both hold (asOf=-010000-01-01T00:00:00Z was a 500). */
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');
const instant = (name: string) =>
  z
    .string()
    .max(64)
    .refine((v) => Date.parse(v) >= FIRST_INSTANT && Date.parse(v) <= LAST_INSTANT, `${name} must be an ISO date-time in the years 1 to 9999`)
    .transform((v) => new Date(v));
const asOfQuery = z.object({ asOf: instant('asOf').optional() });

const day = (name: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, `${name} is a date, YYYY-MM-DD`);
const list = <T extends string>(values: readonly T[], name: string) =>
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine((v) => v.every((x) => (values as readonly string[]).includes(x)), `${name}: one or more of ${values.join(', ')}`)
    .transform((v) => v as T[]);
const TIMELINESS = ['on_time', 'due_soon', 'overdue', 'completed_on_time', 'completed_late', 'no_deadline'] as const;

const pageQuery = z.object({
  // Up to 1,000: the web app draws a plan's whole appendix (hundreds of tasks) from one call.
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(200).optional(),
  asOf: instant('asOf').optional(),
  // Filters and sorting (tasks as listed now): lead agency, coordinating agency, status, timeliness,
  // supervising leader, due date range.
  agency: z.string().max(100).optional(),
  coordinator: z.string().max(100).optional(),
  status: list(TASK_STATUSES, 'status').optional(),
  timeliness: list(TIMELINESS, 'timeliness').optional(),
  supervisor: z.string().max(200).optional(),
  dueBefore: day('dueBefore').optional(),
  dueAfter: day('dueAfter').optional(),
  sort: z.enum(['position', 'due', '-due', 'status']).optional(),
});

const countsQuery = z.object({
  by: z.enum(['agency', 'supervisor']).default('agency'),
  /** After agencies merged: `current` counts their tasks under the successor, `former` as they were split before. */
  agencies: z.enum(['current', 'former']).default('current'),
});

const diffQuery = z.object({ from: instant('from'), to: instant('to') });

/** Paging by offset, for lists computed in memory (as of an instant, filtered, sorted); opaque to clients. */
const offsetCursor = {
  encode: (offset: number) => Buffer.from(`a:${offset}`).toString('base64url'),
  decode: (cursor: string | undefined): number => {
    if (cursor === undefined) return 0;
    const match = /^a:(\d{1,7})$/.exec(Buffer.from(cursor, 'base64url').toString());
    if (!match) throw new ValidationError('The cursor is not one this API gave out', 'cursor-invalid');
    return Number(match[1]);
  },
};

const parse = parseInput;

@Controller('api/v1')
export class PlansHttpController {
  constructor(
    @Inject(PLANS_SERVICE) private readonly plans: PlansService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DIRECTORY_SERVICE) private readonly directory: DirectoryService,
  ) {}

  @Doc({ summary: "The plans and directives of the caller's city" })
  @Requires('plans.read')
  @Get('plans')
  async listPlans(@CurrentActor() actor: RequestActor) {
    return { items: await this.plans.listPlans(actor) };
  }

  @Doc({ summary: 'One plan, with the documents it implements and those implementing it' })
  @Requires('plans.read')
  @Get('plans/:planId')
  getPlan(@CurrentActor() actor: RequestActor, @Param('planId') planId: string) {
    return this.plans.getPlan(planId, actor);
  }

  @Doc({ summary: "The plan's tasks in document order: filtered, sorted, paged, or as they were at an instant", query: pageQuery })
  @Requires('plans.read')
  @Get('plans/:planId/tasks')
  async listTasks(@CurrentActor() actor: RequestActor, @Param('planId') planId: string, @Query() query: unknown) {
    const page = parse(pageQuery, query);
    if (page.asOf !== undefined) return this.listTasksAsOf(actor, planId, page.asOf, page.limit, page.cursor);
    const filtered = [page.agency, page.coordinator, page.status, page.timeliness, page.supervisor, page.dueBefore, page.dueAfter, page.sort].some(
      (v) => v !== undefined,
    );
    if (filtered) return this.listTasksFiltered(actor, planId, page);
    const { items, next } = await this.plans.listTasks(planId, actor, { limit: page.limit, cursor: page.cursor ?? null });
    const now = this.clock.now();
    return {
      items: items.map((t) => listedTask(t, timelinessOf(t, now, dueSoonDaysOf(actor.cityId)))),
      next,
    };
  }

  /** The plan's tasks as they were at `asOf`, computed from the log; statuses judged at that instant. */
  private async listTasksAsOf(actor: RequestActor, planId: string, asOf: Date, limit: number, cursor: string | undefined) {
    const offset = offsetCursor.decode(cursor);
    const { tasks } = await this.plans.planAsOf(planId, actor, asOf);
    const page = tasks.slice(offset, offset + limit);
    return {
      asOf: asOf.toISOString(),
      items: page.map(({ task, version }) =>
        listedTask(
          { ...task, id: task.taskId, adjustedAt: task.adjusted?.at ?? null, version: version.toString() },
          timelinessOf(task, asOf, dueSoonDaysOf(actor.cityId)),
        ),
      ),
      next: offset + limit < tasks.length ? offsetCursor.encode(offset + limit) : null,
    };
  }

  /** Filters and sorts in memory: a plan holds hundreds of tasks, and timeliness is derived at the instant of the request. */
  private async listTasksFiltered(actor: RequestActor, planId: string, page: z.output<typeof pageQuery>) {
    const now = this.clock.now();
    const dueSoon = dueSoonDaysOf(actor.cityId);
    const leaders = await this.directory.leaderNames(actor.cityId);
    const person = page.supervisor === undefined ? undefined : personNamed(page.supervisor, leaders);
    const rows = (await this.plans.allTasks(planId, actor))
      .map((t) => ({ row: t, timeliness: timelinessOf(t, now, dueSoon) }))
      .filter(
        ({ row, timeliness }) =>
          (page.agency === undefined || row.lead?.agencyId === page.agency) &&
          (page.coordinator === undefined || row.coordinators.some((c) => c.agencyId === page.coordinator)) &&
          (page.status === undefined || page.status.includes(row.status)) &&
          (page.timeliness === undefined || page.timeliness.includes(timeliness)) &&
          (person === undefined || (row.supervisor !== null && personNamed(row.supervisor, leaders) === person)) &&
          (page.dueBefore === undefined || (row.deadline.due !== null && row.deadline.due <= page.dueBefore)) &&
          (page.dueAfter === undefined || (row.deadline.due !== null && row.deadline.due >= page.dueAfter)),
      );
    const dueOf = (r: (typeof rows)[number]) => r.row.deadline.due ?? '9999-12-31';
    if (page.sort === 'due') rows.sort((a, b) => dueOf(a).localeCompare(dueOf(b)));
    if (page.sort === '-due') rows.sort((a, b) => dueOf(b).localeCompare(dueOf(a)));
    if (page.sort === 'status') rows.sort((a, b) => TASK_STATUSES.indexOf(a.row.status) - TASK_STATUSES.indexOf(b.row.status));
    const offset = offsetCursor.decode(page.cursor);
    return {
      total: rows.length,
      items: rows.slice(offset, offset + page.limit).map(({ row, timeliness }) => listedTask(row, timeliness)),
      next: offset + page.limit < rows.length ? offsetCursor.encode(offset + page.limit) : null,
    };
  }

  /**
   * The monitoring report's counts per lead agency or per supervising leader: đã giao, đến hạn,
   * hoàn thành đúng hạn, hoàn thành quá hạn, chưa hoàn thành trong hạn, chưa hoàn thành quá hạn.
   */
  @Doc({ summary: 'Task counts per lead agency or per supervising leader, as the report counts them', query: countsQuery })
  @Requires('plans.read')
  @Get('plans/:planId/counts')
  async counts(@CurrentActor() actor: RequestActor, @Param('planId') planId: string, @Query() query: unknown) {
    const { by, agencies } = parse(countsQuery, query);
    const now = this.clock.now();
    const dueSoon = dueSoonDaysOf(actor.cityId);
    const leaders = await this.directory.leaderNames(actor.cityId);
    const groups = new Map<string, { key: string | null; name: string; counts: TaskCounts }>();
    let total = emptyCounts();
    for (const task of await this.plans.allTasks(planId, actor)) {
      const lead = agencies === 'former' ? (task.formerLead ?? task.lead) : task.lead;
      const [key, name] =
        by === 'agency'
          ? [lead?.agencyId ?? null, lead?.name ?? 'Chưa có cơ quan chủ trì']
          : task.supervisor
            ? [personNamed(task.supervisor, leaders), personNamed(task.supervisor, leaders)]
            : [null, 'Chưa có lãnh đạo phụ trách'];
      const group = groups.get(`${key}|${name}`) ?? { key, name, counts: emptyCounts() };
      group.counts = countTask(group.counts, task, now, dueSoon);
      groups.set(`${key}|${name}`, group);
      total = countTask(total, task, now, dueSoon);
    }
    return {
      by,
      agencies,
      at: now.toISOString(),
      rows: [...groups.values()]
        .sort((a, b) => b.counts.assigned - a.counts.assigned || a.name.localeCompare(b.name, 'vi'))
        .map((g) => ({ key: g.key, name: g.name, ...g.counts })),
      total,
    };
  }

  @Doc({ summary: 'What changed in the plan between two instants, task by task', query: diffQuery })
  @Requires('plans.read')
  @Get('plans/:planId/diff')
  diff(@CurrentActor() actor: RequestActor, @Param('planId') planId: string, @Query() query: unknown) {
    const { from, to } = parse(diffQuery, query);
    return this.plans.planDiff(planId, actor, from, to);
  }

  @Doc({ summary: "One task (as it was at asOf), its version as ETag, and the lower plans' tasks that carry it out", query: asOfQuery })
  @Requires('plans.read')
  @Get('tasks/:taskId')
  async getTask(@CurrentActor() actor: RequestActor, @Param('taskId') taskId: string, @Query() query: unknown, @Res({ passthrough: true }) res: Response) {
    const { asOf: at } = parse(asOfQuery, query);
    const { task, version } = await this.plans.getTask(taskId, actor, at);
    res.setHeader('ETag', etag(version));
    const now = at ?? this.clock.now();
    const view = taskView(task, version, now, dueSoonDaysOf(actor.cityId));
    if (at) return view; // the roll-up is of the tasks as listed now
    // Roll-up: the tasks of lower plans that carry this one out, and how they stand.
    const children = await this.plans.childTasks(taskId, actor);
    const byStatus: Partial<Record<TaskStatus, number>> = {};
    for (const child of children) byStatus[child.status] = (byStatus[child.status] ?? 0) + 1;
    return {
      ...view,
      rollUp: {
        byStatus,
        children: children.map((c) => ({
          id: c.id,
          planId: c.planId,
          planNumber: c.planNumber,
          ref: c.ref,
          title: c.title,
          lead: c.lead ? { agencyId: c.lead.agencyId, name: c.lead.name } : null,
          status: statusView(c.status, timelinessOf(c, now, dueSoonDaysOf(actor.cityId))),
        })),
      },
    };
  }

  /** Cascade: this task carries out `parentTaskId` (a task of a higher plan of the same city). */
  @Doc({ summary: 'Cascade: this task carries out a task of a higher plan of the city', body: linkBody })
  @Requires('tasks.act')
  @Post('tasks/:taskId/link')
  @HttpCode(200)
  async linkTask(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('taskId') taskId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parse(linkBody, body);
    const { task, version } = await this.plans.linkTask(taskId, input.parentTaskId, actor, { expectedVersion: optionalIfMatch(ifMatch), ...origin });
    res.setHeader('ETag', etag(version));
    return taskView(task, version, this.clock.now(), dueSoonDaysOf(actor.cityId));
  }

  @Doc({ summary: 'Moves the task to a status (who may make which move follows the lifecycle); If-Match required', body: statusBody })
  @Requires('tasks.act')
  @Post('tasks/:taskId/status')
  @HttpCode(200)
  async changeStatus(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('taskId') taskId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parse(statusBody, body);
    if (!isTaskStatus(input.status)) {
      throw new ValidationError(`Unknown status "${input.status}"; one of ${TASK_STATUSES.join(', ')}`, 'unknown-status');
    }
    const expectedVersion = parseIfMatch(ifMatch);
    const { task, version } = await this.plans.changeTaskStatus(taskId, { to: input.status, note: input.note }, actor, {
      expectedVersion,
      ...origin,
    });
    res.setHeader('ETag', etag(version));
    return taskView(task, version, this.clock.now(), dueSoonDaysOf(actor.cityId));
  }

  /** Back to the status the task was paused from. */
  @Doc({ summary: 'Resumes a paused task where it was; If-Match required' })
  @Requires('tasks.act')
  @Post('tasks/:taskId/resume')
  @HttpCode(200)
  async resume(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('taskId') taskId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const expectedVersion = parseIfMatch(ifMatch);
    const current = await this.plans.getTask(taskId, actor);
    if (current.task.status !== 'paused' || !current.task.pausedFrom) {
      throw new IllegalStateError(`Only a paused task resumes; this one is ${current.task.status}`, 'task-not-paused');
    }
    const { task, version } = await this.plans.changeTaskStatus(taskId, { to: current.task.pausedFrom, note: '' }, actor, { expectedVersion, ...origin });
    res.setHeader('ETag', etag(version));
    return taskView(task, version, this.clock.now(), dueSoonDaysOf(actor.cityId));
  }

  /**
   * The owner's edit of a task (đã điều chỉnh): a new title and/or a deadline written as documents
   * write them ("Quý II/2025", "trước ngày 30/6/2025"), with the reason.
   */
  @Doc({ summary: "The owner's edit (đã điều chỉnh): title and/or deadline with the reason; If-Match required", body: editBody })
  @Requires('tasks.act')
  @Patch('tasks/:taskId')
  async editTask(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('taskId') taskId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parse(editBody, body);
    const expectedVersion = parseIfMatch(ifMatch);
    let deadline: DeadlineSpec | undefined;
    if (input.deadline !== undefined) {
      deadline = parseDeadline(input.deadline, { issuedOn: this.clock.now().toISOString().slice(0, 10) });
      if (deadline.kind === 'unspecified') {
        throw new ValidationError(
          `"${input.deadline}" is not a deadline the platform can read (e.g. "Quý II/2025", "trước ngày 30/6/2025")`,
          'deadline-unreadable',
        );
      }
    }
    const { task, version } = await this.plans.actOnTask(
      taskId,
      { type: 'EditTask', data: { taskId, title: input.title, deadline, reason: input.reason } },
      actor,
      { expectedVersion, ...origin },
    );
    res.setHeader('ETag', etag(version));
    return taskView(task, version, this.clock.now(), dueSoonDaysOf(actor.cityId));
  }

  /** Gives the task to another lead agency (and coordinators), by their ids in the city's directory. */
  @Doc({ summary: 'Gives the task to another lead agency and coordinators; If-Match required', body: reassignBody })
  @Requires('tasks.act')
  @Post('tasks/:taskId/reassign')
  @HttpCode(200)
  async reassign(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('taskId') taskId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parse(reassignBody, body);
    const directory = await this.directory.agencies(actor.cityId);
    const refOf = (id: string): AgencyRef => {
      const agency = directory.find((a) => a.id === id);
      if (!agency) throw new ValidationError(`Agency "${id}" is not in the directory of ${actor.cityId}`, 'agency-unknown');
      return { agencyId: agency.id, name: agency.name, text: agency.name, resolution: 'resolved' };
    };
    const { task, version } = await this.plans.actOnTask(
      taskId,
      { type: 'AssignTask', data: { taskId, lead: refOf(input.leadAgencyId), coordinators: input.coordinatorAgencyIds.map(refOf) } },
      actor,
      { expectedVersion: parseIfMatch(ifMatch), ...origin },
    );
    res.setHeader('ETag', etag(version));
    return taskView(task, version, this.clock.now(), dueSoonDaysOf(actor.cityId));
  }

  @Doc({ summary: 'Reports progress (percent, text, attachments); If-Match optional', body: progressBody })
  @Requires('tasks.act')
  @Post('tasks/:taskId/progress')
  @HttpCode(200)
  async reportProgress(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('taskId') taskId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parse(progressBody, body);
    const { task, version } = await this.plans.actOnTask(taskId, { type: 'ReportProgress', data: { taskId, ...input } }, actor, {
      expectedVersion: optionalIfMatch(ifMatch),
      ...origin,
    });
    res.setHeader('ETag', etag(version));
    return taskView(task, version, this.clock.now(), dueSoonDaysOf(actor.cityId));
  }

  @Doc({ summary: 'The lead agency asks for more time', body: extensionBody })
  @Requires('tasks.act')
  @Post('tasks/:taskId/extension-requests')
  @HttpCode(201)
  async requestExtension(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('taskId') taskId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parse(extensionBody, body);
    const requestId = randomUUID();
    const { version } = await this.plans.actOnTask(taskId, { type: 'RequestExtension', data: { taskId, requestId, ...input } }, actor, {
      expectedVersion: optionalIfMatch(ifMatch),
      ...origin,
    });
    res.setHeader('ETag', etag(version));
    res.setHeader('Location', `/api/v1/tasks/${taskId}/extension-requests/${requestId}`);
    return { id: requestId, status: 'pending', until: input.until };
  }

  @Doc({ summary: 'Grants an extension: the deadline moves (an event)', body: decisionNote })
  @Requires('tasks.act')
  @Post('tasks/:taskId/extension-requests/:requestId/approve')
  @HttpCode(200)
  async approveExtension(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('taskId') taskId: string,
    @Param('requestId') requestId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parse(decisionNote, body);
    const { task, version } = await this.plans.actOnTask(taskId, { type: 'ApproveExtension', data: { taskId, requestId, note: input.note } }, actor, {
      expectedVersion: optionalIfMatch(ifMatch),
      ...origin,
    });
    res.setHeader('ETag', etag(version));
    return taskView(task, version, this.clock.now(), dueSoonDaysOf(actor.cityId));
  }

  @Doc({ summary: 'Refuses an extension, saying why', body: rejectionBody })
  @Requires('tasks.act')
  @Post('tasks/:taskId/extension-requests/:requestId/reject')
  @HttpCode(200)
  async rejectExtension(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('taskId') taskId: string,
    @Param('requestId') requestId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parse(rejectionBody, body);
    const { task, version } = await this.plans.actOnTask(taskId, { type: 'RejectExtension', data: { taskId, requestId, reason: input.reason } }, actor, {
      expectedVersion: optionalIfMatch(ifMatch),
      ...origin,
    });
    res.setHeader('ETag', etag(version));
    return taskView(task, version, this.clock.now(), dueSoonDaysOf(actor.cityId));
  }

  @Doc({ summary: "Recomputes the city's hash chains (or one task's) and names the first broken link", query: verifyQuery })
  @Requires('audit.verify')
  @Get('audit/verify')
  verify(@CurrentActor() actor: RequestActor, @Query() query: unknown) {
    return this.plans.verifyLog(actor, parse(verifyQuery, query).taskId);
  }

  @Doc({ summary: 'Every event of the task, oldest first, with actor, reason, correlation id and hash' })
  @Requires('plans.read')
  @Get('tasks/:taskId/history')
  async history(@CurrentActor() actor: RequestActor, @Param('taskId') taskId: string) {
    const events = await this.plans.taskHistory(taskId, actor);
    return { items: events.map(historyItem) };
  }

  /**
   * The lifecycle's named moves: submit, confirm, return, decline, pause, cancel, start. Declared last
   * so that the task's other POST routes (status, progress, resume, reassign, link…) match first.
   */
  @Doc({
    summary: 'A named move of the lifecycle: submit {text}, confirm {note}, return/decline/pause/cancel {reason}, start {note}; If-Match required',
    body: moveBody,
  })
  @Requires('tasks.act')
  @Post('tasks/:taskId/:move')
  @HttpCode(200)
  async move(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('taskId') taskId: string,
    @Param('move') move: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!Object.hasOwn(MOVES, move))
      throw new HttpProblem(404, 'route-not-found', `POST /api/v1/tasks/{id}/${move} is not a move; one of ${Object.keys(MOVES).join(', ')}`);
    const spec = MOVES[move as keyof typeof MOVES];
    const input = parse(spec.body as z.ZodType<Record<string, string>>, body);
    const { task, version } = await this.plans.changeTaskStatus(taskId, { to: spec.to, note: spec.note(input) }, actor, {
      expectedVersion: parseIfMatch(ifMatch),
      ...origin,
    });
    res.setHeader('ETag', etag(version));
    return taskView(task, version, this.clock.now(), dueSoonDaysOf(actor.cityId));
  }
}

const statusView = (code: TaskStatus, timeliness: ReturnType<typeof timelinessOf>) => ({
  code,
  label: statusLabel(code, timeliness),
  timeliness,
});

/** A task as lists show it, now or as of an instant. */
const listedTask = (
  t: Pick<TaskListRow, 'id' | 'ref' | 'title' | 'group' | 'lead' | 'coordinators' | 'deadline' | 'supervisor' | 'status' | 'adjustedAt' | 'version'>,
  timeliness: ReturnType<typeof timelinessOf>,
) => ({
  id: t.id,
  ref: t.ref,
  title: t.title,
  group: t.group,
  lead: t.lead ? { agencyId: t.lead.agencyId, name: t.lead.name } : null,
  coordinators: t.coordinators.map((c) => ({ agencyId: c.agencyId, name: c.name })),
  deadline: { text: t.deadline.text, kind: t.deadline.kind, due: t.deadline.due },
  supervisor: t.supervisor,
  status: statusView(t.status, timeliness),
  adjusted: t.adjustedAt ? { at: t.adjustedAt, label: ADJUSTED_LABEL } : null,
  version: Number(t.version),
});

const taskView = (task: IssuedTask, version: bigint, now: Date, dueSoonDays: number | undefined) => ({
  id: task.taskId,
  planId: task.planId,
  planNumber: task.planNumber,
  ref: task.ref,
  title: task.title,
  group: task.group,
  lead: task.lead ? { agencyId: task.lead.agencyId, name: task.lead.name, text: task.lead.text, resolution: task.lead.resolution } : null,
  coordinators: task.coordinators.map((c) => ({ agencyId: c.agencyId, name: c.name, text: c.text, resolution: c.resolution })),
  deliverable: task.deliverable,
  deadline: task.deadline,
  supervisor: task.supervisor,
  note: task.note,
  status: statusView(task.status, timelinessOf(task, now, dueSoonDays)),
  completedAt: task.completedAt,
  progress: task.progress,
  extensions: task.extensions,
  withdrawnAt: task.withdrawnAt,
  pausedFrom: task.pausedFrom,
  parentTaskId: task.parentTaskId,
  adjusted: task.adjusted ? { ...task.adjusted, label: ADJUSTED_LABEL } : null,
  version: Number(version),
});

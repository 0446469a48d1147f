import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ValidationError } from '@mandate/kernel';
import { CorrelationId, CurrentActor, etag, parseIfMatch, type RequestActor } from '@mandate/http';
import { PlansService, type StoredEventView } from '@mandate/plans-app';
import { TASK_STATUSES, isTaskStatus, statusLabel, timelinessOf, type IssuedTask, type TaskStatus } from '@mandate/plans-domain';
import { Clock } from '@mandate/kernel';
import type { Response } from 'express';
import { z } from 'zod';
import { CLOCK, PLANS_SERVICE } from './tokens';

const statusBody = z.object({
  status: z.string({ error: 'status is required' }),
  note: z.string().max(4000).default(''),
});

const progressBody = z.object({
  percent: z.number({ error: 'percent is a whole number from 0 to 100' }).int().min(0).max(100),
  text: z.string({ error: 'text is required' }).max(4000),
  attachments: z
    .array(z.object({ name: z.string().min(1).max(255), contentType: z.string().min(1).max(255), size: z.number().int().min(0), url: z.string().url().max(2000).nullable().default(null) }))
    .max(20)
    .default([]),
});

const extensionBody = z.object({
  until: z.string({ error: 'until is required (YYYY-MM-DD)' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'until is a date, YYYY-MM-DD'),
  reason: z.string({ error: 'reason is required' }).max(4000),
});
const decisionNote = z.object({ note: z.string().max(4000).default('') });
const rejectionBody = z.object({ reason: z.string({ error: 'reason is required' }).max(4000) });

/** Commands that add to a task rather than overwrite it take If-Match when the client has one. */
const optionalIfMatch = (header: string | undefined): bigint | undefined => (header === undefined ? undefined : parseIfMatch(header));

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new ValidationError(result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), 'invalid-request');
  }
  return result.data;
};

@Controller('api/v1')
export class PlansHttpController {
  constructor(
    @Inject(PLANS_SERVICE) private readonly plans: PlansService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('plans')
  async listPlans(@CurrentActor() actor: RequestActor) {
    return { items: await this.plans.listPlans(actor) };
  }

  @Get('plans/:planId')
  getPlan(@CurrentActor() actor: RequestActor, @Param('planId') planId: string) {
    return this.plans.getPlan(planId, actor);
  }

  @Get('plans/:planId/tasks')
  async listTasks(@CurrentActor() actor: RequestActor, @Param('planId') planId: string, @Query() query: unknown) {
    const page = parse(pageQuery, query);
    const { items, next } = await this.plans.listTasks(planId, actor, { limit: page.limit, cursor: page.cursor ?? null });
    const now = this.clock.now();
    return {
      items: items.map((t) => ({
        id: t.id,
        ref: t.ref,
        title: t.title,
        group: t.group,
        lead: t.lead ? { agencyId: t.lead.agencyId, name: t.lead.name } : null,
        coordinators: t.coordinators.map((c) => ({ agencyId: c.agencyId, name: c.name })),
        deadline: { text: t.deadline.text, kind: t.deadline.kind, due: t.deadline.due },
        status: statusView(t.status, timelinessOf(t, now)),
        version: Number(t.version),
      })),
      next,
    };
  }

  @Get('tasks/:taskId')
  async getTask(@CurrentActor() actor: RequestActor, @Param('taskId') taskId: string, @Query('asOf') asOf: string | undefined, @Res({ passthrough: true }) res: Response) {
    const at = asOf === undefined ? undefined : new Date(asOf);
    if (at && Number.isNaN(at.getTime())) throw new ValidationError('asOf must be an ISO date-time', 'invalid-as-of');
    const { task, version } = await this.plans.getTask(taskId, actor, at);
    res.setHeader('ETag', etag(version));
    return taskView(task, version, at ?? this.clock.now());
  }

  @Post('tasks/:taskId/status')
  @HttpCode(200)
  async changeStatus(
    @CurrentActor() actor: RequestActor,
    @CorrelationId() correlationId: string,
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
      correlationId,
    });
    res.setHeader('ETag', etag(version));
    return taskView(task, version, this.clock.now());
  }

  @Post('tasks/:taskId/progress')
  @HttpCode(200)
  async reportProgress(
    @CurrentActor() actor: RequestActor,
    @CorrelationId() correlationId: string,
    @Param('taskId') taskId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parse(progressBody, body);
    const { task, version } = await this.plans.actOnTask(taskId, { type: 'ReportProgress', data: { taskId, ...input } }, actor, {
      expectedVersion: optionalIfMatch(ifMatch),
      correlationId,
    });
    res.setHeader('ETag', etag(version));
    return taskView(task, version, this.clock.now());
  }

  @Post('tasks/:taskId/extension-requests')
  @HttpCode(201)
  async requestExtension(
    @CurrentActor() actor: RequestActor,
    @CorrelationId() correlationId: string,
    @Param('taskId') taskId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parse(extensionBody, body);
    const requestId = randomUUID();
    const { version } = await this.plans.actOnTask(taskId, { type: 'RequestExtension', data: { taskId, requestId, ...input } }, actor, {
      expectedVersion: optionalIfMatch(ifMatch),
      correlationId,
    });
    res.setHeader('ETag', etag(version));
    res.setHeader('Location', `/api/v1/tasks/${taskId}/extension-requests/${requestId}`);
    return { id: requestId, status: 'pending', until: input.until };
  }

  @Post('tasks/:taskId/extension-requests/:requestId/approve')
  @HttpCode(200)
  async approveExtension(
    @CurrentActor() actor: RequestActor,
    @CorrelationId() correlationId: string,
    @Param('taskId') taskId: string,
    @Param('requestId') requestId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parse(decisionNote, body);
    const { task, version } = await this.plans.actOnTask(taskId, { type: 'ApproveExtension', data: { taskId, requestId, note: input.note } }, actor, {
      expectedVersion: optionalIfMatch(ifMatch),
      correlationId,
    });
    res.setHeader('ETag', etag(version));
    return taskView(task, version, this.clock.now());
  }

  @Post('tasks/:taskId/extension-requests/:requestId/reject')
  @HttpCode(200)
  async rejectExtension(
    @CurrentActor() actor: RequestActor,
    @CorrelationId() correlationId: string,
    @Param('taskId') taskId: string,
    @Param('requestId') requestId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parse(rejectionBody, body);
    const { task, version } = await this.plans.actOnTask(taskId, { type: 'RejectExtension', data: { taskId, requestId, reason: input.reason } }, actor, {
      expectedVersion: optionalIfMatch(ifMatch),
      correlationId,
    });
    res.setHeader('ETag', etag(version));
    return taskView(task, version, this.clock.now());
  }

  @Get('audit/verify')
  verify(@CurrentActor() actor: RequestActor, @Query('taskId') taskId: string | undefined) {
    return this.plans.verifyLog(actor, taskId);
  }

  @Get('tasks/:taskId/history')
  async history(@CurrentActor() actor: RequestActor, @Param('taskId') taskId: string) {
    const events = await this.plans.taskHistory(taskId, actor);
    return { items: events.map(historyItem) };
  }
}

const statusView = (code: TaskStatus, timeliness: ReturnType<typeof timelinessOf>) => ({
  code,
  label: statusLabel(code, timeliness),
  timeliness,
});

const taskView = (task: IssuedTask, version: bigint, now: Date) => ({
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
  status: statusView(task.status, timelinessOf(task, now)),
  completedAt: task.completedAt,
  progress: task.progress,
  extensions: task.extensions,
  withdrawnAt: task.withdrawnAt,
  version: Number(version),
});

const historyItem = (e: StoredEventView) => ({
  position: Number(e.globalPosition),
  version: Number(e.streamVersion),
  type: e.type,
  schemaVersion: e.schemaVersion,
  eventId: e.id,
  occurredAt: e.metadata.occurredAt,
  recordedAt: e.recordedAt.toISOString(),
  actor: { userId: e.metadata.actorId, role: e.metadata.role, agencyId: e.metadata.agencyId },
  correlationId: e.metadata.correlationId,
  data: e.data,
  hash: e.hash,
});

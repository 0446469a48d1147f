import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { daysBetween, NotFoundError, ValidationError, type Clock } from '@mandate/kernel';
import { CurrentActor, Doc, parseInput, type RequestActor, Requires } from '@mandate/http';
import {
  anchorView,
  dayEnd,
  dayStart,
  decodeCheckpoint,
  isAuditDay,
  serializeAuditExport,
  signAuditExport,
  type AuditSigningKey,
  type PostgresEventStore,
  type StoredEvent,
} from '@mandate/event-store';
import { planStream, taskStream } from '@mandate/plans-app';
import { PLAN_EVENT_TYPES, TASK_EVENT_TYPES } from '@mandate/plans-domain';
import type { Response } from 'express';
import { z } from 'zod';
import { CLOCK } from './tokens';

/** What the audit routes need of the host: the plans log and the deployment's export signing key. */
export type AuditLog = { store: PostgresEventStore; signingKey: () => AuditSigningKey };
export const AUDIT_LOG = Symbol('AUDIT_LOG');

const EVENT_TYPES = [...PLAN_EVENT_TYPES, ...TASK_EVENT_TYPES] as string[];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The longest export one request may ask for; the CLI exports any range. */
const MAX_EXPORT_DAYS = 366;

const day = (name: string) => z.string().refine(isAuditDay, `${name} is a date, YYYY-MM-DD`);

/** An instant, or a day (Vietnam time): from its start for `from`, through its end for `to`. */
const bound = (name: string, edge: 'start' | 'end') =>
  z.string().transform((value, ctx) => {
    if (isAuditDay(value)) return edge === 'start' ? dayStart(value) : dayEnd(value);
    const instant = /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(instant.getTime())) {
      ctx.addIssue({ code: 'custom', message: `${name} is an ISO date-time or a date (YYYY-MM-DD)` });
      return z.NEVER;
    }
    return instant;
  });

const searchQuery = z.object({
  actor: z.string().min(1).max(200).optional(),
  correlationId: z.string().min(1).max(200).optional(),
  from: bound('from', 'start').optional(),
  to: bound('to', 'end').optional(),
  types: z
    .string()
    .max(2000)
    .transform((text) =>
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(EVENT_TYPES as [string, ...string[]])).min(1))
    .optional(),
  streamId: z.string().min(1).max(200).optional(),
  order: z.enum(['newest', 'oldest']).default('newest'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});

const exportQuery = z
  .object({ from: day('from'), to: day('to') })
  .refine((q) => q.from <= q.to, 'from is not after to')
  .refine((q) => daysBetween(q.from, q.to) < MAX_EXPORT_DAYS, `at most ${MAX_EXPORT_DAYS} days per request (the CLI exports any range)`);

const anchorsQuery = z.object({ from: day('from').optional(), to: day('to').optional() });

/** Search cursors carry their order, so a page of one order is never continued in the other. */
const searchCursor = {
  encode: (order: string, checkpoint: string) => Buffer.from(`e:${order}:${checkpoint}`).toString('base64url'),
  decode: (order: string, cursor: string | undefined): string | null => {
    if (cursor === undefined) return null;
    const match = /^e:(newest|oldest):(.+)$/.exec(Buffer.from(cursor, 'base64url').toString());
    if (!match || match[1] !== order) throw new ValidationError('The cursor is not one this API gave out for this order', 'cursor-invalid');
    decodeCheckpoint(match[2]);
    return match[2];
  },
};

/** Why, when the event says: a lifecycle move's note, a reason given for an edit, a withdrawal, a decision. */
const reasonOf = (data: Record<string, unknown>): string | null => {
  for (const key of ['reason', 'note']) {
    const value = data[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return null;
};

const auditItem = (e: StoredEvent) => ({
  position: Number(e.globalPosition),
  streamId: e.streamId,
  type: e.type,
  schemaVersion: e.schemaVersion,
  version: Number(e.streamVersion),
  eventId: e.id,
  recordedAt: e.recordedAt.toISOString(),
  occurredAt: e.metadata.occurredAt,
  actor: { userId: e.metadata.actorId, role: e.metadata.role, agencyId: e.metadata.agencyId },
  reason: reasonOf(e.data),
  correlationId: e.metadata.correlationId,
  causationId: e.metadata.causationId,
  data: e.data,
  hash: e.hash,
});

/**
 * The auditor's routes over the plans log, for the caller's city: search, a plan's whole history, the
 * daily anchors and the signed export. (`GET audit/verify` stays in PlansHttpController.)
 */
@Controller('api/v1/audit')
export class AuditHttpController {
  constructor(
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The city's events, newest first by default (`order=oldest`: log order), filtered, page by page. */
  @Doc({ summary: "Search the city's log: by actor, time range, event type or stream, with actor, role, agency, reason and correlation", query: searchQuery })
  @Requires('audit.read')
  @Get('events')
  async events(@CurrentActor() actor: RequestActor, @Query() query: unknown) {
    const q = parseInput(searchQuery, query);
    if (q.from && q.to && !(q.from < q.to)) throw new ValidationError('from must be before to', 'invalid-interval');
    const { events, next } = await this.audit.store.searchEvents({
      cityId: actor.cityId,
      actorId: q.actor,
      correlationId: q.correlationId,
      types: q.types,
      streamId: q.streamId,
      from: q.from,
      to: q.to,
      order: q.order,
      limit: q.limit,
      after: searchCursor.decode(q.order, q.cursor),
    });
    return { items: events.map(auditItem), next: next === null ? null : searchCursor.encode(q.order, next) };
  }

  /** Every event of the plan's stream and of every task it ever held (withdrawn ones too), in log order. */
  @Doc({ summary: 'Every event of a plan and its tasks, in log order' })
  @Requires('audit.read')
  @Get('plans/:planId/history')
  async planHistory(@CurrentActor() actor: RequestActor, @Param('planId') planId: string) {
    const plan = UUID.test(planId) ? (await this.audit.store.readStream(planStream(planId), { cityId: actor.cityId })).events : [];
    if (plan.length === 0) throw new NotFoundError(`Plan ${planId} not found`, 'plan-not-found');
    const taskIds = new Set<string>();
    for (const event of plan) {
      const tasks = event.data.tasks;
      if (Array.isArray(tasks)) for (const task of tasks as { taskId?: unknown }[]) if (typeof task.taskId === 'string') taskIds.add(task.taskId);
    }
    const streams = [planStream(planId), ...[...taskIds].map(taskStream)];
    const events = await this.audit.store.readStreams(streams, { cityId: actor.cityId });
    return { planId, streams: new Set(events.map((e) => e.streamId)).size, items: events.map(auditItem) };
  }

  /** The city's daily anchors (Merkle roots of each closed day's events), oldest first. */
  @Doc({ summary: "The city's daily Merkle anchors", query: anchorsQuery })
  @Requires('audit.verify')
  @Get('anchors')
  async anchors(@CurrentActor() actor: RequestActor, @Query() query: unknown) {
    const { from, to } = parseInput(anchorsQuery, query);
    return { items: (await this.audit.store.anchors(actor.cityId, { from, to })).map(anchorView) };
  }

  /**
   * The signed audit export of days [from, to] (`mandate-audit-export/1`), as the file
   * `mandate audit verify-export` checks: canonical JSON, byte for byte what was signed.
   */
  @Doc({ summary: 'A signed audit export of a date range (events, chains, anchors, Ed25519 signature), verifiable offline', query: exportQuery })
  @Requires('audit.verify')
  @Get('export')
  async export(@CurrentActor() actor: RequestActor, @Query() query: unknown, @Res({ passthrough: true }) res: Response): Promise<string> {
    const { from, to } = parseInput(exportQuery, query);
    const content = await this.audit.store.readAuditExport({ cityId: actor.cityId, from, to, generatedAt: this.clock.now() });
    const text = serializeAuditExport(signAuditExport(content, this.audit.signingKey()));
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="mandate-audit-${actor.cityId}-${from}-${to}.json"`);
    return text;
  }
}

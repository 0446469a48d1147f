import { Body, Controller, Get, Headers, HttpCode, Inject, Module, Param, Post, Put, Query, Res, type DynamicModule } from '@nestjs/common';
import type { Response } from 'express';
import { localDayOf, NotFoundError, PERIOD_KINDS, periodEnd, periodOfKey, periodsOf, systemClock, ValidationError, type Clock } from '@mandate/kernel';
import { renderCsv, renderDocx, renderPdf, renderXlsx } from '@mandate/documents';
import { consolidatePlan, dashboardOf, planFeedAt, planReportDocument } from '@mandate/reporting-domain';
import { subMonths, subWeeks } from 'date-fns';
import { Doc, CommandOrigin, CurrentActor, etag, HttpProblem, optionalIfMatch, parseInput, type RequestActor, Requires } from '@mandate/http';
import { PostgresEventStore } from '@mandate/event-store';
import { Inbox, PostgresLeaderLock, Relay, type Subscriber, type TopicSource } from '@mandate/messaging';
import { serveEvents, type ServedEvents } from '@mandate/service-host';
import { ReportingEventsModule } from './reporting.events';
import { PLANS_TOPIC, TASKS_TOPIC } from '@mandate/plans-contracts';
import {
  AgencyReports,
  agencyReportsMigration,
  agencyReportsOverdueMigration,
  PlanFeedStore,
  ReportingIntake,
  PlanSummaryProjection,
  planFeedMigration,
  planSummaryChangesMigration,
  planSummaryMigration,
  planSummaryUnnumberedMigration,
  ReportOverdueScheduler,
  reportingTopicSource,
  type AgencyReportRow,
} from '@mandate/reporting-app';
import { REPORT_STATUSES } from '@mandate/reporting-domain';
import { cities, cityOf, FairLimitBusyError, FairLimiter, openServiceDatabase, type Logger } from '@mandate/runtime';
import { z } from 'zod';

export const REPORTING_SCHEMA = 'reporting';
/** Its consumer group and the topics it reads. */
/**
 * One consumer group feeds the plan feed and, in the same transaction, the summary. It is not the
 * first group's name (`reporting`, summary only, retired): a deployment that predates the feed
 * fills it from the topics' start, and the summary's inbox keeps it from counting twice.
 */
export const REPORTING_CONSUMPTION = { group: 'reporting-feed', topics: [PLANS_TOPIC, TASKS_TOPIC] };
const SUMMARY = Symbol('PlanSummaryProjection');
const FEED = Symbol('PlanFeedStore');
const REPORTS = Symbol('AgencyReports');

const reportContent = z.object({
  summary: z.string().max(8000).default(''),
  tasks: z
    .array(
      z.object({
        taskId: z.string().max(64),
        progress: z.number().min(0).max(100).nullable().default(null),
        result: z.string().max(8000).default(''),
        difficulties: z.string().max(8000).default(''),
        proposals: z.string().max(8000).default(''),
      }),
    )
    .max(5000)
    .default([]),
  indicators: z
    .array(z.object({ indicator: z.string().max(1000), actual: z.string().max(200), note: z.string().max(2000).default('') }))
    .max(1000)
    .default([]),
});
const submitBody = z.object({ content: reportContent.optional() });
const acceptBody = z.object({ note: z.string().max(4000).default('') });
const returnBody = z.object({ reason: z.string().max(4000) });
const requestBody = z.object({ period: z.string().max(16) });
const overviewQuery = z.object({ asOf: z.iso.datetime({ offset: true }).optional() });
/**
 * Drawing up a report as XLSX, DOCX or PDF takes CPU: a few at a time for the process, cities taking
 * turns, and each city may have only so many waiting, so one city's deadline does not hold up the
 * others' (issue 20, fairness).
 */
const MAX_RENDERS_WAITING_PER_CITY = 4;
const REPORT_RENDERS = new FairLimiter(2, MAX_RENDERS_WAITING_PER_CITY);

const dashboardQuery = z.object({
  asOf: z.iso.datetime({ offset: true }).optional(),
  every: z.enum(['week', 'month', 'quarter']).default('month'),
  points: z.coerce.number().int().min(1).max(60).default(12),
  planId: z.string().max(64).optional(),
  agency: z.string().max(200).optional(),
  supervisor: z.string().max(200).optional(),
  /** After agencies merged: `current` counts their tasks under the successor, `former` as they were split before. */
  agencies: z.enum(['current', 'former']).default('current'),
});
const STEPS = {
  week: (d: Date, n: number) => subWeeks(d, n),
  month: (d: Date, n: number) => subMonths(d, n),
  quarter: (d: Date, n: number) => subMonths(d, 3 * n),
};

const reportsQuery = z.object({
  planId: z.string().max(64).optional(),
  period: z.string().max(16).optional(),
  agency: z.string().max(200).optional(),
  status: z.enum(REPORT_STATUSES).optional(),
});
const CLOCK = Symbol('Clock');

const periodsQuery = z.object({
  year: z.coerce.number().int().min(1900).max(2999).optional(),
  kind: z.enum(PERIOD_KINDS).optional(),
});

const REPORT_FORMATS = {
  json: null,
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
  docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' },
  pdf: { type: 'application/pdf', extension: 'pdf' },
  csv: { type: 'text/csv; charset=utf-8', extension: 'csv' },
} as const;

const reportQuery = z.object({
  period: z.string().max(16).optional(),
  asOf: z.iso.datetime({ offset: true }).optional(),
  format: z.enum(Object.keys(REPORT_FORMATS) as [keyof typeof REPORT_FORMATS]).default('json'),
  /** Which table a CSV holds: 0 the tasks, 1 per agency, 2 per leader, 3 the overdue tasks, 4 the indicators, 5 the agencies' difficulties and proposals */
  table: z.coerce.number().int().min(0).max(5).default(0),
});

@Controller('api/v1')
export class ReportingHttpController {
  constructor(
    @Inject(SUMMARY) private readonly summaries: PlanSummaryProjection,
    @Inject(FEED) private readonly feed: PlanFeedStore,
    @Inject(REPORTS) private readonly reports: AgencyReports,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The city's dashboard as of an instant (now by default): counts in total, by status and
   * timeliness, per plan, agency and leader, and a series of totals (`points` every `every`) for
   * trend charts. An agency officer sees its own agency's tasks.
   */
  @Doc({ summary: "The city's dashboard as of an instant: counts by status, timeliness, plan, agency, leader, and a series for trends", query: dashboardQuery })
  @Requires('reporting.read')
  @Get('reporting/dashboard')
  async dashboard(@CurrentActor() actor: RequestActor, @Query() query: unknown) {
    const input = parseInput(dashboardQuery, query);
    const asOf = input.asOf ? new Date(input.asOf) : this.clock.now();
    const seriesAt = Array.from({ length: input.points }, (_, i) => STEPS[input.every](asOf, input.points - 1 - i));
    // An officer sees the tasks its agency holds now, whichever split it asks for.
    const agencyId = actor.role === 'agency' ? (actor.agencyId ?? '') : input.agency;
    return dashboardOf(
      await this.feed.cityEvents(actor.cityId, asOf),
      asOf,
      seriesAt,
      { planId: input.planId, agencyId, supervisor: input.supervisor, agencies: actor.role === 'agency' ? 'current' : input.agencies },
      cityOf(actor.cityId)?.dueSoonDays,
    );
  }

  /**
   * The platform operator's view: per city the counts of plans, tasks (by status and timeliness, the
   * monitoring counts) and agency reports, as of an instant; no task, plan or report content.
   */
  @Doc({ summary: 'Per city, counts of plans, tasks and agency reports; no content', query: overviewQuery })
  @Requires('platform.overview')
  @Get('operator/overview')
  async operatorOverview(@CurrentActor() actor: RequestActor, @Query() query: unknown) {
    const { asOf: at } = parseInput(overviewQuery, query);
    const asOf = at ? new Date(at) : this.clock.now();
    const counts = await Promise.all(
      cities.all().map(async (city) => {
        const board = dashboardOf(await this.feed.cityEvents(city.id, asOf), asOf, [], {}, city.dueSoonDays);
        return {
          cityId: city.id,
          name: city.name,
          plans: board.byPlan.length,
          tasks: board.totals,
          byStatus: board.byStatus,
          byTimeliness: board.byTimeliness,
          agencyReports: await this.reports.countsOf(city.id),
        };
      }),
    );
    return { asOf: asOf.toISOString(), cities: counts };
  }

  /** The planning department asks every lead agency of the plan for its report of a period: once each. */
  @Doc({ summary: 'Asks every lead agency of the plan for its report of a period, once per agency and period', body: requestBody })
  @Requires('reporting.request')
  @Post('plans/:planId/report-requests')
  async requestReports(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('planId') planId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { period } = parseInput(requestBody, body);
    const result = await this.reports.requestForPlan(planId, period, actor, origin.correlationId);
    res.status(result.created > 0 ? 201 : 200);
    return result;
  }

  @Doc({ summary: 'Agency reports (an agency officer sees its own)', query: reportsQuery })
  @Requires('reporting.read')
  @Get('reporting/reports')
  async listReports(@CurrentActor() actor: RequestActor, @Query() query: unknown) {
    const filter = parseInput(reportsQuery, query);
    return { items: await this.reports.list(actor, { planId: filter.planId, period: filter.period, agencyId: filter.agency, status: filter.status }) };
  }

  @Doc({ summary: 'One agency report, its version as ETag' })
  @Requires('reporting.read')
  @Get('reporting/reports/:reportId')
  async getReport(@CurrentActor() actor: RequestActor, @Param('reportId') reportId: string, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.reports.get(reportId, actor));
  }

  @Doc({ summary: 'The events of one agency report' })
  @Requires('reporting.read')
  @Get('reporting/reports/:reportId/history')
  async reportHistory(@CurrentActor() actor: RequestActor, @Param('reportId') reportId: string) {
    const events = await this.reports.history(reportId, actor);
    return {
      items: events.map((e) => ({
        version: Number(e.streamVersion),
        type: e.type,
        occurredAt: e.metadata.occurredAt,
        actor: { userId: e.metadata.actorId, role: e.metadata.role, agencyId: e.metadata.agencyId },
        correlationId: e.metadata.correlationId,
        data: e.data,
        hash: e.hash,
      })),
    };
  }

  /** The agency's draft (lưu nháp): per task progress, result, difficulties, proposals; per indicator the actual value. */
  @Doc({ summary: "The agency's draft of its report; If-Match optional", body: reportContent })
  @Requires('reports.file')
  @Put('reporting/reports/:reportId')
  async saveDraft(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('reportId') reportId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const content = parseInput(reportContent, body);
    return withEtag(res, await this.reports.saveDraft(reportId, content, actor, { expectedVersion: optionalIfMatch(ifMatch), ...origin }));
  }

  @Doc({ summary: "The agency sends its report (late after the period's sending day)", body: submitBody })
  @Requires('reports.file')
  @Post('reporting/reports/:reportId/submit')
  @HttpCode(200)
  async submitReport(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('reportId') reportId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { content } = parseInput(submitBody, body);
    return withEtag(res, await this.reports.submit(reportId, content, actor, { expectedVersion: optionalIfMatch(ifMatch), ...origin }));
  }

  @Doc({ summary: 'The receiver accepts the report', body: acceptBody })
  @Requires('reports.review')
  @Post('reporting/reports/:reportId/accept')
  @HttpCode(200)
  async acceptReport(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('reportId') reportId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { note } = parseInput(acceptBody, body);
    return withEtag(res, await this.reports.accept(reportId, note, actor, { expectedVersion: optionalIfMatch(ifMatch), ...origin }));
  }

  @Doc({ summary: 'The receiver sends the report back, saying why', body: returnBody })
  @Requires('reports.review')
  @Post('reporting/reports/:reportId/return')
  @HttpCode(200)
  async returnReport(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('reportId') reportId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { reason } = parseInput(returnBody, body);
    return withEtag(res, await this.reports.return(reportId, reason, actor, { expectedVersion: optionalIfMatch(ifMatch), ...origin }));
  }

  /**
   * The consolidated report of a plan (báo cáo tổng hợp) as its tasks stood when a period's data were
   * cut off (`period=2024-Q1`), at an instant (`asOf`), or now: JSON, or the office formats.
   */
  @Doc({ summary: 'The consolidated report of a period (JSON, XLSX, DOCX, PDF or CSV)', query: reportQuery })
  @Requires('reporting.read')
  @Get('plans/:planId/report')
  async report(@CurrentActor() actor: RequestActor, @Param('planId') planId: string, @Query() query: unknown, @Res({ passthrough: true }) res: Response) {
    const input = parseInput(reportQuery, query);
    const settings = cityOf(actor.cityId)?.reporting ?? {};
    const period = input.period === undefined ? null : periodOfKey(input.period, settings);
    if (input.period !== undefined && !period)
      throw new ValidationError(`"${input.period}" names no reporting period (2024-Q1, 2024-M03, 2024-H1, 2024-9M, 2024-Y)`, 'period-unknown');
    const asOf = input.asOf ? new Date(input.asOf) : period ? periodEnd(period) : this.clock.now();
    // The plan's agency reports: those of the period, and earlier ones of the same kind for indicator trends.
    const all = period ? await this.reports.list(actor, { planId }) : [];
    const summary = (r: AgencyReportRow) => ({
      agencyId: r.agency.agencyId,
      agencyName: r.agency.name,
      status: r.status,
      late: r.late,
      submittedAt: r.submittedAt,
      content: r.content,
    });
    const current = all.filter((r) => r.period.key === period?.key).map(summary);
    const earlier = [
      ...new Set(all.filter((r) => period && periodOfKey(r.period.key)?.kind === period.kind && r.period.to < period.from).map((r) => r.period.key)),
    ]
      .sort()
      .map((key) => ({ period: key, reports: all.filter((r) => r.period.key === key).map(summary) }));
    // The city's other plans, for the roll-up of tasks that lower levels carry out.
    const linked = await Promise.all(
      (await this.feed.linkingPlans(actor.cityId, planId, asOf)).map(async (id) => planFeedAt(await this.feed.events(actor.cityId, id, asOf), asOf)),
    );
    const report = consolidatePlan(
      planFeedAt(await this.feed.events(actor.cityId, planId, asOf)),
      asOf,
      period,
      cityOf(actor.cityId)?.dueSoonDays,
      current,
      earlier,
      linked,
    );
    if (!report) throw new NotFoundError(`Plan ${planId} not found`, 'plan-not-found');
    const format = REPORT_FORMATS[input.format];
    if (!format) return report;
    const document = planReportDocument(report);
    const render = async () =>
      input.format === 'xlsx'
        ? await renderXlsx(document)
        : input.format === 'docx'
          ? await renderDocx(document)
          : input.format === 'pdf'
            ? await renderPdf(document)
            : renderCsv(document.tables[input.table]);
    const body = await REPORT_RENDERS.run(actor.cityId, render).catch((error: unknown) => {
      if (error instanceof FairLimitBusyError) {
        throw new HttpProblem(
          429,
          'export-busy-city',
          `Your city already has ${MAX_RENDERS_WAITING_PER_CITY} reports waiting to be drawn up; try again in a minute (other cities' reports are not held up by yours).`,
        );
      }
      throw error;
    });
    res.setHeader('Content-Type', format.type);
    res.setHeader('Content-Disposition', `attachment; filename="${document.name}.${format.extension}"`);
    res.send(body);
  }

  /**
   * The reporting periods of NĐ 09/2019 for a year (this year in Vietnam when unset), of one kind or
   * all, with the caller's city's cut-off and sending days.
   */
  @Doc({ summary: 'The reporting periods of NĐ 09/2019 with cut-offs and sending days', query: periodsQuery })
  @Requires('periods.read')
  @Get('reporting/periods')
  periods(@CurrentActor() actor: RequestActor, @Query() query: unknown) {
    const { year, kind } = parseInput(periodsQuery, query);
    const thisYear = Number(localDayOf(this.clock.now()).slice(0, 4));
    const kinds = kind ? [kind] : PERIOD_KINDS;
    const settings = cityOf(actor.cityId)?.reporting ?? {};
    return { items: kinds.flatMap((k) => periodsOf(year ?? thisYear, k, settings)) };
  }

  @Doc({ summary: 'Task counts per status of the plan' })
  @Requires('reporting.read')
  @Get('plans/:planId/summary')
  summary(@CurrentActor() actor: RequestActor, @Param('planId') planId: string) {
    return this.summaries.summary(actor.cityId, planId);
  }
}

const withEtag = (res: Response, row: AgencyReportRow) => {
  res.setHeader('ETag', etag(BigInt(row.version)));
  return row;
};

@Module({})
export class ReportingModule {
  static with(projection: PlanSummaryProjection, feed: PlanFeedStore, reports: AgencyReports, clock: Clock): DynamicModule {
    return {
      module: ReportingModule,
      controllers: [ReportingHttpController],
      providers: [
        { provide: SUMMARY, useValue: projection },
        { provide: FEED, useValue: feed },
        { provide: REPORTS, useValue: reports },
        { provide: CLOCK, useValue: clock },
      ],
    };
  }
}

/**
 * The reporting service: read models built only from other services' published contracts, and its
 * own log of agency reports, published as `source` (mandate.reports.v1).
 */
export const startReporting = async (options: {
  databaseUrl: string;
  logger: Logger;
  subscriber: Subscriber;
  clock?: Clock;
  /** Told after every append to the reports log, so its publisher (bus or relay) reads it now. */
  onAppended?: () => void;
  /** How often the overdue scheduler scans (60 s by default); 0: it does not run in this process. */
  overdueScanMs?: number;
}) => {
  const db = await openServiceDatabase({
    url: options.databaseUrl,
    schema: REPORTING_SCHEMA,
    migrations: [
      ...PostgresEventStore.migrations(REPORTING_SCHEMA),
      Inbox.migration(REPORTING_SCHEMA),
      planSummaryMigration(REPORTING_SCHEMA),
      planSummaryChangesMigration(REPORTING_SCHEMA),
      planSummaryUnnumberedMigration(REPORTING_SCHEMA),
      planFeedMigration(REPORTING_SCHEMA),
      agencyReportsMigration(REPORTING_SCHEMA),
      agencyReportsOverdueMigration(REPORTING_SCHEMA),
      Relay.migration(REPORTING_SCHEMA),
    ],
  });
  const projection = new PlanSummaryProjection(db, REPORTING_SCHEMA, new Inbox(db, REPORTING_SCHEMA));
  const feed = new PlanFeedStore(db, REPORTING_SCHEMA);
  const clock = options.clock ?? systemClock;
  const store = new PostgresEventStore(db, { schema: REPORTING_SCHEMA });
  const reports = new AgencyReports(
    db,
    REPORTING_SCHEMA,
    store,
    feed,
    (cityId) => cityOf(cityId)?.reporting ?? {},
    () => clock.now(),
    options.onAppended,
  );
  const intake = new ReportingIntake(db, feed, projection, reports);
  let events: ServedEvents | null = null;
  const logger = options.logger.child({ service: 'reporting' });
  const scanMs = options.overdueScanMs ?? 60_000;
  const overdue =
    scanMs > 0
      ? new ReportOverdueScheduler(reports, new PostgresLeaderLock(options.databaseUrl, 'reporting-overdue', logger), {
          intervalMs: scanMs,
          logger: logger.child({ component: 'overdue' }),
        })
      : null;
  overdue?.start();
  const source: TopicSource = reportingTopicSource(store);
  return {
    module: ReportingModule.with(projection, feed, reports, clock),
    projection,
    reports,
    store,
    db,
    source,
    async subscribe() {
      events = await serveEvents(ReportingEventsModule.with(intake), {
        subscriber: options.subscriber,
        consumption: REPORTING_CONSUMPTION,
        db,
        inbox: new Inbox(db, REPORTING_SCHEMA),
        inboxConsumer: PlanSummaryProjection.consumer,
        logger,
      });
    },
    ping: async () => void (await db.query('SELECT 1')),
    async stop() {
      await overdue?.stop();
      await events?.close();
      await db.destroy();
    },
  };
};

import { Controller, Get, Inject, Module, Param, Query, Res, type DynamicModule } from '@nestjs/common';
import type { Response } from 'express';
import { NotFoundError, PERIOD_KINDS, periodEnd, periodOfKey, periodsOf, systemClock, ValidationError, type Clock } from '@mandate/kernel';
import { renderCsv, renderDocx, renderPdf, renderXlsx } from '@mandate/documents';
import { consolidatePlan, planFeedAt, planReportDocument } from '@mandate/reporting-domain';
import { CurrentActor, parseInput, type RequestActor } from '@mandate/http';
import { Inbox, type Subscriber, type Subscription } from '@mandate/messaging';
import { PLANS_TOPIC, TASKS_TOPIC } from '@mandate/plans-contracts';
import { PlanFeedStore, PlanSummaryProjection, planFeedMigration, planSummaryChangesMigration, planSummaryMigration } from '@mandate/reporting-app';
import { cityOf, openServiceDatabase, type Logger } from '@mandate/runtime';
import { z } from 'zod';

export const REPORTING_SCHEMA = 'reporting';
/** Its consumer group and the topics it reads. */
export const REPORTING_CONSUMPTION = { group: 'reporting', topics: [PLANS_TOPIC, TASKS_TOPIC] };
/** The feed has a group of its own, so a deployment that predates it fills it from the topics' start. */
export const REPORTING_FEED_CONSUMPTION = { group: 'reporting-feed', topics: [PLANS_TOPIC, TASKS_TOPIC] };
const SUMMARY = Symbol('PlanSummaryProjection');
const FEED = Symbol('PlanFeedStore');
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
  /** Which table a CSV holds: 0 the tasks, 1 per agency, 2 per leader, 3 the overdue tasks */
  table: z.coerce.number().int().min(0).max(3).default(0),
});

@Controller('api/v1')
export class ReportingHttpController {
  constructor(
    @Inject(SUMMARY) private readonly summaries: PlanSummaryProjection,
    @Inject(FEED) private readonly feed: PlanFeedStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The consolidated report of a plan (báo cáo tổng hợp) as its tasks stood when a period's data were
   * cut off (`period=2024-Q1`), at an instant (`asOf`), or now: JSON, or the office formats.
   */
  @Get('plans/:planId/report')
  async report(@CurrentActor() actor: RequestActor, @Param('planId') planId: string, @Query() query: unknown, @Res({ passthrough: true }) res: Response) {
    const input = parseInput(reportQuery, query);
    const settings = cityOf(actor.cityId)?.reporting ?? {};
    const period = input.period === undefined ? null : periodOfKey(input.period, settings);
    if (input.period !== undefined && !period) throw new ValidationError(`"${input.period}" names no reporting period (2024-Q1, 2024-M03, 2024-H1, 2024-9M, 2024-Y)`, 'period-unknown');
    const asOf = input.asOf ? new Date(input.asOf) : period ? periodEnd(period) : this.clock.now();
    const report = consolidatePlan(planFeedAt(await this.feed.events(actor.cityId, planId, asOf)), asOf, period, cityOf(actor.cityId)?.dueSoonDays);
    if (!report) throw new NotFoundError(`Plan ${planId} not found`, 'plan-not-found');
    const format = REPORT_FORMATS[input.format];
    if (!format) return report;
    const document = planReportDocument(report);
    const body =
      input.format === 'xlsx' ? await renderXlsx(document)
      : input.format === 'docx' ? await renderDocx(document)
      : input.format === 'pdf' ? await renderPdf(document)
      : renderCsv(document.tables[input.table]);
    res.setHeader('Content-Type', format.type);
    res.setHeader('Content-Disposition', `attachment; filename="${document.name}.${format.extension}"`);
    res.send(body);
  }

  /**
   * The reporting periods of NĐ 09/2019 for a year (this year in Vietnam when unset), of one kind or
   * all, with the caller's city's cut-off and sending days.
   */
  @Get('reporting/periods')
  periods(@CurrentActor() actor: RequestActor, @Query() query: unknown) {
    const { year, kind } = parseInput(periodsQuery, query);
    const thisYear = Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(this.clock.now()));
    const kinds = kind ? [kind] : PERIOD_KINDS;
    const settings = cityOf(actor.cityId)?.reporting ?? {};
    return { items: kinds.flatMap((k) => periodsOf(year ?? thisYear, k, settings)) };
  }

  @Get('plans/:planId/summary')
  summary(@CurrentActor() actor: RequestActor, @Param('planId') planId: string) {
    return this.summaries.summary(actor.cityId, planId);
  }
}

@Module({})
export class ReportingModule {
  static with(projection: PlanSummaryProjection, feed: PlanFeedStore, clock: Clock): DynamicModule {
    return {
      module: ReportingModule,
      controllers: [ReportingHttpController],
      providers: [
        { provide: SUMMARY, useValue: projection },
        { provide: FEED, useValue: feed },
        { provide: CLOCK, useValue: clock },
      ],
    };
  }
}

/** The reporting service: read models built only from other services' published contracts. */
export const startReporting = async (options: { databaseUrl: string; logger: Logger; subscriber: Subscriber; clock?: Clock }) => {
  const db = await openServiceDatabase({
    url: options.databaseUrl,
    schema: REPORTING_SCHEMA,
    migrations: [Inbox.migration(REPORTING_SCHEMA), planSummaryMigration(REPORTING_SCHEMA), planSummaryChangesMigration(REPORTING_SCHEMA), planFeedMigration(REPORTING_SCHEMA)],
  });
  const projection = new PlanSummaryProjection(db, REPORTING_SCHEMA, new Inbox(db, REPORTING_SCHEMA));
  const feed = new PlanFeedStore(db, REPORTING_SCHEMA);
  const subscriptions: Subscription[] = [];
  return {
    module: ReportingModule.with(projection, feed, options.clock ?? systemClock),
    projection,
    async subscribe() {
      subscriptions.push(
        await options.subscriber.subscribe({ ...REPORTING_CONSUMPTION, handle: async (event) => void (await projection.handle(event)) }),
        await options.subscriber.subscribe({ ...REPORTING_FEED_CONSUMPTION, handle: async (event) => void (await feed.append(event)) }),
      );
    },
    ping: async () => void (await db.query('SELECT 1')),
    async stop() {
      for (const subscription of subscriptions) await subscription.stop();
      await db.destroy();
    },
  };
};

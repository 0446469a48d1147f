import { Controller, Get, Inject, Module, Param, Query, type DynamicModule } from '@nestjs/common';
import { PERIOD_KINDS, periodsOf, systemClock, type Clock } from '@mandate/kernel';
import { CurrentActor, parseInput, type RequestActor } from '@mandate/http';
import { Inbox, type Subscriber, type Subscription } from '@mandate/messaging';
import { PLANS_TOPIC, TASKS_TOPIC } from '@mandate/plans-contracts';
import { PlanSummaryProjection, planSummaryChangesMigration, planSummaryMigration } from '@mandate/reporting-app';
import { cityOf, openServiceDatabase, type Logger } from '@mandate/runtime';
import { z } from 'zod';

export const REPORTING_SCHEMA = 'reporting';
/** Its consumer group and the topics it reads. */
export const REPORTING_CONSUMPTION = { group: 'reporting', topics: [PLANS_TOPIC, TASKS_TOPIC] };
const SUMMARY = Symbol('PlanSummaryProjection');
const CLOCK = Symbol('Clock');

const periodsQuery = z.object({
  year: z.coerce.number().int().min(1900).max(2999).optional(),
  kind: z.enum(PERIOD_KINDS).optional(),
});

@Controller('api/v1')
export class ReportingHttpController {
  constructor(
    @Inject(SUMMARY) private readonly summaries: PlanSummaryProjection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

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
  static with(projection: PlanSummaryProjection, clock: Clock): DynamicModule {
    return {
      module: ReportingModule,
      controllers: [ReportingHttpController],
      providers: [
        { provide: SUMMARY, useValue: projection },
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
    migrations: [Inbox.migration(REPORTING_SCHEMA), planSummaryMigration(REPORTING_SCHEMA), planSummaryChangesMigration(REPORTING_SCHEMA)],
  });
  const projection = new PlanSummaryProjection(db, REPORTING_SCHEMA, new Inbox(db, REPORTING_SCHEMA));
  let subscription: Subscription | null = null;
  return {
    module: ReportingModule.with(projection, options.clock ?? systemClock),
    projection,
    async subscribe() {
      subscription = await options.subscriber.subscribe({
        ...REPORTING_CONSUMPTION,
        handle: async (event) => void (await projection.handle(event)),
      });
    },
    ping: async () => void (await db.query('SELECT 1')),
    async stop() {
      await subscription?.stop();
      await db.destroy();
    },
  };
};

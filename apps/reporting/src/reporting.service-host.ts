import { Controller, Get, Inject, Module, Param, type DynamicModule } from '@nestjs/common';
import { CurrentActor, type RequestActor } from '@mandate/http';
import { Inbox, type Subscriber, type Subscription } from '@mandate/messaging';
import { PLANS_TOPIC, TASKS_TOPIC } from '@mandate/plans-contracts';
import { PlanSummaryProjection, planSummaryChangesMigration, planSummaryMigration } from '@mandate/reporting-app';
import { openServiceDatabase, type Logger } from '@mandate/runtime';

export const REPORTING_SCHEMA = 'reporting';
/** Its consumer group and the topics it reads. */
export const REPORTING_CONSUMPTION = { group: 'reporting', topics: [PLANS_TOPIC, TASKS_TOPIC] };
const SUMMARY = Symbol('PlanSummaryProjection');

@Controller('api/v1')
export class ReportingHttpController {
  constructor(@Inject(SUMMARY) private readonly summaries: PlanSummaryProjection) {}

  @Get('plans/:planId/summary')
  summary(@CurrentActor() actor: RequestActor, @Param('planId') planId: string) {
    return this.summaries.summary(actor.cityId, planId);
  }
}

@Module({})
export class ReportingModule {
  static with(projection: PlanSummaryProjection): DynamicModule {
    return { module: ReportingModule, controllers: [ReportingHttpController], providers: [{ provide: SUMMARY, useValue: projection }] };
  }
}

/** The reporting service: read models built only from other services' published contracts. */
export const startReporting = async (options: { databaseUrl: string; logger: Logger; subscriber: Subscriber }) => {
  const db = await openServiceDatabase({
    url: options.databaseUrl,
    schema: REPORTING_SCHEMA,
    migrations: [Inbox.migration(REPORTING_SCHEMA), planSummaryMigration(REPORTING_SCHEMA), planSummaryChangesMigration(REPORTING_SCHEMA)],
  });
  const projection = new PlanSummaryProjection(db, REPORTING_SCHEMA, new Inbox(db, REPORTING_SCHEMA));
  let subscription: Subscription | null = null;
  return {
    module: ReportingModule.with(projection),
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

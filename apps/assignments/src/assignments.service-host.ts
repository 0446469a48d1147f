import { Controller, Get, Inject, Module, Param, type DynamicModule } from '@nestjs/common';
import { Doc, CurrentActor, type RequestActor, Requires } from '@mandate/http';
import { WorkQueueProjection, workQueueMigration, workQueuePlanNumbersMigration, workQueueUnnumberedMigration } from '@mandate/assignments-app';
import { Inbox, type Subscriber } from '@mandate/messaging';
import { serveEvents, type ServedEvents } from '@mandate/service-host';
import { AssignmentsEventsModule } from './assignments.events';
import { PLANS_TOPIC, TASKS_TOPIC } from '@mandate/plans-contracts';
import { openServiceDatabase, type Logger } from '@mandate/runtime';

export const ASSIGNMENTS_SCHEMA = 'assignments';
/** Its consumer group and the topics it reads (plans: for the number a plan gets after its tasks). */
export const ASSIGNMENTS_CONSUMPTION = { group: 'assignments', topics: [TASKS_TOPIC, PLANS_TOPIC] };
const QUEUE = Symbol('WorkQueueProjection');

@Controller('api/v1')
export class AssignmentsHttpController {
  constructor(@Inject(QUEUE) private readonly queues: WorkQueueProjection) {}

  @Doc({ summary: "The agency's work queue" })
  @Requires('queue.read')
  @Get('agencies/:agencyId/tasks')
  async queue(@CurrentActor() actor: RequestActor, @Param('agencyId') agencyId: string) {
    return { items: await this.queues.queue(actor, agencyId) };
  }
}

@Module({})
export class AssignmentsModule {
  static with(projection: WorkQueueProjection): DynamicModule {
    return { module: AssignmentsModule, controllers: [AssignmentsHttpController], providers: [{ provide: QUEUE, useValue: projection }] };
  }
}

/** The assignments service: each agency's work queue, from the plans contracts. */
export const startAssignments = async (options: { databaseUrl: string; logger: Logger; subscriber: Subscriber }) => {
  const db = await openServiceDatabase({
    url: options.databaseUrl,
    schema: ASSIGNMENTS_SCHEMA,
    migrations: [
      Inbox.migration(ASSIGNMENTS_SCHEMA),
      workQueueMigration(ASSIGNMENTS_SCHEMA),
      workQueueUnnumberedMigration(ASSIGNMENTS_SCHEMA),
      workQueuePlanNumbersMigration(ASSIGNMENTS_SCHEMA),
    ],
  });
  const projection = new WorkQueueProjection(db, ASSIGNMENTS_SCHEMA, new Inbox(db, ASSIGNMENTS_SCHEMA));
  let events: ServedEvents | null = null;
  return {
    module: AssignmentsModule.with(projection),
    projection,
    async subscribe() {
      events = await serveEvents(AssignmentsEventsModule.with(projection), {
        subscriber: options.subscriber,
        consumption: ASSIGNMENTS_CONSUMPTION,
        db,
        inbox: new Inbox(db, ASSIGNMENTS_SCHEMA),
        inboxConsumer: WorkQueueProjection.consumer,
        logger: options.logger,
      });
    },
    ping: async () => void (await db.query('SELECT 1')),
    async stop() {
      await events?.close();
      await db.destroy();
    },
  };
};

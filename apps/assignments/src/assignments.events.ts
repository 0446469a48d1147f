import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { WorkQueueProjection } from '@mandate/assignments-app';
import type { CloudEvent } from '@mandate/messaging';
import type { EventContext } from '@mandate/service-host';

const QUEUE = Symbol('WorkQueueProjection');

/** The plans contracts that change an agency's work queue (served by the events transport). */
@Controller()
export class AssignmentsEventsController {
  constructor(@Inject(QUEUE) private readonly queues: WorkQueueProjection) {}

  @EventPattern(WorkQueueProjection.events)
  applyToQueues(@Payload() event: CloudEvent, @Ctx() context: EventContext): Promise<void> {
    return this.queues.applyIn(context.manager, event, context.writes);
  }
}

@Module({})
export class AssignmentsEventsModule {
  static with(projection: WorkQueueProjection): DynamicModule {
    return { module: AssignmentsEventsModule, controllers: [AssignmentsEventsController], providers: [{ provide: QUEUE, useValue: projection }] };
  }
}

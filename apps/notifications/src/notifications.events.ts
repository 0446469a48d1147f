import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { CloudEvent } from '@mandate/messaging';
import type { NotificationLog, Webhooks } from '@mandate/notifications-app';
import type { EventContext } from '@mandate/service-host';

const INTAKE = Symbol('NotificationsIntake');

/** What the notifications service does with an event: its notices, and its integrators' webhook deliveries. */
export type NotificationsIntake = {
  readonly log: NotificationLog;
  readonly webhooks: Webhooks;
  /** Called after the commit: mail and webhook deliveries may have been queued. */
  readonly committed: () => void;
};

/** Every event of the topics read: the city's rules pick what agencies are told; webhooks get any type they ask for. */
@Controller()
export class NotificationsEventsController {
  constructor(@Inject(INTAKE) private readonly intake: NotificationsIntake) {}

  @EventPattern('vn.mandate.*')
  async notify(@Payload() event: CloudEvent, @Ctx() context: EventContext): Promise<void> {
    await this.intake.log.applyIn(context.manager, event, context.writes);
    await this.intake.webhooks.queueIn(context.writes, event);
    context.afterCommit(this.intake.committed);
  }
}

@Module({})
export class NotificationsEventsModule {
  static with(intake: NotificationsIntake): DynamicModule {
    return { module: NotificationsEventsModule, controllers: [NotificationsEventsController], providers: [{ provide: INTAKE, useValue: intake }] };
  }
}

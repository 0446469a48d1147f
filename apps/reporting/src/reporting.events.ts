import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { CloudEvent } from '@mandate/messaging';
import type { ReportingIntake } from '@mandate/reporting-app';
import type { EventContext } from '@mandate/service-host';

const INTAKE = Symbol('ReportingIntake');

/** Every plans event goes into the plan feed (whatever its type: the feed is what reports fold). */
@Controller()
export class ReportingEventsController {
  constructor(@Inject(INTAKE) private readonly intake: ReportingIntake) {}

  @EventPattern('vn.mandate.*')
  intakeEvent(@Payload() event: CloudEvent, @Ctx() context: EventContext): Promise<void> {
    return this.intake.applyIn(context.manager, event, context.writes);
  }
}

@Module({})
export class ReportingEventsModule {
  static with(intake: ReportingIntake): DynamicModule {
    return { module: ReportingEventsModule, controllers: [ReportingEventsController], providers: [{ provide: INTAKE, useValue: intake }] };
  }
}

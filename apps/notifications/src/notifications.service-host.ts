import { Controller, Get, Inject, Module, Query, type DynamicModule } from '@nestjs/common';
import { CurrentActor, type RequestActor } from '@mandate/http';
import { Inbox, type Subscriber, type Subscription } from '@mandate/messaging';
import { NotificationLog, notificationLogMigration } from '@mandate/notifications-app';
import { TASKS_TOPIC } from '@mandate/plans-contracts';
import { openServiceDatabase, type Logger } from '@mandate/runtime';

export const NOTIFICATIONS_SCHEMA = 'notifications';
/** Its consumer group and the topics it reads. */
export const NOTIFICATIONS_CONSUMPTION = { group: 'notifications', topics: [TASKS_TOPIC] };
const LOG = Symbol('NotificationLog');

@Controller('api/v1')
export class NotificationsHttpController {
  constructor(@Inject(LOG) private readonly log: NotificationLog) {}

  /** An agency officer sees its own agency's notices; city-wide roles see all, or one agency's. */
  @Get('notifications')
  async list(@CurrentActor() actor: RequestActor, @Query('agencyId') agencyId?: string) {
    const recipient = actor.role === 'agency' ? actor.agencyId : (agencyId ?? null);
    return { items: await this.log.list(actor.cityId, recipient) };
  }
}

@Module({})
export class NotificationsModule {
  static with(log: NotificationLog): DynamicModule {
    return { module: NotificationsModule, controllers: [NotificationsHttpController], providers: [{ provide: LOG, useValue: log }] };
  }
}

/** The notifications service: for now it records, once per recipient, what it would send. */
export const startNotifications = async (options: { databaseUrl: string; logger: Logger; subscriber: Subscriber }) => {
  const db = await openServiceDatabase({
    url: options.databaseUrl,
    schema: NOTIFICATIONS_SCHEMA,
    migrations: [Inbox.migration(NOTIFICATIONS_SCHEMA), notificationLogMigration(NOTIFICATIONS_SCHEMA)],
  });
  const log = new NotificationLog(db, NOTIFICATIONS_SCHEMA, new Inbox(db, NOTIFICATIONS_SCHEMA));
  let subscription: Subscription | null = null;
  return {
    module: NotificationsModule.with(log),
    log,
    async subscribe() {
      subscription = await options.subscriber.subscribe({
        ...NOTIFICATIONS_CONSUMPTION,
        handle: async (event) => void (await log.handle(event)),
      });
    },
    ping: async () => void (await db.query('SELECT 1')),
    async stop() {
      await subscription?.stop();
      await db.destroy();
    },
  };
};

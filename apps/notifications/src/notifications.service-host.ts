import { Body, Controller, Delete, Get, HttpCode, Inject, Module, Param, Post, Put, Query, Sse, type DynamicModule, type MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';
import { z } from 'zod';
import { Doc, CurrentActor, parseInput, type RequestActor, Requires } from '@mandate/http';
import { DrainLoop, Inbox, type Subscriber } from '@mandate/messaging';
import { serveEvents, type ServedEvents } from '@mandate/service-host';
import { NotificationsEventsModule } from './notifications.events';
import {
  Directory,
  MailOutbox,
  NoticeStream,
  NoticeTasks,
  NotificationLog,
  notificationsMigrations,
  PreferenceStore,
  Reminders,
  Webhooks,
} from '@mandate/notifications-app';
import { notificationSettingsOf, preferencesSchema, type NotificationSettings } from '@mandate/notifications-domain';
import { ForbiddenError, systemClock, type Clock, isAgencyActor } from '@mandate/kernel';
import { WEBHOOKS, WebhooksHttpController } from './webhooks.http.controller';
import { PLANS_TOPIC, REPORTS_TOPIC, TASKS_TOPIC } from '@mandate/plans-contracts';
import { cityOf, openServiceDatabase, type Logger } from '@mandate/runtime';

export const NOTIFICATIONS_SCHEMA = 'notifications';
/** Its consumer group and the topics it reads. */
export const NOTIFICATIONS_CONSUMPTION = { group: 'notifications', topics: [PLANS_TOPIC, TASKS_TOPIC, REPORTS_TOPIC] };
const LOG = Symbol('NotificationLog');
const noticesQuery = z.object({ agencyId: z.string().max(100).optional() });
const PREFERENCES = Symbol('PreferenceStore');
const STREAM = Symbol('NoticeStream');
/** A comment line now and then keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;

@Controller('api/v1')
export class NotificationsHttpController {
  constructor(
    @Inject(LOG) private readonly log: NotificationLog,
    @Inject(STREAM) private readonly stream: NoticeStream,
    @Inject(PREFERENCES) private readonly preferences: PreferenceStore,
  ) {}

  /** The caller's own notification preferences (defaults until they set some). */
  @Doc({ summary: "The caller's own notification preferences" })
  @Requires('preferences.own')
  @Get('notifications/preferences')
  async myPreferences(@CurrentActor() actor: RequestActor) {
    return this.preferences.get(actor.cityId, actor.userId);
  }

  /** Forgets the caller's own preferences (their part of erasing their personal data). */
  @Doc({ summary: "Forgets the caller's own notification preferences" })
  @Requires('preferences.own')
  @Delete('notifications/preferences')
  @HttpCode(204)
  async erasePreferences(@CurrentActor() actor: RequestActor) {
    await this.preferences.erase(actor.cityId, actor.userId);
  }

  /** Sets the caller's own preferences: `{"email","digestOnly","quietHours":{"from","to"}|null}`. */
  @Doc({ summary: "Sets the caller's own preferences: e-mail, digest only, quiet hours", body: preferencesSchema })
  @Requires('preferences.own')
  @Put('notifications/preferences')
  async setPreferences(@CurrentActor() actor: RequestActor, @Body() body: unknown) {
    return this.preferences.put(actor.cityId, actor.userId, parseInput(preferencesSchema, body));
  }

  /** An agency officer sees its own agency's notices; city-wide roles see all, or one agency's. With the unread count. */
  @Doc({ summary: "The notices of the caller's agency (city-wide roles: the city's) with the unread count", query: noticesQuery })
  @Requires('notifications.read')
  @Get('notifications')
  async list(@CurrentActor() actor: RequestActor, @Query() query: unknown) {
    const { agencyId } = parseInput(noticesQuery, query);
    const recipient = isAgencyActor(actor) ? actor.agencyId : (agencyId ?? null);
    return { items: await this.log.list(actor.cityId, recipient), unread: await this.log.unread(actor.cityId, recipient) };
  }

  /**
   * The inbox live (Server-Sent Events): `unread` with the count when it opens, then `notice` for
   * each new notice of the caller's agency (of the city for city-wide roles).
   */
  @Doc({ summary: 'The inbox live (Server-Sent Events): the unread count, then each new notice' })
  @Requires('notifications.read')
  @Sse('notifications/stream')
  live(@CurrentActor() actor: RequestActor): Observable<MessageEvent> {
    const recipient = isAgencyActor(actor) ? actor.agencyId : null;
    return new Observable<MessageEvent>((subscriber) => {
      void this.log.unread(actor.cityId, recipient).then(
        (unread) => subscriber.next({ type: 'unread', data: { unread } }),
        (error) => subscriber.error(error),
      );
      const unsubscribe = this.stream.subscribe(actor.cityId, recipient, (notice) => subscriber.next({ type: 'notice', id: notice.id, data: notice }));
      const heartbeat = setInterval(() => subscriber.next({ type: 'heartbeat', data: {} }), HEARTBEAT_MS);
      return () => {
        unsubscribe();
        clearInterval(heartbeat);
      };
    });
  }

  @Doc({ summary: "Marks all the agency's notices read" })
  @Requires('notifications.mark')
  @Post('notifications/read')
  @HttpCode(200)
  async readAll(@CurrentActor() actor: RequestActor) {
    return { marked: await this.log.markRead(actor.cityId, this.ownAgency(actor)), unread: await this.log.unread(actor.cityId, actor.agencyId) };
  }

  @Doc({ summary: 'Marks one notice read' })
  @Requires('notifications.mark')
  @Post('notifications/:id/read')
  @HttpCode(200)
  async read(@CurrentActor() actor: RequestActor, @Param('id') id: string) {
    return { marked: await this.log.markRead(actor.cityId, this.ownAgency(actor), id), unread: await this.log.unread(actor.cityId, actor.agencyId) };
  }

  /** An agency reads its own inbox; nobody marks another agency's notices read. */
  private ownAgency(actor: RequestActor): string {
    if (!actor.agencyId) throw new ForbiddenError("Only an agency's officers mark its notices read", 'notice-read-forbidden');
    return actor.agencyId;
  }
}

@Module({})
export class NotificationsModule {
  static with(log: NotificationLog, webhooks: Webhooks, stream: NoticeStream, preferences: PreferenceStore): DynamicModule {
    return {
      module: NotificationsModule,
      controllers: [NotificationsHttpController, WebhooksHttpController],
      providers: [
        { provide: LOG, useValue: log },
        { provide: STREAM, useValue: stream },
        { provide: WEBHOOKS, useValue: webhooks },
        { provide: PREFERENCES, useValue: preferences },
      ],
    };
  }
}

/**
 * The notifications service: records, once per recipient, what agencies are told, and delivers the
 * city's events to integrators' webhooks (queued with each event, sent by a dispatcher loop).
 */
export const startNotifications = async (options: {
  databaseUrl: string;
  logger: Logger;
  subscriber: Subscriber;
  clock?: Clock;
  webhooks?: { allowPrivate: boolean; backoffMs: number; pollMs?: number };
  mail?: { smtpUrl: string | undefined; from: string; contactsFile: string | undefined; publicUrl: string; backoffMs: number };
  /** How often reminders and digests are looked for; 0: not in this process. */
  reminderScanMs?: number;
}) => {
  const clock = options.clock ?? systemClock;
  const settings = new Map<string, NotificationSettings>();
  const settingsOf = (cityId: string) => settings.get(cityId) ?? settings.set(cityId, notificationSettingsOf(cityOf(cityId))).get(cityId)!;
  const db = await openServiceDatabase({
    url: options.databaseUrl,
    schema: NOTIFICATIONS_SCHEMA,
    migrations: notificationsMigrations(NOTIFICATIONS_SCHEMA),
  });
  const mailSettings = options.mail ?? {
    smtpUrl: undefined,
    from: 'Mandate <no-reply@mandate.local>',
    contactsFile: undefined,
    publicUrl: 'http://127.0.0.1:3000',
    backoffMs: 5000,
  };
  const directory = Directory.read(mailSettings.contactsFile);
  const tasks = new NoticeTasks(NOTIFICATIONS_SCHEMA);
  const preferences = new PreferenceStore(db, NOTIFICATIONS_SCHEMA);
  const mail = new MailOutbox(db, NOTIFICATIONS_SCHEMA, {
    smtpUrl: mailSettings.smtpUrl,
    from: mailSettings.from,
    directory,
    preferences,
    tasks,
    settingsOf,
    publicUrl: mailSettings.publicUrl,
    backoffMs: mailSettings.backoffMs,
    clock,
    logger: options.logger,
  });
  const log = new NotificationLog(db, NOTIFICATIONS_SCHEMA, new Inbox(db, NOTIFICATIONS_SCHEMA), { tasks, settingsOf, onRecorded: mail.enqueueIn });
  const reminders = new Reminders(db, NOTIFICATIONS_SCHEMA, { log, tasks, directory, settingsOf, clock, logger: options.logger });
  const stream = new NoticeStream(options.databaseUrl, options.logger);
  await stream.start();
  const hooks = options.webhooks ?? { allowPrivate: false, backoffMs: 5000 };
  // An attempt over: that webhook's next delivery may be due at once.
  const webhooks = new Webhooks(db, NOTIFICATIONS_SCHEMA, {
    allowPrivate: hooks.allowPrivate,
    backoffMs: hooks.backoffMs,
    logger: options.logger,
    onAttempted: () => dispatcher.wake(),
  });
  const dispatcher = new DrainLoop(() => webhooks.dispatchDue(), hooks.pollMs ?? 500, options.logger);
  const mailer = new DrainLoop(async () => (await mail.bundleDue()) + (await mail.sendDue()), hooks.pollMs ?? 500, options.logger);
  // 0 turns the scan off in this process, as for the plans' deadline scan (MANDATE_DEADLINE_SCAN_SECONDS):
  // a loop polling every 0 ms would read every city's tasks without pause.
  const reminderScanMs = options.reminderScanMs ?? 60_000;
  const reminding =
    reminderScanMs > 0
      ? new DrainLoop(
          async () => {
            const recorded = await reminders.run();
            if (recorded > 0) mailer.wake();
            return 0; // one pass per interval: reminders come with time, not with work left over
          },
          reminderScanMs,
          options.logger,
        )
      : null;
  let events: ServedEvents | null = null;
  return {
    module: NotificationsModule.with(log, webhooks, stream, preferences),
    log,
    mail,
    reminders,
    async subscribe() {
      const committed = () => {
        mailer.wake();
        dispatcher.wake();
      };
      events = await serveEvents(NotificationsEventsModule.with({ log, webhooks, committed }), {
        subscriber: options.subscriber,
        consumption: NOTIFICATIONS_CONSUMPTION,
        db,
        inbox: new Inbox(db, NOTIFICATIONS_SCHEMA),
        inboxConsumer: NotificationLog.consumer,
        logger: options.logger,
      });
      dispatcher.start();
      mailer.start();
      reminding?.start();
    },
    ping: async () => void (await db.query('SELECT 1')),
    async stop() {
      await events?.close();
      await dispatcher.stop();
      await webhooks.settled();
      await mailer.stop();
      await reminding?.stop();
      await mail.close();
      await stream.stop();
      await db.destroy();
    },
  };
};

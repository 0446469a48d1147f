import type { Config, Logger } from '@mandate/runtime';
import { runConsumerService } from '@mandate/service-host';
import { NOTIFICATIONS_CONSUMPTION, startNotifications } from './notifications.service-host';

/** The notifications service as its own process, fed by its Kafka consumer group. */
export const runNotificationsService = (config: Config & { DATABASE_URL: string }, logger: Logger, jwtSecret: string) =>
  runConsumerService({
    name: 'notifications',
    ...NOTIFICATIONS_CONSUMPTION,
    config,
    logger,
    jwtSecret,
    start: (subscriber) =>
      startNotifications({
        databaseUrl: config.DATABASE_URL,
        logger,
        subscriber,
        webhooks: { allowPrivate: config.MANDATE_WEBHOOK_ALLOW_PRIVATE, backoffMs: config.MANDATE_WEBHOOK_BACKOFF_MS },
        mail: {
          smtpUrl: config.SMTP_URL,
          from: config.MAIL_FROM,
          contactsFile: config.MANDATE_CONTACTS_FILE,
          publicUrl: config.MANDATE_PUBLIC_URL,
          backoffMs: config.MANDATE_WEBHOOK_BACKOFF_MS,
        },
        reminderScanMs: config.MANDATE_DEADLINE_SCAN_SECONDS * 1000,
      }),
  });

import { Inbox } from '@mandate/messaging';
import { mailOutboxMigration, mailRecipientsMigration } from './mail/mail-outbox';
import { noticeTasksMigration, noticeTasksUnnumberedMigration } from './notice-tasks';
import { notificationLogMigration, notificationReadStateMigration, notificationRulesMigration } from './notification-log';
import { preferencesMigration } from './preferences';
import { webhookQueueMigration, webhooksMigration } from './webhooks/webhooks';

/** Every table of the notifications service, in the order they came. */
export const notificationsMigrations = (schema: string) => [
  Inbox.migration(schema),
  notificationLogMigration(schema),
  webhooksMigration(schema),
  mailOutboxMigration(schema),
  notificationReadStateMigration(schema),
  noticeTasksMigration(schema),
  preferencesMigration(schema),
  notificationRulesMigration(schema),
  mailRecipientsMigration(schema),
  webhookQueueMigration(schema),
  noticeTasksUnnumberedMigration(schema),
];

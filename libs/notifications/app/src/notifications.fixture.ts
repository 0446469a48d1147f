// The notifications pieces wired as the service wires them, for integration specs.
import type { Clock } from '@mandate/kernel';
import { Inbox } from '@mandate/messaging';
import { notificationSettingsOf } from '@mandate/notifications-domain';
import { createLogger } from '@mandate/runtime';
import type { DataSource } from 'typeorm';
import { Directory } from './directory';
import { MailOutbox } from './mail/mail-outbox';
import { NoticeTasks } from './notice-tasks';
import { NotificationLog } from './notification-log';
import { PreferenceStore } from './preferences';
import { Reminders } from './reminders';

export const SCHEMA = 'notifications';
export { smtpSink } from '@mandate/testing';

/** One notifications instance: its log, mail outbox and reminders over `ds`, with the city rules given. */
export const notificationsInstance = (
  ds: DataSource,
  options: { smtpPort?: number; directory?: unknown; cities?: Record<string, unknown>; clock?: Clock } = {},
) => {
  const clock = options.clock ?? { now: () => new Date() };
  const tasks = new NoticeTasks(SCHEMA);
  const preferences = new PreferenceStore(ds, SCHEMA);
  const directory = options.directory ? Directory.parse(options.directory) : Directory.empty();
  const settingsOf = (cityId: string) => notificationSettingsOf({ notifications: options.cities?.[cityId] });
  const logger = createLogger('silent');
  const mail = new MailOutbox(ds, SCHEMA, {
    smtpUrl: options.smtpPort ? `smtp://127.0.0.1:${options.smtpPort}` : undefined,
    from: 'Mandate <no-reply@mandate.test>',
    directory,
    preferences,
    tasks,
    settingsOf,
    publicUrl: 'https://mandate.test',
    backoffMs: 50,
    clock,
    logger,
  });
  const log = new NotificationLog(ds, SCHEMA, new Inbox(ds, SCHEMA), { tasks, settingsOf, onRecorded: mail.enqueueIn });
  const reminders = new Reminders(ds, SCHEMA, { log, tasks, directory, settingsOf, clock, logger });
  /** Bundles and sends until `done` (or the time is up). */
  const sendUntil = async (done: () => boolean, ms = 15_000) => {
    const deadline = Date.now() + ms;
    while (!done() && Date.now() < deadline) {
      await mail.bundleDue();
      await mail.sendDue();
      await new Promise((r) => setTimeout(r, 30));
    }
  };
  return { log, mail, reminders, preferences, sendUntil };
};

/** A clock tests move by hand. */
export const movingClock = (start: string) => {
  let now = new Date(start);
  return { now: () => new Date(now), set: (at: string) => void (now = new Date(at)) };
};

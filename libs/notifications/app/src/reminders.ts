import { localDayOf, type Clock } from '@mandate/kernel';
import {
  overdueReminderOwed,
  ruleEnabled,
  SUBJECTS,
  weeklyDigestOf,
  weeklyDigestOwed,
  type Addressee,
  type NotificationSettings,
  type RuleId,
  type WeeklyDigest,
} from '@mandate/notifications-domain';
import { ident, returnedRows, type Logger } from '@mandate/runtime';
import { v5 as uuidv5 } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import type { Directory } from './directory';
import type { NoticeTasks } from './notice-tasks';
import type { NotificationLog } from './notification-log';

/** Ids of causes that are no event (a reminder, a digest): stable, so a cause is recorded once. */
const CAUSE_NAMESPACE = '6f1c2a9e-3d4b-5e6f-8a7b-9c0d1e2f3a4b';
const BATCH = 500;

/**
 * What time alone brings: "still overdue" reminders every N days and the weekly digests per agency
 * and per leader. Each cause is recorded once (`reminders_sent`), whichever instance gets there first.
 */
export class Reminders {
  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly options: {
      log: NotificationLog;
      tasks: NoticeTasks;
      directory: Directory;
      settingsOf: (cityId: string) => NotificationSettings;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  /** One pass; returns how many notices it recorded. */
  async run(): Promise<number> {
    const now = this.options.clock.now();
    let recorded = 0;
    for (const cityId of await this.options.tasks.cities(this.db.manager)) {
      const settings = this.options.settingsOf(cityId);
      recorded += await this.overdueReminders(cityId, settings, now);
      recorded += await this.weeklyDigests(cityId, settings, now);
    }
    if (recorded > 0) this.options.logger.info({ recorded }, 'reminders and digests recorded');
    return recorded;
  }

  private async overdueReminders(cityId: string, settings: NotificationSettings, now: Date): Promise<number> {
    if (settings.overdueRepeatDays === 0 || !ruleEnabled(settings, 'task-overdue-again')) return 0;
    let recorded = 0;
    let after: string | null = null;
    for (;;) {
      const candidates = await this.options.tasks.reminderCandidates(this.db.manager, cityId, localDayOf(now), settings.overdueRepeatDays, BATCH, after);
      for (const task of candidates) {
        const k = overdueReminderOwed(task, now, settings);
        if (k === null) continue; // submitted, done, or its deadline moved: nothing owed
        recorded += await this.db.transaction(async (manager) => {
          await this.options.tasks.markReminded(manager, task.taskId, k);
          const facts = await this.options.tasks.factsOf(manager, cityId, task.taskId);
          if (!facts?.leadAgencyId) return 0;
          return this.once(
            manager,
            cityId,
            'task-overdue-again',
            `overdue-again:${task.taskId}:${task.overdueDue}:${k}`,
            task.taskId,
            { agencyId: facts.leadAgencyId },
            SUBJECTS.overdueAgain,
            null,
          );
        });
      }
      if (candidates.length < BATCH) return recorded;
      after = candidates[candidates.length - 1].taskId;
    }
  }

  private async weeklyDigests(cityId: string, settings: NotificationSettings, now: Date): Promise<number> {
    const week = weeklyDigestOwed(now, settings);
    if (!week || !ruleEnabled(settings, 'weekly-digest')) return 0;
    const done = new Set(
      (
        (await this.db.query(`SELECT cause FROM ${ident(this.schema)}.reminders_sent WHERE city_id = $1 AND rule = 'weekly-digest' AND cause LIKE $2`, [
          cityId,
          `%:${week}`,
        ])) as { cause: string }[]
      ).map((r) => r.cause),
    );
    const tasks = await this.options.tasks.ofCity(this.db.manager, cityId);
    const audiences: { cause: string; to: Addressee; tasks: typeof tasks }[] = [
      ...[...new Set(tasks.flatMap((t) => (t.leadAgencyId ? [t.leadAgencyId] : [])))].map((agencyId) => ({
        cause: `weekly-digest:${cityId}:agency:${agencyId}:${week}`,
        to: { agencyId },
        tasks: tasks.filter((t) => t.leadAgencyId === agencyId),
      })),
      ...this.options.directory.leadersOf(cityId).map((leader) => ({
        cause: `weekly-digest:${cityId}:leader:${leader}:${week}`,
        to: { leader },
        tasks: tasks.filter((t) => t.supervisor === leader),
      })),
    ];
    let recorded = 0;
    for (const audience of audiences.filter((a) => !done.has(a.cause))) {
      const digest = weeklyDigestOf(audience.tasks, now, week);
      recorded += await this.db.transaction((manager) =>
        // Nothing to say is recorded too, so the next pass this week does not look again.
        this.once(manager, cityId, 'weekly-digest', audience.cause, null, audience.to, SUBJECTS.weeklyDigest, digest, digest === null),
      );
    }
    return recorded;
  }

  private async once(
    manager: EntityManager,
    cityId: string,
    rule: RuleId,
    cause: string,
    taskId: string | null,
    to: Addressee,
    subject: string,
    digest: WeeklyDigest | null,
    silent = false,
  ): Promise<number> {
    const fresh = returnedRows(
      await manager.query(`INSERT INTO ${ident(this.schema)}.reminders_sent (cause, city_id, rule) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING RETURNING cause`, [
        cause,
        cityId,
        rule,
      ]),
    );
    if (fresh.length === 0 || silent) return 0;
    await this.options.log.deliver(manager, { rule, subject, to, cityId, causeId: uuidv5(cause, CAUSE_NAMESPACE), taskId, report: null, reason: null, digest });
    return 1;
  }
}

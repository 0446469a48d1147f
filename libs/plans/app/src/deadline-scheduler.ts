import { PeriodicPass, type Logger } from '@mandate/runtime';
import type { LeaderLock } from '@mandate/messaging';
import type { PlansService } from './plans.service';

export type DeadlineSchedulerOptions = {
  /** How often to scan (the marks are as late as one interval). */
  readonly intervalMs: number;
  /** The city's due-soon window in days (undefined: the default). */
  readonly dueSoonDaysOf: (cityId: string) => number | undefined;
  /** The widest due-soon window of the cities served: what the scan looks ahead. */
  readonly dueSoonWindowDays: () => number;
  readonly logger: Logger;
  /** Tasks looked at per scan. */
  readonly batch?: number;
};

/**
 * Turns time into events: every interval, the instance holding the lock marks the tasks that became
 * due soon or overdue, and opens the periods of repeating duties (reports, check-ins) that began. Exactly once per task and due date rests on the task's stream, not on the lock:
 * the decider refuses a second mark and the append checks the version, so two instances, a restart
 * or a lost lock cannot mark twice; the lock only keeps them from doing the work twice.
 */
export class DeadlineScheduler {
  private readonly periodic: PeriodicPass;

  constructor(
    private readonly plans: PlansService,
    private readonly lock: LeaderLock,
    private readonly options: DeadlineSchedulerOptions,
  ) {
    this.periodic = new PeriodicPass(
      () => this.tick(),
      this.options.intervalMs,
      (err: unknown) => this.options.logger.warn({ err }, 'deadline scan failed'),
    );
  }

  /** One scan; returns how many marks it recorded (0 when another instance leads). */
  async tick(): Promise<number> {
    if (!(await this.lock.acquire())) return 0;
    let marked = 0;
    for (const candidate of await this.plans.deadlineCandidates(this.options.dueSoonWindowDays(), this.options.batch ?? 1000)) {
      try {
        marked += (await this.plans.markDeadline(candidate.taskId, candidate.cityId, this.options.dueSoonDaysOf(candidate.cityId))).length;
      } catch (err) {
        this.options.logger.warn({ err, taskId: candidate.taskId }, 'deadline mark failed; retried next scan');
      }
    }
    for (const candidate of await this.plans.occurrenceCandidates(this.options.batch ?? 1000)) {
      try {
        marked += (await this.plans.openOccurrences(candidate.taskId, candidate.cityId)).length;
      } catch (err) {
        this.options.logger.warn({ err, taskId: candidate.taskId }, 'opening occurrences failed; retried next scan');
      }
    }
    if (marked) this.options.logger.info({ marked }, 'deadline marks and occurrences recorded');
    return marked;
  }

  start(): void {
    this.periodic.start();
  }

  async stop(): Promise<void> {
    await this.periodic.stop();
    await this.lock.release();
  }
}

import type { LeaderLock } from '@mandate/messaging';
import { PeriodicPass, type Logger } from '@mandate/runtime';
import type { AgencyReports } from './agency-reports';

export type ReportOverdueSchedulerOptions = {
  /** How often to scan (a mark is as late as one interval). */
  readonly intervalMs: number;
  readonly logger: Logger;
  /** Reports looked at per scan. */
  readonly batch?: number;
};

/**
 * Turns a report's sending day into an event: every interval, the instance holding the lock marks
 * the requested reports whose sending day ended without a submission. Exactly once per report rests
 * on the report's stream, not on the lock: the decider refuses a second mark and the append checks
 * the version, so two instances, a restart or a lost lock cannot mark twice; the lock only keeps
 * them from doing the work twice.
 */
export class ReportOverdueScheduler {
  private readonly periodic: PeriodicPass;

  constructor(
    private readonly reports: AgencyReports,
    private readonly lock: LeaderLock,
    private readonly options: ReportOverdueSchedulerOptions,
  ) {
    this.periodic = new PeriodicPass(
      () => this.tick(),
      this.options.intervalMs,
      (err: unknown) => this.options.logger.warn({ err }, 'overdue scan failed'),
    );
  }

  /** One scan; returns how many marks it recorded (0 when another instance leads). */
  async tick(): Promise<number> {
    if (!(await this.lock.acquire())) return 0;
    let marked = 0;
    for (const candidate of await this.reports.overdueCandidates(this.options.batch ?? 1000)) {
      try {
        marked += (await this.reports.markOverdue(candidate.reportId, candidate.cityId)).length;
      } catch (err) {
        this.options.logger.warn({ err, reportId: candidate.reportId }, 'overdue mark failed; retried next scan');
      }
    }
    if (marked) this.options.logger.info({ marked }, 'overdue reports marked');
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

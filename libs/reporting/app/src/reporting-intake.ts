import type { CloudEvent } from '@mandate/messaging';
import type { SqlWrites } from '@mandate/runtime';
import type { DataSource, EntityManager } from 'typeorm';
import type { AgencyReports } from './agency-reports';
import type { PlanFeedStore } from './plan-feed.store';
import type { PlanSummaryProjection } from './plan-summary.projection';

/**
 * The reporting service's one consumer of the plans contracts. The feed append and the summary's
 * change commit together, so the summary is always the feed's fold and can be rebuilt from it; a
 * repeating duty's new period also asks for its report.
 */
export class ReportingIntake {
  constructor(
    private readonly db: DataSource,
    private readonly feed: PlanFeedStore,
    private readonly summary: PlanSummaryProjection,
    private readonly reports: AgencyReports,
  ) {}

  /** One event, in its own transaction, once (the summary's inbox). */
  async handle(event: CloudEvent): Promise<void> {
    await this.db.transaction(async (manager) => {
      if (await this.summary.claimIn(manager, event.id)) await this.applyIn(manager, event);
    });
  }

  /**
   * One event within the caller's transaction, whose inbox has taken its id under
   * `PlanSummaryProjection.consumer` (the events transport's, or `handle`'s). A report an occurrence
   * asks for is appended to its own log at once (idempotent: a redelivered occurrence asks for the
   * same report), reading the plan from this transaction's feed. `writes`: where the feed and the
   * summary write, when the caller sends writes together (they must reach `manager` before its next query).
   */
  async applyIn(manager: EntityManager, event: CloudEvent, writes: SqlWrites = manager): Promise<void> {
    await this.feed.appendIn(writes, event);
    await this.summary.project(writes, event);
    await this.reports.requestForOccurrence(event, manager);
  }
}

import type { CloudEvent } from '@mandate/messaging';
import type { DataSource } from 'typeorm';
import type { AgencyReports } from './agency-reports';
import type { PlanFeedStore } from './plan-feed.store';
import type { PlanSummaryProjection } from './plan-summary.projection';

/**
 * The reporting service's one consumer of the plans contracts. The feed append and the summary's
 * change commit together, so the summary is always the feed's fold and can be rebuilt from it; a
 * repeating duty's new period then asks for its report (idempotent on its own).
 */
export class ReportingIntake {
  constructor(
    private readonly db: DataSource,
    private readonly feed: PlanFeedStore,
    private readonly summary: PlanSummaryProjection,
    private readonly reports: AgencyReports,
  ) {}

  async handle(event: CloudEvent): Promise<void> {
    await this.db.transaction(async (manager) => {
      await this.feed.appendIn(manager, event);
      // The summary's own inbox: a deployment whose summary predates the feed does not count twice.
      await this.summary.handleIn(manager, event);
    });
    await this.reports.requestForOccurrence(event);
  }
}

import type { PostgresEventStore } from '@mandate/event-store';
import { Inbox } from '@mandate/messaging';
import { ident, secureCityTables, serviceRoleOf, withOwnerRights } from '@mandate/runtime';
import type { DataSource, EntityManager, MigrationInterface } from 'typeorm';
import { agencyReportsMigration, agencyReportsOverdueMigration, projectAgencyReports } from './agency-reports';
import { cloudEventOf, type FeedRow } from './plan-feed.store';
import { PlanSummaryProjection, planSummaryChangesMigration, planSummaryMigration, planSummaryUnnumberedMigration } from './plan-summary.projection';

export type ReportingRebuildProgress = { events: number; total: number };
export type ReportingRebuildResult = { events: number; tailEvents: number; seconds: number };

/** The read models a rebuild replaces, with the migrations that create them. */
const TABLES = ['plans', 'task_status', 'agency_reports'];
const MIGRATIONS = [planSummaryMigration, planSummaryChangesMigration, planSummaryUnnumberedMigration, agencyReportsMigration, agencyReportsOverdueMigration];
const PAGE = 5000;

const migrate = async (manager: EntityManager, schema: string) => {
  for (const migration of MIGRATIONS) {
    const Migration = migration(schema) as new () => MigrationInterface;
    await new Migration().up(manager.queryRunner!);
  }
};

/**
 * Rebuilds reporting's read models beside the live ones and then switches: the plan summary from
 * the feed (its fold), the agency report list from reporting's own log. Each is read in a snapshot
 * into tables of a scratch schema while the live tables keep serving; then, holding the feed and
 * the log against writers for a moment, what committed after each snapshot is applied and the
 * tables trade places.
 */
export const rebuildReportingReadModels = (
  db: DataSource,
  schema: string,
  store: PostgresEventStore,
  onProgress: (progress: ReportingRebuildProgress) => void | Promise<void> = () => undefined,
): Promise<ReportingRebuildResult> =>
  // It creates a schema and moves tables: the login's rights, not the service role's.
  withOwnerRights(() => rebuild(db, schema, store, onProgress));

const rebuild = async (
  db: DataSource,
  schema: string,
  store: PostgresEventStore,
  onProgress: (progress: ReportingRebuildProgress) => void | Promise<void>,
): Promise<ReportingRebuildResult> => {
  const started = performance.now();
  const next = `${schema}_next`;
  const old = `${schema}_old`;
  const live = ident(schema);
  const summary = new PlanSummaryProjection(db, next, new Inbox(db, next));
  const reports = projectAgencyReports(next);
  const feedRows = (rows: FeedRow[]) => rows.map(cloudEventOf);

  await db.query(`DROP SCHEMA IF EXISTS ${ident(next)} CASCADE`);
  await db.query(`CREATE SCHEMA ${ident(next)}`);
  await db.transaction((manager) => migrate(manager, next));

  // The agency report list: reporting's own log, through the event store's scan (its own snapshot).
  let events = 0;
  const scan = await store.scan({ pageSize: PAGE });
  const feed = db.createQueryRunner();
  let feedSnapshot: string;
  try {
    await feed.connect();
    await feed.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const [head] = (await feed.query(`SELECT pg_current_snapshot()::text AS snapshot, count(*)::int AS n FROM ${live}.plan_feed`)) as {
      snapshot: string;
      n: number;
    }[];
    feedSnapshot = head.snapshot;
    const total = head.n + Number(scan.lastPosition);
    for await (const page of scan.pages()) {
      await db.transaction((manager) => reports(manager, page));
      events += page.length;
      await onProgress({ events, total });
    }
    // The summary: the feed in arrival order, a page per transaction into the scratch tables.
    for (let after = 0; ;) {
      const rows = (await feed.query(
        `SELECT position, event_id, city_id, type, time, data, subject, sequence::text, correlation_id FROM ${live}.plan_feed WHERE position > $1 ORDER BY position LIMIT ${PAGE}`,
        [after],
      )) as (FeedRow & { position: string })[];
      if (rows.length === 0) break;
      await db.transaction(async (manager) => {
        for (const event of feedRows(rows)) await summary.project(manager, event);
      });
      after = Number(rows[rows.length - 1].position);
      events += rows.length;
      await onProgress({ events, total });
    }
  } finally {
    await scan.close();
    await feed.query('COMMIT').catch(() => undefined);
    await feed.release();
  }

  let tailEvents = 0;
  await db.transaction(async (manager) => {
    // Writers wait here: the feed's intake and report commands both append to what is locked.
    await manager.query(`LOCK TABLE ${live}.plan_feed, ${live}.events, ${TABLES.map((t) => `${live}.${t}`).join(', ')} IN EXCLUSIVE MODE`);
    const feedTail = (await manager.query(
      `SELECT event_id, city_id, type, time, data, subject, sequence::text, correlation_id FROM ${live}.plan_feed
        WHERE txid >= pg_snapshot_xmin($1::pg_snapshot) AND NOT pg_visible_in_snapshot(txid, $1::pg_snapshot) ORDER BY position`,
      [feedSnapshot],
    )) as FeedRow[];
    for (const event of feedRows(feedTail)) await summary.project(manager, event);
    const logTail = await store.readCommittedAfter(manager, scan.snapshot);
    await reports(manager, logTail);
    tailEvents = feedTail.length + logTail.length;
    await manager.query(`DROP SCHEMA IF EXISTS ${ident(old)} CASCADE`);
    await manager.query(`CREATE SCHEMA ${ident(old)}`);
    for (const table of TABLES) {
      await manager.query(`ALTER TABLE ${live}.${ident(table)} SET SCHEMA ${ident(old)}`);
      await manager.query(`ALTER TABLE ${ident(next)}.${ident(table)} SET SCHEMA ${live}`);
    }
    await manager.query(`DROP SCHEMA ${ident(old)} CASCADE`);
    await manager.query(`DROP SCHEMA ${ident(next)} CASCADE`);
    // The new tables are live only once they are as secured as the ones they replace.
    await secureCityTables(manager, schema, serviceRoleOf(db));
  });
  return { events: events + tailEvents, tailEvents, seconds: (performance.now() - started) / 1000 };
};

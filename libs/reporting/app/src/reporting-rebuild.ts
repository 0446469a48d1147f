import type { PostgresEventStore } from '@mandate/event-store';
import { Inbox } from '@mandate/messaging';
import { ident } from '@mandate/runtime';
import type { DataSource, EntityManager, MigrationInterface } from 'typeorm';
import { agencyReportsMigration, projectAgencyReports } from './agency-reports';
import { cloudEventOf, type FeedRow } from './plan-feed.store';
import { PlanSummaryProjection, planSummaryChangesMigration, planSummaryMigration } from './plan-summary.projection';

export type ReportingRebuildProgress = { events: number; total: number };
export type ReportingRebuildResult = { events: number; tailEvents: number; seconds: number };

/** The read models a rebuild replaces, with the migrations that create them. */
const TABLES = ['plans', 'task_status', 'agency_reports'];
const MIGRATIONS = [planSummaryMigration, planSummaryChangesMigration, agencyReportsMigration];
const PAGE = 5000;

const migrate = async (manager: EntityManager, schema: string) => {
  for (const migration of MIGRATIONS) {
    const Migration = migration(schema) as new () => MigrationInterface;
    await new Migration().up(manager.queryRunner!);
  }
};

/**
 * Rebuilds reporting's read models beside the live ones and then switches: the plan summary from
 * the feed (its fold), the agency report list from reporting's own log. Both are read in one
 * snapshot into tables of a scratch schema while the live tables keep serving; then, holding the
 * feed and the log against writers for a moment, what committed after the snapshot is applied and
 * the tables trade places.
 */
export const rebuildReportingReadModels = async (
  db: DataSource,
  schema: string,
  store: PostgresEventStore,
  onProgress: (progress: ReportingRebuildProgress) => void | Promise<void> = () => undefined,
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

  const runner = db.createQueryRunner();
  await runner.connect();
  let events = 0;
  let snapshot: string;
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const [head] = (await runner.query(`SELECT pg_current_snapshot()::text AS snapshot, (SELECT count(*) FROM ${live}.plan_feed)::int AS feed, (SELECT count(*) FROM ${live}.events)::int AS log`)) as {
      snapshot: string;
      feed: number;
      log: number;
    }[];
    snapshot = head.snapshot;
    const total = head.feed + head.log;
    // The summary: the feed in arrival order, a page per transaction into the scratch tables.
    for (let after = 0; ; ) {
      const rows = (await runner.query(
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
    // The agency reports: reporting's own log, in the same snapshot.
    for (let after = 0n; ; ) {
      const rows = (await runner.query(
        `SELECT global_position::text, stream_id, stream_version::text, type, schema_version, data, metadata FROM ${live}.events WHERE global_position > $1 ORDER BY global_position LIMIT ${PAGE}`,
        [after.toString()],
      )) as { global_position: string; stream_id: string; stream_version: string; type: string; schema_version: number; data: Record<string, unknown>; metadata: never }[];
      if (rows.length === 0) break;
      const scanned = rows.map((r) => ({ type: r.type, schemaVersion: r.schema_version, data: r.data, metadata: r.metadata, streamId: r.stream_id, streamVersion: BigInt(r.stream_version), globalPosition: BigInt(r.global_position) }));
      await db.transaction((manager) => reports(manager, scanned));
      after = BigInt(rows[rows.length - 1].global_position);
      events += rows.length;
      await onProgress({ events, total });
    }
  } finally {
    await runner.query('COMMIT').catch(() => undefined);
    await runner.release();
  }

  let tailEvents = 0;
  await db.transaction(async (manager) => {
    // Writers wait here: the feed's intake and report commands both append to what is locked.
    await manager.query(`LOCK TABLE ${live}.plan_feed, ${live}.events, ${TABLES.map((t) => `${live}.${t}`).join(', ')} IN EXCLUSIVE MODE`);
    const feedTail = (await manager.query(
      `SELECT event_id, city_id, type, time, data, subject, sequence::text, correlation_id FROM ${live}.plan_feed
        WHERE txid >= pg_snapshot_xmin($1::pg_snapshot) AND NOT pg_visible_in_snapshot(txid, $1::pg_snapshot) ORDER BY position`,
      [snapshot],
    )) as FeedRow[];
    for (const event of feedRows(feedTail)) await summary.project(manager, event);
    const logTail = await store.readCommittedAfter(manager, snapshot);
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
  });
  return { events: events + tailEvents, tailEvents, seconds: (performance.now() - started) / 1000 };
};

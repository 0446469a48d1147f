import type { DataSource, QueryRunner } from 'typeorm';
import {
  anchorBreakOf,
  auditDayOf,
  dayEnd,
  dayStart,
  earlierBreak,
  unanchoredDayBreak,
  type AnchorBreak,
  type AnchorCheck,
  type AuditAnchor,
  type DayDigest,
} from './anchors';
import { MerkleBuilder } from './merkle';
import { anchorsTable, assertSchemaName, eventsTable } from './schema';
import { inReadOnlySnapshot } from './transactions';

type AnchorRow = {
  city_id: string;
  day: string;
  root: string;
  events: number;
  first_position: string;
  last_position: string;
  previous_anchor_root: string | null;
  created_at: Date;
};

const ANCHOR_COLUMNS = `city_id, to_char(day, 'YYYY-MM-DD') AS day, root, events, first_position::text AS first_position,
  last_position::text AS last_position, previous_anchor_root, created_at`;

const toAnchor = (row: AnchorRow): AuditAnchor => ({
  cityId: row.city_id,
  day: row.day,
  root: row.root,
  events: row.events,
  firstPosition: BigInt(row.first_position),
  lastPosition: BigInt(row.last_position),
  previousAnchorRoot: row.previous_anchor_root,
  createdAt: row.created_at,
});

/** The Vietnam day of a recorded_at in SQL, the same fixed UTC+7 `auditDayOf` applies. */
const LOCAL_DAY = `((recorded_at AT TIME ZONE 'UTC') + interval '7 hours')::date`;

const DIGEST_PAGE = 10_000;

export type AnchorRun = {
  anchored: AuditAnchor[];
  /** Why closed days were left for a later run, when they were. */
  waitingFor: string | null;
};

/**
 * Daily anchors in `<schema>.audit_anchors` (see `anchors.ts`). A day is anchored once, only when it
 * is closed: before today by both the caller's clock and the database's, and with no transaction of
 * this database open since before its end (a writer stamps recorded_at when its transaction starts, so
 * such a transaction could still add to the day). Anchoring takes a per-city transaction lock, one day
 * per transaction, so the scheduler of every instance and the CLI can all run it.
 */
export class AnchorStore {
  private readonly events: string;
  private readonly anchors: string;
  private readonly lockName: string;

  constructor(
    private readonly dataSource: DataSource,
    schema: string,
  ) {
    this.events = eventsTable(schema);
    this.anchors = anchorsTable(schema);
    this.lockName = `${assertSchemaName(schema)}.audit_anchors`;
  }

  /** Every city with events, by a loose index scan (one probe per city, not a pass over the log). */
  async cities(): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `WITH RECURSIVE c AS (
         SELECT min(city_id) AS city_id FROM ${this.events}
         UNION ALL
         SELECT (SELECT min(city_id) FROM ${this.events} WHERE city_id > c.city_id) FROM c WHERE c.city_id IS NOT NULL)
       SELECT city_id FROM c WHERE city_id IS NOT NULL`,
    )) as { city_id: string }[];
    return rows.map((r) => r.city_id);
  }

  /** Anchors every closed day of the city not anchored yet, oldest first; `now` is the caller's clock. */
  async anchorClosedDays(cityId: string, now: Date): Promise<AnchorRun> {
    const anchored: AuditAnchor[] = [];
    for (;;) {
      const { anchor, waitingFor } = await this.anchorNextDay(cityId, now);
      if (!anchor) return { anchored, waitingFor };
      anchored.push(anchor);
    }
  }

  /** The city's anchors in day order, within [from, to] when given (YYYY-MM-DD). */
  async list(cityId: string, range: { from?: string; to?: string } = {}, runner?: QueryRunner): Promise<AuditAnchor[]> {
    const params: unknown[] = [cityId];
    const filters = ['city_id = $1'];
    if (range.from !== undefined) filters.push(`day >= $${params.push(range.from)}::date`);
    if (range.to !== undefined) filters.push(`day <= $${params.push(range.to)}::date`);
    const rows = (await (runner ?? this.dataSource).query(
      `SELECT ${ANCHOR_COLUMNS} FROM ${this.anchors} WHERE ${filters.join(' AND ')} ORDER BY day`,
      params,
    )) as AnchorRow[];
    return rows.map(toAnchor);
  }

  /** How many events the city's anchors cover (a total for progress bars). */
  async anchoredEvents(cityId: string): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT coalesce(sum(events), 0)::text AS n FROM ${this.anchors} WHERE city_id = $1`, [cityId])) as {
      n: string;
    }[];
    return Number(row.n);
  }

  /**
   * Recomputes every anchored day of the city from the log, in one snapshot, and looks for days with
   * events up to the last anchored day that have no anchor. The first break is the earliest day.
   */
  async check(cityId: string, onDay?: (events: number) => void): Promise<AnchorCheck> {
    return this.readOnly(async (runner) => {
      const anchors = await this.list(cityId, {}, runner);
      if (anchors.length === 0) return { checked: 0, firstBroken: null };
      let firstBroken: AnchorBreak | null = null;
      const anchoredDays = new Set(anchors.map((a) => a.day));
      const days = (await runner.query(
        `SELECT DISTINCT to_char(${LOCAL_DAY}, 'YYYY-MM-DD') AS day FROM ${this.events}
          WHERE city_id = $1 AND recorded_at < $2 ORDER BY 1`,
        [cityId, dayEnd(anchors[anchors.length - 1].day)],
      )) as { day: string }[];
      const unanchored = days.find((d) => !anchoredDays.has(d.day));
      if (unanchored) firstBroken = unanchoredDayBreak(unanchored.day, await this.digest(runner, cityId, unanchored.day));
      let previousRoot: string | null = null;
      for (const anchor of anchors) {
        const found = await this.digest(runner, cityId, anchor.day);
        firstBroken = earlierBreak(firstBroken, anchorBreakOf(anchor, found, previousRoot));
        previousRoot = anchor.root;
        onDay?.(found.events);
      }
      return { checked: anchors.length, firstBroken };
    });
  }

  private async anchorNextDay(cityId: string, now: Date): Promise<{ anchor: AuditAnchor | null; waitingFor: string | null }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      try {
        await runner.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [this.lockName, cityId]);
        const [clock] = (await runner.query(
          `SELECT now() AS db_now,
                  (SELECT min(xact_start) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend') AS oldest`,
        )) as { db_now: Date; oldest: Date | null }[];
        const present = Math.min(now.getTime(), clock.db_now.getTime());
        const today = auditDayOf(new Date(present));
        const open = clock.oldest && clock.oldest.getTime() < present ? clock.oldest : null;
        const closedBefore = open ? auditDayOf(open) : today;
        const waitingFor = closedBefore < today ? `a database transaction open since ${open!.toISOString()}` : null;

        const [last] = (await runner.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, root FROM ${this.anchors} WHERE city_id = $1 ORDER BY day DESC LIMIT 1`, [
          cityId,
        ])) as { day: string; root: string }[];
        const params: unknown[] = [cityId, dayStart(closedBefore)];
        const after = last ? `AND recorded_at >= $${params.push(dayEnd(last.day))}` : '';
        const [next] = (await runner.query(
          `SELECT min(recorded_at) AS first FROM ${this.events} WHERE city_id = $1 AND recorded_at < $2 ${after}`,
          params,
        )) as { first: Date | null }[];
        if (!next.first) {
          await runner.commitTransaction();
          return { anchor: null, waitingFor };
        }
        const day = auditDayOf(next.first);
        const digest = await this.digest(runner, cityId, day);
        const rows = (await runner.query(
          `INSERT INTO ${this.anchors} (city_id, day, root, events, first_position, last_position, previous_anchor_root)
           VALUES ($1, $2::date, $3, $4, $5, $6, $7)
           ON CONFLICT (city_id, day) DO NOTHING
           RETURNING ${ANCHOR_COLUMNS}`,
          [cityId, day, digest.root, digest.events, String(digest.firstPosition), String(digest.lastPosition), last?.root ?? null],
        )) as AnchorRow[];
        await runner.commitTransaction();
        return { anchor: rows[0] ? toAnchor(rows[0]) : null, waitingFor };
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  /** The day's events of the city as the log holds them now: Merkle root, count, first and last position. */
  private async digest(runner: QueryRunner, cityId: string, day: string): Promise<DayDigest> {
    // A cursor, so a day of a million events is hashed page by page without sorting it once per page.
    await runner.query(
      `DECLARE anchor_day NO SCROLL CURSOR FOR
         SELECT global_position::text AS position, hash FROM ${this.events}
          WHERE city_id = $1 AND recorded_at >= $2 AND recorded_at < $3 ORDER BY global_position`,
      [cityId, dayStart(day), dayEnd(day)],
    );
    const builder = new MerkleBuilder();
    let first: bigint | null = null;
    let last: bigint | null = null;
    for (;;) {
      const rows = (await runner.query(`FETCH ${DIGEST_PAGE} FROM anchor_day`)) as { position: string; hash: string }[];
      for (const row of rows) builder.add(row.hash);
      if (rows.length > 0) {
        first ??= BigInt(rows[0].position);
        last = BigInt(rows[rows.length - 1].position);
      }
      if (rows.length < DIGEST_PAGE) break;
    }
    // On an error the transaction ends, and the cursor with it.
    await runner.query('CLOSE anchor_day');
    return { root: builder.root(), events: builder.size, firstPosition: first, lastPosition: last };
  }

  private readOnly<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    return inReadOnlySnapshot(this.dataSource, work);
  }
}

import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { EVENT_COLUMNS, SCAN_COLUMNS, toScannedEvent, toStoredEvent, type EventRow, type ScannedEvent, type ScanRow } from './rows';
import type { StoredEvent } from './types';
import type { Upcasters } from './upcasting';

export type { ScannedEvent } from './rows';

export type LogScanOptions = { pageSize?: number; cityId?: string };

/**
 * One pass over the whole log for a rebuild: a REPEATABLE READ snapshot read through a server-side
 * cursor, the next page already on its way while the caller folds the current one (PostgreSQL and
 * Node work on different cores). The snapshot is kept so the events committed after it, and only
 * those, can be read once the caller holds its read model's lock (`readCommittedAfter`).
 */
export class LogScan {
  private constructor(
    private readonly runner: QueryRunner,
    private readonly upcasters: Upcasters,
    private readonly pageSize: number,
    /** `pg_snapshot` text of the scan */
    readonly snapshot: string,
    /** The highest position the snapshot sees: a total for progress bars (positions may have gaps). */
    readonly lastPosition: bigint,
  ) {}

  static async open(dataSource: DataSource, table: string, upcasters: Upcasters, options: LogScanOptions): Promise<LogScan> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const [head] = (await runner.query(`SELECT pg_current_snapshot()::text AS snapshot, coalesce(max(global_position), 0)::text AS last FROM ${table}`)) as {
        snapshot: string;
        last: string;
      }[];
      const params: unknown[] = [];
      const filter = options.cityId === undefined ? '' : `WHERE city_id = $${params.push(options.cityId)}`;
      // Within one snapshot, position order is a stream's version order: a later version's writer
      // saw the earlier one committed before it drew its position.
      await runner.query(`DECLARE log_scan NO SCROLL CURSOR FOR SELECT ${SCAN_COLUMNS} FROM ${table} ${filter} ORDER BY global_position`, params);
      return new LogScan(runner, upcasters, options.pageSize ?? 10_000, head.snapshot, BigInt(head.last));
    } catch (error) {
      await runner.release();
      throw error;
    }
  }

  async *pages(): AsyncGenerator<ScannedEvent[]> {
    const fetch = () => this.runner.query(`FETCH ${this.pageSize} FROM log_scan`) as Promise<ScanRow[]>;
    let next = fetch();
    for (;;) {
      const rows = await next;
      if (rows.length === 0) return;
      next = fetch();
      // A caller that stops early must not leave the prefetch's rejection unhandled.
      next.catch(() => undefined);
      yield rows.map((row) => toScannedEvent(row, this.upcasters));
    }
  }

  async close(): Promise<void> {
    try {
      await this.runner.query('COMMIT');
    } finally {
      await this.runner.release();
    }
  }
}

/**
 * The events whose transactions the snapshot did not see, in position order: what a scan missed.
 * Run it on the manager that locks the read model, so nothing committed later can slip between.
 */
export const readCommittedAfter = async (
  manager: EntityManager,
  table: string,
  upcasters: Upcasters,
  snapshot: string,
  cityId?: string,
): Promise<StoredEvent[]> => {
  const params: unknown[] = [snapshot];
  const city = cityId === undefined ? '' : `AND city_id = $${params.push(cityId)}`;
  const rows = (await manager.query(
    `SELECT ${EVENT_COLUMNS} FROM ${table}
      WHERE transaction_id >= pg_snapshot_xmin($1::pg_snapshot) AND NOT pg_visible_in_snapshot(transaction_id, $1::pg_snapshot) ${city}
      ORDER BY global_position`,
    params,
  )) as EventRow[];
  return rows.map((row) => toStoredEvent(row, upcasters));
};

import type { DataSource, QueryRunner } from 'typeorm';
import { dayEnd, dayStart } from './anchors';
import type { AnchorStore } from './anchor-store';
import type { CheckpointStore } from './audit-checkpoint-store';
import { anchorView } from './anchors';
import { exportedEventOf, type AuditExportContent, type ExportedChain } from './audit-export';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './rows';
import { inReadOnlySnapshot } from './transactions';
import type { Checkpoint, StoredEvent } from './types';
import type { Upcasters } from './upcasting';

export type AuditSearch = {
  cityId: string;
  actorId?: string;
  correlationId?: string;
  types?: readonly string[];
  streamId?: string;
  /** recorded at or after */
  from?: Date;
  /** recorded before */
  to?: Date;
  /** newest: latest first (the default of the API); oldest: log order */
  order: 'newest' | 'oldest';
  limit: number;
  /** where the previous page ended */
  after: Checkpoint | null;
};

/** Only rows older than every running transaction: a page never passes over an event that commits late. */
const SETTLED = 'transaction_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))';

/**
 * Searches a city's events in log order (transaction, then position), forwards or backwards. Below the
 * oldest running transaction only, so paging is stable both ways: anything that commits later sorts
 * after every row already seen, never among the pages still to come of a newest-first walk, and in
 * its place for an oldest-first one.
 */
export const searchEvents = async (
  dataSource: DataSource,
  table: string,
  upcasters: Upcasters,
  search: AuditSearch,
): Promise<{ events: StoredEvent[]; next: Checkpoint | null }> => {
  const params: unknown[] = [search.cityId];
  const filters = ['city_id = $1', SETTLED];
  if (search.actorId !== undefined) filters.push(`metadata->>'actorId' = $${params.push(search.actorId)}`);
  if (search.correlationId !== undefined) filters.push(`metadata->>'correlationId' = $${params.push(search.correlationId)}`);
  if (search.types !== undefined) filters.push(`type = ANY ($${params.push(search.types)}::text[])`);
  if (search.streamId !== undefined) filters.push(`stream_id = $${params.push(search.streamId)}`);
  if (search.from !== undefined) filters.push(`recorded_at >= $${params.push(search.from)}`);
  if (search.to !== undefined) filters.push(`recorded_at < $${params.push(search.to)}`);
  const direction = search.order === 'newest' ? 'DESC' : 'ASC';
  if (search.after !== null) {
    const after = decodeCheckpoint(search.after);
    filters.push(
      `(transaction_id, global_position) ${search.order === 'newest' ? '<' : '>'} ($${params.push(after.transactionId)}::xid8, $${params.push(after.globalPosition.toString())}::bigint)`,
    );
  }
  const rows = (await dataSource.query(
    `SELECT ${EVENT_COLUMNS} FROM ${table} e WHERE ${filters.join(' AND ')}
      ORDER BY e.transaction_id ${direction}, e.global_position ${direction} LIMIT $${params.push(search.limit + 1)}`,
    params,
  )) as EventRow[];
  const events = rows.slice(0, search.limit).map((row) => toStoredEvent(row, upcasters));
  const last = events[events.length - 1];
  return { events, next: rows.length > search.limit && last ? encodeCheckpoint(last.transactionId, last.globalPosition) : null };
};

/** Every event of these streams of the city, in log order (transaction, then position). */
export const readStreams = async (
  dataSource: DataSource,
  table: string,
  upcasters: Upcasters,
  cityId: string,
  streamIds: readonly string[],
): Promise<StoredEvent[]> => {
  const rows = (await dataSource.query(
    `SELECT ${EVENT_COLUMNS} FROM ${table} e WHERE city_id = $1 AND stream_id = ANY ($2::text[]) ORDER BY e.transaction_id, e.global_position`,
    [cityId, streamIds],
  )) as EventRow[];
  return rows.map((row) => toStoredEvent(row, upcasters));
};

/**
 * What an export of days [from, to] holds (unsigned), read in one snapshot: the city's events recorded
 * in those days with, per stream, the versions between its first and last one there (see
 * `audit-export.ts`), the hash each stream's chain starts from, and the days' anchors.
 */
export const readAuditExport = async (
  dataSource: DataSource,
  table: string,
  anchors: AnchorStore,
  checkpoints: CheckpointStore,
  range: { cityId: string; from: string; to: string; generatedAt: Date },
): Promise<AuditExportContent> => {
  return inReadOnlySnapshot(dataSource, (runner) => readInSnapshot(runner, table, anchors, checkpoints, range));
};

const readInSnapshot = async (
  runner: QueryRunner,
  table: string,
  anchors: AnchorStore,
  checkpoints: CheckpointStore,
  range: { cityId: string; from: string; to: string; generatedAt: Date },
): Promise<AuditExportContent> => {
  const selected = `WITH sel AS (
      SELECT stream_id, min(stream_version) AS lo, max(stream_version) AS hi FROM ${table}
       WHERE city_id = $1 AND recorded_at >= $2 AND recorded_at < $3 GROUP BY stream_id)`;
  const params = [range.cityId, dayStart(range.from), dayEnd(range.to)];
  const chainRows = (await runner.query(
    `${selected}
     SELECT sel.stream_id, sel.lo::text AS lo, sel.hi::text AS hi, p.hash AS previous_hash
       FROM sel LEFT JOIN ${table} p ON p.stream_id = sel.stream_id AND p.stream_version = sel.lo - 1
      ORDER BY sel.stream_id COLLATE "C"`,
    params,
  )) as { stream_id: string; lo: string; hi: string; previous_hash: string | null }[];
  const eventRows = (await runner.query(
    `${selected}
     SELECT ${EVENT_COLUMNS} FROM (
       SELECT e.* FROM ${table} e JOIN sel ON e.stream_id = sel.stream_id AND e.stream_version BETWEEN sel.lo AND sel.hi
        WHERE e.city_id = $1) e
      ORDER BY e.global_position`,
    params,
  )) as EventRow[];
  const chains: ExportedChain[] = chainRows.map((r) => ({
    streamId: r.stream_id,
    fromVersion: Number(r.lo),
    toVersion: Number(r.hi),
    previousHash: r.lo === '1' ? '' : r.previous_hash,
  }));
  return {
    city: range.cityId,
    from: range.from,
    to: range.to,
    generatedAt: range.generatedAt.toISOString(),
    events: eventRows.map(exportedEventOf),
    chains,
    anchors: (await anchors.list(range.cityId, { from: range.from, to: range.to }, runner)).map(anchorView),
    // The signed checkpoints taken during those days: the key's word on the log, and on the anchors they name.
    checkpoints: await checkpoints.list(range.cityId, runner, 'all', { from: dayStart(range.from), to: dayEnd(range.to) }),
  };
};

import { ConcurrencyError, ConflictError } from '@mandate/kernel';
import type { SqlWrites } from '@mandate/runtime';
import type { DataSource, EntityManager } from 'typeorm';
import { buildAppendRequest, expectedVersionLabel, storedEventsOf, type AppendedRow } from './append-request';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint';
import { SETTLED_HORIZON_SQL } from './settled-horizon';
import { inBatchedTransaction, type BatchedTransaction } from './transactions';
import { eventStoreMigrations, type MigrationClass } from './migrations';
import { pgErrorOf } from './pg-errors';
import { LogScan, readCommittedAfter, type LogScanOptions } from './log-scan';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './rows';
import { SQLSTATE, assertSchemaName, eventsTable } from './schema';
import type { Checkpoint, ExpectedVersion, NewEvent, StoredEvent } from './types';
import { Upcasters, type Upcaster } from './upcasting';
import { ChainVerifier, type VerifyResult } from './verify';
import { AnchorStore, type AnchorRun } from './anchor-store';
import type { AuditAnchor } from './anchors';
import type { AuditExportContent } from './audit-export';
import { readAuditExport, readStreams, searchEvents, type AuditSearch } from './audit-log';
import { CheckpointStore } from './audit-checkpoint-store';
import type { AuditCheckpoint } from './audit-checkpoints';
import type { AuditSigningKey } from './audit-key';
import { createPublicKey } from 'node:crypto';

/**
 * `auditKey`: the deployment's audit key, read when first needed: signs checkpoints, and its public half
 * checks them (without it, verify checks the checkpoints' roots and links but not their signatures).
 */
export type EventStoreOptions = { schema: string; upcasters?: Upcaster[]; auditKey?: () => AuditSigningKey };

export type AppendOptions = {
  expectedVersion: ExpectedVersion;
  cityId: string;
  /**
   * Inline projections: runs in the append transaction; a throw rolls the append back. Not run on a
   * dedup. `writes`: where statements whose answer is not needed go (sent with the COMMIT).
   */
  inTransaction?: (manager: EntityManager, stored: StoredEvent[], writes: SqlWrites) => Promise<void>;
};

export type AppendResult = { streamVersion: bigint; events: StoredEvent[]; deduplicated: boolean };

export type ReadStreamOptions = { cityId: string; fromVersion?: bigint; toVersion?: bigint; recordedBefore?: Date };

/** One stream inside `withStreamLock`: read it and append to it on the locked transaction. */
export type LockedStream = {
  /** The stream's part in the lock's city, or in `cityId` (where a stream continued in this city comes from). */
  read(options?: Omit<ReadStreamOptions, 'cityId'> & { cityId?: string }): Promise<{ events: StoredEvent[]; streamVersion: bigint }>;
  append(events: NewEvent[], options: Omit<AppendOptions, 'cityId'>): Promise<AppendResult>;
};

export type ReadAllOptions = { after: Checkpoint | null; limit: number; cityId?: string };

/** Progress of a verification: events checked (chains, then anchored days) of the total to check. */
export type VerifyProgress = (progress: { checked: number; total: number }) => void;

const VERIFY_PAGE = 2000;

type Query = (sql: string, params: unknown[]) => Promise<unknown>;

/**
 * The event log in one PostgreSQL schema. Opaque events only: it never knows a domain type.
 *
 * Another city's stream looks like no stream at all: readStream returns nothing at version 0n, and
 * append throws ConcurrencyError with actual '0' (for a numeric expected version, the very error an
 * unknown stream gives; with 'no_stream' or 'any' the id is simply unusable for that city).
 */
export class PostgresEventStore {
  private readonly table: string;
  private readonly appendSql: string;
  private readonly lockName: string;
  private readonly upcasters: Upcasters;
  private readonly anchorStore: AnchorStore;
  private readonly checkpointStore: CheckpointStore;
  private readonly auditKey: (() => AuditSigningKey) | null;

  constructor(
    private readonly dataSource: DataSource,
    options: EventStoreOptions,
  ) {
    const schema = assertSchemaName(options.schema);
    this.table = eventsTable(schema);
    this.appendSql = `SELECT * FROM "${schema}".append_events($1, $2, $3, $4::uuid[], $5, $6, $7, $8, $9)`;
    // append_events locks a stream with pg_advisory_xact_lock(hashtext('"<schema>".events'), hashtext(stream)).
    this.lockName = `"${schema}".events`;
    this.upcasters = new Upcasters(options.upcasters);
    this.anchorStore = new AnchorStore(dataSource, schema);
    this.checkpointStore = new CheckpointStore(dataSource, schema);
    this.auditKey = options.auditKey ?? null;
  }

  /** TypeORM migration classes for the DataSource `migrations` option. */
  static migrations(schema: string): MigrationClass[] {
    return eventStoreMigrations(schema);
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (!options.inTransaction) return this.appendWith((sql, params) => this.dataSource.query(sql, params), streamId, events, options);
    return inBatchedTransaction(this.dataSource, [], (tx) => this.appendWith(tx.query, streamId, events, options, tx));
  }

  /**
   * Runs `work` in one transaction that holds the stream's append lock (the one append_events takes),
   * so what it reads is still the head when it appends: concurrent writers of the stream queue here
   * instead of failing on a version they could not have known. Keep `work` short and on this
   * transaction (no other pooled query while holding the lock).
   */
  withStreamLock<T>(streamId: string, cityId: string, work: (stream: LockedStream) => Promise<T>): Promise<T> {
    // The lock travels with the first read, the inline projection's writes with the COMMIT.
    const lock = { sql: 'SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', parameters: [this.lockName, streamId] };
    return inBatchedTransaction(this.dataSource, [lock], (tx) =>
      work({
        read: (options = {}) => this.readStreamWith(tx.query, streamId, { cityId, ...options }),
        append: (events, options) => this.appendWith(tx.query, streamId, events, { ...options, cityId }, tx),
      }),
    );
  }

  private async appendWith(query: Query, streamId: string, events: NewEvent[], options: AppendOptions, tx?: BatchedTransaction): Promise<AppendResult> {
    const request = buildAppendRequest(streamId, events, options.cityId, options.expectedVersion);
    let rows: AppendedRow[];
    try {
      rows = (await query(this.appendSql, request.params)) as AppendedRow[];
    } catch (error) {
      throw this.appendError(error, streamId, options.expectedVersion);
    }
    if (rows[0]?.r_deduplicated) return this.deduplicated(query, request.ids, options.cityId);
    const stored = storedEventsOf(streamId, events, request, rows);
    if (options.inTransaction && tx) await options.inTransaction(tx.manager, stored, tx.writes);
    return { streamVersion: stored[stored.length - 1].streamVersion, events: stored, deduplicated: false };
  }

  readStream(streamId: string, options: ReadStreamOptions): Promise<{ events: StoredEvent[]; streamVersion: bigint }> {
    return this.readStreamWith((sql, params) => this.dataSource.query(sql, params), streamId, options);
  }

  private async readStreamWith(query: Query, streamId: string, options: ReadStreamOptions): Promise<{ events: StoredEvent[]; streamVersion: bigint }> {
    const params: unknown[] = [streamId, options.cityId];
    const filters: string[] = [];
    if (options.fromVersion !== undefined) filters.push(`e.stream_version >= $${params.push(options.fromVersion.toString())}`);
    if (options.toVersion !== undefined) filters.push(`e.stream_version <= $${params.push(options.toVersion.toString())}`);
    if (options.recordedBefore !== undefined) filters.push(`e.recorded_at < $${params.push(options.recordedBefore)}`);
    // The head comes from the same statement (one snapshot): the stream's version whatever the filters.
    const rows = (await query(
      `WITH head AS (
         SELECT stream_version FROM ${this.table}
          WHERE stream_id = $1 AND city_id = $2 ORDER BY stream_version DESC LIMIT 1)
       SELECT head.stream_version AS head, e.*
         FROM head LEFT JOIN LATERAL (
           SELECT ${EVENT_COLUMNS} FROM ${this.table} e
            WHERE e.stream_id = $1 AND e.city_id = $2 ${filters.map((f) => `AND ${f}`).join(' ')}
         ) e ON true
        ORDER BY e.stream_version`,
      params,
    )) as (EventRow & { head: string })[];
    if (rows.length === 0) return { events: [], streamVersion: 0n };
    const events = rows.filter((row) => row.global_position !== null).map((row) => toStoredEvent(row, this.upcasters));
    return { events, streamVersion: BigInt(rows[0].head) };
  }

  /**
   * Log order is (transaction_id, global_position). Only rows older than every running transaction that
   * may write a log are returned (see settled-horizon.ts): a writer that took a lower position but commits
   * later is waited for, never skipped.
   */
  async readAll(options: ReadAllOptions): Promise<{ events: StoredEvent[]; checkpoint: Checkpoint | null }> {
    const params: unknown[] = [options.limit];
    const filters = [`transaction_id < ${SETTLED_HORIZON_SQL}`];
    if (options.after !== null) {
      const after = decodeCheckpoint(options.after);
      filters.push(
        `(transaction_id, global_position) > ($${params.push(after.transactionId)}::xid8, $${params.push(after.globalPosition.toString())}::bigint)`,
      );
    }
    if (options.cityId !== undefined) filters.push(`city_id = $${params.push(options.cityId)}`);
    // Qualified on purpose: a bare `transaction_id` in ORDER BY would mean the ::text output column,
    // which sorts '10' before '9' and cannot use the (transaction_id, global_position) index.
    const rows = (await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM ${this.table} e
        WHERE ${filters.join(' AND ')}
        ORDER BY e.transaction_id, e.global_position LIMIT $1`,
      params,
    )) as EventRow[];
    const events = rows.map((row) => toStoredEvent(row, this.upcasters));
    const last = events[events.length - 1];
    return { events, checkpoint: last ? encodeCheckpoint(last.transactionId, last.globalPosition) : options.after };
  }

  /** A consistent pass over the whole log (or a city's part) for rebuilds; close it when done. */
  scan(options: LogScanOptions = {}): Promise<LogScan> {
    return LogScan.open(this.dataSource, this.table, this.upcasters, options);
  }

  /** What a scan's snapshot did not see, read on the caller's transaction (see `LogScan`). */
  readCommittedAfter(manager: EntityManager, snapshot: string, cityId?: string): Promise<StoredEvent[]> {
    return readCommittedAfter(manager, this.table, this.upcasters, snapshot, cityId);
  }

  async head(): Promise<{ globalPosition: bigint }> {
    const [row] = (await this.dataSource.query(`SELECT coalesce(max(global_position), 0)::text AS position FROM ${this.table}`)) as { position: string }[];
    return { globalPosition: BigInt(row.position) };
  }

  /**
   * Recomputes every hash chain of a city (or one of its streams) from the stored columns and, for a
   * whole city, every daily anchor from the events of its day (`anchors.ts`).
   */
  async verify(target: { cityId: string; streamId?: string }, options: { onProgress?: VerifyProgress } = {}): Promise<VerifyResult> {
    const { onProgress } = options;
    const wholeCity = target.streamId === undefined;
    let total = 0;
    let checked = 0;
    if (onProgress) {
      const [row] = (await this.dataSource.query(
        `SELECT count(*)::text AS n FROM ${this.table} WHERE city_id = $1 ${wholeCity ? '' : 'AND stream_id = $2'}`,
        wholeCity ? [target.cityId] : [target.cityId, target.streamId],
      )) as { n: string }[];
      total = Number(row.n) + (wholeCity ? await this.anchorStore.anchoredEvents(target.cityId) : 0);
      onProgress({ checked, total });
    }
    const verifier = new ChainVerifier();
    let after: { streamId: string; version: string } = { streamId: '', version: '0' };
    for (;;) {
      const params: unknown[] = [target.cityId, after.streamId, after.version, VERIFY_PAGE];
      const streamFilter = wholeCity ? '' : `AND stream_id = $${params.push(target.streamId)}`;
      const rows = (await this.dataSource.query(
        `SELECT ${EVENT_COLUMNS} FROM ${this.table}
          WHERE city_id = $1 ${streamFilter} AND (stream_id, stream_version) > ($2, $3::bigint)
          ORDER BY stream_id, stream_version LIMIT $4`,
        params,
      )) as EventRow[];
      rows.forEach((row) => verifier.check(row));
      checked += rows.length;
      onProgress?.({ checked, total: Math.max(total, checked) });
      if (rows.length < VERIFY_PAGE) break;
      const last = rows[rows.length - 1];
      after = { streamId: last.stream_id, version: last.stream_version };
    }
    const chains = verifier.result();
    if (!wholeCity) return { ...chains, anchors: null, checkpoints: null, unverified: null };
    const anchors = await this.anchorStore.check(target.cityId, (events) => {
      checked += events;
      onProgress?.({ checked, total: Math.max(total, checked) });
    });
    const publicKey = this.auditKey ? createPublicKey(this.auditKey().publicKeyPem) : null;
    const { check: checkpoints, unverified } = await this.checkpointStore.verify(target.cityId, publicKey);
    return { ...chains, ok: chains.ok && anchors.firstBroken === null && checkpoints.firstBroken === null, anchors, checkpoints, unverified };
  }

  /**
   * Signs a checkpoint of what the city's log gained since the last one (`audit-checkpoints.ts`); null
   * when nothing changed. Needs the audit key.
   */
  checkpoint(cityId: string, now: Date): Promise<AuditCheckpoint | null> {
    if (!this.auditKey) throw new Error('No audit key: checkpoints are signed with it (EventStoreOptions.auditKey)');
    return this.checkpointStore.checkpoint(cityId, this.auditKey(), now);
  }

  /** The city's signed checkpoints, oldest first. */
  checkpoints(cityId: string): Promise<AuditCheckpoint[]> {
    return this.checkpointStore.list(cityId);
  }

  /** When the city's first event was recorded (null: none), by the (city_id, recorded_at) index. */
  async firstRecordedAt(cityId: string): Promise<Date | null> {
    const [row] = (await this.dataSource.query(`SELECT min(recorded_at) AS first FROM ${this.table} WHERE city_id = $1`, [cityId])) as { first: Date | null }[];
    return row.first;
  }

  /** Every city with events in this log. */
  cities(): Promise<string[]> {
    return this.anchorStore.cities();
  }

  /**
   * Anchors the city's closed days not anchored yet (days before the day of `now`, in Vietnam time),
   * oldest first; a day is anchored once, whoever runs this (scheduler instances, the CLI).
   */
  anchorClosedDays(cityId: string, now: Date): Promise<AnchorRun> {
    return this.anchorStore.anchorClosedDays(cityId, now);
  }

  /** The city's daily anchors, within [from, to] (YYYY-MM-DD) when given. */
  anchors(cityId: string, range: { from?: string; to?: string } = {}): Promise<AuditAnchor[]> {
    return this.anchorStore.list(cityId, range);
  }

  /** An auditor's search of a city's events (`audit-log.ts`). */
  searchEvents(search: AuditSearch): Promise<{ events: StoredEvent[]; next: Checkpoint | null }> {
    return searchEvents(this.dataSource, this.table, this.upcasters, search);
  }

  /** Every event of several streams of a city, in log order (a plan and its tasks' streams). */
  readStreams(streamIds: readonly string[], options: { cityId: string }): Promise<StoredEvent[]> {
    return readStreams(this.dataSource, this.table, this.upcasters, options.cityId, streamIds);
  }

  /** The content of a signed audit export of days [from, to] (sign it with `signAuditExport`). */
  readAuditExport(range: { cityId: string; from: string; to: string; generatedAt: Date }): Promise<AuditExportContent> {
    return readAuditExport(this.dataSource, this.table, this.anchorStore, this.checkpointStore, range);
  }

  private async deduplicated(query: Query, ids: string[], cityId: string): Promise<AppendResult> {
    const rows = (await query(`SELECT ${EVENT_COLUMNS} FROM ${this.table} WHERE event_id = ANY ($1::uuid[]) AND city_id = $2 ORDER BY stream_version`, [
      ids,
      cityId,
    ])) as EventRow[];
    const events = rows.map((row) => toStoredEvent(row, this.upcasters));
    return { streamVersion: events[events.length - 1].streamVersion, events, deduplicated: true };
  }

  private appendError(error: unknown, streamId: string, expected: ExpectedVersion): unknown {
    const pg = pgErrorOf(error);
    switch (pg?.code) {
      case SQLSTATE.wrongVersion:
        return new ConcurrencyError(streamId, expectedVersionLabel(expected), pg.detail ?? 'unknown');
      case SQLSTATE.otherCity:
        return new ConcurrencyError(streamId, expectedVersionLabel(expected), '0');
      case SQLSTATE.idConflict:
        return new ConflictError(`Event ids already stored elsewhere: ${pg.message}`, 'event-id-conflict', { streamId });
      case SQLSTATE.badContinuation:
        // Someone appended in the old city since the head was read: read again and retry.
        return new ConcurrencyError(streamId, expectedVersionLabel(expected), 'unknown');
      case '23505':
        // Only a concurrent append of the same ids to another stream gets past the function's own checks.
        return pg.constraint === 'events_event_id_key'
          ? new ConflictError(`Event ids already stored elsewhere: ${pg.detail}`, 'event-id-conflict', { streamId })
          : new ConcurrencyError(streamId, expectedVersionLabel(expected), 'unknown');
      default:
        return error;
    }
  }
}

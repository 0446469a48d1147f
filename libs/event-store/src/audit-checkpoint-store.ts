import type { KeyObject } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import {
  checkpointLinkBreak,
  earlierCheckpointBreak,
  signCheckpoint,
  type AuditCheckpoint,
  type CheckpointBreak,
  type CheckpointCheck,
  type Unverified,
} from './audit-checkpoints';
import type { AuditSigningKey } from './audit-key';
import { MerkleBuilder } from './merkle';
import { anchorsTable, assertSchemaName, checkpointsTable, eventsTable } from './schema';
import { inReadOnlySnapshot, inTransaction } from './transactions';

type CheckpointRow = {
  city_id: string;
  seq: string;
  below_transaction: string;
  events: string;
  segment_events: string;
  segment_root: string;
  last_position: string | null;
  anchor_day: string | null;
  anchor_root: string | null;
  previous_signature: string | null;
  created_at: string;
  key_fingerprint: string;
  signature: string;
};

const COLUMNS = `city_id, seq::text AS seq, below_transaction::text AS below_transaction, events::text AS events,
  segment_events::text AS segment_events, segment_root, last_position::text AS last_position,
  to_char(anchor_day, 'YYYY-MM-DD') AS anchor_day, anchor_root, previous_signature,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at, key_fingerprint, signature`;

const toCheckpoint = (row: CheckpointRow): AuditCheckpoint => ({
  cityId: row.city_id,
  seq: Number(row.seq),
  belowTransaction: row.below_transaction,
  events: Number(row.events),
  segmentEvents: Number(row.segment_events),
  segmentRoot: row.segment_root,
  lastPosition: row.last_position === null ? null : Number(row.last_position),
  anchor: row.anchor_day === null ? null : { day: row.anchor_day, root: row.anchor_root ?? '' },
  previousSignature: row.previous_signature,
  createdAt: row.created_at,
  keyFingerprint: row.key_fingerprint,
  signature: row.signature,
});

/** One leaf per event (see `audit-checkpoints.ts`), built in SQL so legacy microseconds count too. */
const LEAF = `transaction_id::text || ':' || global_position::text || ':'
  || to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || ':' || hash`;

const PAGE = 10_000;

/** Signed checkpoints in `<schema>.audit_checkpoints`. */
export class CheckpointStore {
  private readonly events: string;
  private readonly anchors: string;
  private readonly checkpoints: string;
  private readonly lockName: string;

  constructor(
    private readonly dataSource: DataSource,
    schema: string,
  ) {
    this.events = eventsTable(schema);
    this.anchors = anchorsTable(schema);
    this.checkpoints = checkpointsTable(schema);
    this.lockName = `${assertSchemaName(schema)}.audit_checkpoints`;
  }

  /**
   * Signs what the city's log gained since its last checkpoint (the settled part: transactions below
   * the oldest running one), and its latest anchor; nothing when neither changed. Once per city at a
   * time, whoever runs it (scheduler instances, the CLI).
   */
  checkpoint(cityId: string, key: AuditSigningKey, now: Date): Promise<AuditCheckpoint | null> {
    return inTransaction(this.dataSource, async (runner) => {
      await runner.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [this.lockName, cityId]);
      const [{ below }] = (await runner.query(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS below`)) as { below: string }[];
      const last = (await this.list(cityId, runner, 'last'))[0] ?? null;
      const [anchorRow] = (await runner.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, root FROM ${this.anchors} WHERE city_id = $1 ORDER BY day DESC LIMIT 1`,
        [cityId],
      )) as { day: string; root: string }[];
      const anchor = anchorRow ? { day: anchorRow.day, root: anchorRow.root } : null;
      const from = last?.belowTransaction ?? '0';
      const upTo = BigInt(below) > BigInt(from) ? below : from;
      const segment = await this.segment(runner, cityId, from, upTo);
      if (last && segment.events === 0 && last.anchor?.day === anchor?.day && last.anchor?.root === anchor?.root) {
        return null;
      }
      const checkpoint = signCheckpoint(
        {
          cityId,
          seq: (last?.seq ?? 0) + 1,
          belowTransaction: upTo,
          events: (last?.events ?? 0) + segment.events,
          segmentEvents: segment.events,
          segmentRoot: segment.root,
          // Log order is by transaction, so a later segment may end below an earlier one's highest position.
          lastPosition: Math.max(segment.lastPosition ?? 0, last?.lastPosition ?? 0) || null,
          anchor,
          previousSignature: last?.signature ?? null,
          createdAt: new Date(Math.floor(now.getTime())).toISOString(),
        },
        key,
      );
      await runner.query(
        `INSERT INTO ${this.checkpoints} (city_id, seq, below_transaction, events, segment_events, segment_root, last_position,
           anchor_day, anchor_root, previous_signature, created_at, key_fingerprint, signature)
         VALUES ($1, $2, $3::xid8, $4, $5, $6, $7, $8::date, $9, $10, $11, $12, $13)`,
        [
          cityId,
          checkpoint.seq,
          checkpoint.belowTransaction,
          checkpoint.events,
          checkpoint.segmentEvents,
          checkpoint.segmentRoot,
          checkpoint.lastPosition,
          anchor?.day ?? null,
          anchor?.root ?? null,
          checkpoint.previousSignature,
          checkpoint.createdAt,
          checkpoint.keyFingerprint,
          checkpoint.signature,
        ],
      );
      return checkpoint;
    });
  }

  /** The city's checkpoints, oldest first (`last`: only the newest); those created in [from, to) when given. */
  async list(cityId: string, runner?: QueryRunner, which: 'all' | 'last' = 'all', created?: { from: Date; to: Date }): Promise<AuditCheckpoint[]> {
    const params: unknown[] = [cityId];
    const range = created ? `AND created_at >= $${params.push(created.from)} AND created_at < $${params.push(created.to)}` : '';
    const rows = (await (runner ?? this.dataSource).query(
      `SELECT ${COLUMNS} FROM ${this.checkpoints} WHERE city_id = $1 ${range}
        ORDER BY seq ${which === 'last' ? 'DESC LIMIT 1' : ''}`,
      params,
    )) as CheckpointRow[];
    return rows.map(toCheckpoint);
  }

  /** `check` in a read-only snapshot of its own. */
  verify(cityId: string, publicKey: KeyObject | null): Promise<{ check: CheckpointCheck; unverified: Unverified | null }> {
    return inReadOnlySnapshot(this.dataSource, (runner) => this.check(runner, cityId, publicKey));
  }

  /**
   * Every checkpoint of the city against the log of the runner's snapshot: links and signatures, each
   * segment recomputed in one pass in log order, each named anchor present with its root; and what no
   * checkpoint covers.
   */
  async check(runner: QueryRunner, cityId: string, publicKey: KeyObject | null): Promise<{ check: CheckpointCheck; unverified: Unverified | null }> {
    const checkpoints = await this.list(cityId, runner);
    let firstBroken = checkpointLinkBreak(checkpoints, publicKey, true);
    const anchors = new Map(
      (
        (await runner.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, root FROM ${this.anchors} WHERE city_id = $1`, [cityId])) as {
          day: string;
          root: string;
        }[]
      ).map((a) => [a.day, a.root]),
    );
    let from = '0';
    for (const c of checkpoints) {
      const found = await this.segment(runner, cityId, from, c.belowTransaction);
      let brk: CheckpointBreak | null = null;
      if (found.root !== c.segmentRoot || found.events !== c.segmentEvents) {
        brk = {
          seq: c.seq,
          reason: `segment mismatch: ${c.segmentEvents} events signed, ${found.events} found`,
          expected: c.segmentRoot,
          found: found.root,
          checkpointEvents: c.segmentEvents,
          foundEvents: found.events,
        };
      } else if (c.anchor && anchors.get(c.anchor.day) !== c.anchor.root) {
        const now = anchors.get(c.anchor.day) ?? null;
        brk = {
          seq: c.seq,
          reason: now === null ? `the anchor of ${c.anchor.day} it names is missing` : `the anchor of ${c.anchor.day} it names has another root`,
          expected: c.anchor.root,
          found: now,
          checkpointEvents: c.segmentEvents,
          foundEvents: found.events,
        };
      }
      firstBroken = earlierCheckpointBreak(firstBroken, brk);
      from = c.belowTransaction;
    }
    const [rest] = (await runner.query(
      `SELECT count(*)::int AS n, min(global_position)::text AS first, max(global_position)::text AS last
         FROM ${this.events} WHERE city_id = $1 AND transaction_id >= $2::xid8`,
      [cityId, from],
    )) as { n: number; first: string | null; last: string | null }[];
    const last = checkpoints.at(-1) ?? null;
    const unverified: Unverified | null =
      rest.n === 0
        ? null
        : {
            events: rest.n,
            firstPosition: rest.first === null ? null : Number(rest.first),
            lastPosition: rest.last === null ? null : Number(rest.last),
            reason: last ? `recorded after the last signed checkpoint (${last.seq}, ${last.createdAt})` : 'no signed checkpoint covers the city’s log',
          };
    return {
      check: {
        checked: checkpoints.length,
        signaturesChecked: publicKey !== null,
        last: last && { seq: last.seq, createdAt: last.createdAt, events: last.events, lastPosition: last.lastPosition },
        firstBroken,
      },
      unverified,
    };
  }

  /** The city's events of transactions in [from, below), in log order: count, Merkle root, last position. */
  private async segment(
    runner: QueryRunner,
    cityId: string,
    from: string,
    below: string,
  ): Promise<{ events: number; root: string; lastPosition: number | null }> {
    const builder = new MerkleBuilder();
    let lastPosition: number | null = null;
    let after: { tx: string; position: string } | null = null;
    for (;;) {
      const params: unknown[] = [cityId, from, below, PAGE];
      const page = after ? `AND (transaction_id, global_position) > ($${params.push(after.tx)}::xid8, $${params.push(after.position)}::bigint)` : '';
      const rows = (await runner.query(
        `SELECT transaction_id::text AS tx, global_position::text AS position, ${LEAF} AS leaf FROM ${this.events}
          WHERE city_id = $1 AND transaction_id >= $2::xid8 AND transaction_id < $3::xid8 ${page}
          ORDER BY transaction_id, global_position LIMIT $4`,
        params,
      )) as { tx: string; position: string; leaf: string }[];
      for (const row of rows) {
        builder.add(row.leaf);
        lastPosition = Math.max(lastPosition ?? 0, Number(row.position));
      }
      if (rows.length < PAGE) break;
      after = { tx: rows[rows.length - 1].tx, position: rows[rows.length - 1].position };
    }
    return { events: builder.size, root: builder.root(), lastPosition };
  }
}

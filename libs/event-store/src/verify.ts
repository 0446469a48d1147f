import type { AnchorCheck } from './anchors';
import type { CheckpointCheck, Unverified } from './audit-checkpoints';
import { eventHash } from './canonical';
import { storedFormOf, type EventRow } from './rows';
import type { StreamLink } from './types';

export type BrokenLink = { streamId: string; streamVersion: bigint; globalPosition: bigint; reason: string };
/** `anchors`: the city's daily anchors recomputed; null when one stream was verified (anchors are per city and day). */
/**
 * `checkpoints`: the city's signed checkpoints checked (null for one stream); `unverified`: the events no
 * signed checkpoint covers (null: none), reported, not counted as broken.
 */
export type VerifyResult = {
  ok: boolean;
  streams: number;
  events: number;
  firstBroken: BrokenLink | null;
  anchors: AnchorCheck | null;
  checkpoints: CheckpointCheck | null;
  unverified: Unverified | null;
};
export type ChainResult = Omit<VerifyResult, 'anchors' | 'checkpoints' | 'unverified'>;

/** The result as JSON answers show it (HTTP, CLI): numbers for versions and positions. */
export const verifyReport = (result: VerifyResult) => ({
  ok: result.ok,
  streams: result.streams,
  events: result.events,
  firstBroken: result.firstBroken && {
    streamId: result.firstBroken.streamId,
    version: Number(result.firstBroken.streamVersion),
    position: Number(result.firstBroken.globalPosition),
    reason: result.firstBroken.reason,
  },
  anchors: result.anchors,
  checkpoints: result.checkpoints,
  unverified: result.unverified,
});

/** The link a row's metadata states it continues (a stream's first event in a city it moved to), if any. */
const continuedFrom = (row: EventRow): StreamLink | null => {
  const link = (row.metadata as { continuesFrom?: StreamLink } | null)?.continuesFrom;
  return link && typeof link.cityId === 'string' && /^\d+$/.test(String(link.streamVersion)) && typeof link.hash === 'string' ? link : null;
};

/**
 * Walks rows ordered by (stream_id, stream_version) and recomputes each chain from the stored columns.
 * Each link is checked against the stored hash of the row before it, so an edited row is named itself.
 * A deleted row shows as a version gap; a deleted last row of a stream leaves no trace in the chain.
 */
export class ChainVerifier {
  private streams = 0;
  private events = 0;
  private streamId: string | null = null;
  private expectedVersion = 1n;
  private previousHash = '';
  private previousHashVersion = 1;
  private firstBroken: BrokenLink | null = null;
  private streamBroken = false;

  check(row: EventRow): void {
    const event = storedFormOf(row);
    if (event.streamId !== this.streamId) {
      this.streams += 1;
      this.streamId = event.streamId;
      this.expectedVersion = 1n;
      this.previousHash = '';
      this.previousHashVersion = 1;
      this.streamBroken = false;
      // A stream that went on in this city from another (a merged city) chains from the link its first
      // event here names: the other city's part is verified with that city.
      const link = continuedFrom(row);
      if (link && link.cityId !== row.city_id) {
        this.expectedVersion = BigInt(link.streamVersion) + 1n;
        this.previousHash = link.hash;
        this.previousHashVersion = row.hash_version;
      }
    }
    this.events += 1;
    const reason = this.reasonFor(event.streamVersion, row);
    if (reason && !this.streamBroken) {
      // Within a stream, versions and positions rise together: only the first break per stream can win.
      this.streamBroken = true;
      if (!this.firstBroken || event.globalPosition < this.firstBroken.globalPosition) {
        this.firstBroken = {
          streamId: event.streamId,
          streamVersion: event.streamVersion,
          globalPosition: event.globalPosition,
          reason,
        };
      }
    }
    this.expectedVersion = event.streamVersion + 1n;
    this.previousHash = event.hash;
    this.previousHashVersion = row.hash_version;
  }

  result(): ChainResult {
    return { ok: this.firstBroken === null, streams: this.streams, events: this.events, firstBroken: this.firstBroken };
  }

  private reasonFor(version: bigint, row: EventRow): string | null {
    if (version !== this.expectedVersion) {
      return version > this.expectedVersion
        ? `version gap: expected version ${this.expectedVersion}, found ${version}`
        : `version ${version} out of order, expected ${this.expectedVersion}`;
    }
    // Appends only ever moved to newer formulas: an older one after a newer one is a downgrade to cover less.
    if (row.hash_version < this.previousHashVersion) return `hash version ${row.hash_version} after version ${this.previousHashVersion}`;
    const recomputed = eventHash(this.previousHash, {
      streamId: row.stream_id,
      streamVersion: version,
      eventId: row.event_id,
      type: row.type,
      schemaVersion: row.schema_version,
      data: row.data,
      metadata: row.metadata,
      cityId: row.city_id,
      hashVersion: row.hash_version,
      globalPosition: BigInt(row.global_position),
      recordedAt: row.recorded_at,
    });
    return recomputed === row.hash ? null : `hash mismatch: stored ${row.hash}, recomputed ${recomputed}`;
  }
}

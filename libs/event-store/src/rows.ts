import type { EventMetadata, StoredEvent } from './types';
import type { Upcasters } from './upcasting';

/** Column list shared by every read, in the shape `toStoredEvent` expects. */
export const EVENT_COLUMNS = `global_position, stream_id, stream_version, event_id, type, schema_version, data, metadata,
  city_id, transaction_id::text AS transaction_id, recorded_at, hash, hash_version`;

export type EventRow = {
  global_position: string;
  stream_id: string;
  stream_version: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  city_id: string;
  transaction_id: string;
  recorded_at: Date;
  hash: string;
  /** which formula the hash follows (`canonical.ts`) */
  hash_version: number;
};

/** The columns every read maps the same way, as stored (no upcasting). */
function scannedFormOf(row: ScanRow): ScannedEvent {
  return {
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    streamVersion: BigInt(row.stream_version),
    globalPosition: BigInt(row.global_position),
  };
}

/** The stored form, exactly as hashed: no upcasting. */
export const storedFormOf = (row: EventRow): StoredEvent => ({
  ...scannedFormOf(row),
  id: row.event_id,
  transactionId: row.transaction_id,
  recordedAt: row.recorded_at,
  hash: row.hash,
});

/** An event read as the current code reads it: brought to its type's latest schema version. */
const upcast = <E extends Pick<StoredEvent, 'type' | 'schemaVersion' | 'data' | 'metadata'>>(event: E, upcasters: Upcasters): E => {
  if (upcasters.isEmpty) return event;
  const { schemaVersion, data } = upcasters.apply(event.type, event.schemaVersion, event.data, event.metadata);
  return { ...event, schemaVersion, data };
};

export const toStoredEvent = (row: EventRow, upcasters: Upcasters): StoredEvent => upcast(storedFormOf(row), upcasters);

/** What a fold needs of an event; a scan reads no more (parsing timestamps and hashes costs a third of its time). */
export type ScannedEvent = Pick<StoredEvent, 'type' | 'schemaVersion' | 'data' | 'metadata' | 'streamId' | 'streamVersion' | 'globalPosition'>;

export const SCAN_COLUMNS = 'global_position, stream_id, stream_version, type, schema_version, data, metadata';

export type ScanRow = Pick<EventRow, 'global_position' | 'stream_id' | 'stream_version' | 'type' | 'schema_version' | 'data' | 'metadata'>;

export const toScannedEvent = (row: ScanRow, upcasters: Upcasters): ScannedEvent => upcast(scannedFormOf(row), upcasters);

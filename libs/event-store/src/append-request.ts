import { ValidationError } from '@mandate/kernel';
import { canonicalJson } from './canonical';
import type { ExpectedVersion, NewEvent, StoredEvent } from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parameters of append_events(), plus what Node needs to build the StoredEvents afterwards. */
export type AppendRequest = {
  params: [string, string, string, string[], string[], number[], string[], string[], string | null];
  ids: string[];
  dataTexts: string[];
  metadataTexts: string[];
};

export const expectedVersionLabel = (expected: ExpectedVersion): string => expected.toString();

const expectedVersionParam = (expected: ExpectedVersion): string => {
  if (expected === 'any') return '-1';
  if (expected === 'no_stream') return '0';
  if (typeof expected !== 'bigint' || expected < 0n) {
    throw new ValidationError(`Invalid expected version ${String(expected)}`, 'invalid-expected-version');
  }
  return expected.toString();
};

export const buildAppendRequest = (streamId: string, events: readonly NewEvent[], cityId: string, expected: ExpectedVersion): AppendRequest => {
  if (!streamId) throw new ValidationError('Stream id is empty', 'invalid-stream-id');
  if (!cityId) throw new ValidationError('City id is empty', 'invalid-city-id');
  if (events.length === 0) throw new ValidationError(`Nothing to append to ${streamId}`, 'empty-append');
  const ids: string[] = [];
  const types: string[] = [];
  const schemaVersions: number[] = [];
  const dataTexts: string[] = [];
  const metadataTexts: string[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.id)) throw new ValidationError(`Event id "${event.id}" is not a uuid`, 'invalid-event-id');
    // PostgreSQL prints uuids in lower case; the hash must match what verify reads back.
    const id = event.id.toLowerCase();
    if (seen.has(id)) throw new ValidationError(`Event id ${id} appears twice in one append`, 'duplicate-event-id');
    seen.add(id);
    if (!event.type) throw new ValidationError(`Event ${id} has no type`, 'invalid-event-type');
    if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) {
      throw new ValidationError(`Event ${id} has schema version ${event.schemaVersion}`, 'invalid-schema-version');
    }
    if (event.metadata?.cityId !== cityId) {
      throw new ValidationError(`Event ${id} belongs to city ${event.metadata?.cityId}, not ${cityId}`, 'city-mismatch');
    }
    if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
      throw new ValidationError(`Event ${id} data must be an object`, 'invalid-event-data');
    }
    ids.push(id);
    types.push(event.type);
    schemaVersions.push(event.schemaVersion);
    // The canonical text is also what gets stored, so the stored jsonb re-canonicalizes to the hashed bytes.
    dataTexts.push(canonicalJson(event.data));
    metadataTexts.push(canonicalJson(event.metadata));
  }
  return {
    params: [
      streamId,
      cityId,
      expectedVersionParam(expected),
      ids,
      types,
      schemaVersions,
      dataTexts,
      metadataTexts,
      events[0].metadata.continuesFrom?.cityId ?? null,
    ],
    ids,
    dataTexts,
    metadataTexts,
  };
};

export type AppendedRow = {
  r_global_position: string;
  r_stream_version: string;
  r_transaction_id: string;
  r_recorded_at: Date;
  r_hash: string;
  r_deduplicated: boolean;
};

/** StoredEvents of a fresh append, in the stored form (as a read would return them before upcasting). */
export const storedEventsOf = (streamId: string, events: readonly NewEvent[], request: AppendRequest, rows: readonly AppendedRow[]): StoredEvent[] =>
  [...rows]
    .sort((a, b) => Number(BigInt(a.r_stream_version) - BigInt(b.r_stream_version)))
    .map((row, index) => ({
      id: request.ids[index],
      type: events[index].type,
      schemaVersion: events[index].schemaVersion,
      data: JSON.parse(request.dataTexts[index]) as Record<string, unknown>,
      metadata: JSON.parse(request.metadataTexts[index]) as StoredEvent['metadata'],
      streamId,
      streamVersion: BigInt(row.r_stream_version),
      globalPosition: BigInt(row.r_global_position),
      transactionId: row.r_transaction_id,
      recordedAt: row.r_recorded_at,
      hash: row.r_hash,
    }));

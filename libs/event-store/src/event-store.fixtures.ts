import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { auditSigningKeyOf, type AuditSigningKey } from './audit-key';
import { eventHash } from './canonical';
import { EVENT_COLUMNS, storedFormOf, type EventRow } from './rows';
import type { DataSource } from 'typeorm';
import { PostgresEventStore } from './postgres-event-store';
import type { EventMetadata, NewEvent } from './types';
import type { Upcaster } from './upcasting';

/** Test builders: small named pieces instead of pasted literals. */
export const metadataFor = (cityId: string, overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  cityId,
  actorId: 'user-1',
  role: 'planning',
  agencyId: null,
  correlationId: randomUUID(),
  causationId: null,
  occurredAt: '2026-03-02T08:15:00.000Z',
  ...overrides,
});

export const newEvent = (cityId: string, overrides: Partial<NewEvent> = {}): NewEvent => ({
  id: randomUUID(),
  type: 'TaskNoted',
  schemaVersion: 1,
  data: { note: 'Khảo sát hiện trạng', n: 1 },
  metadata: metadataFor(cityId),
  ...overrides,
});

export const newEvents = (cityId: string, count: number): NewEvent[] => Array.from({ length: count }, (_, i) => newEvent(cityId, { data: { n: i + 1 } }));

export const streamName = (): string => `task-${randomUUID()}`;

export const migratedStore = async (
  dataSource: DataSource,
  schema: string,
  upcasters: Upcaster[] = [],
  auditKey?: AuditSigningKey,
): Promise<PostgresEventStore> => {
  if (!dataSource.isInitialized) await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return new PostgresEventStore(dataSource, { schema, upcasters, auditKey: auditKey && (() => auditKey) });
};

export const testAuditKey = (): AuditSigningKey =>
  auditSigningKeyOf(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

/**
 * Moves events to another recorded_at behind the trigger and re-chains their streams from there, as
 * the append function would have hashed them then: how the tests place events on past days (and what
 * an attacker who owns the table can do before a checkpoint or an anchor covers them).
 */
export const backdate = async (dataSource: DataSource, schema: string, eventIds: readonly string[], recordedAt: Date): Promise<void> => {
  await dataSource.query(`ALTER TABLE ${schema}.events DISABLE TRIGGER events_append_only`);
  try {
    await dataSource.query(`UPDATE ${schema}.events SET recorded_at = $2 WHERE event_id = ANY ($1::uuid[])`, [eventIds, recordedAt]);
    await rechain(dataSource, schema, eventIds);
  } finally {
    await dataSource.query(`ALTER TABLE ${schema}.events ENABLE TRIGGER events_append_only`);
  }
};

/** Recomputes every hash of the streams holding these events from their stored columns (trigger already off). */
export const rechain = async (dataSource: DataSource, schema: string, eventIds: readonly string[]): Promise<void> => {
  const rows = (await dataSource.query(
    `SELECT ${EVENT_COLUMNS} FROM ${schema}.events WHERE stream_id IN (SELECT stream_id FROM ${schema}.events WHERE event_id = ANY ($1::uuid[]))
      ORDER BY stream_id, stream_version`,
    [eventIds],
  )) as EventRow[];
  let previous = { stream: '', hash: '' };
  for (const row of rows) {
    const prior = previous.stream === row.stream_id ? previous.hash : '';
    const hash = eventHash(prior, {
      ...storedFormOf(row),
      eventId: row.event_id,
      cityId: row.city_id,
      hashVersion: row.hash_version,
    });
    if (hash !== row.hash) await dataSource.query(`UPDATE ${schema}.events SET hash = $2 WHERE event_id = $1`, [row.event_id, hash]);
    previous = { stream: row.stream_id, hash };
  }
};

/**
 * A checkpoint covers only what no running transaction can still add below (the server's xmin horizon,
 * which transactions of other tests on the same server hold back): wait until every transaction of the
 * city's events is behind it, so that a checkpoint covers exactly what the test appended.
 */
export const settledLog = async (dataSource: DataSource, schema: string, cityId: string): Promise<void> => {
  for (let attempt = 0; attempt < 400; attempt++) {
    const [{ behind }] = (await dataSource.query(
      `SELECT coalesce(max(transaction_id) < pg_snapshot_xmin(pg_current_snapshot()), true) AS behind FROM ${schema}.events WHERE city_id = $1`,
      [cityId],
    )) as { behind: boolean }[];
    if (behind) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`another transaction on the server held the horizon below ${cityId}'s events for 20 s`);
};

import { randomUUID } from 'node:crypto';
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

export const newEvents = (cityId: string, count: number): NewEvent[] =>
  Array.from({ length: count }, (_, i) => newEvent(cityId, { data: { n: i + 1 } }));

export const streamName = (): string => `task-${randomUUID()}`;

export const migratedStore = async (
  dataSource: DataSource,
  schema: string,
  upcasters: Upcaster[] = [],
): Promise<PostgresEventStore> => {
  if (!dataSource.isInitialized) await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return new PostgresEventStore(dataSource, { schema, upcasters });
};

// The physical baseline the event store and the e2e bench are read against: plain `pg` INSERTs into
// the event table's shape (same columns, hash computed the same way), same durability.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore, eventHash, type NewEvent } from '@mandate/event-store';
import { createTestDatabase } from '@mandate/testing';

const CITY = 'da-nang';

export const newEvent = (n: number): NewEvent => ({
  id: randomUUID(),
  type: 'TaskProgressReported',
  schemaVersion: 1,
  data: { taskId: randomUUID(), percent: n % 100, note: 'Đã hoàn thành khảo sát hiện trạng', due: '2026-12-31' },
  metadata: {
    cityId: CITY,
    actorId: 'user-17',
    role: 'agency',
    agencyId: 'so-xay-dung',
    correlationId: randomUUID(),
    causationId: null,
    occurredAt: new Date().toISOString(),
  },
});

/** A raw writer keeps its own stream head so it can store the same hash column the store computes. */
export const rawWriter = (pool: Pool, schema = 'raw') => {
  const streamId = `task-${randomUUID()}`;
  let version = 0n;
  let previousHash = '';
  return async (events: NewEvent[]) => {
    const params: unknown[] = [];
    const tuples = events.map((event) => {
      version += 1n;
      previousHash = eventHash(previousHash, { ...event, eventId: event.id, streamId, streamVersion: version, cityId: CITY });
      const base = params.push(streamId, version.toString(), event.id, event.type, event.schemaVersion, event.data, event.metadata, CITY, previousHash) - 9;
      return `(${Array.from({ length: 9 }, (_, i) => `$${base + i + 1}`).join(', ')})`;
    });
    await pool.query(
      `INSERT INTO ${schema}.events (stream_id, stream_version, event_id, type, schema_version, data, metadata, city_id, hash)
       VALUES ${tuples.join(', ')}`,
      params,
    );
  };
};

/** `writers` concurrent writers, each appending `batch` events per transaction, for `ms`. */
export const runFor = async (ms: number, writers: number, batch: number, make: () => (events: NewEvent[]) => Promise<void>) => {
  let events = 0;
  const until = Date.now() + ms;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      const write = make();
      while (Date.now() < until) {
        await write(Array.from({ length: batch }, (_, i) => newEvent(i)));
        events += batch;
      }
    }),
  );
  return { events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
};

/** Single-row commits per second from 1 and from 8 writers, on a database of its own (dropped after). */
export const rawCommitRates = async (ms = 2_500): Promise<{ oneWriter: number; eightWriters: number }> => {
  const db = await createTestDatabase('bench_raw');
  const dataSource = db.dataSource({ poolSize: 9, migrations: PostgresEventStore.migrations('raw') });
  const pool = new Pool({ connectionString: db.url, max: 9 });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    const rate = async (writers: number) => {
      const { events, seconds } = await runFor(ms, writers, 1, () => rawWriter(pool));
      return events / seconds;
    };
    return { oneWriter: await rate(1), eightWriters: await rate(8) };
  } finally {
    await pool.end();
    await dataSource.destroy().catch(() => undefined);
    await db.drop();
  }
};

import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { encodeCheckpoint } from './checkpoint';
import { DECLARE_NO_LOG_WRITES } from './settled-horizon';
import { migratedStore, newEvent, newEvents, streamName } from './event-store.fixtures';
import { PostgresEventStore } from './postgres-event-store';
import type { Checkpoint } from './types';

const SCHEMA = 'es';
const CITY = 'da-nang';
const WRITERS = 8;
const WRITE_FOR_MS = 3500;
const HOLD_FOR_MS = 2500;
let db: TestDatabase;
let dataSource: DataSource;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestDatabase('es_subscription');
  // Writers + the held transaction + the subscriber each need their own connection.
  dataSource = db.dataSource({ migrations: PostgresEventStore.migrations(SCHEMA), poolSize: WRITERS + 4 });
  store = await migratedStore(dataSource, SCHEMA);
});
afterAll(() => db?.drop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('readAll under concurrent writers', () => {
  it('sees every event exactly once, in (transaction, position) order, even one that commits late', async () => {
    const written = new Set<string>();
    let writing = true;
    let heldPosition = 0n;
    let heldCommitted = false;
    let committedPastHeld = 0;

    const writer = async () => {
      const stream = streamName();
      for (let version = 0n; writing;) {
        const batch = newEvents(CITY, 1 + Math.floor(Math.random() * 3));
        const { streamVersion, events } = await store.append(stream, batch, { expectedVersion: version === 0n ? 'no_stream' : version, cityId: CITY });
        version = streamVersion;
        batch.forEach((e) => written.add(e.id));
        if (heldPosition > 0n && !heldCommitted) committedPastHeld += events.filter((e) => e.globalPosition > heldPosition).length;
      }
    };

    // Takes a global position early, then keeps its transaction open while the others commit past it.
    const held = newEvent(CITY, { type: 'SlowlyCommitted' });
    const slowWriter = async () => {
      await sleep(300);
      const { events } = await store.append(streamName(), [held], {
        expectedVersion: 'no_stream',
        cityId: CITY,
        inTransaction: async (_, stored) => {
          heldPosition = stored[0].globalPosition;
          await sleep(HOLD_FOR_MS);
        },
      });
      heldCommitted = true;
      written.add(events[0].id);
    };

    const seen: { id: string; checkpoint: Checkpoint }[] = [];
    // Runs until the writers are done and it has caught up with them (or gives up 20 s later).
    const subscriber = async (done: () => boolean) => {
      let after: Checkpoint | null = null;
      let giveUpAt = Infinity;
      while (!(done() && seen.length >= written.size) && Date.now() < giveUpAt) {
        if (done() && giveUpAt === Infinity) giveUpAt = Date.now() + 20_000;
        const page: Awaited<ReturnType<PostgresEventStore['readAll']>> = await store.readAll({ after, limit: 50, cityId: CITY });
        for (const e of page.events) {
          seen.push({ id: e.id, checkpoint: encodeCheckpoint(e.transactionId, e.globalPosition) });
        }
        after = page.checkpoint;
        if (page.events.length === 0) await sleep(20);
      }
    };

    let finished = false;
    const reading = subscriber(() => finished);
    const writing$ = Promise.all([...Array.from({ length: WRITERS }, writer), slowWriter()]);
    await sleep(WRITE_FOR_MS);
    writing = false;
    await writing$;
    finished = true;
    await reading;

    const ids = seen.map((s) => s.id);
    const missing = [...written].filter((id) => !ids.includes(id));
    // xmin is cluster-wide: a long transaction in ANY database of the server holds every reader back.
    // If this fails, the report shows who held the horizon.
    const horizonHolders =
      missing.length === 0
        ? []
        : await dataSource.query(
            `SELECT datname, state, backend_xid::text, xact_start, left(query, 80) AS query FROM pg_stat_activity
        WHERE backend_xid IS NOT NULL ORDER BY age(backend_xid) DESC LIMIT 5`,
          );
    expect({ missing: missing.length, horizonHolders }).toEqual({ missing: 0, horizonHolders: [] });
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(written);
    for (let i = 1; i < seen.length; i++) expect(seen[i].checkpoint > seen[i - 1].checkpoint).toBe(true);
    // The scenario really happened: events with higher positions committed while the held one waited.
    expect(committedPastHeld).toBeGreaterThan(WRITERS);
    expect(written.size).toBeGreaterThan(200);
  }, 60_000);

  it('is not held back by a running transaction that declared it writes no log; is by any other', async () => {
    const readUntil = async (id: string, ms: number) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const { events } = await store.readAll({ after: null, limit: 100_000, cityId: 'hue' });
        if (events.some((e) => e.id === id) || Date.now() > deadline) return events.some((e) => e.id === id);
        await sleep(50);
      }
    };
    const consumer = dataSource.createQueryRunner();
    const other = dataSource.createQueryRunner();
    try {
      await consumer.startTransaction();
      await consumer.query(DECLARE_NO_LOG_WRITES);
      await consumer.query('SELECT pg_current_xact_id()'); // has a transaction id, as a consumer writing its read model does
      const past = newEvent('hue');
      await store.append(streamName(), [past], { expectedVersion: 'no_stream', cityId: 'hue' });
      // Other suites' transactions may hold the horizon a moment; the declared one must not, for long.
      expect(await readUntil(past.id, 10_000)).toBe(true);

      await other.startTransaction();
      await other.query('SELECT pg_current_xact_id()');
      const held = newEvent('hue');
      await store.append(streamName(), [held], { expectedVersion: 'no_stream', cityId: 'hue' });
      expect(await readUntil(held.id, 500)).toBe(false);
      await other.commitTransaction();
      expect(await readUntil(held.id, 10_000)).toBe(true);
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await consumer.rollbackTransaction();
      await other.release();
      await consumer.release();
    }
  });
});

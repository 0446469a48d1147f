import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { migratedStore, newEvent, newEvents, streamName } from './event-store.fixtures';
import { PostgresEventStore } from './postgres-event-store';
import type { ScannedEvent } from './log-scan';

const SCHEMA = 'es';
const CITY = 'da-nang';
let db: TestDatabase;
let dataSource: DataSource;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestDatabase('es_log_scan');
  dataSource = db.dataSource({ migrations: PostgresEventStore.migrations(SCHEMA), poolSize: 6 });
  store = await migratedStore(dataSource, SCHEMA, [{ type: 'TaskNoted', fromVersion: 1, toVersion: 2, upcast: (data) => ({ ...data, upcast: true }) }]);
});
afterAll(() => db?.drop());

const scanAll = async (pageSize: number) => {
  const scan = await store.scan({ pageSize });
  const pages: ScannedEvent[][] = [];
  try {
    for await (const page of scan.pages()) pages.push(page);
  } finally {
    await scan.close();
  }
  return { scan, pages, events: pages.flat() };
};

describe('a snapshot scan of the log', () => {
  it('reads every event once, in position order, upcast, page by page', async () => {
    const before = (await scanAll(1000)).events.length;
    const stream = streamName();
    await store.append(stream, newEvents(CITY, 25), { expectedVersion: 'no_stream', cityId: CITY });
    await store.append(streamName(), newEvents('hai-phong', 5), { expectedVersion: 'no_stream', cityId: 'hai-phong' });

    const { pages, events } = await scanAll(7);
    expect(events).toHaveLength(before + 30);
    expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
    const positions = events.map((e) => e.globalPosition);
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    const mine = events.filter((e) => e.streamId === stream);
    expect(mine.map((e) => e.streamVersion)).toEqual(Array.from({ length: 25 }, (_, i) => BigInt(i + 1)));
    expect(mine.every((e) => e.schemaVersion === 2 && e.data.upcast === true)).toBe(true);
  });

  it("keeps to one city's events when asked", async () => {
    const scan = await store.scan({ cityId: 'hai-phong' });
    const events: ScannedEvent[] = [];
    for await (const page of scan.pages()) events.push(...page);
    await scan.close();
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.metadata.cityId === 'hai-phong')).toBe(true);
  });

  it('does not see what commits after it started; readCommittedAfter returns exactly that', async () => {
    const scan = await store.scan({ pageSize: 5 });
    // Committed after the snapshot, while the scan is being read.
    const late = newEvents(CITY, 3);
    await store.append(streamName(), late, { expectedVersion: 'no_stream', cityId: CITY });
    const seen: ScannedEvent[] = [];
    for await (const page of scan.pages()) seen.push(...page);
    await scan.close();
    expect(seen[seen.length - 1].globalPosition).toBe(scan.lastPosition);

    const missed = await dataSource.transaction((manager) => store.readCommittedAfter(manager, scan.snapshot));
    expect(missed.map((e) => e.id)).toEqual(late.map((e) => e.id));
    expect(missed.every((e) => e.schemaVersion === 2)).toBe(true);
    const seenPositions = new Set(seen.map((e) => e.globalPosition));
    expect(missed.some((e) => seenPositions.has(e.globalPosition))).toBe(false);
  });

  it('counts a transaction in flight at the snapshot as missed once it commits, though its position is lower', async () => {
    const held = newEvent(CITY);
    let release!: () => void;
    let appended!: () => void;
    const inFlight = new Promise<void>((resolve) => (appended = resolve));
    const holding = store.append(streamName(), [held], {
      expectedVersion: 'no_stream',
      cityId: CITY,
      inTransaction: () => {
        appended();
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    await inFlight;
    const after = newEvent(CITY);
    const { events: afterStored } = await store.append(streamName(), [after], { expectedVersion: 'no_stream', cityId: CITY });
    const scan = await store.scan();
    const seen: ScannedEvent[] = [];
    for await (const page of scan.pages()) seen.push(...page);
    await scan.close();
    release();
    const { events: heldStored } = await holding;
    expect(heldStored[0].globalPosition < afterStored[0].globalPosition).toBe(true);
    expect(seen.some((e) => e.globalPosition === heldStored[0].globalPosition)).toBe(false);
    expect(seen.some((e) => e.globalPosition === afterStored[0].globalPosition)).toBe(true);

    const missed = await dataSource.transaction((manager) => store.readCommittedAfter(manager, scan.snapshot));
    expect(missed.map((e) => e.id)).toEqual([held.id]);
  });
});

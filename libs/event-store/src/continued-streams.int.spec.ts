// A stream goes on in another city (issue 20, item 3: a city merged into its successor moves its plans
// and tasks there): its first event in the new city names the head it continues, the hash chain runs
// on unbroken, and each city's verify covers its own part.
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import { ConcurrencyError } from '@mandate/kernel';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { metadataFor, migratedStore, newEvent, newEvents, settledLog, streamName } from './event-store.fixtures';
import { PostgresEventStore } from './postgres-event-store';
import type { NewEvent, StoredEvent } from './types';

const SCHEMA = 'es';
let db: TestDatabase;
let dataSource: DataSource;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestDatabase('es_continued');
  dataSource = db.dataSource({ migrations: PostgresEventStore.migrations(SCHEMA) });
  store = await migratedStore(dataSource, SCHEMA);
});
afterAll(() => db?.drop());

const city = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;
/** The first event of `stream` in `to`, continuing from `head` (the stream's last event in the city it leaves). */
const continuing = (to: string, head: StoredEvent, overrides: Partial<NewEvent> = {}): NewEvent =>
  newEvent(to, {
    type: 'TaskMovedToCity',
    metadata: { ...metadataFor(to), continuesFrom: { cityId: head.metadata.cityId, streamVersion: head.streamVersion.toString(), hash: head.hash } },
    ...overrides,
  });

describe('a stream continued in another city', () => {
  it('goes on from its head: versions and the hash chain run on, and both cities verify', async () => {
    const [haiDuong, haiPhong] = [city('hai-duong'), city('hai-phong')];
    const stream = streamName();
    const { events: before } = await store.append(stream, newEvents(haiDuong, 3), { expectedVersion: 'no_stream', cityId: haiDuong });
    const head = before.at(-1)!;
    const { events: moved } = await store.append(stream, [continuing(haiPhong, head)], { expectedVersion: 3n, cityId: haiPhong });
    expect(moved[0].streamVersion).toBe(4n);
    await store.append(stream, newEvents(haiPhong, 2), { expectedVersion: 4n, cityId: haiPhong });
    await settledLog(dataSource, SCHEMA, haiDuong);
    await settledLog(dataSource, SCHEMA, haiPhong);

    // Each city reads its part; the successor's head is the stream's.
    expect((await store.readStream(stream, { cityId: haiPhong })).events.map((e) => e.streamVersion)).toEqual([4n, 5n, 6n]);
    expect((await store.readStream(stream, { cityId: haiDuong })).events.map((e) => e.streamVersion)).toEqual([1n, 2n, 3n]);
    expect(await store.verify({ cityId: haiDuong })).toMatchObject({ ok: true, streams: 1, events: 3, firstBroken: null });
    expect(await store.verify({ cityId: haiPhong })).toMatchObject({ ok: true, streams: 1, events: 3, firstBroken: null });
    expect(await store.verify({ cityId: haiPhong, streamId: stream })).toMatchObject({ ok: true, events: 3 });
  });

  it('is refused without the link, or with a link that is not the head; and the old city cannot append any more', async () => {
    const [from, to] = [city('hai-duong'), city('hai-phong')];
    const stream = streamName();
    const { events } = await store.append(stream, newEvents(from, 2), { expectedVersion: 'no_stream', cityId: from });
    await expect(store.append(stream, newEvents(to, 1), { expectedVersion: 2n, cityId: to })).rejects.toBeInstanceOf(ConcurrencyError);
    const stale = continuing(to, events[0]);
    await expect(store.append(stream, [stale], { expectedVersion: 2n, cityId: to })).rejects.toBeInstanceOf(ConcurrencyError);
    const forged = continuing(to, { ...events[1], hash: 'f'.repeat(64) });
    await expect(store.append(stream, [forged], { expectedVersion: 2n, cityId: to })).rejects.toBeInstanceOf(ConcurrencyError);
    // From a third city that is not where the stream is: refused as another city's stream.
    const elsewhere = continuing(to, { ...events[1], metadata: { ...events[1].metadata, cityId: city('hue') } });
    await expect(store.append(stream, [elsewhere], { expectedVersion: 2n, cityId: to })).rejects.toBeInstanceOf(ConcurrencyError);

    const move = continuing(to, events[1]);
    await store.append(stream, [move], { expectedVersion: 2n, cityId: to });
    // A retry of the move finds it; the city it left is closed to the stream.
    expect((await store.append(stream, [move], { expectedVersion: 2n, cityId: to })).deduplicated).toBe(true);
    await expect(store.append(stream, newEvents(from, 1), { expectedVersion: 2n, cityId: from })).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('names a continuation whose link was edited behind the trigger (the chain covers the metadata)', async () => {
    const [from, to] = [city('hai-duong'), city('hai-phong')];
    const stream = streamName();
    const { events } = await store.append(stream, newEvents(from, 2), { expectedVersion: 'no_stream', cityId: from });
    const { events: moved } = await store.append(stream, [continuing(to, events[1])], { expectedVersion: 2n, cityId: to });
    await settledLog(dataSource, SCHEMA, to);
    await dataSource.query(`ALTER TABLE ${SCHEMA}.events DISABLE TRIGGER events_append_only`);
    try {
      await dataSource.query(`UPDATE ${SCHEMA}.events SET metadata = jsonb_set(metadata, '{continuesFrom,hash}', to_jsonb($2::text)) WHERE event_id = $1`, [
        moved[0].id,
        '0'.repeat(64),
      ]);
    } finally {
      await dataSource.query(`ALTER TABLE ${SCHEMA}.events ENABLE TRIGGER events_append_only`);
    }
    expect(await store.verify({ cityId: to })).toMatchObject({ ok: false, firstBroken: { streamId: stream, streamVersion: 3n } });
  });
});

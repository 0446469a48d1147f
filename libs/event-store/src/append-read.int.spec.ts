import { ConcurrencyError, ConflictError, ValidationError } from '@mandate/kernel';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { eventHash } from './canonical';
import { decodeCheckpoint } from './checkpoint';
import { metadataFor, migratedStore, newEvent, newEvents, streamName } from './event-store.fixtures';
import { PostgresEventStore } from './postgres-event-store';
import type { StoredEvent } from './types';

const SCHEMA = 'es';
const CITY = 'da-nang';
const OTHER_CITY = 'hue';
let db: TestDatabase;
let dataSource: DataSource;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestDatabase('es_append_read');
  dataSource = db.dataSource({ migrations: PostgresEventStore.migrations(SCHEMA) });
  store = await migratedStore(dataSource, SCHEMA, [
    { type: 'TaskNoted', fromVersion: 1, toVersion: 2, upcast: (data) => ({ ...data, upcast: 'v2' }) },
    { type: 'TaskNoted', fromVersion: 2, toVersion: 3, upcast: (data, metadata) => ({ ...data, by: metadata.actorId }) },
  ]);
});
afterAll(() => db?.drop());

const append = (
  streamId: string,
  events: ReturnType<typeof newEvents>,
  expectedVersion: Parameters<PostgresEventStore['append']>[2]['expectedVersion'],
  cityId = CITY,
) => store.append(streamId, events, { expectedVersion, cityId });

const stored = async (streamId: string) =>
  (await dataSource.query(`SELECT stream_version, data, schema_version FROM es.events WHERE stream_id = $1 ORDER BY 1`, [streamId])) as {
    stream_version: string;
    data: Record<string, unknown>;
    schema_version: number;
  }[];

describe('append', () => {
  it('starts a stream at version 1 and returns what it stored', async () => {
    const stream = streamName();
    const event = newEvent(CITY, { type: 'PlanDrafted', data: { title: 'Chỉnh trang đô thị', when: new Date('2026-01-01T00:00:00Z') } });

    const result = await append(stream, [event], 'no_stream');

    expect(result.deduplicated).toBe(false);
    expect(result.streamVersion).toBe(1n);
    const [e] = result.events;
    expect(e).toMatchObject({
      id: event.id,
      type: 'PlanDrafted',
      schemaVersion: 1,
      data: { title: 'Chỉnh trang đô thị', when: '2026-01-01T00:00:00.000Z' },
      metadata: event.metadata,
      streamId: stream,
      streamVersion: 1n,
    });
    expect(typeof e.globalPosition).toBe('bigint');
    expect(e.transactionId).toMatch(/^\d+$/);
    expect(e.recordedAt).toBeInstanceOf(Date);
    expect(e.hash).toBe(
      eventHash('', {
        ...event,
        eventId: event.id,
        streamId: stream,
        streamVersion: 1n,
        cityId: CITY,
        data: e.data,
        hashVersion: 2,
        globalPosition: e.globalPosition,
        recordedAt: e.recordedAt,
      }),
    );
  });

  it('numbers a batch consecutively in one transaction and chains the hashes', async () => {
    const stream = streamName();
    await append(stream, newEvents(CITY, 2), 'no_stream');

    const result = await append(stream, newEvents(CITY, 3), 2n);

    expect(result.events.map((e) => e.streamVersion)).toEqual([3n, 4n, 5n]);
    expect(new Set(result.events.map((e) => e.transactionId)).size).toBe(1);
    const all = await store.readStream(stream, { cityId: CITY });
    all.events.reduce((previous, e) => {
      expect(e.hash).toBe(eventHash(previous, { ...e, eventId: e.id, cityId: CITY, schemaVersion: 1, data: storedData(e), hashVersion: 2 }));
      return e.hash;
    }, '');
  });

  it('hashes strings with quotes, control characters and Vietnamese exactly as Node does', async () => {
    const stream = streamName();
    const data = { s: 'Sở "Xây dựng"\\ \n\t\b\f\r\u0001\u001f \u2028 😀 ', n: [1e21, 0.1, -5, 1.5e-7], deep: { b: null, a: [true] } };

    const { events } = await append(stream, [newEvent(CITY, { type: 'Ghi "chú"\n', data })], 'no_stream');

    expect(events[0].hash).toBe(eventHash('', { ...events[0], eventId: events[0].id, cityId: CITY, streamVersion: 1n, data, hashVersion: 2 }));
    expect(await store.verify({ cityId: CITY, streamId: stream })).toMatchObject({ ok: true, events: 1 });
  });

  it.each([
    ['no_stream on an existing stream', 'no_stream' as const, '1'],
    ['a stale version', 0n, '1'],
    ['a version from the future', 5n, '1'],
  ])('throws ConcurrencyError for %s', async (_, expectedVersion, actual) => {
    const stream = streamName();
    await append(stream, [newEvent(CITY)], 'no_stream');

    const attempt = append(stream, [newEvent(CITY)], expectedVersion);

    await expect(attempt).rejects.toThrow(ConcurrencyError);
    await expect(attempt).rejects.toMatchObject({ streamId: stream, actual });
    expect(await stored(stream)).toHaveLength(1);
  });

  it('throws ConcurrencyError for a version on a stream that does not exist', async () => {
    await expect(append(streamName(), [newEvent(CITY)], 1n)).rejects.toMatchObject({
      constructor: ConcurrencyError,
      expected: '1',
      actual: '0',
    });
  });

  it("appends with 'any' whatever the version", async () => {
    const stream = streamName();
    await append(stream, [newEvent(CITY)], 'any');

    expect((await append(stream, [newEvent(CITY)], 'any')).streamVersion).toBe(2n);
  });

  it('lets exactly one of several writers with the same expected version win', async () => {
    const stream = streamName();
    await append(stream, [newEvent(CITY)], 'no_stream');

    const results = await Promise.allSettled(Array.from({ length: 6 }, () => append(stream, [newEvent(CITY)], 1n)));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) expect(r.reason).toBeInstanceOf(ConcurrencyError);
  });

  it("serialises concurrent 'any' writers into one gap-free stream", async () => {
    const stream = streamName();

    await Promise.all(Array.from({ length: 8 }, () => append(stream, newEvents(CITY, 2), 'any')));

    expect((await stored(stream)).map((r) => r.stream_version)).toEqual(Array.from({ length: 16 }, (_, i) => String(i + 1)));
    expect(await store.verify({ cityId: CITY, streamId: stream })).toMatchObject({ ok: true, events: 16 });
  });

  describe("another city's stream", () => {
    // Documented choice: ConcurrencyError with actual '0', the same error an unknown stream gives.
    it.each([
      ['a version', 1n],
      ['no_stream', 'no_stream' as const],
      ['any', 'any' as const],
    ])('refuses an append with %s as if the stream did not exist', async (_, expectedVersion) => {
      const stream = streamName();
      await append(stream, [newEvent(CITY)], 'no_stream');

      const attempt = append(stream, [newEvent(OTHER_CITY)], expectedVersion, OTHER_CITY);

      await expect(attempt).rejects.toThrow(ConcurrencyError);
      await expect(attempt).rejects.toMatchObject({ actual: '0' });
      expect(await stored(stream)).toHaveLength(1);
    });

    it('reads as an empty stream at version 0', async () => {
      const stream = streamName();
      await append(stream, [newEvent(CITY)], 'no_stream');

      expect(await store.readStream(stream, { cityId: OTHER_CITY })).toEqual({ events: [], streamVersion: 0n });
    });
  });

  it('refuses events whose metadata names another city', async () => {
    await expect(append(streamName(), [newEvent(OTHER_CITY)], 'no_stream')).rejects.toThrow(ValidationError);
  });

  describe('retries (event id dedup)', () => {
    it('returns the stored event when the same event is appended again', async () => {
      const stream = streamName();
      const event = newEvent(CITY);
      const first = await append(stream, [event], 'no_stream');

      const retry = await append(stream, [event], 'no_stream');

      expect(retry.deduplicated).toBe(true);
      expect(retry.streamVersion).toBe(1n);
      expect(retry.events.map(withoutUpcast)).toEqual(first.events);
      expect(await stored(stream)).toHaveLength(1);
    });

    it('returns the whole stored batch when a batch is retried, even after the stream moved on', async () => {
      const stream = streamName();
      await append(stream, [newEvent(CITY)], 'no_stream');
      const batch = newEvents(CITY, 3);
      const first = await append(stream, batch, 1n);
      await append(stream, [newEvent(CITY)], 4n);

      const retry = await append(
        stream,
        batch.map((e) => ({ ...e, id: e.id.toUpperCase() })),
        1n,
      );

      expect(retry).toMatchObject({ deduplicated: true, streamVersion: 4n });
      expect(retry.events.map(withoutUpcast)).toEqual(first.events);
      expect(await stored(stream)).toHaveLength(5);
    });

    it('throws ConflictError when the ids are stored in another stream', async () => {
      const event = newEvent(CITY);
      await append(streamName(), [event], 'no_stream');
      const other = streamName();

      await expect(append(other, [event], 'no_stream')).rejects.toThrow(ConflictError);
      expect(await stored(other)).toHaveLength(0);
    });

    it('throws ConflictError when only part of a batch is stored', async () => {
      const stream = streamName();
      const [a, b] = newEvents(CITY, 2);
      await append(stream, [a], 'no_stream');

      await expect(append(stream, [a, b], 'any')).rejects.toThrow(ConflictError);
      expect(await stored(stream)).toHaveLength(1);
    });

    it('refuses the same id twice in one batch', async () => {
      const event = newEvent(CITY);

      await expect(append(streamName(), [event, event], 'no_stream')).rejects.toThrow(ValidationError);
    });
  });

  describe('inline projections (inTransaction)', () => {
    beforeAll(() => dataSource.query(`CREATE TABLE notes (stream_id text PRIMARY KEY, version bigint NOT NULL)`));

    const project = (stream: string, fail = false) =>
      store.append(stream, [newEvent(CITY)], {
        expectedVersion: 'any',
        cityId: CITY,
        inTransaction: async (manager, events) => {
          await manager.query(`INSERT INTO notes VALUES ($1, $2) ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version`, [
            stream,
            events[events.length - 1].streamVersion.toString(),
          ]);
          if (fail) throw new Error('projection failed');
        },
      });

    it('writes the read model in the same transaction as the events', async () => {
      const stream = streamName();

      await project(stream);

      expect(await dataSource.query(`SELECT version FROM notes WHERE stream_id = $1`, [stream])).toEqual([{ version: '1' }]);
    });

    it('rolls the append back when the projection throws', async () => {
      const stream = streamName();

      await expect(project(stream, true)).rejects.toThrow('projection failed');
      expect(await stored(stream)).toHaveLength(0);
      expect(await dataSource.query(`SELECT version FROM notes WHERE stream_id = $1`, [stream])).toEqual([]);
    });

    it('maps errors inside the transaction too', async () => {
      const stream = streamName();
      await append(stream, [newEvent(CITY)], 'no_stream');

      await expect(
        store.append(stream, [newEvent(CITY)], { expectedVersion: 'no_stream', cityId: CITY, inTransaction: async () => undefined }),
      ).rejects.toThrow(ConcurrencyError);
    });
  });
});

describe('readStream', () => {
  it('returns nothing at version 0 for an unknown stream', async () => {
    expect(await store.readStream(streamName(), { cityId: CITY })).toEqual({ events: [], streamVersion: 0n });
  });

  it('filters by version range and keeps the head version of the stream', async () => {
    const stream = streamName();
    await append(stream, newEvents(CITY, 5), 'no_stream');

    const { events, streamVersion } = await store.readStream(stream, { cityId: CITY, fromVersion: 2n, toVersion: 4n });

    expect(events.map((e) => e.streamVersion)).toEqual([2n, 3n, 4n]);
    expect(streamVersion).toBe(5n);
    expect((await store.readStream(stream, { cityId: CITY, fromVersion: 6n })).streamVersion).toBe(5n);
  });

  it('travels back in time with recordedBefore', async () => {
    const stream = streamName();
    await append(stream, newEvents(CITY, 2), 'no_stream');
    // The instant comes back as a JavaScript Date, cut to the millisecond: taken in the same millisecond as
    // the append (microseconds in PostgreSQL), it fell before it (a run failed so). Two milliseconds later, the cut cannot.
    await new Promise((resolve) => setTimeout(resolve, 2));
    const [{ now }] = (await dataSource.query(`SELECT clock_timestamp() AS now`)) as { now: Date }[];
    await new Promise((resolve) => setTimeout(resolve, 5));
    await append(stream, newEvents(CITY, 1), 2n);

    const before = await store.readStream(stream, { cityId: CITY, recordedBefore: now });

    expect(before.events.map((e) => e.streamVersion)).toEqual([1n, 2n]);
  });

  it('upcasts stored v1 events through the chain but keeps the stored hash', async () => {
    const stream = streamName();
    const { events: written } = await append(stream, [newEvent(CITY, { data: { note: 'cũ' } })], 'no_stream');

    const [event] = (await store.readStream(stream, { cityId: CITY })).events;

    expect(event.schemaVersion).toBe(3);
    expect(event.data).toEqual({ note: 'cũ', upcast: 'v2', by: 'user-1' });
    expect(event.hash).toBe(written[0].hash);
    expect(await stored(stream)).toEqual([{ stream_version: '1', data: { note: 'cũ' }, schema_version: 1 }]);
  });
});

describe('readAll', () => {
  const everything = async (cityId?: string, limit = 7) => {
    const seen: StoredEvent[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<PostgresEventStore['readAll']>> = await store.readAll({ after, limit, cityId });
      if (page.events.length === 0) return { seen, checkpoint: page.checkpoint };
      seen.push(...page.events);
      after = page.checkpoint;
    }
  };

  it('pages through the whole log in (transaction, position) order', async () => {
    const city = `city-${randomUUID()}`;
    for (let i = 0; i < 5; i++) await append(streamName(), newEvents(city, 4), 'no_stream', city);

    const { seen, checkpoint } = await everything(city, 3);

    expect(seen).toHaveLength(20);
    expect(decodeCheckpoint(checkpoint!).globalPosition).toBe(seen[19].globalPosition);
    const keys = seen.map((e) => [BigInt(e.transactionId), e.globalPosition] as const);
    for (let i = 1; i < keys.length; i++) {
      expect(keys[i][0] > keys[i - 1][0] || (keys[i][0] === keys[i - 1][0] && keys[i][1] > keys[i - 1][1])).toBe(true);
    }
    expect(seen.every((e) => e.metadata.cityId === city)).toBe(true);
  });

  it('returns the checkpoint it was given when nothing is new', async () => {
    const city = `city-${randomUUID()}`;
    await append(streamName(), newEvents(city, 1), 'no_stream', city);
    const { checkpoint } = await everything(city);

    expect(await store.readAll({ after: checkpoint, limit: 10, cityId: city })).toEqual({ events: [], checkpoint });
    expect(await store.readAll({ after: null, limit: 10, cityId: `city-${randomUUID()}` })).toEqual({ events: [], checkpoint: null });
  });

  it('reads every city when none is given, and upcasts', async () => {
    const cityA = `city-${randomUUID()}`;
    const cityB = `city-${randomUUID()}`;
    await append(streamName(), newEvents(cityA, 2), 'no_stream', cityA);
    await append(streamName(), newEvents(cityB, 2), 'no_stream', cityB);

    const { seen } = await everything(undefined, 50);

    expect(seen.filter((e) => [cityA, cityB].includes(e.metadata.cityId))).toHaveLength(4);
    expect(seen.filter((e) => e.type === 'TaskNoted').every((e) => e.schemaVersion === 3)).toBe(true);
  });

  it('reports the head position', async () => {
    const { events } = await append(streamName(), newEvents(CITY, 2), 'no_stream');

    expect((await store.head()).globalPosition).toBe(events[1].globalPosition);
  });
});

/** Append returns the stored (current) form; reads upcast it. Undo that for comparisons. */
function withoutUpcast(event: StoredEvent): StoredEvent {
  return { ...event, schemaVersion: 1, data: storedData(event) };
}
function storedData(event: StoredEvent): Record<string, unknown> {
  const { upcast: _upcast, by: _by, ...data } = event.data;
  return data;
}

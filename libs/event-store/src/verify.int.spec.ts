import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { migratedStore, newEvents, streamName } from './event-store.fixtures';
import { PostgresEventStore } from './postgres-event-store';
import type { StoredEvent } from './types';

const SCHEMA = 'es';
let db: TestDatabase;
let dataSource: DataSource;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestDatabase('es_verify');
  dataSource = db.dataSource({ migrations: PostgresEventStore.migrations(SCHEMA) });
  store = await migratedStore(dataSource, SCHEMA);
});
afterAll(() => db?.drop());

/** A city of its own with three streams of four events, interleaved in the log. */
const cityWithStreams = async () => {
  const cityId = `city-${randomUUID()}`;
  const streams = [streamName(), streamName(), streamName()];
  const events: StoredEvent[] = [];
  for (let round = 0; round < 2; round++) {
    for (const stream of streams) {
      const { events: appended } = await store.append(stream, newEvents(cityId, 2), { expectedVersion: BigInt(round * 2), cityId });
      events.push(...appended);
    }
  }
  return { cityId, streams, events };
};

/** What an attacker with table-owner rights could do: switch the trigger off, tamper, switch it on. */
const tamper = async (sql: string, params: unknown[]) => {
  await dataSource.query(`ALTER TABLE ${SCHEMA}.events DISABLE TRIGGER events_append_only`);
  try {
    await dataSource.query(sql, params);
  } finally {
    await dataSource.query(`ALTER TABLE ${SCHEMA}.events ENABLE TRIGGER events_append_only`);
  }
};

const pick = (events: StoredEvent[], stream: string, version: bigint) =>
  events.find((e) => e.streamId === stream && e.streamVersion === version)!;

describe('verify', () => {
  it('passes an untouched city and counts its streams and events', async () => {
    const { cityId, streams } = await cityWithStreams();

    expect(await store.verify({ cityId })).toEqual({ ok: true, streams: 3, events: 12, firstBroken: null, anchors: { checked: 0, firstBroken: null } });
    expect(await store.verify({ cityId, streamId: streams[1] })).toEqual({ ok: true, streams: 1, events: 4, firstBroken: null, anchors: null });
  });

  it('names an event whose data was changed behind the trigger', async () => {
    const { cityId, streams, events } = await cityWithStreams();
    const victim = pick(events, streams[1], 3n);

    await tamper(`UPDATE ${SCHEMA}.events SET data = jsonb_set(data, '{n}', '99') WHERE event_id = $1`, [victim.id]);

    const result = await store.verify({ cityId });
    expect(result).toMatchObject({
      ok: false,
      streams: 3,
      events: 12,
      firstBroken: { streamId: streams[1], streamVersion: 3n, globalPosition: victim.globalPosition },
    });
    expect(result.firstBroken?.reason).toMatch(/^hash mismatch/);
    expect(await store.verify({ cityId, streamId: streams[0] })).toMatchObject({ ok: true });
  });

  it('names the first broken link by global position when several are broken', async () => {
    const { cityId, streams, events } = await cityWithStreams();
    const later = pick(events, streams[0], 4n);
    const earlier = pick(events, streams[2], 2n);

    await tamper(`UPDATE ${SCHEMA}.events SET type = 'Forged' WHERE event_id = ANY ($1::uuid[])`, [[later.id, earlier.id]]);

    expect((await store.verify({ cityId })).firstBroken).toMatchObject({ streamId: streams[2], streamVersion: 2n });
  });

  it('catches a forger who also recomputes the hash of the changed row', async () => {
    const { cityId, streams, events } = await cityWithStreams();
    const victim = pick(events, streams[0], 2n);

    // The new hash is self-consistent for row 2 only if its input is right; the next link still breaks.
    await tamper(`UPDATE ${SCHEMA}.events SET metadata = metadata || '{"actorId":"someone-else"}', hash = md5(hash) || md5(hash) WHERE event_id = $1`, [
      victim.id,
    ]);

    expect((await store.verify({ cityId })).firstBroken).toMatchObject({ streamId: streams[0], streamVersion: 2n });
  });

  it('reports a deleted event as a version gap at the next event', async () => {
    const { cityId, streams, events } = await cityWithStreams();
    const deleted = pick(events, streams[2], 2n);
    const next = pick(events, streams[2], 3n);

    await tamper(`DELETE FROM ${SCHEMA}.events WHERE event_id = $1`, [deleted.id]);

    const result = await store.verify({ cityId });
    expect(result).toMatchObject({
      ok: false,
      events: 11,
      firstBroken: { streamId: streams[2], streamVersion: 3n, globalPosition: next.globalPosition },
    });
    expect(result.firstBroken?.reason).toBe('version gap: expected version 2, found 3');
  });

  it('reports a deleted first event', async () => {
    const { cityId, streams, events } = await cityWithStreams();

    await tamper(`DELETE FROM ${SCHEMA}.events WHERE event_id = $1`, [pick(events, streams[0], 1n).id]);

    expect((await store.verify({ cityId })).firstBroken).toMatchObject({
      streamId: streams[0],
      streamVersion: 2n,
      reason: 'version gap: expected version 1, found 2',
    });
  });

  it('pages through cities bigger than one page', async () => {
    const cityId = `city-${randomUUID()}`;
    for (let i = 0; i < 5; i++) await store.append(streamName(), newEvents(cityId, 1000), { expectedVersion: 'no_stream', cityId });

    expect(await store.verify({ cityId })).toEqual({ ok: true, streams: 5, events: 5000, firstBroken: null, anchors: { checked: 0, firstBroken: null } });
  });
});

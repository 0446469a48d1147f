import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { eventHash } from './canonical';
import { migratedStore, newEvent, newEvents, settledLog, streamName, testAuditKey } from './event-store.fixtures';
import { PostgresEventStore } from './postgres-event-store';
import type { StoredEvent } from './types';

const SCHEMA = 'es';
let db: TestDatabase;
let dataSource: DataSource;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestDatabase('es_verify');
  dataSource = db.dataSource({ migrations: PostgresEventStore.migrations(SCHEMA) });
  store = await migratedStore(dataSource, SCHEMA, [], KEY);
});

const KEY = testAuditKey();
afterAll(() => db?.drop());

const settled = (cityId: string) => settledLog(dataSource, SCHEMA, cityId);

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
  await settled(cityId);
  return { cityId, streams, events };
};

/** What an attacker with table-owner rights could do: switch the trigger off, tamper, switch it on. */
const tamper = async (sql: string, params: unknown[], table = 'events', trigger = 'events_append_only') => {
  await dataSource.query(`ALTER TABLE ${SCHEMA}.${table} DISABLE TRIGGER ${trigger}`);
  try {
    await dataSource.query(sql, params);
  } finally {
    await dataSource.query(`ALTER TABLE ${SCHEMA}.${table} ENABLE TRIGGER ${trigger}`);
  }
};

const pick = (events: StoredEvent[], stream: string, version: bigint) => events.find((e) => e.streamId === stream && e.streamVersion === version)!;

describe('verify', () => {
  it('passes an untouched city and counts its streams and events', async () => {
    const { cityId, streams } = await cityWithStreams();

    expect(await store.verify({ cityId })).toMatchObject({ ok: true, streams: 3, events: 12, firstBroken: null, anchors: { checked: 0, firstBroken: null } });
    expect(await store.verify({ cityId, streamId: streams[1] })).toEqual({
      ok: true,
      streams: 1,
      events: 4,
      firstBroken: null,
      anchors: null,
      checkpoints: null,
      unverified: null,
    });
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

    expect(await store.verify({ cityId })).toMatchObject({ ok: true, streams: 5, events: 5000, firstBroken: null, anchors: { checked: 0, firstBroken: null } });
  });
});

/** Calls the append function itself, as someone with SQL rights but not the audit key could. */
const appendBySql = async (stream: string, cityId: string, data: Record<string, unknown>) => {
  const event = newEvent(cityId, { data });
  const [row] = (await dataSource.query(`SELECT * FROM ${SCHEMA}.append_events($1, $2, -1, $3::uuid[], $4, $5, $6, $7)`, [
    stream,
    cityId,
    [event.id],
    [event.type],
    [1],
    [JSON.stringify(data)],
    [JSON.stringify(Object.fromEntries(Object.entries(event.metadata).sort()))],
  ])) as { r_global_position: string }[];
  return BigInt(row.r_global_position);
};

describe('verify: what the chains alone did not cover (issue 17)', () => {
  it('hashes recorded_at: an event moved within its day breaks its own link', async () => {
    const { cityId, streams, events } = await cityWithStreams();
    const victim = pick(events, streams[0], 2n);

    await tamper(`UPDATE ${SCHEMA}.events SET recorded_at = recorded_at - interval '1 second' WHERE event_id = $1`, [victim.id]);

    const result = await store.verify({ cityId });
    expect(result).toMatchObject({ ok: false, firstBroken: { streamId: streams[0], streamVersion: 2n, globalPosition: victim.globalPosition } });
    expect(result.firstBroken?.reason).toMatch(/^hash mismatch/);
  });

  it('hashes the position: two events swapped in the log break their links', async () => {
    const { cityId, streams, events } = await cityWithStreams();
    const [a, b] = [pick(events, streams[0], 4n), pick(events, streams[2], 4n)];

    const move = (id: string, position: bigint) => tamper(`UPDATE ${SCHEMA}.events SET global_position = $2 WHERE event_id = $1`, [id, position.toString()]);
    await move(a.id, -a.globalPosition);
    await move(b.id, a.globalPosition);
    await move(a.id, b.globalPosition);

    expect(await store.verify({ cityId })).toMatchObject({
      ok: false,
      firstBroken: { streamId: streams[2], streamVersion: 4n, globalPosition: a.globalPosition, reason: expect.stringMatching(/^hash mismatch/) },
    });
  });

  it('still verifies events hashed before recorded_at was covered (version 1), and refuses a version going back', async () => {
    const cityId = `city-${randomUUID()}`;
    const stream = streamName();
    const legacy = newEvent(cityId);
    const hash = eventHash('', { ...legacy, eventId: legacy.id, streamId: stream, streamVersion: 1n, cityId });
    await dataSource.query(
      `INSERT INTO ${SCHEMA}.events (stream_id, stream_version, event_id, type, schema_version, data, metadata, city_id, hash)
       VALUES ($1, 1, $2, $3, 1, $4, $5, $6, $7)`,
      [stream, legacy.id, legacy.type, legacy.data, legacy.metadata, cityId, hash],
    );
    const { events } = await store.append(stream, newEvents(cityId, 2), { expectedVersion: 1n, cityId });

    expect(await store.verify({ cityId })).toMatchObject({ ok: true, events: 3 });

    // Version 3 rewritten under the old formula, to shed recorded_at: a downgrade, named as such.
    const last = events[1];
    const v1 = eventHash(events[0].hash, { ...last, eventId: last.id, cityId });
    await tamper(`UPDATE ${SCHEMA}.events SET hash_version = 1, hash = $2 WHERE event_id = $1`, [last.id, v1]);
    expect((await store.verify({ cityId })).firstBroken).toMatchObject({ streamVersion: 3n, reason: 'hash version 1 after version 2' });
  });

  it('names what no signed checkpoint covers: everything before the first, what came after the last', async () => {
    const { cityId, events } = await cityWithStreams();
    const positions = events.map((e) => Number(e.globalPosition));

    expect((await store.verify({ cityId })).unverified).toEqual({
      events: 12,
      firstPosition: Math.min(...positions),
      lastPosition: Math.max(...positions),
      reason: 'no signed checkpoint covers the city’s log',
    });

    const checkpoint = await store.checkpoint(cityId, new Date());
    expect(checkpoint).toMatchObject({ seq: 1, events: 12, segmentEvents: 12, lastPosition: Math.max(...positions), previousSignature: null });
    expect(await store.checkpoint(cityId, new Date())).toBeNull(); // nothing new
    const later = await store.append(streamName(), newEvents(cityId, 2), { expectedVersion: 'no_stream', cityId });
    await settled(cityId);

    const result = await store.verify({ cityId });
    expect(result).toMatchObject({ ok: true, checkpoints: { checked: 1, signaturesChecked: true, firstBroken: null, last: { seq: 1, events: 12 } } });
    expect(result.unverified).toEqual({
      events: 2,
      firstPosition: Number(later.events[0].globalPosition),
      lastPosition: Number(later.events[1].globalPosition),
      reason: `recorded after the last signed checkpoint (1, ${checkpoint!.createdAt})`,
    });
    expect(await store.checkpoint(cityId, new Date())).toMatchObject({ seq: 2, events: 14, segmentEvents: 2, previousSignature: checkpoint!.signature });
    expect(await store.verify({ cityId })).toMatchObject({ ok: true, unverified: null, checkpoints: { checked: 2 } });
  });

  it('detects a stream’s last event deleted once a checkpoint covers it', async () => {
    const { cityId, streams, events } = await cityWithStreams();
    await store.checkpoint(cityId, new Date());

    await tamper(`DELETE FROM ${SCHEMA}.events WHERE event_id = $1`, [pick(events, streams[1], 4n).id]);

    const result = await store.verify({ cityId });
    expect(result.firstBroken).toBeNull(); // the chain that is left is whole
    expect(result).toMatchObject({
      ok: false,
      checkpoints: { firstBroken: { seq: 1, reason: 'segment mismatch: 12 events signed, 11 found', checkpointEvents: 12, foundEvents: 11 } },
    });
  });

  it('detects an event forged through the append function in place of a covered one', async () => {
    const { cityId, streams, events } = await cityWithStreams();
    await store.checkpoint(cityId, new Date());

    // Version 4 replaced by another version 4, hashed by the append function itself: every chain holds.
    await tamper(`DELETE FROM ${SCHEMA}.events WHERE event_id = $1`, [pick(events, streams[2], 4n).id]);
    const forged = await appendBySql(streams[2], cityId, { n: 99 });

    const result = await store.verify({ cityId });
    expect(result.firstBroken).toBeNull();
    expect(result).toMatchObject({
      ok: false,
      checkpoints: { firstBroken: { seq: 1, foundEvents: 11 } },
      unverified: { events: 1, firstPosition: Number(forged), lastPosition: Number(forged) },
    });
  });

  it('names an event appended through the append function after the last checkpoint as not covered', async () => {
    const { cityId, streams } = await cityWithStreams();
    await store.checkpoint(cityId, new Date());

    const forged = await appendBySql(streams[0], cityId, { n: 42 });

    expect(await store.verify({ cityId })).toMatchObject({ ok: true, firstBroken: null, unverified: { events: 1, firstPosition: Number(forged) } });
  });

  it('detects a checkpoint re-signed with another key, and one deleted between others', async () => {
    const { cityId } = await cityWithStreams();
    const other = await migratedStore(dataSource, SCHEMA, [], testAuditKey());
    await other.checkpoint(cityId, new Date());

    expect((await store.verify({ cityId })).checkpoints?.firstBroken).toMatchObject({ seq: 1, reason: 'signed with another key than the deployment’s' });

    const { cityId: city2 } = await cityWithStreams();
    await store.checkpoint(city2, new Date());
    await store.append(streamName(), newEvents(city2, 1), { expectedVersion: 'no_stream', cityId: city2 });
    await settled(city2);
    await store.checkpoint(city2, new Date());
    await store.append(streamName(), newEvents(city2, 1), { expectedVersion: 'no_stream', cityId: city2 });
    await settled(city2);
    await store.checkpoint(city2, new Date());
    await tamper(`DELETE FROM ${SCHEMA}.audit_checkpoints WHERE city_id = $1 AND seq = 2`, [city2], 'audit_checkpoints', 'audit_checkpoints_append_only');

    expect((await store.verify({ cityId: city2 })).checkpoints?.firstBroken).toMatchObject({ seq: 3, reason: 'checkpoint 2 is missing' });
  });

  it('keeps checkpoints append-only', async () => {
    const { cityId } = await cityWithStreams();
    await store.checkpoint(cityId, new Date());

    await expect(dataSource.query(`UPDATE ${SCHEMA}.audit_checkpoints SET events = 0 WHERE city_id = $1`, [cityId])).rejects.toThrow(
      'audit checkpoints are append-only: UPDATE',
    );
    await expect(dataSource.query(`DELETE FROM ${SCHEMA}.audit_checkpoints WHERE city_id = $1`, [cityId])).rejects.toThrow(
      'audit checkpoints are append-only: DELETE',
    );
  });
});

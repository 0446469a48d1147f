import { addDays, instantAtLocal, localDayOf } from '@mandate/kernel';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { AnchorScheduler } from './anchor-scheduler';
import { serializeAuditExport, signAuditExport, verifyAuditExport } from './audit-export';
import { eventHash } from './canonical';
import { backdate, metadataFor, migratedStore, newEvent, newEvents, settledLog, streamName, testAuditKey } from './event-store.fixtures';
import { merkleRoot } from './merkle';
import { PostgresEventStore } from './postgres-event-store';
import type { StoredEvent } from './types';

const SCHEMA = 'es';
let db: TestDatabase;
let dataSource: DataSource;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestDatabase('es_audit');
  dataSource = db.dataSource({ migrations: PostgresEventStore.migrations(SCHEMA) });
  store = await migratedStore(dataSource, SCHEMA, [], KEY);
});

/** The deployment's audit key: signs checkpoints and exports alike. */
const KEY = testAuditKey();
afterAll(() => db?.drop());

const TODAY = localDayOf(new Date());
/** Three closed days, oldest first. */
const DAYS = [addDays(TODAY, -3), addDays(TODAY, -2), addDays(TODAY, -1)];

/** What an attacker with table-owner rights could do: switch the trigger off, change rows, switch it on. */
const tamper = async (sql: string, params: unknown[], table = 'events', trigger = 'events_append_only') => {
  await dataSource.query(`ALTER TABLE ${SCHEMA}.${table} DISABLE TRIGGER ${trigger}`);
  try {
    await dataSource.query(sql, params);
  } finally {
    await dataSource.query(`ALTER TABLE ${SCHEMA}.${table} ENABLE TRIGGER ${trigger}`);
  }
};

/**
 * A city of its own: three streams with two events each on each of three past days, and one more each
 * today. The log stamps recorded_at itself, so the setup moves the past days' rows back in time and
 * re-chains them, as the attacker above could before anything signed covered them.
 */
const cityWithHistory = async () => {
  const cityId = `city-${randomUUID()}`;
  const streams = [streamName(), streamName(), streamName()];
  const events: StoredEvent[] = [];
  for (const [d, day] of DAYS.entries()) {
    for (const [s, stream] of streams.entries()) {
      const { events: appended } = await store.append(stream, newEvents(cityId, 2), { expectedVersion: 'any', cityId });
      const recordedAt = new Date(instantAtLocal(day, 9 * 60).getTime() + (s * 2 + d) * 60_000);
      await backdate(
        dataSource,
        SCHEMA,
        appended.map((e) => e.id),
        recordedAt,
      );
      events.push(...appended.map((e) => ({ ...e, recordedAt })));
    }
  }
  for (const stream of streams) events.push(...(await store.append(stream, newEvents(cityId, 1), { expectedVersion: 'any', cityId })).events);
  // As stored now: re-chaining changed the backdated streams' hashes.
  return { cityId, streams, events: await store.readStreams(streams, { cityId }) };
};

const rootOf = (events: StoredEvent[], day: string) =>
  merkleRoot(
    events
      .filter((e) => localDayOf(e.recordedAt) === day)
      .sort((a, b) => Number(a.globalPosition - b.globalPosition))
      .map((e) => e.hash),
  );

describe('daily anchors', () => {
  it('anchor each closed day once, chained, with the Merkle root of its events in position order', async () => {
    const { cityId, events } = await cityWithHistory();

    // Two runs at once (the scheduler of two instances, or the CLI): each day is anchored once.
    const runs = await Promise.all([store.anchorClosedDays(cityId, new Date()), store.anchorClosedDays(cityId, new Date())]);

    expect(runs.flatMap((r) => r.anchored.map((a) => a.day)).sort()).toEqual(DAYS);
    const anchors = await store.anchors(cityId);
    expect(anchors.map((a) => ({ day: a.day, root: a.root, events: a.events, previous: a.previousAnchorRoot }))).toEqual([
      { day: DAYS[0], root: rootOf(events, DAYS[0]), events: 6, previous: null },
      { day: DAYS[1], root: rootOf(events, DAYS[1]), events: 6, previous: rootOf(events, DAYS[0]) },
      { day: DAYS[2], root: rootOf(events, DAYS[2]), events: 6, previous: rootOf(events, DAYS[1]) },
    ]);
    const ofFirstDay = events.filter((e) => localDayOf(e.recordedAt) === DAYS[0]).map((e) => e.globalPosition);
    expect(anchors[0]).toMatchObject({ firstPosition: ofFirstDay[0], lastPosition: ofFirstDay[ofFirstDay.length - 1] });
    // Today is not closed; nothing is left to anchor.
    expect(await store.anchorClosedDays(cityId, new Date())).toEqual({ anchored: [], waitingFor: null });
    expect(await store.verify({ cityId })).toMatchObject({ ok: true, streams: 3, events: 21, firstBroken: null, anchors: { checked: 3, firstBroken: null } });
  });

  it('anchor only what is closed by the caller’s clock too', async () => {
    const { cityId } = await cityWithHistory();

    const run = await store.anchorClosedDays(cityId, instantAtLocal(DAYS[1], 12 * 60));

    expect(run.anchored.map((a) => a.day)).toEqual([DAYS[0]]);
    expect((await store.anchorClosedDays(cityId, new Date())).anchored.map((a) => a.day)).toEqual([DAYS[1], DAYS[2]]);
  });

  it('are append-only', async () => {
    const { cityId } = await cityWithHistory();
    await store.anchorClosedDays(cityId, new Date());

    await expect(dataSource.query(`UPDATE ${SCHEMA}.audit_anchors SET root = 'x' WHERE city_id = $1`, [cityId])).rejects.toThrow(
      'audit anchors are append-only: UPDATE',
    );
    await expect(dataSource.query(`DELETE FROM ${SCHEMA}.audit_anchors WHERE city_id = $1`, [cityId])).rejects.toThrow('audit anchors are append-only: DELETE');
  });
});

describe('verify with anchors', () => {
  it('names the broken link after a row is altered in the database', async () => {
    const { cityId, streams, events } = await cityWithHistory();
    await store.anchorClosedDays(cityId, new Date());
    const victim = events.find((e) => e.streamId === streams[1] && e.streamVersion === 3n)!;

    await tamper(`UPDATE ${SCHEMA}.events SET data = jsonb_set(data, '{n}', '99') WHERE event_id = $1`, [victim.id]);

    const result = await store.verify({ cityId });
    expect(result).toMatchObject({ ok: false, firstBroken: { streamId: streams[1], streamVersion: 3n, globalPosition: victim.globalPosition } });
    expect(result.firstBroken?.reason).toMatch(/^hash mismatch/);
  });

  it('catches a forger who rewrites a whole chain consistently: the day’s anchor no longer matches', async () => {
    const { cityId, streams, events } = await cityWithHistory();
    await store.anchorClosedDays(cityId, new Date());
    const stream = events.filter((e) => e.streamId === streams[0]);

    // Change version 3's data, then recompute every hash from there on, as the append function would.
    let previous = stream[1].hash;
    for (const event of stream.slice(2)) {
      const data = event.streamVersion === 3n ? { n: 99 } : event.data;
      const hash = eventHash(previous, { ...event, eventId: event.id, cityId, data, hashVersion: 2 });
      await tamper(`UPDATE ${SCHEMA}.events SET data = $2, hash = $3 WHERE event_id = $1`, [event.id, data, hash]);
      previous = hash;
    }

    const result = await store.verify({ cityId });
    expect(result.firstBroken).toBeNull();
    expect(result.ok).toBe(false);
    expect(result.anchors?.firstBroken).toMatchObject({ day: DAYS[1], expected: rootOf(events, DAYS[1]), anchoredEvents: 6, foundEvents: 6 });
    expect(result.anchors?.firstBroken?.found).not.toBe(rootOf(events, DAYS[1]));
  });

  it('reports the first day of a stream deleted whole, which leaves every remaining chain intact', async () => {
    const { cityId, streams, events } = await cityWithHistory();
    await store.anchorClosedDays(cityId, new Date());

    await tamper(`DELETE FROM ${SCHEMA}.events WHERE stream_id = $1`, [streams[2]]);

    const result = await store.verify({ cityId });
    const left = events.filter((e) => e.streamId !== streams[2]);
    expect(result).toMatchObject({
      ok: false,
      streams: 2,
      events: 14,
      firstBroken: null,
      anchors: {
        checked: 3,
        firstBroken: {
          day: DAYS[0],
          expected: rootOf(events, DAYS[0]),
          found: rootOf(left, DAYS[0]),
          reason: 'root mismatch: 6 events anchored, 4 found',
          anchoredEvents: 6,
          foundEvents: 4,
        },
      },
    });
  });

  it('reports an event moved into an anchored day, and a day whose anchor was deleted', async () => {
    const moved = await cityWithHistory();
    await store.anchorClosedDays(moved.cityId, new Date());
    const todays = moved.events[moved.events.length - 1];
    await tamper(`UPDATE ${SCHEMA}.events SET recorded_at = $2 WHERE event_id = $1`, [todays.id, instantAtLocal(DAYS[2], 20 * 60)]);

    expect((await store.verify({ cityId: moved.cityId })).anchors?.firstBroken).toMatchObject({ day: DAYS[2], anchoredEvents: 6, foundEvents: 7 });

    const unanchored = await cityWithHistory();
    await store.anchorClosedDays(unanchored.cityId, new Date());
    await tamper(
      `DELETE FROM ${SCHEMA}.audit_anchors WHERE city_id = $1 AND day = $2`,
      [unanchored.cityId, DAYS[1]],
      'audit_anchors',
      'audit_anchors_append_only',
    );

    expect((await store.verify({ cityId: unanchored.cityId })).anchors?.firstBroken).toMatchObject({
      day: DAYS[1],
      expected: null,
      found: rootOf(unanchored.events, DAYS[1]),
      reason: '6 events on a day that has no anchor',
    });
  });

  it('detects an event moved within its anchored day (recorded_at is hashed), which leaves the day’s root as it was', async () => {
    const { cityId, streams, events } = await cityWithHistory();
    await store.anchorClosedDays(cityId, new Date());
    const victim = events.find((e) => e.streamId === streams[1] && e.streamVersion === 3n)!;

    await tamper(`UPDATE ${SCHEMA}.events SET recorded_at = recorded_at + interval '2 hours' WHERE event_id = $1`, [victim.id]);

    const result = await store.verify({ cityId });
    expect(result.anchors?.firstBroken).toBeNull();
    expect(result).toMatchObject({ ok: false, firstBroken: { streamId: streams[1], streamVersion: 3n, reason: expect.stringMatching(/^hash mismatch/) } });
  });

  it('is not ok once the only anchor is deleted: the signed checkpoint names it', async () => {
    const cityId = `city-${randomUUID()}`;
    const { events } = await store.append(streamName(), newEvents(cityId, 2), { expectedVersion: 'no_stream', cityId });
    await backdate(
      dataSource,
      SCHEMA,
      events.map((e) => e.id),
      instantAtLocal(DAYS[2], 10 * 60),
    );
    expect((await store.anchorClosedDays(cityId, new Date())).anchored).toHaveLength(1);
    await settledLog(dataSource, SCHEMA, cityId);
    await store.checkpoint(cityId, new Date());
    expect(await store.verify({ cityId })).toMatchObject({ ok: true, anchors: { checked: 1 }, checkpoints: { checked: 1 }, unverified: null });

    await tamper(`DELETE FROM ${SCHEMA}.audit_anchors WHERE city_id = $1`, [cityId], 'audit_anchors', 'audit_anchors_append_only');

    expect(await store.verify({ cityId })).toMatchObject({
      ok: false,
      anchors: { checked: 0, firstBroken: null },
      checkpoints: { firstBroken: { seq: 1, reason: `the anchor of ${DAYS[2]} it names is missing`, found: null } },
    });
  });

  it('reports progress up to the total: every event once for the chains, then the anchored days', async () => {
    const { cityId } = await cityWithHistory();
    await store.anchorClosedDays(cityId, new Date());
    const seen: { checked: number; total: number }[] = [];

    await store.verify({ cityId }, { onProgress: (p) => seen.push(p) });

    expect(seen[0]).toEqual({ checked: 0, total: 21 + 18 });
    expect(seen[seen.length - 1]).toEqual({ checked: 39, total: 39 });
  });

  it('leaves anchors out when one stream is verified', async () => {
    const { cityId, streams } = await cityWithHistory();

    expect(await store.verify({ cityId, streamId: streams[0] })).toEqual({
      ok: true,
      streams: 1,
      events: 7,
      firstBroken: null,
      anchors: null,
      checkpoints: null,
      unverified: null,
    });
  });
});

describe('signed export', () => {
  const key = KEY;
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-audit-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const exportFile = async (cityId: string, from: string, to: string) => {
    const file = path.join(dir, `${randomUUID()}.json`);
    const content = await store.readAuditExport({ cityId, from, to, generatedAt: new Date() });
    fs.writeFileSync(file, serializeAuditExport(signAuditExport(content, key)));
    return file;
  };

  it('verifies offline, and fails after one character inside a string changes', async () => {
    const { cityId } = await cityWithHistory();
    await store.anchorClosedDays(cityId, new Date());
    await settledLog(dataSource, SCHEMA, cityId);
    await store.checkpoint(cityId, new Date());
    const file = await exportFile(cityId, DAYS[0], TODAY);

    const result = verifyAuditExport(fs.readFileSync(file), { publicKeyPem: key.publicKeyPem });
    expect(result).toMatchObject({
      ok: true,
      city: cityId,
      streams: 3,
      events: 21,
      signature: { ok: true, pinned: true },
      anchors: { checked: 3, firstBroken: null, notYetAnchored: [TODAY] },
      checkpoints: { checked: 1, firstBroken: null },
    });
    // Pinned to another key, the checkpoints do not hold either.
    expect(verifyAuditExport(fs.readFileSync(file), { publicKeyPem: testAuditKey().publicKeyPem }).checkpoints.firstBroken).toMatchObject({ seq: 1 });

    const text = fs.readFileSync(file, 'utf8');
    const at = text.indexOf(`"actorId":"user-1"`) + '"actorId":"user-'.length;
    fs.writeFileSync(file, `${text.slice(0, at)}2${text.slice(at + 1)}`);

    const changed = verifyAuditExport(fs.readFileSync(file), { publicKeyPem: key.publicKeyPem });
    expect(changed.ok).toBe(false);
    expect(changed.signature.reason).toBe('the signature does not match the content');
  });

  it('starts each stream of a later range from the stored hash before it', async () => {
    const { cityId, streams, events } = await cityWithHistory();
    await store.anchorClosedDays(cityId, new Date());

    const content = await store.readAuditExport({ cityId, from: DAYS[1], to: DAYS[1], generatedAt: new Date() });

    const before = (stream: string) => events.find((e) => e.streamId === stream && e.streamVersion === 2n)!.hash;
    expect(content.chains).toEqual([...streams].sort().map((streamId) => ({ streamId, fromVersion: 3, toVersion: 4, previousHash: before(streamId) })));
    expect(content.anchors.map((a) => a.day)).toEqual([DAYS[1]]);
    expect(verifyAuditExport(serializeAuditExport(signAuditExport(content, key)))).toMatchObject({
      ok: true,
      events: 6,
      anchors: { checked: 1, firstBroken: null },
    });
  });

  it('carries the log as it is: a stream deleted whole shows in the export’s anchors', async () => {
    const { cityId, streams } = await cityWithHistory();
    await store.anchorClosedDays(cityId, new Date());
    await tamper(`DELETE FROM ${SCHEMA}.events WHERE stream_id = $1`, [streams[0]]);

    const result = verifyAuditExport(fs.readFileSync(await exportFile(cityId, DAYS[0], DAYS[2])));

    expect(result).toMatchObject({
      ok: false,
      signature: { ok: true },
      chains: { ok: true },
      anchors: { firstBroken: { day: DAYS[0], anchoredEvents: 6, foundEvents: 4 } },
    });
  });
});

describe('audit search', () => {
  it('finds a city’s events by actor, type, stream and time, newest first, page by page', async () => {
    const cityId = `city-${randomUUID()}`;
    const stream = streamName();
    const other = streamName();
    const by = (actorId: string, type = 'TaskNoted') => newEvent(cityId, { type, metadata: metadataFor(cityId, { actorId }) });
    await store.append(stream, [by('alice'), by('bob', 'TaskStarted'), by('alice', 'TaskStarted')], { expectedVersion: 'no_stream', cityId });
    await store.append(other, [by('alice'), by('alice')], { expectedVersion: 'no_stream', cityId });
    const elsewhere = `city-${randomUUID()}`;
    await store.append(streamName(), [newEvent(elsewhere, { metadata: metadataFor(elsewhere, { actorId: 'alice' }) })], {
      expectedVersion: 'no_stream',
      cityId: elsewhere,
    });
    // Search sees only what every running transaction is past (other suites' transactions hold that back).
    await settledLog(dataSource, SCHEMA, cityId);
    const search = { cityId, order: 'newest' as const, limit: 10, after: null };

    const alice = await store.searchEvents({ ...search, actorId: 'alice' });
    expect(alice.events.map((e) => [e.streamId, e.streamVersion])).toEqual([
      [other, 2n],
      [other, 1n],
      [stream, 3n],
      [stream, 1n],
    ]);
    expect(alice.next).toBeNull();
    expect((await store.searchEvents({ ...search, types: ['TaskStarted'] })).events.map((e) => e.metadata.actorId)).toEqual(['alice', 'bob']);
    expect((await store.searchEvents({ ...search, streamId: stream, order: 'oldest' })).events.map((e) => e.streamVersion)).toEqual([1n, 2n, 3n]);
    expect((await store.searchEvents({ ...search, to: new Date(Date.now() - 3600_000) })).events).toEqual([]);
    expect((await store.searchEvents({ ...search, from: new Date(Date.now() - 3600_000) })).events).toHaveLength(5);

    const first = await store.searchEvents({ ...search, limit: 2 });
    const second = await store.searchEvents({ ...search, limit: 2, after: first.next });
    const third = await store.searchEvents({ ...search, limit: 2, after: second.next });
    expect([...first.events, ...second.events, ...third.events].map((e) => e.id)).toEqual((await store.searchEvents(search)).events.map((e) => e.id));
    expect(third.next).toBeNull();
  });

  it('reads several streams of a city in log order', async () => {
    const cityId = `city-${randomUUID()}`;
    const [a, b] = [streamName(), streamName()];
    await store.append(a, newEvents(cityId, 2), { expectedVersion: 'no_stream', cityId });
    await store.append(b, newEvents(cityId, 1), { expectedVersion: 'no_stream', cityId });
    await store.append(a, newEvents(cityId, 1), { expectedVersion: 2n, cityId });

    const events = await store.readStreams([a, b], { cityId });

    expect(events.map((e) => [e.streamId, e.streamVersion])).toEqual([
      [a, 1n],
      [a, 2n],
      [b, 1n],
      [a, 3n],
    ]);
    expect(await store.readStreams([a, b], { cityId: 'elsewhere' })).toEqual([]);
  });
});

describe('the anchor scheduler', () => {
  const lock = (held: boolean) => ({ acquire: jest.fn(async () => held), release: jest.fn(async () => undefined) });
  const logger = () => ({ info: jest.fn(), warn: jest.fn() });

  it('anchors every city’s closed days when it holds the lock, and nothing when another instance does', async () => {
    const [one, two] = [await cityWithHistory(), await cityWithHistory()];
    const log = logger();

    expect(await new AnchorScheduler(store, lock(false), { intervalMs: 60_000, now: () => new Date(), logger: log }).tick()).toEqual([]);
    expect(await store.anchors(one.cityId)).toEqual([]);

    const leader = new AnchorScheduler(store, lock(true), { intervalMs: 60_000, now: () => new Date(), logger: log });
    const anchored = await leader.tick();
    expect(anchored.filter((a) => a.cityId === one.cityId).map((a) => a.day)).toEqual(DAYS);
    expect(anchored.filter((a) => a.cityId === two.cityId).map((a) => a.day)).toEqual(DAYS);
    expect(await leader.tick()).toEqual([]);
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('runs its first pass at start, and releases its lock when stopped', async () => {
    const { cityId } = await cityWithHistory();
    const held = lock(true);
    const scheduler = new AnchorScheduler(store, held, { intervalMs: 60_000, now: () => new Date(), logger: logger() });

    scheduler.start();
    for (let i = 0; i < 100 && (await store.anchors(cityId)).length < DAYS.length; i++) await new Promise((r) => setTimeout(r, 50));
    await scheduler.stop();

    expect((await store.anchors(cityId)).map((a) => a.day)).toEqual(DAYS);
    expect(held.release).toHaveBeenCalled();
  });
});

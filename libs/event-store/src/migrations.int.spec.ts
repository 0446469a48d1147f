import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { newEvent, streamName } from './event-store.fixtures';
import { PostgresEventStore } from './postgres-event-store';

const SCHEMA = 'plans_log';
let db: TestDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('es_migrations');
  dataSource = db.dataSource({ migrations: PostgresEventStore.migrations(SCHEMA) });
  await dataSource.initialize();
});
afterAll(() => db?.drop());

const columnsOf = async () =>
  (await dataSource.query(
    `SELECT column_name, data_type, is_nullable FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = 'events' ORDER BY ordinal_position`,
    [SCHEMA],
  )) as { column_name: string; data_type: string; is_nullable: string }[];

describe('Event store migrations', () => {
  it('create one append-only events table in the schema, and are idempotent', async () => {
    const first = await dataSource.runMigrations();
    const second = await dataSource.runMigrations();
    // Running the SQL itself once more on an existing schema must also be harmless.
    const runner = dataSource.createQueryRunner();
    for (const Migration of PostgresEventStore.migrations(SCHEMA)) await new Migration().up(runner);
    await runner.release();

    expect(first.map((m) => m.name)).toEqual([
      `EventStore_${SCHEMA}_Create1767225600000`,
      `EventStore_${SCHEMA}_AuditAnchors1767225700000`,
      `EventStore_${SCHEMA}_HashV2Checkpoints1767225800000`,
      `EventStore_${SCHEMA}_ContinuedStreams1767225900000`,
    ]);
    // One append function, the one that can continue a stream in another city (no ambiguous overload).
    expect(
      await dataSource.query(
        `SELECT pronargs FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = 'append_events'`,
        [SCHEMA],
      ),
    ).toEqual([{ pronargs: 9 }]);
    expect(second).toEqual([]);
    expect((await columnsOf()).map((c) => [c.column_name, c.data_type])).toEqual([
      ['global_position', 'bigint'],
      ['stream_id', 'text'],
      ['stream_version', 'bigint'],
      ['event_id', 'uuid'],
      ['type', 'text'],
      ['schema_version', 'integer'],
      ['data', 'jsonb'],
      ['metadata', 'jsonb'],
      ['city_id', 'text'],
      ['transaction_id', 'xid8'],
      ['recorded_at', 'timestamp with time zone'],
      ['hash', 'text'],
      ['hash_version', 'smallint'],
    ]);
  });

  it('enforce unique (stream_id, stream_version) and unique event_id', async () => {
    const constraints = (await dataSource.query(
      `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
        WHERE c.conrelid = '${SCHEMA}.events'::regclass AND c.contype IN ('u', 'p') ORDER BY 1`,
    )) as { def: string }[];

    expect(constraints.map((c) => c.def)).toEqual(['PRIMARY KEY (global_position)', 'UNIQUE (event_id)', 'UNIQUE (stream_id, stream_version)']);
  });

  describe('the append-only trigger', () => {
    const store = () => new PostgresEventStore(dataSource, { schema: SCHEMA });

    beforeAll(async () => {
      await store().append(streamName(), [newEvent('hue')], { expectedVersion: 'no_stream', cityId: 'hue' });
    });

    it.each([
      ['UPDATE', `UPDATE ${SCHEMA}.events SET type = 'Changed'`],
      ['DELETE', `DELETE FROM ${SCHEMA}.events`],
      ['TRUNCATE', `TRUNCATE ${SCHEMA}.events`],
    ])('rejects %s with a clear error', async (operation, sql) => {
      await expect(dataSource.query(sql)).rejects.toThrow(`events are append-only: ${operation} on ${SCHEMA}.events is not allowed`);
      expect(Number((await dataSource.query(`SELECT count(*) FROM ${SCHEMA}.events`))[0].count)).toBe(1);
    });
  });

  it('add an append-only audit_anchors table, one row per city and day', async () => {
    const anchorColumns = (await dataSource.query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'audit_anchors' ORDER BY ordinal_position`,
      [SCHEMA],
    )) as { column_name: string; data_type: string }[];
    expect(anchorColumns.map((c) => [c.column_name, c.data_type])).toEqual([
      ['city_id', 'text'],
      ['day', 'date'],
      ['root', 'text'],
      ['events', 'integer'],
      ['first_position', 'bigint'],
      ['last_position', 'bigint'],
      ['previous_anchor_root', 'text'],
      ['created_at', 'timestamp with time zone'],
    ]);
    await dataSource.query(
      `INSERT INTO ${SCHEMA}.audit_anchors (city_id, day, root, events, first_position, last_position) VALUES ('hue', '2026-03-01', 'r', 1, 1, 1)`,
    );
    await expect(
      dataSource.query(
        `INSERT INTO ${SCHEMA}.audit_anchors (city_id, day, root, events, first_position, last_position) VALUES ('hue', '2026-03-01', 's', 1, 1, 1)`,
      ),
    ).rejects.toThrow(/audit_anchors_pkey/);
    await expect(dataSource.query(`UPDATE ${SCHEMA}.audit_anchors SET root = 'x'`)).rejects.toThrow(
      `audit anchors are append-only: UPDATE on ${SCHEMA}.audit_anchors is not allowed`,
    );
    await expect(dataSource.query(`TRUNCATE ${SCHEMA}.audit_anchors`)).rejects.toThrow('audit anchors are append-only: TRUNCATE');
  });

  it('revert (down) and apply again', async () => {
    // Continued streams: the function stays (it appends as before when no city is continued).
    await dataSource.undoLastMigration();
    expect(
      await dataSource.query(
        `SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = 'append_events'`,
        [SCHEMA],
      ),
    ).toEqual([{ n: 1 }]);

    await dataSource.undoLastMigration();

    // hash_version stays: rows hashed under version 2 need it to verify.
    expect(await dataSource.query(`SELECT to_regclass('${SCHEMA}.audit_checkpoints') AS t`)).toEqual([{ t: null }]);
    expect(await columnsOf()).toHaveLength(13);

    await dataSource.undoLastMigration();

    expect(await dataSource.query(`SELECT to_regclass('${SCHEMA}.audit_anchors') AS t`)).toEqual([{ t: null }]);

    await dataSource.undoLastMigration();

    expect(await columnsOf()).toEqual([]);
    expect(
      await dataSource.query(
        `SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = 'append_events'`,
        [SCHEMA],
      ),
    ).toEqual([{ n: 0 }]);

    await dataSource.runMigrations();

    expect(await columnsOf()).toHaveLength(13);
    expect(await dataSource.query(`SELECT to_regclass('${SCHEMA}.audit_anchors')::text AS t`)).toEqual([{ t: `${SCHEMA}.audit_anchors` }]);
  });
});

// Idempotency-Key records kept in PostgreSQL, as the embedded platform keeps them: they outlive the
// process that answered, and an answer that showed a secret is never kept.
import { createHash } from 'node:crypto';
import { Controller, Header, HttpCode, Module, Post, type DynamicModule, type INestApplication } from '@nestjs/common';
import { MemorySharedState, openServiceDatabase, PostgresSharedState, sharedStateMigration } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { Requires, signToken } from './auth';
import { listenTestApp, serveSeedCities } from './testing/test-app';

const SECRET = 'idempotency-secret-idempotency-secret-0123';
const SCHEMA = 'edge';
let office: string;
beforeAll(async () => {
  office = `Bearer ${await signToken(SECRET, { userId: 'vp', role: 'office', agencyId: null, cityId: 'ha-noi' })}`;
});

/** What the commands did, whichever app instance ran them. */
const ran = { count: 0, secrets: 0 };
let release: () => void = () => undefined;

@Controller('api/v1/probe')
class ProbeController {
  @Post('count')
  @HttpCode(200)
  @Requires('tasks.act')
  count() {
    return { count: ++ran.count };
  }

  @Post('secret')
  @Requires('tasks.act')
  @Header('Cache-Control', 'no-store')
  secret() {
    return { id: `s-${++ran.secrets}`, secret: 'top-secret-shown-once' };
  }

  @Post('slow')
  @HttpCode(200)
  @Requires('tasks.act')
  async slow() {
    await new Promise<void>((resolve) => (release = resolve));
    return { done: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

beforeAll(serveSeedCities);

describe('Idempotency-Key records in PostgreSQL (the embedded platform)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let app: INestApplication;
  let store: PostgresSharedState;
  let url: string;

  /** A new process on the same database: a new store, a new app, nothing in memory. */
  const start = async (soleInstance = false) => {
    store = new PostgresSharedState(db, SCHEMA);
    ({ app, url } = await listenTestApp({
      modules: [{ module: ProbeModule } as DynamicModule],
      jwtSecret: SECRET,
      policies: { state: new MemorySharedState(), rateLimitPerMinute: 1000, idempotency: store, soleInstance },
    }));
  };
  const stop = async () => {
    await app.close();
    await store.close();
  };
  const post = async (path: string, key: string) => {
    const response = await fetch(`${url}/api/v1/probe/${path}`, {
      method: 'POST',
      headers: { authorization: office, 'idempotency-key': key, 'content-type': 'application/json' },
      body: '{}',
    });
    return { status: response.status, replayed: response.headers.get('idempotent-replayed'), text: await response.text() };
  };

  beforeAll(async () => {
    database = await createTestDatabase('http_idempotency');
    db = await openServiceDatabase({ url: database.url, schema: SCHEMA, migrations: [sharedStateMigration(SCHEMA)] });
    await start();
  });
  afterAll(async () => {
    await stop();
    await db.destroy();
    await database.drop();
  });

  it('replays an answer given before a restart, and does not run the command again', async () => {
    const first = await post('count', 'progress-1');
    expect(first).toMatchObject({ status: 200, replayed: null });
    // Recorded before the answer left: nothing can run it again once the client has it.
    expect(await db.query(`SELECT value::jsonb->>'state' AS state FROM edge.shared_state WHERE key LIKE '%progress-1'`)).toEqual([{ state: 'done' }]);
    await stop();
    await start();
    const retry = await post('count', 'progress-1');
    expect(retry).toMatchObject({ status: 200, replayed: 'true', text: first.text });
    expect(ran.count).toBe(1);
  });

  it('keeps no secret: a retry of an answer that showed one is 409 naming what was created, and runs nothing', async () => {
    const first = await post('secret', 'key-1');
    expect(first.status).toBe(201);
    expect(JSON.parse(first.text)).toEqual({ id: 's-1', secret: 'top-secret-shown-once' });
    const retry = await post('secret', 'key-1');
    expect(retry).toMatchObject({ status: 409, replayed: 'true' });
    expect(JSON.parse(retry.text)).toMatchObject({ type: expect.stringContaining('idempotency-secret-not-replayed'), originalStatus: 201, id: 's-1' });
    expect(retry.text).not.toContain('top-secret');
    expect(JSON.stringify(await db.query(`SELECT * FROM edge.shared_state`))).not.toContain('top-secret');
    expect(ran.secrets).toBe(1);
  });

  it('answers 409 while the first request with the key is still running, then its answer', async () => {
    const first = post('slow', 'slow-1');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await post('slow', 'slow-1')).toMatchObject({ status: 409, text: expect.stringContaining('idempotency-key-in-use') });
    release();
    expect(await first).toMatchObject({ status: 200 });
    expect(await post('slow', 'slow-1')).toMatchObject({ status: 200, replayed: 'true' });
  });

  it('takes over, in the sole instance, a request left pending by a process that died; elsewhere it waits for the claim to expire', async () => {
    // What a process killed while running the request leaves: a pending claim under its own name.
    const fingerprint = createHash('sha256').update('POST /api/v1/probe/count\n{}').digest('hex');
    const abandoned = JSON.stringify({ state: 'pending', fingerprint, owner: 'a-process-that-died' });
    await store.set('idem:ha-noi:vp:left-pending', abandoned, 60_000);
    expect(await post('count', 'left-pending')).toMatchObject({ status: 409, text: expect.stringContaining('idempotency-key-in-use') });

    await stop();
    await start(true);
    const before = ran.count;
    const retry = await post('count', 'left-pending');
    expect(retry).toMatchObject({ status: 200, replayed: null });
    expect(ran.count).toBe(before + 1);
    expect(await post('count', 'left-pending')).toMatchObject({ status: 200, replayed: 'true', text: retry.text });
  });

  it('forgets what has expired: a claim can be made again, and the cleanup deletes it', async () => {
    expect(await store.putIfAbsent('k', 'a', 60_000)).toBe(true);
    expect(await store.putIfAbsent('k', 'b', 60_000)).toBe(false);
    expect(await store.increment('n', 60_000)).toBe(1);
    expect(await store.increment('n', 60_000)).toBe(2);
    await db.query(`UPDATE edge.shared_state SET expires_at = now() - interval '1 second' WHERE key IN ('k', 'n')`);
    expect(await store.get('k')).toBeNull();
    expect(await store.increment('n', 60_000)).toBe(1);
    expect(await store.putIfAbsent('k', 'c', 60_000)).toBe(true);
    expect(await store.get('k')).toBe('c');
    await db.query(`UPDATE edge.shared_state SET expires_at = now() - interval '1 second' WHERE key IN ('k', 'n')`);
    expect(await store.deleteExpired()).toBe(2);
    expect(await db.query(`SELECT key FROM edge.shared_state WHERE key IN ('k', 'n')`)).toEqual([]);
  });
});

import { createClient } from 'redis';
import type { DataSource } from 'typeorm';
import { returnedRows } from './database';
import { PeriodicPass } from './periodic-pass';
import { ident, sqlMigration } from './sql-migration';

const connectRedis = (url: string) => createClient({ url });
type RedisClient = ReturnType<typeof connectRedis>;

/**
 * Fast state that every instance of a service must agree on: rate-limit windows, idempotency
 * records. Redis in the distributed deployment; in the embedded one a process-local map for what may
 * be forgotten on a restart (rate limits, API-key lockouts) and PostgreSQL for what may not
 * (idempotency records).
 */
export interface SharedState {
  /** Adds 1 to a counter that disappears after `ttlMs`; returns the new value. */
  increment(key: string, ttlMs: number): Promise<number>;
  /** Stores `value` only if `key` is absent; true when stored. */
  putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class MemorySharedState implements SharedState {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  private live(key: string) {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const entry = this.live(key);
    const next = Number(entry?.value ?? 0) + 1;
    this.entries.set(key, { value: String(next), expiresAt: entry?.expiresAt ?? Date.now() + ttlMs });
    return next;
  }

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    return true;
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }
}

/** The table of PostgresSharedState, in the schema of the edge that keeps it (the embedded platform's `identity`). */
export const sharedStateMigration = sqlMigration(
  'SharedState',
  1767225610000,
  (s) => [
    `CREATE TABLE IF NOT EXISTS ${ident(s)}.shared_state (key text PRIMARY KEY, value text NOT NULL, expires_at timestamptz NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS shared_state_expiry ON ${ident(s)}.shared_state (expires_at)`,
  ],
  (s) => [`DROP TABLE IF EXISTS ${ident(s)}.shared_state`],
);

/**
 * Shared state in a PostgreSQL table: it outlives the process, so an idempotent answer given before
 * a restart is replayed after it. Expiry is checked on every read (the database's clock); expired
 * rows are deleted by a periodic pass.
 */
export class PostgresSharedState implements SharedState {
  private readonly cleanup: PeriodicPass;

  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
    options: { cleanupEveryMs?: number; onError?: (error: unknown) => void } = {},
  ) {
    this.cleanup = new PeriodicPass(() => this.deleteExpired(), options.cleanupEveryMs ?? 10 * 60_000, options.onError ?? (() => undefined));
    this.cleanup.start();
  }

  private get table() {
    return `${ident(this.schema)}.shared_state`;
  }

  /** Deletes what has expired; answers how many rows went. */
  async deleteExpired(): Promise<number> {
    return returnedRows(await this.db.query(`DELETE FROM ${this.table} WHERE expires_at <= now() RETURNING key`)).length;
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const rows = returnedRows<{ value: string }>(
      await this.db.query(
        `INSERT INTO ${this.table} AS t (key, value, expires_at) VALUES ($1, '1', now() + make_interval(secs => $2::double precision / 1000))
         ON CONFLICT (key) DO UPDATE SET
           value = CASE WHEN t.expires_at <= now() THEN '1' ELSE (t.value::bigint + 1)::text END,
           expires_at = CASE WHEN t.expires_at <= now() THEN EXCLUDED.expires_at ELSE t.expires_at END
         RETURNING value`,
        [key, ttlMs],
      ),
    );
    return Number(rows[0].value);
  }

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const rows = returnedRows(
      await this.db.query(
        `INSERT INTO ${this.table} AS t (key, value, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000))
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at WHERE t.expires_at <= now()
         RETURNING key`,
        [key, value, ttlMs],
      ),
    );
    return rows.length === 1;
  }

  async get(key: string): Promise<string | null> {
    const rows: { value: string }[] = await this.db.query(`SELECT value FROM ${this.table} WHERE key = $1 AND expires_at > now()`, [key]);
    return rows[0]?.value ?? null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.table} (key, value, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000))
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
      [key, value, ttlMs],
    );
  }

  async delete(key: string): Promise<void> {
    await this.db.query(`DELETE FROM ${this.table} WHERE key = $1`, [key]);
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  /** Stops the cleanup; the data source is its owner's to close. */
  async close(): Promise<void> {
    await this.cleanup.stop();
  }
}

export class RedisSharedState implements SharedState {
  private constructor(private readonly client: RedisClient) {}

  static async connect(url: string, prefix = 'mandate:'): Promise<SharedState> {
    const client = connectRedis(url);
    client.on('error', () => undefined); // reconnects by itself; commands in flight reject and are handled by callers
    await client.connect();
    const state = new RedisSharedState(client);
    return prefix ? new PrefixedState(state, prefix) : state;
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const [count] = await this.client.multi().incr(key).pExpire(key, ttlMs, 'NX').exec();
    return Number(count);
  }

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.client.set(key, value, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK';
  }

  async get(key: string): Promise<string | null> {
    return (await this.client.get(key)) ?? null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.set(key, value, { expiration: { type: 'PX', value: ttlMs } });
  }

  async delete(key: string): Promise<void> {
    await this.client.del(key);
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => undefined);
  }
}

class PrefixedState implements SharedState {
  constructor(
    private readonly inner: SharedState,
    private readonly prefix: string,
  ) {}
  increment = (key: string, ttlMs: number) => this.inner.increment(this.prefix + key, ttlMs);
  putIfAbsent = (key: string, value: string, ttlMs: number) => this.inner.putIfAbsent(this.prefix + key, value, ttlMs);
  get = (key: string) => this.inner.get(this.prefix + key);
  set = (key: string, value: string, ttlMs: number) => this.inner.set(this.prefix + key, value, ttlMs);
  delete = (key: string) => this.inner.delete(this.prefix + key);
  ping = () => this.inner.ping();
  close = () => this.inner.close();
}

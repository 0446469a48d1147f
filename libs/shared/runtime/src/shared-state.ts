import { createClient } from 'redis';

const connectRedis = (url: string) => createClient({ url });
type RedisClient = ReturnType<typeof connectRedis>;

/**
 * Fast state that every instance of a service must agree on: rate-limit windows, idempotency
 * records. Redis in the distributed deployment; a process-local map when there is one process.
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

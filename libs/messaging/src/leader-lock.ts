import { Client } from 'pg';
import type { Logger } from '@mandate/runtime';

export interface LeaderLock {
  /** Tries to become the leader; true when this instance holds the lock. */
  acquire(): Promise<boolean>;
  isHeld(): boolean;
  release(): Promise<void>;
}

/**
 * Leadership through a PostgreSQL session advisory lock held on a dedicated connection: when the
 * process dies, its connection closes and the lock is free for another instance at once.
 */
export class PostgresLeaderLock implements LeaderLock {
  private client: Client | null = null;
  private held = false;

  constructor(
    private readonly url: string,
    private readonly name: string,
    private readonly logger: Logger,
  ) {}

  isHeld(): boolean {
    return this.held;
  }

  private acquiring: Promise<boolean> | null = null;

  /** Concurrent calls share one attempt: two would open two sessions and leak the one that holds the lock. */
  acquire(): Promise<boolean> {
    this.acquiring ??= this.tryAcquire().finally(() => {
      this.acquiring = null;
    });
    return this.acquiring;
  }

  private async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    if (!this.client) {
      const client = new Client({ connectionString: this.url, application_name: `mandate-lock:${this.name}` });
      const lost = (reason: unknown) => {
        if (this.held) this.logger.warn({ lock: this.name, reason: String(reason) }, 'leadership lost with the lock connection');
        this.held = false;
        this.client = null;
      };
      client.on('error', lost);
      client.on('end', () => lost('connection ended'));
      await client.connect();
      this.client = client;
    }
    const { rows } = await this.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [`mandate:leader:${this.name}`]);
    this.held = rows[0]?.locked === true;
    return this.held;
  }

  async release(): Promise<void> {
    const client = this.client;
    const held = this.held;
    this.held = false;
    this.client = null;
    if (!client) return;
    // Unlock before closing: the server drops a closing session's locks a moment after the client
    // has gone, and another instance trying in that moment would wrongly find the lock taken.
    if (held) await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`mandate:leader:${this.name}`]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

import { ident, sqlMigration, type Logger } from '@mandate/runtime';
import type { DataSource } from 'typeorm';
import type { LeaderLock } from './leader-lock';
import type { Publisher, SourceCheckpoint, TopicSource } from './ports';
import { Nudge } from './nudge';

export type RelayOptions = {
  schema: string;
  logger: Logger;
  batchSize?: number;
  pollIntervalMs?: number;
  /** How often a follower tries to take over leadership. */
  lockRetryMs?: number;
};

export type RelayStatus = { leader: boolean; checkpoint: SourceCheckpoint | null; published: number };

/**
 * Transactional outbox from the event log: reads the service's TopicSource in log order and
 * publishes, then records how far it got. At least once (a crash between publish and checkpoint
 * republishes; consumers dedupe by event id). With several instances, only the holder of the
 * leader lock relays; another takes over when it dies.
 */
export class Relay {
  static readonly migration = sqlMigration(
    'Relay',
    1763900000500,
    (s) => [
      `CREATE TABLE IF NOT EXISTS ${ident(s)}.relay_checkpoints (
         name text PRIMARY KEY, checkpoint text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
    ],
    (s) => [`DROP TABLE IF EXISTS ${ident(s)}.relay_checkpoints`],
  );

  private running = false;
  private done: Promise<void> = Promise.resolve();
  private readonly nudge = new Nudge();
  private checkpoint: SourceCheckpoint | null = null;
  private published = 0;
  private readonly options: Required<RelayOptions>;

  constructor(
    private readonly db: DataSource,
    private readonly source: TopicSource,
    private readonly publisher: Publisher,
    private readonly lock: LeaderLock,
    options: RelayOptions,
  ) {
    this.options = { batchSize: 500, pollIntervalMs: 250, lockRetryMs: 1000, ...options };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.run();
  }

  notify(): void {
    this.nudge.wake();
  }

  status(): RelayStatus {
    return { leader: this.lock.isHeld(), checkpoint: this.checkpoint, published: this.published };
  }

  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await this.done;
    await this.lock.release();
  }

  private get table() {
    return `${ident(this.options.schema)}.relay_checkpoints`;
  }

  private async loadCheckpoint(): Promise<void> {
    const rows: { checkpoint: string }[] = await this.db.query(`SELECT checkpoint FROM ${this.table} WHERE name = $1`, [this.source.name]);
    this.checkpoint = rows[0]?.checkpoint ?? null;
  }

  private async saveCheckpoint(next: SourceCheckpoint): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.table} (name, checkpoint) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET checkpoint = EXCLUDED.checkpoint, updated_at = now()
       WHERE ${this.table}.checkpoint < EXCLUDED.checkpoint`,
      [this.source.name, next],
    );
    this.checkpoint = next;
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    let failures = 0;
    while (this.running) {
      try {
        if (!this.lock.isHeld()) {
          if (!(await this.lock.acquire())) {
            await this.wait(this.options.lockRetryMs);
            continue;
          }
          logger.info({ source: this.source.name }, 'relay leadership acquired');
          await this.loadCheckpoint(); // the previous leader may have moved it
        }
        const batch = await this.source.read(this.checkpoint, this.options.batchSize);
        if (batch.messages.length > 0) {
          await this.publisher.publish(batch.messages.map(({ topic, key, event }) => ({ topic, key, event })));
          this.published += batch.messages.length;
        }
        failures = 0;
        if (batch.checkpoint && batch.checkpoint !== this.checkpoint) {
          await this.saveCheckpoint(batch.checkpoint);
          continue;
        }
        await this.wait(this.options.pollIntervalMs);
      } catch (error) {
        failures++;
        logger.error({ err: error, source: this.source.name, failures }, 'relay failed; retrying');
        await this.wait(Math.min(250 * 2 ** Math.min(failures, 5), 8000));
      }
    }
  }

  private wait(ms: number): Promise<void> {
    return this.nudge.wait(ms);
  }
}

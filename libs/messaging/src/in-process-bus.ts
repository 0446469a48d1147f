import { ident, sqlMigration, type Logger } from '@mandate/runtime';
import type { DataSource } from 'typeorm';
import type { CloudEvent } from './cloud-event';
import { Nudge } from './nudge';
import { deliverBatch } from './delivery';
import type { ConsumedMessage, SourceCheckpoint, Subscriber, Subscription, SubscriptionSpec, TopicSource } from './ports';

export type InProcessBusOptions = {
  schema: string;
  logger: Logger;
  pollIntervalMs?: number;
  batchSize?: number;
  /** Attempts before a message is set aside as a dead letter so its source keeps flowing. */
  maxAttempts?: number;
  retryDelayMs?: number;
};

/**
 * The embedded adapter of the messaging port. Each consumer group pulls from the publishing
 * services' logs (through their TopicSource) and keeps its checkpoint in the database, so a
 * restart resumes where it stopped. Delivery is at least once; consumers dedupe with an Inbox.
 */
export class InProcessBus implements Subscriber {
  static readonly migration = sqlMigration(
    'InProcessBus',
    1763900000001,
    (s) => [
      `CREATE TABLE IF NOT EXISTS ${ident(s)}.subscriptions (
         group_name text NOT NULL,
         source text NOT NULL,
         checkpoint text NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (group_name, source))`,
      `CREATE TABLE IF NOT EXISTS ${ident(s)}.dead_letters (
         id bigserial PRIMARY KEY,
         group_name text NOT NULL,
         topic text NOT NULL,
         message_key text NOT NULL,
         event jsonb NOT NULL,
         error text NOT NULL,
         attempts int NOT NULL,
         failed_at timestamptz NOT NULL DEFAULT now())`,
    ],
    (s) => [`DROP TABLE IF EXISTS ${ident(s)}.dead_letters`, `DROP TABLE IF EXISTS ${ident(s)}.subscriptions`],
  );

  private readonly sources: TopicSource[] = [];
  private readonly loops = new Set<SourceLoop>();
  private readonly options: Required<Omit<InProcessBusOptions, 'logger'>> & { logger: Logger };

  constructor(
    private readonly db: DataSource,
    options: InProcessBusOptions,
  ) {
    this.options = { pollIntervalMs: 500, batchSize: 200, maxAttempts: 5, retryDelayMs: 200, ...options };
  }

  addSource(source: TopicSource): void {
    this.sources.push(source);
  }

  /** Something was appended: wake every loop now instead of at its next poll. */
  notify(): void {
    for (const loop of this.loops) loop.wake();
  }

  async subscribe(spec: SubscriptionSpec): Promise<Subscription> {
    const started = this.sources
      .filter((source) => source.topics.some((topic) => spec.topics.includes(topic)))
      .map((source) => new SourceLoop(this.db, source, spec, this.options));
    if (started.length === 0) throw new Error(`No source publishes any of ${spec.topics.join(', ')}`);
    for (const loop of started) {
      this.loops.add(loop);
      loop.start();
    }
    return {
      stop: async () => {
        await Promise.all(started.map((loop) => loop.stop()));
        for (const loop of started) this.loops.delete(loop);
      },
    };
  }

  /** Resolves once every subscription has handled everything its sources hold (tests, seeding). */
  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const loop of this.loops) {
      while (!(await loop.caughtUp())) {
        if (Date.now() > deadline) throw new Error(`Bus did not drain within ${timeoutMs} ms`);
        loop.wake();
        await sleep(20);
      }
    }
  }

  async deadLetters(): Promise<{ group: string; topic: string; key: string; event: CloudEvent; error: string }[]> {
    const rows: { group_name: string; topic: string; message_key: string; event: CloudEvent; error: string }[] = await this.db.query(
      `SELECT * FROM ${ident(this.options.schema)}.dead_letters ORDER BY id`,
    );
    return rows.map((r) => ({ group: r.group_name, topic: r.topic, key: r.message_key, event: r.event, error: r.error }));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.loops].map((loop) => loop.stop()));
    this.loops.clear();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class SourceLoop {
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private readonly nudge = new Nudge();
  private checkpoint: SourceCheckpoint | null = null;
  private loaded = false;
  private idle = false;

  constructor(
    private readonly db: DataSource,
    private readonly source: TopicSource,
    private readonly spec: SubscriptionSpec,
    private readonly options: Required<Omit<InProcessBusOptions, 'logger'>> & { logger: Logger },
  ) {}

  start(): void {
    this.running = true;
    this.done = this.run();
  }

  wake(): void {
    this.idle = false;
    this.nudge.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.done;
  }

  async caughtUp(): Promise<boolean> {
    if (!this.loaded) return false;
    const { messages, checkpoint } = await this.source.read(this.checkpoint, 1);
    return messages.length === 0 && checkpoint === this.checkpoint && this.idle;
  }

  private get table(): string {
    return `${ident(this.options.schema)}.subscriptions`;
  }

  private async loadCheckpoint(): Promise<void> {
    const rows: { checkpoint: string }[] = await this.db.query(`SELECT checkpoint FROM ${this.table} WHERE group_name = $1 AND source = $2`, [
      this.spec.group,
      this.source.name,
    ]);
    this.checkpoint = rows[0]?.checkpoint ?? null;
    this.loaded = true;
  }

  private async saveCheckpoint(next: SourceCheckpoint): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.table} (group_name, source, checkpoint) VALUES ($1, $2, $3)
       ON CONFLICT (group_name, source) DO UPDATE SET checkpoint = EXCLUDED.checkpoint, updated_at = now()
       WHERE ${this.table}.checkpoint < EXCLUDED.checkpoint`,
      [this.spec.group, this.source.name, next],
    );
    this.checkpoint = next;
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    while (this.running) {
      try {
        if (!this.loaded) await this.loadCheckpoint();
        const batch = await this.source.read(this.checkpoint, this.options.batchSize);
        const mine = batch.messages.filter((message) => this.spec.topics.includes(message.topic));
        const done = await deliverBatch(
          this.spec,
          mine.map(({ event, topic, key }) => ({ event, delivery: { topic, key } })),
          {
            maxAttempts: this.options.maxAttempts,
            retryDelayMs: this.options.retryDelayMs,
            isRunning: () => this.running,
            deadLetter: (message, error, attempts) => this.deadLetter(message, error, attempts),
          },
        );
        // Saved per batch: a crash re-delivers at most one batch, and consumers' inboxes drop it.
        if (done < mine.length) {
          if (done > 0) await this.saveCheckpoint(mine[done - 1].checkpoint);
          return; // stopped midway
        }
        // The batch's checkpoint also covers source events that publish nothing.
        if (batch.checkpoint && batch.checkpoint !== this.checkpoint) {
          await this.saveCheckpoint(batch.checkpoint);
          continue;
        }
        if (batch.messages.length === 0) {
          this.idle = true;
          await this.waitForWork();
        }
      } catch (error) {
        logger.error({ err: error, group: this.spec.group, source: this.source.name }, 'subscription loop failed; retrying');
        await this.waitForWork();
      }
    }
  }

  private async deadLetter({ event, delivery }: ConsumedMessage, error: unknown, attempts: number): Promise<void> {
    this.options.logger.error({ err: error, group: this.spec.group, eventId: event.id, type: event.type }, 'message set aside as a dead letter');
    await this.db.query(
      `INSERT INTO ${ident(this.options.schema)}.dead_letters (group_name, topic, message_key, event, error, attempts)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [this.spec.group, delivery.topic, delivery.key, JSON.stringify(event), String(error), attempts],
    );
  }

  private waitForWork(): Promise<void> {
    return this.nudge.wait(this.options.pollIntervalMs);
  }
}

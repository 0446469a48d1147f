import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { InProcessBus, Inbox, type CloudEvent } from '@mandate/messaging';
import { createLogger, openServiceDatabase, sqlMigration } from '@mandate/runtime';
import { aCloudEvent, arrayTopicSource, createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import { EventContext, serveEvents, type ServedEvents } from './events-transport';

const TOPIC = 'mandate.test.v1';
const STATUS = 'vn.mandate.test.status-changed.v2';
const OTHER = 'vn.mandate.test.noted.v1';

const source = (log: CloudEvent[]) => arrayTopicSource(log, TOPIC);
const event = (type: string, n: number) => aCloudEvent(type, { n }, { subject: `task-${n % 2}`, sequence: String(n) });

/** What the handlers saw, outside any transaction (so a rolled-back attempt shows too). */
const seen: { handler: string; n: number; txid: string }[] = [];
const committed: number[] = [];
/** Asked for after every status change; run once per batch. */
let batchesCommitted = 0;
const countBatch = () => void batchesCommitted++;
let refuse = new Set<number>();

@Controller()
class TestEventsController {
  @EventPattern(STATUS)
  async statusChanged(@Payload() e: CloudEvent, @Ctx() ctx: EventContext) {
    const n = (e.data as { n: number }).n;
    const [{ txid }] = await ctx.manager.query('SELECT txid_current()::text AS txid');
    seen.push({ handler: 'status', n, txid });
    if (refuse.has(n)) throw new Error(`status ${n} refused`);
    // Queued with the batch's other answerless writes, sent before the next read or the commit.
    await ctx.writes.query('INSERT INTO consumer.applied (n, times) VALUES ($1, 1) ON CONFLICT (n) DO UPDATE SET times = applied.times + 1', [n]);
    ctx.afterCommit(() => committed.push(n));
    ctx.afterCommit(countBatch);
  }

  @EventPattern('vn.mandate.*')
  async anything(@Payload() e: CloudEvent, @Ctx() ctx: EventContext) {
    const n = (e.data as { n: number }).n;
    const [{ txid, applied, declared }] = await ctx.manager.query(
      `SELECT txid_current()::text AS txid, (SELECT count(*)::int FROM consumer.applied) AS applied,
              EXISTS (SELECT 1 FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND mode = 'ShareLock' AND granted) AS declared`,
    );
    // The batch said it writes no event log (log readers do not wait for it).
    seen.push({ handler: `any:${ctx.event.type}:${ctx.delivery.topic}:${applied}:${declared ? 'declared' : 'undeclared'}`, n, txid });
  }
}

@Module({ controllers: [TestEventsController] })
class TestEventsModule {}

describe('EventsTransport: @EventPattern handlers over the messaging port', () => {
  let db: TestDatabase;
  let busDb: DataSource;
  let consumerDb: DataSource;
  const logger = createLogger('silent');

  beforeAll(async () => {
    db = await createTestDatabase('events_transport');
    busDb = await openServiceDatabase({ url: db.url, schema: 'bus', migrations: [InProcessBus.migration('bus')] });
    const applied = sqlMigration(
      'Applied',
      1700000000010,
      (s) => [`CREATE TABLE "${s}".applied (n int PRIMARY KEY, times int NOT NULL)`],
      (s) => [`DROP TABLE "${s}".applied`],
    );
    consumerDb = await openServiceDatabase({ url: db.url, schema: 'consumer', migrations: [Inbox.migration('consumer'), applied('consumer')] });
  });

  afterAll(async () => {
    await busDb.destroy();
    await consumerDb.destroy();
    await db.drop();
  });

  beforeEach(async () => {
    seen.length = 0;
    committed.length = 0;
    batchesCommitted = 0;
    refuse = new Set();
    await consumerDb.query('TRUNCATE consumer.applied, consumer.inbox');
  });

  const serve = async (log: CloudEvent[], group: string, options: { maxAttempts?: number } = {}) => {
    const bus = new InProcessBus(busDb, { schema: 'bus', logger, batchSize: 50, retryDelayMs: 1, maxAttempts: options.maxAttempts ?? 3 });
    bus.addSource(source(log));
    const served: ServedEvents = await serveEvents(TestEventsModule, {
      subscriber: bus,
      consumption: { group, topics: [TOPIC] },
      db: consumerDb,
      inbox: new Inbox(consumerDb, 'consumer'),
      inboxConsumer: group,
      logger,
    });
    return {
      bus,
      async stop() {
        await served.close();
        await bus.stop();
      },
    };
  };

  it('routes each event to the handler of its type (an exact type before a prefix), in order, one transaction per batch', async () => {
    const log = [event(STATUS, 1), event(OTHER, 2), event(STATUS, 3), event(OTHER, 4)];
    const { bus, stop } = await serve(log, `g-${randomUUID()}`);
    await bus.drain();
    await stop();
    expect(seen.map((s) => [s.handler, s.n])).toEqual([
      ['status', 1],
      [`any:${OTHER}:${TOPIC}:1:declared`, 2], // reads see the writes queued before them
      ['status', 3],
      [`any:${OTHER}:${TOPIC}:2:declared`, 4],
    ]);
    expect(new Set(seen.map((s) => s.txid)).size).toBe(1);
    expect(committed).toEqual([1, 3]);
    expect(batchesCommitted).toBe(1);
    const [{ count }] = await consumerDb.query('SELECT count(*)::int AS count FROM consumer.inbox');
    expect(count).toBe(4);
  });

  it('applies an event delivered again once: the inbox keeps the ids of what committed', async () => {
    const group = `g-${randomUUID()}`;
    const log = [event(STATUS, 10), event(STATUS, 11)];
    const first = await serve(log, group);
    await first.bus.drain();
    await first.stop();
    await busDb.query('UPDATE bus.subscriptions SET checkpoint = $1 WHERE group_name = $2', ['0'.repeat(19), group]);
    const again = await serve(log, group);
    await again.bus.drain();
    await again.stop();
    expect(await consumerDb.query('SELECT n, times FROM consumer.applied ORDER BY n')).toEqual([
      { n: 10, times: 1 },
      { n: 11, times: 1 },
    ]);
  });

  it('when a handler throws, its batch takes no effect and is redone one event at a time; one that keeps failing is set aside with its own error', async () => {
    refuse = new Set([22]);
    const group = `g-${randomUUID()}`;
    const log = [event(STATUS, 21), event(STATUS, 22), event(STATUS, 23)];
    const { bus, stop } = await serve(log, group);
    await bus.drain();
    await stop();
    expect(await consumerDb.query('SELECT n, times FROM consumer.applied ORDER BY n')).toEqual([
      { n: 21, times: 1 },
      { n: 23, times: 1 },
    ]);
    expect(committed).toEqual([21, 23]);
    const dead = (await bus.deadLetters()).filter((d) => d.group === group);
    expect(dead.map((d) => [d.event.id, d.error])).toEqual([[log[1].id, 'Error: status 22 refused']]);
    const [{ count }] = await consumerDb.query('SELECT count(*)::int AS count FROM consumer.inbox WHERE consumer = $1', [group]);
    expect(count).toBe(2); // the one set aside was never recorded as handled
  });
});

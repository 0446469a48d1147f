import { createLogger, openServiceDatabase, sqlMigration } from '@mandate/runtime';
import { aCloudEvent, arrayTopicSource, createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import type { CloudEvent } from './cloud-event';
import { InProcessBus } from './in-process-bus';
import { Inbox } from './inbox';
import type { ConsumedMessage } from './ports';

const arraySource = (log: CloudEvent[]) => arrayTopicSource(log, 'mandate.test.v1');
const event = (n: number) => aCloudEvent('vn.mandate.test.counted.v1', { n }, { subject: `task-${n % 3}`, sequence: String(n) });

describe('InProcessBus (embedded adapter of the messaging port)', () => {
  let db: TestDatabase;
  let busDb: DataSource;
  let consumerDb: DataSource;
  const logger = createLogger('silent');

  beforeAll(async () => {
    db = await createTestDatabase('bus');
    busDb = await openServiceDatabase({ url: db.url, schema: 'bus', migrations: [InProcessBus.migration('bus')] });
    const counted = sqlMigration(
      'Counted',
      1700000000009,
      (s) => [`CREATE TABLE "${s}".counted (n int PRIMARY KEY, times int NOT NULL)`],
      (s) => [`DROP TABLE "${s}".counted`],
    );
    consumerDb = await openServiceDatabase({ url: db.url, schema: 'consumer', migrations: [Inbox.migration('consumer'), counted('consumer')] });
  });

  afterAll(async () => {
    await busDb.destroy();
    await consumerDb.destroy();
    await db.drop();
  });

  /** A consumer that counts how often each event's effect was applied (must be exactly once): one transaction and one inbox check per batch. */
  const countingConsumer = (group: string, seen: number[]) => {
    const inbox = new Inbox(consumerDb, 'consumer');
    return {
      group,
      topics: ['mandate.test.v1'],
      handle: async (messages: readonly ConsumedMessage[]) => {
        seen.push(...messages.map((m) => (m.event.data as { n: number }).n));
        await consumerDb.transaction(async (manager) => {
          const fresh = await inbox.markManyIn(
            manager,
            group,
            messages.map((m) => m.event.id),
          );
          for (const { event } of messages.filter((m) => fresh.has(m.event.id))) {
            await manager.query('INSERT INTO consumer.counted (n, times) VALUES ($1, 1) ON CONFLICT (n) DO UPDATE SET times = counted.times + 1', [
              (event.data as { n: number }).n,
            ]);
          }
        });
      },
    };
  };

  it('delivers every event in log order, and a restarted bus resumes from its checkpoint', async () => {
    const log = Array.from({ length: 250 }, (_, i) => event(i + 1));
    const seen: number[] = [];
    const first = new InProcessBus(busDb, { schema: 'bus', logger, batchSize: 40 });
    first.addSource(arraySource(log));
    await first.subscribe(countingConsumer('restart', seen));
    await first.drain();
    await first.stop();
    expect(seen).toEqual(log.map((_, i) => i + 1));

    log.push(...Array.from({ length: 30 }, (_, i) => event(251 + i)));
    const second = new InProcessBus(busDb, { schema: 'bus', logger });
    second.addSource(arraySource(log));
    await second.subscribe(countingConsumer('restart', seen));
    await second.drain();
    await second.stop();
    expect(seen).toEqual(log.map((_, i) => i + 1)); // nothing re-delivered, nothing lost
    const [{ count, max }] = await consumerDb.query('SELECT count(*)::int AS count, max(times) AS max FROM consumer.counted');
    expect({ count, max }).toEqual({ count: 280, max: 1 });
  });

  it('applies a redelivered event once (the inbox), when the checkpoint was lost after the effect', async () => {
    await consumerDb.query('TRUNCATE consumer.counted');
    const log = Array.from({ length: 20 }, (_, i) => event(1000 + i));
    const seen: number[] = [];
    const bus = new InProcessBus(busDb, { schema: 'bus', logger });
    bus.addSource(arraySource(log));
    await bus.subscribe(countingConsumer('crash', seen));
    await bus.drain();
    await bus.stop();
    // A crash between the effect and the checkpoint write: the checkpoint goes back in time.
    await busDb.query(`UPDATE bus.subscriptions SET checkpoint = $1 WHERE group_name = 'crash'`, ['0'.repeat(19)]);
    const again = new InProcessBus(busDb, { schema: 'bus', logger });
    again.addSource(arraySource(log));
    await again.subscribe(countingConsumer('crash', seen));
    await again.drain();
    await again.stop();
    expect(seen).toHaveLength(40); // delivered twice...
    const rows = await consumerDb.query('SELECT max(times) AS max, count(*)::int AS count FROM consumer.counted');
    expect(rows[0]).toEqual({ max: 1, count: 20 }); // ...applied once
  });

  it('sets a message that keeps failing aside as a dead letter and keeps the source flowing', async () => {
    const log = [event(1), event(2), event(3)];
    const handled: number[] = [];
    const bus = new InProcessBus(busDb, { schema: 'bus', logger, maxAttempts: 3, retryDelayMs: 1 });
    bus.addSource(arraySource(log));
    await bus.subscribe({
      group: 'poison',
      topics: ['mandate.test.v1'],
      handle: async (messages) => {
        const ns = messages.map((m) => (m.event.data as { n: number }).n);
        if (ns.includes(2)) throw new Error('cannot handle n=2');
        handled.push(...ns);
      },
    });
    await bus.drain();
    await bus.stop();
    expect(handled).toEqual([1, 3]);
    const dead = (await bus.deadLetters()).filter((d) => d.group === 'poison');
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ event: { id: log[1].id }, error: expect.stringContaining('cannot handle n=2') });
  });
});

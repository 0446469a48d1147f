import { randomUUID } from 'node:crypto';
import { createLogger, openServiceDatabase } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import type { OutgoingMessage } from './cloud-event';
import { PostgresLeaderLock } from './leader-lock';
import { message } from './messaging-port.contract';
import type { Publisher, TopicSource } from './ports';
import { Relay } from './relay';

const waitUntil = async (condition: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Relay (outbox from the log to the broker)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const logger = createLogger('silent');
  const log: OutgoingMessage[] = [];
  const source: TopicSource = {
    name: 'plans',
    topics: ['mandate.tasks.v1'],
    async read(after, limit) {
      const from = after ? Number(after) : 0;
      const messages = log.slice(from, from + limit).map((m, i) => ({ ...m, checkpoint: String(from + i + 1).padStart(19, '0') }));
      return { messages, checkpoint: messages.at(-1)?.checkpoint ?? after };
    },
  };
  /** A broker stand-in that records what each relay instance published. */
  const recorder = () => {
    const sent: OutgoingMessage[] = [];
    const publisher: Publisher = { publish: async (messages) => void sent.push(...messages) };
    return { sent, publisher };
  };

  beforeAll(async () => {
    db = await createTestDatabase('relay');
    ds = await openServiceDatabase({ url: db.url, schema: 'plans', migrations: [Relay.migration('plans')] });
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('publishes in log order with exactly one leader, and another instance takes over when it dies', async () => {
    log.push(...Array.from({ length: 50 }, (_, i) => message('mandate.tasks.v1', `task-${i % 5}`, i)));
    const a = recorder();
    const b = recorder();
    const lockName = `relay-${randomUUID()}`;
    const relayA = new Relay(ds, source, a.publisher, new PostgresLeaderLock(db.url, lockName, logger), {
      schema: 'plans',
      logger,
      lockRetryMs: 50,
      pollIntervalMs: 20,
    });
    const relayB = new Relay(ds, source, b.publisher, new PostgresLeaderLock(db.url, lockName, logger), {
      schema: 'plans',
      logger,
      lockRetryMs: 50,
      pollIntervalMs: 20,
    });
    relayA.start();
    await waitUntil(() => relayA.status().leader);
    relayB.start();
    await waitUntil(() => a.sent.length === 50);
    await new Promise((r) => setTimeout(r, 200));
    expect(b.sent).toHaveLength(0); // a follower publishes nothing
    expect(relayB.status().leader).toBe(false);
    expect(a.sent.map((m) => m.event.sequence)).toEqual(log.map((m) => m.event.sequence));

    // The leader's process goes away, and its lock connection with it.
    await relayA.stop();
    log.push(...Array.from({ length: 20 }, (_, i) => message('mandate.tasks.v1', `task-${i % 5}`, 50 + i)));
    await waitUntil(() => b.sent.length >= 20);
    expect(relayB.status().leader).toBe(true);
    expect(b.sent.map((m) => Number(m.event.sequence))).toEqual(Array.from({ length: 20 }, (_, i) => 50 + i)); // resumes at the checkpoint
    await relayB.stop();
  });
});

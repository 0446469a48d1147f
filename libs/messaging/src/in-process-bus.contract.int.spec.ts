import { randomUUID } from 'node:crypto';
import { createLogger, openServiceDatabase } from '@mandate/runtime';
import { createTestDatabase, type TestDatabase } from '@mandate/testing';
import type { DataSource } from 'typeorm';
import type { OutgoingMessage } from './cloud-event';
import { InProcessBus } from './in-process-bus';
import { messagingPortContract, type MessagingHarness } from './messaging-port.contract';
import type { TopicSource } from './ports';

/** A publishing service's log, in memory: what the in-process bus pulls from. */
const memoryLog = (topics: string[]) => {
  const log: OutgoingMessage[] = [];
  const source: TopicSource = {
    name: `memory-${randomUUID()}`,
    topics,
    async read(after, limit) {
      const from = after ? Number(after) : 0;
      const messages = log.slice(from, from + limit).map((m, i) => ({ ...m, checkpoint: String(from + i + 1).padStart(19, '0') }));
      return { messages, checkpoint: messages.at(-1)?.checkpoint ?? after };
    },
  };
  return { log, source };
};

let db: TestDatabase;
let busDb: DataSource;
let bus: InProcessBus;

beforeAll(async () => {
  db = await createTestDatabase('bus_contract');
  busDb = await openServiceDatabase({ url: db.url, schema: 'bus', migrations: [InProcessBus.migration('bus')] });
  bus = new InProcessBus(busDb, { schema: 'bus', logger: createLogger('silent'), maxAttempts: 3, retryDelayMs: 5, pollIntervalMs: 50 });
});

afterAll(async () => {
  await bus.stop();
  await busDb.destroy();
  await db.drop();
});

const logs = new Map<string, OutgoingMessage[]>();

messagingPortContract('in-process bus', (): MessagingHarness => ({
  async topic() {
    const topic = `mandate.test-${randomUUID()}.v1`;
    const { log, source } = memoryLog([topic]);
    logs.set(topic, log);
    bus.addSource(source);
    return topic;
  },
  async publish(messages) {
    for (const m of messages) logs.get(m.topic)!.push(m);
    bus.notify();
  },
  subscriber: bus,
  async deadLetters(group, topic) {
    return (await bus.deadLetters()).filter((d) => d.group === group && d.topic === topic).map((d) => d.event.id);
  },
}));

// One behaviour, two transports: the same suite runs against the in-process bus and Kafka.
import { randomUUID } from 'node:crypto';
import type { CloudEvent, OutgoingMessage } from './cloud-event';
import type { Subscriber, Subscription } from './ports';

export type MessagingHarness = {
  /** A fresh topic name for one test (and whatever the transport needs to carry it). */
  topic(): Promise<string>;
  publish(messages: OutgoingMessage[]): Promise<void>;
  subscriber: Subscriber;
  /** Dead letters recorded for `group` on `topic`, as event ids. */
  deadLetters(group: string, topic: string): Promise<string[]>;
};

export const message = (topic: string, key: string, n: number): OutgoingMessage => ({
  topic,
  key,
  event: {
    specversion: '1.0',
    id: randomUUID(),
    type: 'vn.mandate.test.numbered.v1',
    source: '/mandate/ha-noi/test',
    subject: key,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    cityid: 'ha-noi',
    correlationid: `c-${n}`,
    sequence: String(n),
    data: { n, key },
  },
});

const waitUntil = async (condition: () => boolean, ms: number, what: string) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

export const messagingPortContract = (name: string, harness: () => MessagingHarness, timeoutMs = 20_000) => {
  describe(`Messaging port contract: ${name}`, () => {
    // Kafka group joins and leaves take seconds; the in-process bus is quicker.
    jest.setTimeout(timeoutMs * 3);
    const subscriptions: Subscription[] = [];
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    });

    /** A consumer whose batches take effect all or nothing, as one transaction would; `batches` records their sizes. */
    const collect = async (group: string, topic: string, seen: CloudEvent[], fail?: (e: CloudEvent) => boolean, batches: number[] = []) => {
      subscriptions.push(
        await harness().subscriber.subscribe({
          group,
          topics: [topic],
          handle: async (messages) => {
            for (const { event } of messages) if (fail?.(event)) throw new Error(`refused ${String((event.data as { n: number }).n)}`);
            expect(messages.every((m) => m.delivery.topic === topic && m.delivery.key === m.event.subject)).toBe(true);
            seen.push(...messages.map((m) => m.event));
            batches.push(messages.length);
          },
        }),
      );
    };

    it('delivers every message with its CloudEvent attributes, in order per key', async () => {
      const h = harness();
      const topic = await h.topic();
      const keys = ['task-a', 'task-b', 'task-c', 'task-d'];
      const sent = Array.from({ length: 60 }, (_, i) => message(topic, keys[i % keys.length], i));
      const seen: CloudEvent[] = [];
      const batches: number[] = [];
      await collect(`g-${randomUUID()}`, topic, seen, undefined, batches);
      await h.publish(sent);
      await waitUntil(() => seen.length >= sent.length, timeoutMs, 'all messages');
      // Published together, they arrive in batches: not one transaction per message.
      expect(Math.max(...batches)).toBeGreaterThan(1);
      expect(new Set(seen.map((e) => e.id))).toEqual(new Set(sent.map((m) => m.event.id)));
      expect(seen.find((e) => e.id === sent[5].event.id)).toEqual(sent[5].event);
      for (const key of keys) {
        const order = seen.filter((e) => e.subject === key).map((e) => Number(e.sequence));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
    });

    it('gives each consumer group its own copy', async () => {
      const h = harness();
      const topic = await h.topic();
      const sent = Array.from({ length: 10 }, (_, i) => message(topic, `task-${i}`, i));
      const first: CloudEvent[] = [];
      const second: CloudEvent[] = [];
      await collect(`g1-${randomUUID()}`, topic, first);
      await collect(`g2-${randomUUID()}`, topic, second);
      await h.publish(sent);
      await waitUntil(() => first.length >= 10 && second.length >= 10, timeoutMs, 'both groups');
      expect(first.map((e) => e.id).sort()).toEqual(second.map((e) => e.id).sort());
    });

    it('resumes a group where it stopped: nothing handled is delivered again, nothing new is lost', async () => {
      const h = harness();
      const topic = await h.topic();
      const group = `g-${randomUUID()}`;
      const seen: CloudEvent[] = [];
      await collect(group, topic, seen);
      const before = Array.from({ length: 10 }, (_, i) => message(topic, 'task-r', i));
      await h.publish(before);
      await waitUntil(() => seen.length >= 10, timeoutMs, 'first ten');
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      const after = Array.from({ length: 5 }, (_, i) => message(topic, 'task-r', 10 + i));
      await h.publish(after);
      await collect(group, topic, seen);
      await waitUntil(() => seen.length >= 15, timeoutMs, 'the five after the restart');
      await new Promise((r) => setTimeout(r, 300));
      expect(seen.map((e) => Number(e.sequence))).toEqual(Array.from({ length: 15 }, (_, i) => i));
    });

    it('retries a failed batch one message at a time: the healthy ones take effect once, in order', async () => {
      const h = harness();
      const topic = await h.topic();
      const sent = Array.from({ length: 8 }, (_, i) => message(topic, 'task-f', i));
      const failing = sent[5].event.id;
      let tries = 0;
      const seen: CloudEvent[] = [];
      const group = `g-${randomUUID()}`;
      // The sixth fails twice, then succeeds: whichever batch held it is redone message by message.
      await collect(group, topic, seen, (e) => e.id === failing && ++tries <= 2);
      await h.publish(sent);
      await waitUntil(() => seen.length >= 8, timeoutMs, 'all eight');
      await new Promise((r) => setTimeout(r, 300));
      expect(seen.map((e) => Number(e.sequence))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(tries).toBe(3); // two failures, then the success
      expect(await h.deadLetters(group, topic)).toEqual([]);
    });

    it('sets aside a message that keeps failing and keeps its partition flowing', async () => {
      const h = harness();
      const topic = await h.topic();
      const group = `g-${randomUUID()}`;
      const sent = Array.from({ length: 6 }, (_, i) => message(topic, 'task-p', i));
      const poison = sent[2];
      const seen: CloudEvent[] = [];
      await collect(group, topic, seen, (e) => e.id === poison.event.id);
      await h.publish(sent);
      await waitUntil(() => seen.length >= 5, timeoutMs, 'the healthy messages behind the poison one');
      expect(seen.map((e) => Number(e.sequence))).toEqual([0, 1, 3, 4, 5]);
      const dead = await (async () => {
        const until = Date.now() + timeoutMs;
        for (;;) {
          const ids = await h.deadLetters(group, topic);
          if (ids.length || Date.now() > until) return ids;
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      expect(dead).toEqual([poison.event.id]);
    });
  });
};

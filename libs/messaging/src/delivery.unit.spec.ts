import type { CloudEvent } from './cloud-event';
import { deliverBatch, type DeliveryPolicy } from './delivery';
import type { ConsumedMessage } from './ports';

const message = (n: number): ConsumedMessage => ({
  event: { id: `e-${n}`, type: 'vn.mandate.test.v1', data: { n } } as unknown as CloudEvent,
  delivery: { topic: 't', key: 'k' },
});
const n = (m: ConsumedMessage) => (m.event.data as { n: number }).n;

/** A consumer whose calls are all or nothing; `refuse` says how many more times a message fails. */
const consumer = (refuse: Map<number, number>) => {
  const calls: number[][] = [];
  const applied: number[] = [];
  return {
    calls,
    applied,
    handle: async (messages: readonly ConsumedMessage[]) => {
      calls.push(messages.map(n));
      for (const m of messages) {
        const left = refuse.get(n(m)) ?? 0;
        if (left > 0) {
          refuse.set(n(m), left - 1);
          throw new Error(`refused ${n(m)}`);
        }
      }
      applied.push(...messages.map(n));
    },
  };
};

const policy = (overrides: Partial<DeliveryPolicy> = {}) => {
  const dead: { n: number; error: string; attempts: number }[] = [];
  return {
    dead,
    policy: {
      maxAttempts: 3,
      retryDelayMs: 1,
      deadLetter: async (m: ConsumedMessage, error: unknown, attempts: number) => void dead.push({ n: n(m), error: String(error), attempts }),
      ...overrides,
    } satisfies DeliveryPolicy,
  };
};

describe('deliverBatch: a batch at once, then one by one, then aside', () => {
  it('given healthy messages, hands the whole batch over in one call', async () => {
    const c = consumer(new Map());
    const { policy: p, dead } = policy();
    expect(await deliverBatch(c, [1, 2, 3].map(message), p)).toBe(3);
    expect(c.calls).toEqual([[1, 2, 3]]);
    expect(dead).toEqual([]);
  });

  it('given a batch that fails once, retries its messages one at a time, in order', async () => {
    const c = consumer(new Map([[2, 1]]));
    const { policy: p, dead } = policy();
    expect(await deliverBatch(c, [1, 2, 3].map(message), p)).toBe(3);
    expect(c.calls).toEqual([[1, 2, 3], [1], [2], [3]]);
    expect(c.applied).toEqual([1, 2, 3]);
    expect(dead).toEqual([]);
  });

  it('given a message that keeps failing, sets it aside after its attempts and delivers the rest', async () => {
    const c = consumer(new Map([[2, 99]]));
    const { policy: p, dead } = policy();
    expect(await deliverBatch(c, [1, 2, 3].map(message), p)).toBe(3);
    expect(c.applied).toEqual([1, 3]);
    expect(c.calls.filter((call) => call.length === 1 && call[0] === 2)).toHaveLength(3);
    expect(dead).toEqual([{ n: 2, error: 'Error: refused 2', attempts: 3 }]);
  });

  it('given a batch of one, counts the batch call as its first attempt', async () => {
    const c = consumer(new Map([[7, 99]]));
    const { policy: p, dead } = policy();
    await deliverBatch(c, [message(7)], p);
    expect(c.calls).toEqual([[7], [7], [7]]);
    expect(dead).toEqual([{ n: 7, error: 'Error: refused 7', attempts: 3 }]);
  });

  it('when stopped during retries, says how many are done and leaves the rest for redelivery', async () => {
    const c = consumer(new Map([[2, 99]]));
    let running = true;
    const { policy: p, dead } = policy({ isRunning: () => running, heartbeat: async () => void (running = false) });
    expect(await deliverBatch(c, [1, 2, 3].map(message), p)).toBe(1);
    expect(c.applied).toEqual([1]);
    expect(dead).toEqual([]);
  });
});

import { Nudge } from './nudge';

const settledFirst = (pause: Promise<void>) =>
  Promise.race([pause.then(() => 'woken' as const), new Promise<'waiting'>((resolve) => setImmediate(() => resolve('waiting')))]);

describe('Nudge', () => {
  it('ends a pause at once when work is announced during it', async () => {
    const nudge = new Nudge();
    const pause = nudge.wait(60_000);
    nudge.wake();
    expect(await settledFirst(pause)).toBe('woken');
  });

  it('keeps work announced while no one waits (the loop was busy looking): the next pause ends at once, the one after does not', async () => {
    const nudge = new Nudge();
    nudge.wake();
    expect(await settledFirst(nudge.wait(60_000))).toBe('woken');
    const next = nudge.wait(60_000);
    expect(await settledFirst(next)).toBe('waiting');
    nudge.wake();
    await next;
  });
});

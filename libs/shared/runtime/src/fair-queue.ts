/**
 * Work waiting its turn, by whose it is (a city): the key that was served longest ago goes next, so
 * one city's burst (a thousand-task import, a deadline's exports) waits behind itself, not in front
 * of the others. Within a key, first in, first out.
 */
export class FairQueue<T> {
  private readonly waiting = new Map<string, T[]>();
  /** When each key was last served (a counter; never served: -1). */
  private readonly lastTurn = new Map<string, number>();
  private turns = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** How many items of `key` are waiting. */
  countOf(key: string): number {
    return this.waiting.get(key)?.length ?? 0;
  }

  push(key: string, item: T): void {
    const items = this.waiting.get(key);
    if (items) items.push(item);
    else this.waiting.set(key, [item]);
    this.size += 1;
  }

  /** The next item: the oldest of the key served longest ago; undefined when nothing waits. */
  take(): T | undefined {
    let chosen: string | undefined;
    for (const key of this.waiting.keys()) {
      if (chosen === undefined || (this.lastTurn.get(key) ?? -1) < (this.lastTurn.get(chosen) ?? -1)) chosen = key;
    }
    if (chosen === undefined) return undefined;
    const items = this.waiting.get(chosen)!;
    const item = items.shift()!;
    if (items.length === 0) this.waiting.delete(chosen);
    this.lastTurn.set(chosen, this.turns++);
    this.size -= 1;
    return item;
  }

  /** Everything waiting, in no particular order, leaving the queue empty. */
  drain(): T[] {
    const all = [...this.waiting.values()].flat();
    this.waiting.clear();
    this.size = 0;
    return all;
  }
}

/** A key already has as much work waiting as one key may. */
export class FairLimitBusyError extends Error {
  constructor(readonly key: string) {
    super(`"${key}" already has as much work waiting as one may`);
  }
}

/**
 * Runs at most `concurrency` pieces of work at once for the whole process, the waiting ones taken
 * from a FairQueue by key. `maxWaitingPerKey` refuses (FairLimitBusyError) what one key would queue
 * beyond it; unset, a key may queue any number.
 */
export class FairLimiter {
  private readonly queue = new FairQueue<() => void>();
  private running = 0;

  constructor(
    private readonly concurrency: number,
    private readonly maxWaitingPerKey = Infinity,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`FairLimiter: concurrency must be a whole number from 1 (got ${concurrency})`);
  }

  /** Pieces of work running now, and waiting. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.queue.length };
  }

  run<R>(key: string, work: () => Promise<R>): Promise<R> {
    if (this.queue.countOf(key) >= this.maxWaitingPerKey) return Promise.reject(new FairLimitBusyError(key));
    return new Promise<R>((resolve, reject) => {
      this.queue.push(key, () => {
        this.running += 1;
        // `work` may throw before returning a promise: that is its failure too.
        Promise.resolve()
          .then(work)
          .then(resolve, reject)
          .finally(() => {
            this.running -= 1;
            this.pump();
          });
      });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const start = this.queue.take();
      if (!start) return;
      start();
    }
  }
}

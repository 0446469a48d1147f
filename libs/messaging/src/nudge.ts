import type { Logger } from '@mandate/runtime';

/**
 * A pause that ends at the next poll, or at once when work is announced (`wake`). Work announced while
 * no one waits (the loop is busy looking) ends the next pause at once: the look may have missed it.
 */
export class Nudge {
  private wakeUp: (() => void) | null = null;
  private woken = false;

  wait(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }
}

/**
 * Works off a queue (webhook deliveries, e-mails) until nothing is due, then waits for a nudge or
 * the next poll. `work` returns how many items it handled; errors are logged and retried next round.
 */
export class DrainLoop {
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private readonly nudge = new Nudge();

  constructor(
    private readonly work: () => Promise<number>,
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.run();
  }

  wake(): void {
    this.nudge.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.done;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        while (this.running && (await this.work()) > 0);
      } catch (error) {
        this.logger.error({ err: error }, 'queue work failed; retrying');
      }
      if (this.running) await this.nudge.wait(this.pollMs);
    }
  }
}

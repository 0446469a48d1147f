/**
 * Runs a pass at once and then every `intervalMs` until stopped (time-driven work: deadline marks,
 * overdue reports, audit anchors). A failed pass is reported and the next one comes as planned;
 * `stop` waits for the pass in hand.
 */
export class PeriodicPass {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    const loop = () => {
      this.running = this.pass()
        .catch(this.onError)
        .finally(() => {
          if (this.timer !== null) this.timer = setTimeout(loop, this.intervalMs);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}

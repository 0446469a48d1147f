import { PeriodicPass } from '@mandate/runtime';
import type { AuditAnchor } from './anchors';
import type { PostgresEventStore } from './postgres-event-store';

/** What the scheduler needs of a leader lock (`PostgresLeaderLock` of @mandate/messaging is one). */
type Lock = { acquire(): Promise<boolean>; release(): Promise<void> };
type Log = { info(object: object, message: string): void; warn(object: object, message: string): void };

export type AnchorSchedulerOptions = {
  /** How often to look for closed days not anchored yet. */
  readonly intervalMs: number;
  readonly now: () => Date;
  readonly logger: Log;
  /** Also sign a checkpoint of each city's log each pass (the store needs the audit key). */
  readonly checkpoints?: boolean;
};

/**
 * Anchors every city's closed days, then signs a checkpoint of what each city's log gained (when the
 * store has the audit key): each interval, the instance holding the lock anchors what closed since
 * (catching up after downtime). Once per day rests on the anchors table (its per-city lock and
 * key), not on this lock, which only keeps instances from doing the same work at the same time.
 */
export class AnchorScheduler {
  private readonly periodic: PeriodicPass;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly lock: Lock,
    private readonly options: AnchorSchedulerOptions,
  ) {
    this.periodic = new PeriodicPass(
      () => this.tick(),
      this.options.intervalMs,
      (err: unknown) => this.options.logger.warn({ err }, 'anchoring pass failed'),
    );
  }

  /** One pass over every city; the anchors it recorded (none when another instance leads). */
  async tick(): Promise<AuditAnchor[]> {
    if (!(await this.lock.acquire())) return [];
    const anchored: AuditAnchor[] = [];
    for (const cityId of await this.store.cities()) {
      try {
        const run = await this.store.anchorClosedDays(cityId, this.options.now());
        anchored.push(...run.anchored);
        if (run.waitingFor) this.options.logger.info({ cityId, waitingFor: run.waitingFor }, 'closed days left for the next anchoring pass');
        if (this.options.checkpoints) await this.store.checkpoint(cityId, this.options.now());
      } catch (err) {
        this.options.logger.warn({ err, cityId }, 'anchoring failed; retried next pass');
      }
    }
    if (anchored.length) this.options.logger.info({ anchored: anchored.map((a) => `${a.cityId} ${a.day}`) }, 'audit anchors recorded');
    return anchored;
  }

  start(): void {
    this.periodic.start();
  }

  async stop(): Promise<void> {
    await this.periodic.stop();
    await this.lock.release();
  }
}

import type { Logger } from './logger';

/**
 * A running service process: what `mandate serve` needs to report readiness and stop it in order.
 */
export type RunningService = {
  readonly url: string;
  stop(): Promise<void>;
};

/** Runs `stops` in reverse order of registration, logging (not throwing) what fails. */
export const stopInReverse = (logger: Logger, stops: (() => Promise<unknown>)[]) => async () => {
  for (const stop of [...stops].reverse()) {
    await stop().catch((err: unknown) => logger.error({ err }, 'error while stopping'));
  }
};

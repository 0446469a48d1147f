import type { ConsumedMessage, SubscriptionSpec } from './ports';

export type DeliveryPolicy = {
  /** Attempts per message, once its batch has failed, before it is set aside as a dead letter. */
  maxAttempts: number;
  /** The first retry's delay; each next one doubles it. */
  retryDelayMs: number;
  /** Still wanted? A transport losing its partition or stopping says no, and the rest is left for redelivery. */
  isRunning?: () => boolean;
  /** Called between attempts, so a long retry does not cost the consumer its group membership. */
  heartbeat?: () => Promise<void>;
  /** Sets a message aside with the last error, so the messages behind it keep flowing. */
  deadLetter(message: ConsumedMessage, error: unknown, attempts: number): Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The delivery rule both transports share: a batch goes to the consumer in one call (one
 * transaction, one inbox check); if that fails, nothing of it took effect, so its messages are
 * retried one at a time with backoff, in order, and one that keeps failing becomes a dead letter.
 * Returns how many messages are done (handled or set aside), from the front: a stop midway leaves
 * the rest to be delivered again.
 */
export const deliverBatch = async (spec: Pick<SubscriptionSpec, 'handle'>, messages: readonly ConsumedMessage[], policy: DeliveryPolicy): Promise<number> => {
  if (messages.length === 0) return 0;
  let firstError: unknown;
  try {
    await spec.handle(messages);
    return messages.length;
  } catch (error) {
    firstError = error;
  }
  const running = policy.isRunning ?? (() => true);
  let done = 0;
  for (const message of messages) {
    // A batch of one has had its first attempt already.
    let attempt = messages.length === 1 ? 1 : 0;
    let lastError: unknown = firstError;
    let failed = true;
    while (failed && attempt < policy.maxAttempts) {
      if (attempt > 0) {
        if (!running()) return done;
        await sleep(policy.retryDelayMs * 2 ** (attempt - 1));
        await policy.heartbeat?.();
      }
      attempt++;
      try {
        await spec.handle([message]);
        failed = false;
      } catch (error) {
        lastError = error;
      }
    }
    if (failed) await policy.deadLetter(message, lastError, attempt);
    done++;
  }
  return done;
};

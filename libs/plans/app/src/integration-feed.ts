import { decodeCheckpoint, encodeCheckpoint, type Checkpoint, type PostgresEventStore } from '@mandate/event-store';
import type { CloudEvent } from '@mandate/messaging';
import type { Actor } from './actor';
import { toOutgoingMessage } from './contract-mapper';

/** Who may page through a city's integration events: its integrators, and those who audit or run it. */
const READ_PAGE = 1000;

export type FeedPage = { items: ({ position: string } & CloudEvent)[]; next: string | null };

/**
 * A city's integration events in log order, as CloudEvents with an opaque `position`: an integrator
 * builds its copy from the start (`after` unset) and, after an outage, goes on from the last position
 * it kept. Positions follow the log's gap-safe order (transaction, then position), so a page never
 * skips an event that commits late. `next` is what to pass as `after` next time.
 */
export const readIntegrationFeed = async (
  store: PostgresEventStore,
  actor: Actor,
  options: { after: string | null; types: readonly string[] | null; limit: number },
): Promise<FeedPage> => {
  if (options.after !== null) decodeCheckpoint(options.after); // 400 for a position this API did not give out
  const wanted = options.types ? new Set(options.types) : null;
  const items: FeedPage['items'] = [];
  let after: Checkpoint | null = options.after;
  for (;;) {
    const page = await store.readAll({ after, limit: READ_PAGE, cityId: actor.cityId });
    for (const record of page.events) {
      const position = encodeCheckpoint(record.transactionId, record.globalPosition);
      const message = toOutgoingMessage(record);
      after = position;
      if (!message || (wanted && !wanted.has(message.event.type))) continue;
      items.push({ position, ...message.event });
      if (items.length === options.limit) return { items, next: position };
    }
    if (page.events.length < READ_PAGE) return { items, next: after };
  }
};

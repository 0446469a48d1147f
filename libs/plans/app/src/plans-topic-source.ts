import { encodeCheckpoint, type PostgresEventStore } from '@mandate/event-store';
import type { TopicSource } from '@mandate/messaging';
import { CITIES_TOPIC, PLANS_TOPIC, TASKS_TOPIC } from '@mandate/plans-contracts';
import { toOutgoingMessage } from './contract-mapper';

/** The plans service's published events: its log, in log order, mapped to contracts. */
export const plansTopicSource = (store: PostgresEventStore): TopicSource => ({
  name: 'plans',
  topics: [PLANS_TOPIC, TASKS_TOPIC, CITIES_TOPIC],
  async read(after, limit) {
    const { events, checkpoint } = await store.readAll({ after, limit });
    const messages = [];
    for (const record of events) {
      const message = toOutgoingMessage(record);
      // Events with no contract still advance the checkpoint: `checkpoint` below covers them.
      if (message) messages.push({ ...message, checkpoint: encodeCheckpoint(record.transactionId, record.globalPosition) });
    }
    return { messages, checkpoint };
  },
});

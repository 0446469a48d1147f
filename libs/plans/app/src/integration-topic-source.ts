import { encodeCheckpoint, type PostgresEventStore } from '@mandate/event-store';
import { integrationTopicOf, isTopicSafeCityId, type TopicSource } from '@mandate/messaging';
import type { Logger } from '@mandate/runtime';
import { PLATFORM_CITY } from '@mandate/kernel';
import { toOutgoingMessage } from './contract-mapper';

/** The integration source's name, which is also its relay checkpoint's. */
export const INTEGRATION_SOURCE = 'integration';

/**
 * Each city's integration events on a topic of its own (`mandate.integration.<cityId>.v1`), for
 * integrators whose broker ACL grants that one topic. It carries what the event feed
 * (`readIntegrationFeed`) serves, selected the same way: every event of the log that has a contract,
 * as the same CloudEvent, keyed by its subject so a task's or a plan's events keep their order.
 * Kafka only: the in-process bus has no integrators, so the embedded deployment does not add it.
 */
export const integrationTopicSource = (store: PostgresEventStore, options: { logger: Logger }): TopicSource => ({
  name: INTEGRATION_SOURCE,
  // One topic per city, known only from the events: the publisher creates each before its first message.
  topics: [],
  async read(after, limit) {
    const { events, checkpoint } = await store.readAll({ after, limit });
    const messages = [];
    for (const record of events) {
      const message = toOutgoingMessage(record);
      // Events with no contract still advance the checkpoint: `checkpoint` below covers them.
      if (!message) continue;
      const { event } = message;
      // The operator log goes to mandate.cities.v1 only: it is no city's, so no city's integrators get it.
      if (event.cityid === PLATFORM_CITY) continue;
      // Tokens only carry legal city ids, so this is a log written by other means; stalling every
      // city's topic on it (the log cannot be changed) would be worse than leaving it out, loudly.
      if (!isTopicSafeCityId(event.cityid)) {
        options.logger.error({ eventId: event.id, cityId: event.cityid }, 'event of a city whose id cannot name a Kafka topic; not on any integration topic');
        continue;
      }
      messages.push({
        topic: integrationTopicOf(event.cityid),
        key: event.subject,
        event,
        checkpoint: encodeCheckpoint(record.transactionId, record.globalPosition),
      });
    }
    return { messages, checkpoint };
  },
});

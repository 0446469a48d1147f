import { encodeCheckpoint, toDomainEvent, type PostgresEventStore, type StoredEvent } from '@mandate/event-store';
import type { TopicSource } from '@mandate/messaging';
import { REPORTS_TOPIC } from '@mandate/plans-contracts';
import type { ReportRequested } from '@mandate/reporting-domain';
import { requestFactsOf, toReportMessage, type RequestFacts } from './report-contract-mapper';

/**
 * The reporting service's published events: its log of agency reports, in log order, mapped to
 * contracts on mandate.reports.v1. A report's later events carry only its id, so the facts of its
 * request are read from the stream's first event; they never change, so they are kept (the most
 * recent `cacheSize` reports) instead of being read again for each event.
 */
export const reportingTopicSource = (store: PostgresEventStore, cacheSize = 10_000): TopicSource => {
  const requests = new Map<string, RequestFacts>();
  const remember = (streamId: string, facts: RequestFacts) => {
    requests.delete(streamId);
    requests.set(streamId, facts);
    if (requests.size > cacheSize) requests.delete(requests.keys().next().value as string);
  };
  const requestOf = async (record: StoredEvent): Promise<RequestFacts | undefined> => {
    const known = requests.get(record.streamId);
    if (known) return known;
    const { events } = await store.readStream(record.streamId, { cityId: record.metadata.cityId, toVersion: 1n });
    if (events[0]?.type !== 'ReportRequested') return undefined;
    const facts = requestFactsOf(toDomainEvent<ReportRequested>(events[0]).data);
    remember(record.streamId, facts);
    return facts;
  };
  return {
    name: 'reporting',
    topics: [REPORTS_TOPIC],
    async read(after, limit) {
      const { events, checkpoint } = await store.readAll({ after, limit });
      const messages = [];
      for (const record of events) {
        if (record.type === 'ReportRequested') remember(record.streamId, requestFactsOf(toDomainEvent<ReportRequested>(record).data));
        const message = await toReportMessage(record, () => requestOf(record));
        // Events with no contract (drafts) still advance the checkpoint: `checkpoint` below covers them.
        if (message) messages.push({ ...message, checkpoint: encodeCheckpoint(record.transactionId, record.globalPosition) });
      }
      return { messages, checkpoint };
    },
  };
};

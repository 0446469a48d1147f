import { randomUUID } from 'node:crypto';
import { cloudEventSource, type CloudEvent, type TopicSource } from '@mandate/messaging';

/**
 * A plans contract as consumers receive it, for tests: a fresh id, the subject from the data's task
 * (else plan) id, the rest overridable.
 */
export const aCloudEvent = (type: string, data: unknown, overrides: Partial<CloudEvent> = {}): CloudEvent => {
  const cityid = overrides.cityid ?? 'ha-noi';
  const { taskId, planId } = (data ?? {}) as { taskId?: string; planId?: string };
  return {
    specversion: '1.0',
    id: randomUUID(),
    type,
    source: cloudEventSource(cityid, 'plans'),
    subject: taskId ? `task-${taskId}` : `plan-${planId}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    cityid,
    correlationid: 'c',
    sequence: '1',
    data,
    ...overrides,
  };
};

/**
 * A TopicSource over an array, as a service's log would be read: every message on `topic`, keyed by
 * its subject, checkpoints the zero-padded positions (text order is log order).
 */
export const arrayTopicSource = (log: CloudEvent[], topic: string, name = 'test-source'): TopicSource => ({
  name,
  topics: [topic],
  async read(after, limit) {
    const from = after ? Number(after) : 0;
    const messages = log
      .slice(from, from + limit)
      .map((event, i) => ({ topic, key: event.subject, event, checkpoint: String(from + i + 1).padStart(19, '0') }));
    return { messages, checkpoint: messages.at(-1)?.checkpoint ?? after };
  },
});

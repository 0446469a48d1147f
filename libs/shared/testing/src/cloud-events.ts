import { randomUUID } from 'node:crypto';
import { cloudEventSource, type CloudEvent } from '@mandate/messaging';

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

import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { cityOfSource, type CloudEvent, type OutgoingMessage } from '../cloud-event';

/**
 * CloudEvents Kafka protocol binding, binary content mode: attributes travel as `ce_` headers,
 * the message value is the event data, `content-type` says how it is encoded.
 */
const ATTRIBUTES = ['specversion', 'id', 'type', 'source', 'subject', 'time', 'cityid', 'correlationid', 'sequence'] as const;

export class UndecodableMessageError extends Error {}

export const encodeCloudEvent = (message: OutgoingMessage): Message => {
  const headers: IHeaders = { 'content-type': message.event.datacontenttype };
  for (const attribute of ATTRIBUTES) headers[`ce_${attribute}`] = String(message.event[attribute]);
  return { key: message.key, value: JSON.stringify(message.event.data), headers };
};

const header = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  if (value === undefined || value === null) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
};

export const decodeCloudEvent = (message: Pick<KafkaMessage, 'headers' | 'value'>): CloudEvent => {
  const attributes: Record<string, string> = {};
  for (const attribute of ATTRIBUTES) {
    const value = header(message.headers, `ce_${attribute}`);
    if (value === undefined) throw new UndecodableMessageError(`missing header ce_${attribute}`);
    attributes[attribute] = value;
  }
  if (attributes.specversion !== '1.0') throw new UndecodableMessageError(`unsupported specversion ${attributes.specversion}`);
  // The city a message is for must be the city of the service that published it: a mismatch is refused, never applied.
  const sourceCity = cityOfSource(attributes.source);
  if (sourceCity === undefined || sourceCity !== attributes.cityid) {
    throw new UndecodableMessageError(`ce_cityid "${attributes.cityid}" does not match the source "${attributes.source}"`);
  }
  const contentType = header(message.headers, 'content-type') ?? 'application/json';
  if (!contentType.startsWith('application/json')) throw new UndecodableMessageError(`unsupported content-type ${contentType}`);
  let data: unknown;
  try {
    data = JSON.parse(message.value?.toString('utf8') ?? 'null');
  } catch (error) {
    throw new UndecodableMessageError(`value is not JSON: ${(error as Error).message}`);
  }
  return { ...(attributes as Omit<CloudEvent, 'data' | 'datacontenttype' | 'specversion'>), specversion: '1.0', datacontenttype: 'application/json', data };
};

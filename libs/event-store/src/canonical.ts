import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The fields a hash covers, in their stored form. */
export type HashedFields = {
  streamId: string;
  streamVersion: bigint;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  cityId: string;
};

export const canonicalJson = (value: unknown): string => {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('Value has no JSON form');
  return text;
};

/**
 * RFC 8785 text of the hashed fields. Written out by hand (keys already in sorted order) so that the
 * append function in PostgreSQL can build the very same text from the same pieces; streamVersion is
 * a JSON integer. A unit test pins this to `canonicalize` of the whole object.
 */
export const canonicalEventText = (fields: HashedFields, dataText?: string, metadataText?: string): string =>
  `{"cityId":${JSON.stringify(fields.cityId)}` +
  `,"data":${dataText ?? canonicalJson(fields.data)}` +
  `,"eventId":${JSON.stringify(fields.eventId)}` +
  `,"metadata":${metadataText ?? canonicalJson(fields.metadata)}` +
  `,"schemaVersion":${canonicalJson(fields.schemaVersion)}` +
  `,"streamId":${JSON.stringify(fields.streamId)}` +
  `,"streamVersion":${fields.streamVersion.toString()}` +
  `,"type":${JSON.stringify(fields.type)}}`;

/** SHA-256 hex over the previous hash of the stream ('' before version 1) followed by the canonical text. */
export const chainHash = (previousHash: string, canonicalText: string): string =>
  createHash('sha256').update(previousHash + canonicalText, 'utf8').digest('hex');

export const eventHash = (previousHash: string, fields: HashedFields): string =>
  chainHash(previousHash, canonicalEventText(fields));

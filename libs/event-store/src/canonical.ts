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
  /**
   * 1: the fields above (events stored before recorded_at was covered); 2 (the default of new appends)
   * adds the global position and recordedAt, so moving an event in time or in the log breaks its link.
   */
  hashVersion?: number;
  globalPosition?: bigint;
  recordedAt?: Date;
};

/** The hash formula new appends use (see `HashedFields.hashVersion`). */
export const CURRENT_HASH_VERSION = 2;

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
  placed(fields, 'globalPosition') +
  `,"metadata":${metadataText ?? canonicalJson(fields.metadata)}` +
  placed(fields, 'recordedAt') +
  `,"schemaVersion":${canonicalJson(fields.schemaVersion)}` +
  `,"streamId":${JSON.stringify(fields.streamId)}` +
  `,"streamVersion":${fields.streamVersion.toString()}` +
  `,"type":${JSON.stringify(fields.type)}}`;

/** A version 2 key in its sorted place (milliseconds, as the log stores recorded_at); nothing under version 1. */
const placed = (fields: HashedFields, key: 'globalPosition' | 'recordedAt'): string => {
  const version = fields.hashVersion ?? 1;
  if (version === 1) return '';
  if (version !== 2) throw new TypeError(`Unknown hash version ${version}`);
  const value = fields[key];
  if (value === undefined) throw new TypeError(`Hash version 2 covers ${key}, which is missing`);
  return key === 'globalPosition' ? `,"globalPosition":${value.toString()}` : `,"recordedAt":${JSON.stringify((value as Date).toISOString())}`;
};

/** SHA-256 hex over the previous hash of the stream ('' before version 1) followed by the canonical text. */
export const chainHash = (previousHash: string, canonicalText: string): string =>
  createHash('sha256')
    .update(previousHash + canonicalText, 'utf8')
    .digest('hex');

export const eventHash = (previousHash: string, fields: HashedFields): string => chainHash(previousHash, canonicalEventText(fields));

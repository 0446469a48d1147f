/** 'no_stream' is version 0; stream versions start at 1. */
export type ExpectedVersion = 'any' | 'no_stream' | bigint;

export type EventMetadata = {
  cityId: string;
  actorId: string;
  role: string;
  agencyId: string | null;
  correlationId: string;
  causationId: string | null;
  /** ISO 8601 */
  occurredAt: string;
};

export type NewEvent = {
  /** uuid; also the idempotency key of the append */
  id: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
};

export type StoredEvent = NewEvent & {
  streamId: string;
  streamVersion: bigint;
  globalPosition: bigint;
  /** xid8 of the writing transaction, as a decimal string */
  transactionId: string;
  recordedAt: Date;
  /** SHA-256 hex of the stored form, chained per stream */
  hash: string;
};

/** '<txid zero-padded to 20>:<global_position zero-padded to 19>', so text order is log order. */
export type Checkpoint = string;

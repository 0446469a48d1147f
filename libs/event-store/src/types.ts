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
  /**
   * On the first event a stream appends in another city (its city merged into that one): the head it
   * goes on from there. append_events checks it; verify starts the chain of that city from it.
   */
  continuesFrom?: StreamLink;
};

/** Where a stream stood in the city it left: its last version there and that event's hash. */
export type StreamLink = { cityId: string; streamVersion: string; hash: string };

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

/**
 * Integration events travel as CloudEvents 1.0. Extension attribute names are lowercase
 * alphanumerics (spec §3.1.1), hence `cityid`, `correlationid`, `sequence`.
 */
export type CloudEvent<Type extends string = string, Data = unknown> = {
  readonly specversion: '1.0';
  /** The event id of the source event: consumers deduplicate on it. */
  readonly id: string;
  /** `vn.mandate.<aggregate>.<fact>.v<version>` */
  readonly type: Type;
  /** `/mandate/<city>/<service>` */
  readonly source: string;
  /** The stream it is about, e.g. `task-<uuid>`. */
  readonly subject: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly cityid: string;
  readonly correlationid: string;
  /** Version of the subject stream after this event: per-key order, and a staleness guard for read models. */
  readonly sequence: string;
  readonly data: Data;
};

/** A message bound for a topic; the key keeps per-stream order (Kafka partitions by it). */
export type OutgoingMessage = {
  readonly topic: string;
  readonly key: string;
  readonly event: CloudEvent;
};

/** `/mandate/<city>/<service>`: who published an event, for which city. */
export const cloudEventSource = (cityId: string, service: string): string => `/mandate/${cityId}/${service}`;

/** The city a `source` names, or undefined when it is not one of Mandate's. */
export const cityOfSource = (source: string): string | undefined => /^\/mandate\/([a-z0-9][a-z0-9-]{0,62})\//.exec(source)?.[1];

/** What a published message needs of a stored event (structurally the event store's `StoredEvent`). */
export type PublishedRecord = {
  readonly id: string;
  readonly streamId: string;
  readonly streamVersion: bigint;
  readonly metadata: { readonly cityId: string; readonly occurredAt: string; readonly correlationId: string };
};

/**
 * A stored event as the message a service publishes: the CloudEvent envelope (id, city, stream as
 * subject and key, stream version as sequence) around the contract it was mapped to.
 */
export const outgoingMessageOf = (record: PublishedRecord, service: string, topic: string, contract: { type: string; data: unknown }): OutgoingMessage => ({
  topic,
  key: record.streamId,
  event: {
    specversion: '1.0',
    id: record.id,
    type: contract.type,
    source: cloudEventSource(record.metadata.cityId, service),
    subject: record.streamId,
    time: record.metadata.occurredAt,
    datacontenttype: 'application/json',
    cityid: record.metadata.cityId,
    correlationid: record.metadata.correlationId,
    sequence: record.streamVersion.toString(),
    data: contract.data,
  },
});

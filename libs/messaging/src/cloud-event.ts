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

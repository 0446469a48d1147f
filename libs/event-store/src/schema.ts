import { ValidationError } from '@mandate/kernel';
import { CURRENT_HASH_VERSION } from './canonical';

/** SQLSTATEs raised by the append function; Node maps them to kernel errors. */
export const SQLSTATE = {
  wrongVersion: 'MS412',
  otherCity: 'MS404',
  idConflict: 'MS409',
  badContinuation: 'MS422',
} as const;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Only plain lower-case identifiers, so names can be spliced into SQL without quoting surprises. */
export const assertSchemaName = (schema: string): string => {
  if (!SCHEMA_NAME.test(schema)) {
    throw new ValidationError(`Invalid event store schema name "${schema}"`, 'invalid-schema');
  }
  return schema;
};

export const eventsTable = (schema: string): string => `"${assertSchemaName(schema)}".events`;

/** Idempotent DDL: every statement can run again on an existing schema. */
export const createSchemaStatements = (schema: string): string[] => {
  const s = `"${assertSchemaName(schema)}"`;
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.events (
      global_position bigserial PRIMARY KEY,
      stream_id text NOT NULL,
      stream_version bigint NOT NULL CHECK (stream_version > 0),
      event_id uuid NOT NULL,
      type text NOT NULL,
      schema_version integer NOT NULL CHECK (schema_version > 0),
      data jsonb NOT NULL,
      metadata jsonb NOT NULL,
      city_id text NOT NULL,
      transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      recorded_at timestamptz NOT NULL DEFAULT now(),
      hash text NOT NULL,
      CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version),
      CONSTRAINT events_event_id_key UNIQUE (event_id)
    )`,
    `CREATE INDEX IF NOT EXISTS events_log_order ON ${s}.events (transaction_id, global_position)`,
    `CREATE INDEX IF NOT EXISTS events_city_log_order ON ${s}.events (city_id, transaction_id, global_position)`,
    `CREATE OR REPLACE FUNCTION ${s}.reject_event_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      RAISE EXCEPTION 'events are append-only: % on %.% is not allowed', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING HINT = 'Stored events are facts; append a compensating event instead.';
    END
    $fn$`,
    // CREATE OR REPLACE TRIGGER needs PostgreSQL 14; drop + create also works on 13.
    `DROP TRIGGER IF EXISTS events_append_only ON ${s}.events`,
    `CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON ${s}.events
      FOR EACH ROW EXECUTE FUNCTION ${s}.reject_event_change()`,
    `DROP TRIGGER IF EXISTS events_no_truncate ON ${s}.events`,
    `CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON ${s}.events
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_event_change()`,
    appendFunction(s),
  ];
};

export const dropSchemaStatements = (schema: string): string[] => {
  const s = `"${assertSchemaName(schema)}"`;
  return [
    `DROP FUNCTION IF EXISTS ${s}.append_events(text, text, bigint, uuid[], text[], integer[], text[], text[])`,
    `DROP FUNCTION IF EXISTS ${s}.append_events(text, text, bigint, uuid[], text[], integer[], text[], text[], text)`,
    `DROP TABLE IF EXISTS ${s}.events`,
    `DROP FUNCTION IF EXISTS ${s}.reject_event_change()`,
  ];
};

/**
 * One round trip per append: lock the stream, check its city and version, dedup by event id, chain the
 * hashes (version 2, `canonical.ts`) and insert. Migration 1 creates this function before migration 3
 * adds hash_version; PL/pgSQL resolves columns when the function first runs, by which time it exists. The canonical text is assembled here from the same pieces `canonicalEventText`
 * uses in Node (data and metadata arrive already in RFC 8785 form); to_json(text) escapes strings
 * exactly as JSON.stringify does. p_expected: -1 = any, 0 = no stream, n = version n.
 */
const appendFunction = (s: string): string => `
CREATE OR REPLACE FUNCTION ${s}.append_events(
  p_stream_id text, p_city_id text, p_expected bigint,
  p_ids uuid[], p_types text[], p_schema_versions integer[], p_data text[], p_metadata text[],
  p_continues_from text DEFAULT NULL)
RETURNS TABLE (r_global_position bigint, r_stream_version bigint, r_transaction_id text,
               r_recorded_at timestamptz, r_hash text, r_deduplicated boolean)
LANGUAGE plpgsql
-- Pooled sessions cache generic plans; one made while the table was tiny (or analyzed empty) would
-- seq-scan the whole log on every append. Forcing index plans costs nothing measurable.
SET enable_seqscan = off
AS $fn$
DECLARE
  v_count integer := cardinality(p_ids);
  v_head bigint;
  v_hash text;
  v_city text;
  v_found integer;
  v_elsewhere integer;
  v_hashes text[] := '{}';
  v_city_json text := to_json(p_city_id)::text;
  v_stream_json text := to_json(p_stream_id)::text;
  v_positions bigint[] := '{}';
  -- Milliseconds, as JavaScript reads timestamps back: what verify recomputes must be what was hashed.
  v_now timestamptz := date_trunc('milliseconds', now());
  v_now_json text := to_json(to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('${s}.events'), hashtext(p_stream_id));

  SELECT e.stream_version, e.hash, e.city_id INTO v_head, v_hash, v_city
    FROM ${s}.events e WHERE e.stream_id = p_stream_id ORDER BY e.stream_version DESC LIMIT 1;
  IF NOT FOUND THEN
    v_head := 0;
    v_hash := '';
  ELSIF v_city <> p_city_id THEN
    IF p_continues_from IS DISTINCT FROM v_city THEN
      RAISE EXCEPTION 'stream % belongs to another city', p_stream_id USING ERRCODE = '${SQLSTATE.otherCity}';
    END IF;
    -- The stream goes on in p_city_id (a city merged into it): its first event there must name the
    -- link it continues (city, version, hash), which the hash chain then covers.
    IF (p_metadata[1]::jsonb #>> '{continuesFrom,cityId}') IS DISTINCT FROM v_city
       OR (p_metadata[1]::jsonb #>> '{continuesFrom,streamVersion}') IS DISTINCT FROM v_head::text
       OR (p_metadata[1]::jsonb #>> '{continuesFrom,hash}') IS DISTINCT FROM v_hash THEN
      RAISE EXCEPTION 'stream % continues in % only from its head in % (version %)', p_stream_id, p_city_id, v_city, v_head
        USING ERRCODE = '${SQLSTATE.badContinuation}';
    END IF;
  END IF;

  -- A retry of a committed append finds its ids and returns them, whatever the expected version says.
  SELECT count(*), count(*) FILTER (WHERE e.stream_id <> p_stream_id)
    INTO v_found, v_elsewhere FROM ${s}.events e WHERE e.event_id = ANY (p_ids);
  IF v_found > 0 THEN
    IF v_found = v_count AND v_elsewhere = 0 THEN
      RETURN QUERY SELECT e.global_position, e.stream_version, e.transaction_id::text, e.recorded_at, e.hash, true
        FROM ${s}.events e WHERE e.event_id = ANY (p_ids) ORDER BY e.stream_version;
      RETURN;
    END IF;
    RAISE EXCEPTION '% of % event ids are already stored (% in other streams)', v_found, v_count, v_elsewhere
      USING ERRCODE = '${SQLSTATE.idConflict}';
  END IF;

  IF p_expected >= 0 AND p_expected <> v_head THEN
    RAISE EXCEPTION 'stream % is at version %, expected %', p_stream_id, v_head, p_expected
      USING ERRCODE = '${SQLSTATE.wrongVersion}', DETAIL = v_head::text;
  END IF;

  -- Hash version 2: the position and recorded_at are taken here, so the hash can cover them.
  FOR i IN 1 .. v_count LOOP
    v_positions[i] := nextval('${s}.events_global_position_seq');
    v_hash := encode(sha256(convert_to(
      v_hash || '{"cityId":' || v_city_json || ',"data":' || p_data[i] || ',"eventId":"' || p_ids[i]::text
      || '","globalPosition":' || v_positions[i]
      || ',"metadata":' || p_metadata[i] || ',"recordedAt":' || v_now_json || ',"schemaVersion":' || p_schema_versions[i]
      || ',"streamId":' || v_stream_json || ',"streamVersion":' || (v_head + i)
      || ',"type":' || to_json(p_types[i])::text || '}', 'UTF8')), 'hex');
    v_hashes[i] := v_hash;
  END LOOP;

  RETURN QUERY
    INSERT INTO ${s}.events AS e (global_position, stream_id, stream_version, event_id, type, schema_version, data, metadata, city_id,
                                  recorded_at, hash, hash_version)
    SELECT u.position, p_stream_id, v_head + u.ord, u.id, u.type, u.schema_version, u.data::jsonb, u.metadata::jsonb, p_city_id,
           v_now, u.hash, ${CURRENT_HASH_VERSION}
      FROM unnest(p_ids, p_types, p_schema_versions, p_data, p_metadata, v_hashes, v_positions)
        WITH ORDINALITY AS u (id, type, schema_version, data, metadata, hash, position, ord)
     ORDER BY u.ord
    RETURNING e.global_position, e.stream_version, e.transaction_id::text, e.recorded_at, e.hash, false;
END
$fn$`;

/**
 * What keeps an audit table append-only (`audit_<kind>s`): a trigger function that refuses, fired on
 * every UPDATE, DELETE and TRUNCATE. `s`: the quoted schema.
 */
const appendOnlyStatements = (s: string, kind: 'anchor' | 'checkpoint'): string[] => [
  `CREATE OR REPLACE FUNCTION ${s}.reject_${kind}_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      RAISE EXCEPTION 'audit ${kind}s are append-only: % on %.% is not allowed', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME;
    END
    $fn$`,
  `DROP TRIGGER IF EXISTS audit_${kind}s_append_only ON ${s}.audit_${kind}s`,
  `CREATE TRIGGER audit_${kind}s_append_only BEFORE UPDATE OR DELETE ON ${s}.audit_${kind}s
      FOR EACH ROW EXECUTE FUNCTION ${s}.reject_${kind}_change()`,
  `DROP TRIGGER IF EXISTS audit_${kind}s_no_truncate ON ${s}.audit_${kind}s`,
  `CREATE TRIGGER audit_${kind}s_no_truncate BEFORE TRUNCATE ON ${s}.audit_${kind}s
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_${kind}_change()`,
];

export const anchorsTable = (schema: string): string => `"${assertSchemaName(schema)}".audit_anchors`;

/**
 * Daily anchors (`anchors.ts`): append-only like the log, one row per city and day. The index on
 * (city_id, recorded_at) serves the per-day reads of anchoring and verifying, and time-range searches.
 */
export const createAnchorStatements = (schema: string): string[] => {
  const s = `"${assertSchemaName(schema)}"`;
  return [
    `CREATE TABLE IF NOT EXISTS ${s}.audit_anchors (
      city_id text NOT NULL,
      day date NOT NULL,
      root text NOT NULL,
      events integer NOT NULL CHECK (events > 0),
      first_position bigint NOT NULL,
      last_position bigint NOT NULL,
      previous_anchor_root text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT audit_anchors_pkey PRIMARY KEY (city_id, day)
    )`,
    `CREATE INDEX IF NOT EXISTS events_city_recorded ON ${s}.events (city_id, recorded_at)`,
    ...appendOnlyStatements(s, 'anchor'),
  ];
};

export const dropAnchorStatements = (schema: string): string[] => {
  const s = `"${assertSchemaName(schema)}"`;
  return [`DROP TABLE IF EXISTS ${s}.audit_anchors`, `DROP FUNCTION IF EXISTS ${s}.reject_anchor_change()`, `DROP INDEX IF EXISTS ${s}.events_city_recorded`];
};

export const checkpointsTable = (schema: string): string => `"${assertSchemaName(schema)}".audit_checkpoints`;

/**
 * Hash version 2 (`canonical.ts`: recorded_at and the position covered) and signed checkpoints
 * (`audit-checkpoints.ts`). Rows stored before keep hash_version 1 and verify under it; none is rewritten.
 */
export const hashV2AndCheckpointStatements = (schema: string): string[] => {
  const s = `"${assertSchemaName(schema)}"`;
  return [
    // A constant default: no table rewrite; every existing row reads as version 1.
    `ALTER TABLE ${s}.events ADD COLUMN IF NOT EXISTS hash_version smallint NOT NULL DEFAULT 1`,
    appendFunction(s),
    `CREATE TABLE IF NOT EXISTS ${s}.audit_checkpoints (
      city_id text NOT NULL,
      seq bigint NOT NULL CHECK (seq > 0),
      below_transaction xid8 NOT NULL,
      events bigint NOT NULL,
      segment_events bigint NOT NULL,
      segment_root text NOT NULL,
      last_position bigint,
      anchor_day date,
      anchor_root text,
      previous_signature text,
      created_at timestamptz NOT NULL,
      key_fingerprint text NOT NULL,
      signature text NOT NULL,
      CONSTRAINT audit_checkpoints_pkey PRIMARY KEY (city_id, seq)
    )`,
    ...appendOnlyStatements(s, 'checkpoint'),
  ];
};

/**
 * A stream may go on in another city (a city merged into its successor): append_events gains
 * `p_continues_from`. The function with the old signature is dropped, or calls would be ambiguous.
 */
export const continuedStreamsStatements = (schema: string): string[] => {
  const s = `"${assertSchemaName(schema)}"`;
  return [`DROP FUNCTION IF EXISTS ${s}.append_events(text, text, bigint, uuid[], text[], integer[], text[], text[])`, appendFunction(s)];
};

export const dropHashV2AndCheckpointStatements = (schema: string): string[] => {
  const s = `"${assertSchemaName(schema)}"`;
  return [`DROP TABLE IF EXISTS ${s}.audit_checkpoints`, `DROP FUNCTION IF EXISTS ${s}.reject_checkpoint_change()`];
};

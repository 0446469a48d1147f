import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { anchorBreakOf, auditDayOf, earlierBreak, unanchoredDayBreak, type AnchorBreak, type AnchorView, type DayDigest } from './anchors';
import type { AuditSigningKey } from './audit-key';
import { checkpointLinkBreak, type AuditCheckpoint, type CheckpointBreak } from './audit-checkpoints';
import { publicKeyFingerprint } from './audit-key';
import { canonicalJson, eventHash } from './canonical';
import { MerkleBuilder } from './merkle';
import type { EventRow } from './rows';

/**
 * A signed audit export: a city's events of a range of days (Vietnam time) in their stored form, the
 * start of each stream's chain, the days' anchors, the deployment's Ed25519 public key and a signature
 * over the RFC 8785 canonical JSON of everything but the signature. The file is that canonical JSON
 * itself (one line), so it is byte for byte what was signed: the verifier refuses any other form,
 * which makes every changed byte fail, even one that would leave the parsed content equal.
 *
 * Chains: a stream whose first exported event is not version 1 starts from `previousHash`, the stored
 * hash of the version before, as the log held it at export time (signed, not recomputable offline).
 * A stream with events in the range is exported from its first to its last version there, with the
 * versions between even when recorded outside the range, so each chain is whole.
 */
export const AUDIT_EXPORT_FORMAT = 'mandate-audit-export/1';

export type ExportedEvent = {
  position: number;
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  cityId: string;
  recordedAt: string;
  hash: string;
  /** the hash's formula (`canonical.ts`); absent in exports written before version 2: 1 */
  hashVersion?: number;
};

export type ExportedChain = { streamId: string; fromVersion: number; toVersion: number; previousHash: string | null };

export type AuditExportContent = {
  city: string;
  /** YYYY-MM-DD, inclusive */
  from: string;
  to: string;
  generatedAt: string;
  events: ExportedEvent[];
  chains: ExportedChain[];
  anchors: AnchorView[];
  /** the city's signed checkpoints created during the days (absent in older exports) */
  checkpoints?: AuditCheckpoint[];
};

export type AuditExport = AuditExportContent & { format: typeof AUDIT_EXPORT_FORMAT; publicKey: string; signature: string };

/** A row in its stored form (no upcasting): exactly what its hash covers. */
export const exportedEventOf = (row: EventRow): ExportedEvent => ({
  position: Number(row.global_position),
  streamId: row.stream_id,
  version: Number(row.stream_version),
  eventId: row.event_id,
  type: row.type,
  schemaVersion: row.schema_version,
  data: row.data,
  metadata: row.metadata as unknown as Record<string, unknown>,
  cityId: row.city_id,
  recordedAt: row.recorded_at.toISOString(),
  hash: row.hash,
  hashVersion: row.hash_version,
});

export const signAuditExport = (content: AuditExportContent, key: AuditSigningKey): AuditExport => {
  const unsigned = { ...content, format: AUDIT_EXPORT_FORMAT, publicKey: key.publicKeyPem } as const;
  const signature = sign(null, Buffer.from(canonicalJson(unsigned), 'utf8'), key.privateKey).toString('base64');
  return { ...unsigned, signature };
};

/** The file's text: the canonical JSON and a final newline. */
export const serializeAuditExport = (document: AuditExport): string => `${canonicalJson(document)}\n`;

export type ExportBrokenLink = { streamId: string; version: number | null; position: number | null; reason: string };

export type ExportVerification = {
  ok: boolean;
  format: string | null;
  city: string | null;
  from: string | null;
  to: string | null;
  generatedAt: string | null;
  signature: { ok: boolean; algorithm: 'Ed25519'; publicKeyFingerprint: string | null; pinned: boolean; reason: string | null };
  streams: number;
  events: number;
  chains: { ok: boolean; firstBroken: ExportBrokenLink | null };
  /** `notYetAnchored`: days of the range with events after the last exported anchor (not a break). */
  anchors: { checked: number; firstBroken: AnchorBreak | null; notYetAnchored: string[] };
  /**
   * The exported checkpoints: signatures (with the key the export's signature is checked with), links,
   * and the roots of the exported anchors they name. Their segments need the whole log: `audit verify`.
   */
  checkpoints: { checked: number; firstBroken: CheckpointBreak | null };
  /** What made the file unreadable or malformed. */
  problems: string[];
};

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const instant = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'an ISO date-time');
const count = z.number().int().positive();

const exportSchema = z.strictObject({
  format: z.literal(AUDIT_EXPORT_FORMAT),
  city: z.string().min(1),
  from: day,
  to: day,
  generatedAt: instant,
  events: z.array(
    z.strictObject({
      position: count,
      streamId: z.string(),
      version: count,
      eventId: z.string(),
      type: z.string(),
      schemaVersion: count,
      data: z.record(z.string(), z.unknown()),
      metadata: z.record(z.string(), z.unknown()),
      cityId: z.string(),
      recordedAt: instant,
      hash: z.string(),
      hashVersion: z.number().int().min(1).max(2).optional(),
    }),
  ),
  chains: z.array(z.strictObject({ streamId: z.string(), fromVersion: count, toVersion: count, previousHash: z.string().nullable() })),
  anchors: z.array(
    z.strictObject({
      day,
      root: z.string(),
      events: count,
      firstPosition: count,
      lastPosition: count,
      previousAnchorRoot: z.string().nullable(),
      createdAt: instant,
    }),
  ),
  checkpoints: z
    .array(
      z.strictObject({
        cityId: z.string(),
        seq: count,
        belowTransaction: z.string().regex(/^\d+$/),
        events: z.number().int().nonnegative(),
        segmentEvents: z.number().int().nonnegative(),
        segmentRoot: z.string(),
        lastPosition: count.nullable(),
        anchor: z.strictObject({ day, root: z.string() }).nullable(),
        previousSignature: z.string().nullable(),
        createdAt: instant,
        keyFingerprint: z.string(),
        signature: z.string(),
      }),
    )
    .optional(),
  publicKey: z.string(),
  signature: z.string(),
});

type ParsedExport = z.output<typeof exportSchema>;

const emptyResult = (problems: string[]): ExportVerification => ({
  ok: false,
  format: null,
  city: null,
  from: null,
  to: null,
  generatedAt: null,
  signature: { ok: false, algorithm: 'Ed25519', publicKeyFingerprint: null, pinned: false, reason: 'not checked: the file is unreadable' },
  streams: 0,
  events: 0,
  chains: { ok: false, firstBroken: null },
  anchors: { checked: 0, firstBroken: null, notYetAnchored: [] },
  checkpoints: { checked: 0, firstBroken: null },
  problems,
});

/**
 * Checks an export offline: its form, its signature (with the key given, when one is: `publicKeyPem`
 * pins the deployment's key; without it the export's own key is used and only its fingerprint can be
 * compared by a person), every stream's chain within it, and every anchor's root against the exported
 * events of its day.
 */
export const verifyAuditExport = (input: string | Uint8Array, options: { publicKeyPem?: string } = {}): ExportVerification => {
  let text: string;
  try {
    text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return emptyResult(['the file is not UTF-8 text']);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return emptyResult([`the file is not JSON: ${(error as Error).message}`]);
  }
  const parsed = exportSchema.safeParse(raw);
  if (!parsed.success) {
    return emptyResult(parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || 'document'}: ${i.message}`));
  }
  const document = parsed.data;
  const problems: string[] = [];
  if (text !== `${canonicalJson(raw)}\n` && text !== canonicalJson(raw))
    problems.push('the file is not in its signed form (RFC 8785 canonical JSON, as written by the export)');
  if (document.events.some((e, i) => i > 0 && e.position <= document.events[i - 1].position)) problems.push('events are not in global position order');
  if (document.anchors.some((a, i) => i > 0 && a.day <= document.anchors[i - 1].day)) problems.push('anchors are not in day order');
  const outside = document.anchors.find((a) => a.day < document.from || a.day > document.to);
  if (outside) problems.push(`anchor of ${outside.day} is outside the exported range`);

  const signature = checkSignature(raw as Record<string, unknown>, document, options.publicKeyPem);
  const chains = checkChains(document);
  const anchors = checkAnchors(document);
  const checkpoints = checkCheckpoints(document, options.publicKeyPem);
  problems.push(...chains.problems);
  return {
    ok: problems.length === 0 && signature.ok && chains.firstBroken === null && anchors.firstBroken === null && checkpoints.firstBroken === null,
    format: document.format,
    city: document.city,
    from: document.from,
    to: document.to,
    generatedAt: document.generatedAt,
    signature,
    streams: document.chains.length,
    events: document.events.length,
    chains: { ok: chains.firstBroken === null, firstBroken: chains.firstBroken },
    anchors,
    checkpoints,
    problems,
  };
};

const checkCheckpoints = (document: ParsedExport, pinnedPem: string | undefined): ExportVerification['checkpoints'] => {
  const checkpoints = document.checkpoints ?? [];
  let key: KeyObject | null = null;
  try {
    key = createPublicKey(pinnedPem ?? document.publicKey);
  } catch {
    key = null; // the signature check already says the key is unreadable
  }
  let firstBroken = checkpointLinkBreak(checkpoints, key, false);
  const anchors = new Map(document.anchors.map((a) => [a.day, a.root]));
  for (const c of checkpoints) {
    if (firstBroken && firstBroken.seq <= c.seq) break;
    if (c.cityId !== document.city)
      firstBroken = {
        seq: c.seq,
        reason: `checkpoint of city ${c.cityId} in an export of ${document.city}`,
        expected: null,
        found: null,
        checkpointEvents: c.segmentEvents,
        foundEvents: null,
      };
    else if (c.anchor && anchors.has(c.anchor.day) && anchors.get(c.anchor.day) !== c.anchor.root) {
      firstBroken = {
        seq: c.seq,
        reason: `the anchor of ${c.anchor.day} it names has another root`,
        expected: c.anchor.root,
        found: anchors.get(c.anchor.day)!,
        checkpointEvents: c.segmentEvents,
        foundEvents: null,
      };
    }
  }
  return { checked: checkpoints.length, firstBroken };
};

const checkSignature = (raw: Record<string, unknown>, document: ParsedExport, pinnedPem: string | undefined): ExportVerification['signature'] => {
  const result = {
    ok: false,
    algorithm: 'Ed25519' as const,
    publicKeyFingerprint: null as string | null,
    pinned: pinnedPem !== undefined,
    reason: null as string | null,
  };
  let exportKey: KeyObject;
  try {
    exportKey = createPublicKey(document.publicKey);
    result.publicKeyFingerprint = publicKeyFingerprint(exportKey);
  } catch {
    return { ...result, reason: 'the export’s public key is not a PEM public key' };
  }
  let key = exportKey;
  if (pinnedPem !== undefined) {
    try {
      key = createPublicKey(pinnedPem);
    } catch {
      return { ...result, reason: 'the given public key is not a PEM public key' };
    }
    if (publicKeyFingerprint(key) !== result.publicKeyFingerprint) return { ...result, reason: 'the export was signed with another key than the one given' };
  }
  if (key.asymmetricKeyType !== 'ed25519') return { ...result, reason: `the key is ${key.asymmetricKeyType}, not Ed25519` };
  const { signature, ...unsigned } = raw;
  const valid = verify(null, Buffer.from(canonicalJson(unsigned), 'utf8'), key, Buffer.from(String(signature), 'base64'));
  return valid ? { ...result, ok: true } : { ...result, reason: 'the signature does not match the content' };
};

const checkChains = (document: ParsedExport): { firstBroken: ExportBrokenLink | null; problems: string[] } => {
  const problems: string[] = [];
  const chains = new Map(document.chains.map((c) => [c.streamId, c]));
  if (chains.size !== document.chains.length) problems.push('a stream has more than one chain entry');
  const heads = new Map<string, { nextVersion: number; previousHash: string | null }>();
  const broken = new Set<string>();
  let firstBroken: ExportBrokenLink | null = null;
  const breakAt = (link: ExportBrokenLink) => {
    if (broken.has(link.streamId)) return; // the first break of a stream is the one that matters
    broken.add(link.streamId);
    if (firstBroken === null || (link.position ?? Infinity) < (firstBroken.position ?? Infinity)) firstBroken = link;
  };
  for (const event of document.events) {
    const at = { streamId: event.streamId, version: event.version, position: event.position };
    const chain = chains.get(event.streamId);
    if (!chain) {
      breakAt({ ...at, reason: 'the stream has no chain entry in the export' });
      continue;
    }
    const head = heads.get(event.streamId) ?? { nextVersion: chain.fromVersion, previousHash: chain.fromVersion === 1 ? '' : chain.previousHash };
    if (event.cityId !== document.city) breakAt({ ...at, reason: `event of city ${event.cityId} in an export of ${document.city}` });
    else if (event.version !== head.nextVersion) breakAt({ ...at, reason: `version gap: expected version ${head.nextVersion}, found ${event.version}` });
    else if (head.previousHash === null) breakAt({ ...at, reason: `the hash of version ${event.version - 1} is missing: the chain cannot start` });
    else {
      const recomputed = eventHash(head.previousHash, {
        streamId: event.streamId,
        streamVersion: BigInt(event.version),
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: event.metadata,
        cityId: event.cityId,
        hashVersion: event.hashVersion ?? 1,
        globalPosition: BigInt(event.position),
        recordedAt: new Date(event.recordedAt),
      });
      if (recomputed !== event.hash) breakAt({ ...at, reason: `hash mismatch: stored ${event.hash}, recomputed ${recomputed}` });
    }
    heads.set(event.streamId, { nextVersion: event.version + 1, previousHash: event.hash });
  }
  for (const chain of document.chains) {
    const head = heads.get(chain.streamId);
    if (!head) breakAt({ streamId: chain.streamId, version: null, position: null, reason: 'the chain entry has no events' });
    else if (head.nextVersion - 1 !== chain.toVersion) {
      breakAt({
        streamId: chain.streamId,
        version: chain.toVersion,
        position: null,
        reason: `the chain ends at version ${head.nextVersion - 1}, its entry says ${chain.toVersion}`,
      });
    }
  }
  return { firstBroken, problems };
};

const checkAnchors = (document: ParsedExport): ExportVerification['anchors'] => {
  const byDay = new Map<string, ParsedExport['events']>();
  for (const event of document.events) {
    const eventDay = auditDayOf(new Date(event.recordedAt));
    // Versions filled in from outside the range complete chains; their days are not part of the export.
    if (eventDay < document.from || eventDay > document.to) continue;
    const events = byDay.get(eventDay);
    if (events) events.push(event);
    else byDay.set(eventDay, [event]);
  }
  const digestOf = (events: ParsedExport['events']): DayDigest => {
    const sorted = [...events].sort((a, b) => a.position - b.position);
    const builder = new MerkleBuilder();
    for (const event of sorted) builder.add(event.hash);
    return {
      root: builder.root(),
      events: sorted.length,
      firstPosition: sorted.length ? BigInt(sorted[0].position) : null,
      lastPosition: sorted.length ? BigInt(sorted[sorted.length - 1].position) : null,
    };
  };
  let firstBroken: AnchorBreak | null = null;
  let previousRoot: string | null = null;
  document.anchors.forEach((anchor, i) => {
    const found = digestOf(byDay.get(anchor.day) ?? []);
    // The first exported anchor names one outside the export: taken as signed.
    const previous = i === 0 ? anchor.previousAnchorRoot : previousRoot;
    const brk = anchorBreakOf({ ...anchor, firstPosition: BigInt(anchor.firstPosition), lastPosition: BigInt(anchor.lastPosition) }, found, previous);
    firstBroken = earlierBreak(firstBroken, brk);
    previousRoot = anchor.root;
  });
  const anchored = new Set(document.anchors.map((a) => a.day));
  const lastAnchored = document.anchors.at(-1)?.day ?? null;
  const notYetAnchored: string[] = [];
  for (const eventDay of [...byDay.keys()].sort()) {
    if (anchored.has(eventDay)) continue;
    if (lastAnchored !== null && eventDay < lastAnchored) firstBroken = earlierBreak(firstBroken, unanchoredDayBreak(eventDay, digestOf(byDay.get(eventDay)!)));
    else notYetAnchored.push(eventDay);
  }
  return { checked: document.anchors.length, firstBroken, notYetAnchored };
};

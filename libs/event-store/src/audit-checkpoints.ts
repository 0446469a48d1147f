import { sign, verify, type KeyObject } from 'node:crypto';
import { publicKeyFingerprint, type AuditSigningKey } from './audit-key';
import { canonicalJson } from './canonical';

/**
 * Signed checkpoints of a city's log, taken every few minutes and on demand. Checkpoint n covers the
 * city's events whose transaction is below `belowTransaction` (every such transaction has ended, so no
 * event can still join them) and not covered by checkpoint n-1: their count and the Merkle root
 * (`merkle.ts`) of one leaf per event, `<transaction id>:<global position>:<recorded_at, µs, UTC>:<hash>`,
 * in log order. It names the previous checkpoint's signature and the city's latest daily anchor, and is
 * signed with the deployment's Ed25519 audit key, which the database does not hold. So someone who can
 * write the tables but not read the key cannot delete, reorder, move or rewrite a covered event, delete
 * a named anchor, or drop a checkpoint between others without verify seeing it; what came after the
 * last checkpoint is reported as not checked.
 */
export const CHECKPOINT_FORMAT = 'mandate-audit-checkpoint/1';

export type CheckpointContent = {
  cityId: string;
  seq: number;
  /** xid8 as decimal text: the checkpoint covers the city's events of transactions below it */
  belowTransaction: string;
  /** events covered by this checkpoint and those before it */
  events: number;
  segmentEvents: number;
  segmentRoot: string;
  /** the highest global position covered so far (null: none yet) */
  lastPosition: number | null;
  /** the city's latest daily anchor when signed */
  anchor: { day: string; root: string } | null;
  previousSignature: string | null;
  createdAt: string;
};

export type AuditCheckpoint = CheckpointContent & { keyFingerprint: string; signature: string };

/** The first checkpoint that does not hold: its signature or link, or its segment against the log now. */
export type CheckpointBreak = {
  seq: number;
  reason: string;
  expected: string | null;
  found: string | null;
  checkpointEvents: number | null;
  foundEvents: number | null;
};

export type CheckpointCheck = {
  checked: number;
  /** false when no public key was at hand: roots and links checked, signatures not */
  signaturesChecked: boolean;
  last: { seq: number; createdAt: string; events: number; lastPosition: number | null } | null;
  firstBroken: CheckpointBreak | null;
};

/** Events no signed checkpoint covers (after the last one, or all when there is none). */
export type Unverified = { events: number; firstPosition: number | null; lastPosition: number | null; reason: string };

const signedText = (c: CheckpointContent): Buffer =>
  Buffer.from(
    canonicalJson({
      format: CHECKPOINT_FORMAT,
      city: c.cityId,
      seq: c.seq,
      belowTransaction: c.belowTransaction,
      events: c.events,
      segmentEvents: c.segmentEvents,
      segmentRoot: c.segmentRoot,
      lastPosition: c.lastPosition,
      anchor: c.anchor,
      previousSignature: c.previousSignature,
      createdAt: c.createdAt,
    }),
    'utf8',
  );

export const signCheckpoint = (content: CheckpointContent, key: AuditSigningKey): AuditCheckpoint => ({
  ...content,
  keyFingerprint: key.fingerprint,
  signature: sign(null, signedText(content), key.privateKey).toString('base64'),
});

/**
 * The links of a run of checkpoints, oldest first: signatures (with the deployment's key, when given),
 * consecutive numbers, each naming the one before, counts adding up. `fromStart`: the run must begin
 * at checkpoint 1 (the log's own; an export may hold a later run).
 */
export const checkpointLinkBreak = (checkpoints: readonly AuditCheckpoint[], publicKey: KeyObject | null, fromStart: boolean): CheckpointBreak | null => {
  const fingerprint = publicKey && publicKeyFingerprint(publicKey);
  const at = (c: AuditCheckpoint, reason: string, expected: string | null = null, found: string | null = null): CheckpointBreak => ({
    seq: c.seq,
    reason,
    expected,
    found,
    checkpointEvents: c.segmentEvents,
    foundEvents: null,
  });
  let previous: AuditCheckpoint | null = null;
  for (const c of checkpoints) {
    if (publicKey) {
      if (c.keyFingerprint !== fingerprint) return at(c, 'signed with another key than the deployment’s', fingerprint, c.keyFingerprint);
      if (!verify(null, signedText(c), publicKey, Buffer.from(c.signature, 'base64'))) return at(c, 'the signature does not match the checkpoint');
    }
    const expectedSeq = previous ? previous.seq + 1 : fromStart ? 1 : c.seq;
    if (c.seq !== expectedSeq) return at(c, `checkpoint ${expectedSeq} is missing`, String(expectedSeq), String(c.seq));
    if (previous) {
      if (c.previousSignature !== previous.signature)
        return at(c, 'checkpoint chain broken: the previous checkpoint is not the one this one names', c.previousSignature, previous.signature);
      if (c.events !== previous.events + c.segmentEvents) return at(c, `counts do not add up: ${previous.events} + ${c.segmentEvents} ≠ ${c.events}`);
    } else if (c.seq === 1 && (c.previousSignature !== null || c.events !== c.segmentEvents)) {
      return at(c, 'the first checkpoint names a predecessor');
    }
    previous = c;
  }
  return null;
};

/** The earlier of two breaks by checkpoint number. */
export const earlierCheckpointBreak = (a: CheckpointBreak | null, b: CheckpointBreak | null): CheckpointBreak | null =>
  a === null ? b : b === null || a.seq <= b.seq ? a : b;

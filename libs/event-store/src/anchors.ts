import { addDays, instantAtLocal, localDayOf } from '@mandate/kernel';

/**
 * Daily anchors: per city and calendar day in Vietnam (UTC+7), the Merkle root (`merkle.ts`) of every
 * event of the city recorded that day, ordered by global position. Each anchor names the root of the
 * city's anchor before it, so the anchors form a chain of their own. An edit changes an event's hash,
 * and a deleted event or stream drops leaves, so either changes the day's root; the stream chains
 * alone cannot see a stream deleted whole.
 */
export type AuditAnchor = {
  cityId: string;
  /** YYYY-MM-DD, Vietnam time */
  day: string;
  root: string;
  events: number;
  firstPosition: bigint;
  lastPosition: bigint;
  /** The root of the city's previous anchor (the last anchored day before this one); null for the first. */
  previousAnchorRoot: string | null;
  createdAt: Date;
};

/** What the log holds for a day now, recomputed. */
export type DayDigest = { root: string; events: number; firstPosition: bigint | null; lastPosition: bigint | null };

/**
 * The first anchor that does not match the log. `expected` is what the anchor recorded and `found`
 * what the log gives now: the day's root, or, for a broken anchor chain, the previous anchor's root.
 * An anchor missing for a day with events (before the last anchored day) has `expected: null`.
 */
export type AnchorBreak = {
  day: string;
  expected: string | null;
  found: string;
  reason: string;
  anchoredEvents: number | null;
  foundEvents: number;
};

export type AnchorCheck = { checked: number; firstBroken: AnchorBreak | null };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (not 2026-02-30, not 2026-13-01, not in the year 0, which PostgreSQL's dates lack). */
export const isAuditDay = (text: string): boolean =>
  DAY.test(text) && text >= '0001-01-01' && !Number.isNaN(dayStart(text).getTime()) && localDayOf(dayStart(text)) === text;

/** The instant a Vietnam day begins. */
export const dayStart = (day: string): Date => instantAtLocal(day, 0);

/** The instant the next day begins (exclusive end). */
export const dayEnd = (day: string): Date => instantAtLocal(addDays(day, 1), 0);

export { localDayOf as auditDayOf };

/** Why an anchor does not match its day in the log (or its predecessor), or null when it does. */
export const anchorBreakOf = (
  anchor: Pick<AuditAnchor, 'day' | 'root' | 'events' | 'firstPosition' | 'lastPosition' | 'previousAnchorRoot'>,
  found: DayDigest,
  previousRoot: string | null,
): AnchorBreak | null => {
  const base = { day: anchor.day, anchoredEvents: anchor.events, foundEvents: found.events };
  if (found.root !== anchor.root) {
    return { ...base, expected: anchor.root, found: found.root, reason: `root mismatch: ${anchor.events} events anchored, ${found.events} found` };
  }
  if (found.firstPosition !== anchor.firstPosition || found.lastPosition !== anchor.lastPosition || found.events !== anchor.events) {
    return {
      ...base,
      expected: anchor.root,
      found: found.root,
      reason: `positions mismatch: anchored ${anchor.firstPosition}..${anchor.lastPosition}, found ${found.firstPosition}..${found.lastPosition}`,
    };
  }
  if (anchor.previousAnchorRoot !== previousRoot) {
    return {
      ...base,
      expected: anchor.previousAnchorRoot,
      found: previousRoot ?? '',
      reason: 'anchor chain broken: the previous anchor is not the one this anchor names',
    };
  }
  return null;
};

/** A day with events, up to the last anchored day, that has no anchor: inserted afterwards, or its anchor deleted. */
export const unanchoredDayBreak = (day: string, found: DayDigest): AnchorBreak => ({
  day,
  expected: null,
  found: found.root,
  reason: `${found.events} events on a day that has no anchor`,
  anchoredEvents: null,
  foundEvents: found.events,
});

/** The earlier of two breaks by day (a chain break on the same day counts as the same place). */
export const earlierBreak = (a: AnchorBreak | null, b: AnchorBreak | null): AnchorBreak | null => (a === null ? b : b === null || a.day <= b.day ? a : b);

/** An anchor as JSON shows it (exports, HTTP, CLI). */
export type AnchorView = {
  day: string;
  root: string;
  events: number;
  firstPosition: number;
  lastPosition: number;
  previousAnchorRoot: string | null;
  createdAt: string;
};

export const anchorView = (anchor: AuditAnchor): AnchorView => ({
  day: anchor.day,
  root: anchor.root,
  events: anchor.events,
  firstPosition: Number(anchor.firstPosition),
  lastPosition: Number(anchor.lastPosition),
  previousAnchorRoot: anchor.previousAnchorRoot,
  createdAt: anchor.createdAt.toISOString(),
});

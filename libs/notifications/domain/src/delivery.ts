import { addDays, instantAtLocal, localDayOf, localMinuteOf, minuteOfClockTime } from '@mandate/kernel';
import type { NotificationSettings, Preferences, RuleId } from './settings';

/** What becomes of one notice's e-mail to one recipient. */
export type Delivery =
  | { kind: 'skip' }
  /** Its own e-mail, sent at `at` (now, or when quiet hours end). */
  | { kind: 'send'; at: Date }
  /** Kept back and sent with the recipient's other kept notices as one bundle at `until`. */
  | { kind: 'hold'; until: Date; because: 'digest-only' | 'rate-limit' };

const HOUR_MS = 60 * 60 * 1000;

/** The first instant at or after `at` outside the quiet hours (which may span midnight). */
export const outsideQuietHours = (at: Date, quiet: Preferences['quietHours']): Date => {
  if (!quiet) return at;
  const from = minuteOfClockTime(quiet.from)!;
  const to = minuteOfClockTime(quiet.to)!;
  const minute = localMinuteOf(at);
  const inside = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!inside) return at;
  const day = localDayOf(at);
  // Past midnight inside a span that crossed it, the quiet hours end today; before midnight, tomorrow.
  return instantAtLocal(from < to || minute < to ? day : addDays(day, 1), to);
};

/** The next daily digest time at or after `now`. */
export const nextDigestTime = (now: Date, settings: NotificationSettings): Date => {
  const time = minuteOfClockTime(settings.digest.time)!;
  const today = instantAtLocal(localDayOf(now), time);
  return today >= now ? today : instantAtLocal(addDays(localDayOf(now), 1), time);
};

/**
 * How a notice reaches a person by e-mail, from their preferences, the city's rate limit and the
 * e-mails they were sent in the last hour (`recentSends`, the times their own e-mails went or will go).
 */
export const deliveryOf = (input: {
  rule: RuleId;
  now: Date;
  preferences: Preferences;
  settings: NotificationSettings;
  recentSends: readonly Date[];
}): Delivery => {
  const { rule, now, preferences, settings } = input;
  if (!preferences.email) return { kind: 'skip' };
  const isDigest = rule === 'weekly-digest';
  if (preferences.digestOnly && !isDigest) {
    return { kind: 'hold', until: outsideQuietHours(nextDigestTime(now, settings), preferences.quietHours), because: 'digest-only' };
  }
  const limit = settings.rateLimitPerHour;
  const inWindow = input.recentSends.filter((sent) => sent.getTime() > now.getTime() - HOUR_MS).sort((a, b) => a.getTime() - b.getTime());
  if (!isDigest && limit > 0 && inWindow.length >= limit) {
    // A slot opens an hour after the send that made the window full.
    const opens = new Date(inWindow[inWindow.length - limit].getTime() + HOUR_MS);
    return { kind: 'hold', until: outsideQuietHours(opens, preferences.quietHours), because: 'rate-limit' };
  }
  return { kind: 'send', at: outsideQuietHours(now, preferences.quietHours) };
};

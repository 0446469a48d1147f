import { minuteOfClockTime } from '@mandate/kernel';
import { z } from 'zod';

/** What a city can be told about: one rule per cause (domain.md's lifecycle, reports, digests). */
export const RULES = [
  'task-assigned',
  'task-due-soon',
  'task-overdue',
  'task-overdue-again',
  'extension-requested',
  'extension-decided',
  'completion-submitted',
  'completion-confirmed',
  'completion-returned',
  'task-declined',
  'report-requested',
  'report-late',
  'weekly-digest',
] as const;
export type RuleId = (typeof RULES)[number];

const clockTime = z.string().refine((text) => minuteOfClockTime(text) !== undefined, 'a clock time HH:MM');
const agencyId = z.string().regex(/^[a-z0-9-]{1,80}$/);

/** A city's notification rules, as `seeds/cities.json` may set them under `notifications`. */
export const notificationSettingsSchema = z
  .object({
    /** Rules switched off (or back on) for the city; every rule is on unless set false. */
    rules: z.partialRecord(z.enum(RULES), z.boolean()).default({}),
    /** While a task stays overdue, its lead agency is told again every so many days (0: never again). */
    overdueRepeatDays: z.int().min(0).max(365).default(7),
    /** When the weekly digest goes out (ISO weekday, 1 = Monday) and when digest-only people get their daily bundle. */
    digest: z.object({ weekday: z.int().min(1).max(7).default(1), time: clockTime.default('07:30') }).prefault({}),
    /** E-mails one recipient receives per hour at most; the rest wait and go as one bundle (0: no limit). */
    rateLimitPerHour: z.int().min(0).max(10_000).default(20),
    /** Who acts for the city: the office (Văn phòng UBND) and the planning department (Sở KH&ĐT). */
    agencies: z.object({ office: agencyId.default('van-phong-ubnd'), planning: agencyId.default('so-ke-hoach-dau-tu') }).prefault({}),
  })
  .strict();
export type NotificationSettings = z.output<typeof notificationSettingsSchema>;

/** A city's settings with defaults for everything it leaves out; throws on a malformed entry. */
export const notificationSettingsOf = (city: { notifications?: unknown } | undefined): NotificationSettings =>
  notificationSettingsSchema.parse(city?.notifications ?? {});

export const ruleEnabled = (settings: NotificationSettings, rule: RuleId): boolean => settings.rules[rule] !== false;

const quietHoursSchema = z.object({ from: clockTime, to: clockTime }).refine((q) => q.from !== q.to, 'quiet hours must not be empty');

/** A person's own choices, set by themselves. The agency's inbox records every notice regardless. */
export const preferencesSchema = z
  .object({
    /** E-mail on or off. */
    email: z.boolean(),
    /** Notices by e-mail only as one daily bundle (the weekly digest is a digest already). */
    digestOnly: z.boolean(),
    /** No e-mail between these local times (may span midnight); what falls inside waits for `to`. */
    quietHours: quietHoursSchema.nullable(),
  })
  .strict();
export type Preferences = z.output<typeof preferencesSchema>;
export const DEFAULT_PREFERENCES: Preferences = { email: true, digestOnly: false, quietHours: null };

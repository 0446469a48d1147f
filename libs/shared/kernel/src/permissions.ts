import type { Role } from './message';

/** Who reads a city's plans, tasks and reports: everyone of the city but its integrators' systems. */
const CITY_READERS = ['office', 'planning', 'agency', 'leader', 'auditor', 'unit'] as const satisfies readonly Role[];

/**
 * The permission matrix: what each role of domain.md may do, the one place it is written. Routes
 * declare the permission they need (`@Requires`); deciders then check what depends on the case (the
 * lead agency of this task, the agency of this report).
 */
export const PERMISSIONS = {
  /** Plans, tasks, their history and as-of views. */
  'plans.read': CITY_READERS,
  /** Import a plan document (the planning department only as a dry run; the decider says so). */
  'plans.import': ['office', 'planning', 'unit'],
  /** Act on a task: lifecycle moves, progress, extensions, reassignment, owner's edits, links. */
  'tasks.act': ['office', 'planning', 'agency', 'unit'],
  /** Verify the log's hash chains and daily anchors; anchor closed days; export the signed audit trail. */
  'audit.verify': ['office', 'auditor'],
  /** Search the log and read a plan's whole history: who did what, when, why, in which request. */
  'audit.read': ['office', 'auditor'],
  /** The city's published events, in log order. */
  'events.read': ['office', 'auditor', 'integrator'],
  /** Issue, rotate and revoke the API keys of the city's integrators. */
  'apikeys.manage': ['office'],
  /** Subscribe systems to the city's events. */
  'webhooks.manage': ['office', 'integrator'],
  /** Consolidated reports, summaries, dashboards, agency reports. */
  'reporting.read': CITY_READERS,
  /** Ask agencies for their period reports. */
  'reporting.request': ['office', 'planning'],
  /** Draft and send the agency's own report. */
  'reports.file': ['agency'],
  /** Accept or return an agency's report. */
  'reports.review': ['office', 'planning'],
  /** The reporting calendar (no city data). */
  'periods.read': ['office', 'planning', 'agency', 'leader', 'auditor', 'integrator', 'unit'],
  /** An agency's work queue. */
  'queue.read': CITY_READERS,
  /** The notices of an agency (one's own for an agency officer) and their live stream. */
  'notifications.read': ['office', 'planning', 'agency', 'leader', 'unit'],
  /** Mark one's agency's notices read. */
  'notifications.mark': ['agency'],
  /** One's own notification preferences. */
  'preferences.own': ['office', 'planning', 'agency', 'leader', 'auditor', 'integrator', 'unit'],
  /** Counts of every city, no content. */
  'platform.overview': ['operator'],
  /** Keep the city's directory of agencies: add, rename, alias, move, deactivate, merge, import a file. */
  'directory.manage': ['office'],
  /** Create a city, change its settings, suspend and resume it (the operator log). */
  'cities.manage': ['operator'],
  /** The cities' settings: every city for the operator, one's own for anyone else. */
  'cities.read': ['office', 'planning', 'agency', 'leader', 'auditor', 'integrator', 'operator', 'unit'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export const allows = (role: Role, permission: Permission): boolean => (PERMISSIONS[permission] as readonly Role[]).includes(role);

/**
 * Reads limited to one agency's own: an agency officer's, and a unit office's (its unit is an agency
 * of the province: its notices, queue, reports and counts are the unit's).
 */
export const isAgencyActor = (actor: { role: Role | string }): boolean => actor.role === 'agency' || actor.role === 'unit';

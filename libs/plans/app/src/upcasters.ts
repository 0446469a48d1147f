import type { Upcaster } from '@mandate/event-store';
import { RENAMED_STATUSES } from '@mandate/plans-domain';

const renamed = (status: unknown): unknown => (typeof status === 'string' ? (RENAMED_STATUSES[status] ?? status) : status);

/**
 * TaskStatusChanged v1 spoke the first status vocabulary; v2 speaks the lifecycle's
 * (`pending_confirmation` is `submitted`, `suspended` is `paused`). Stored events stay as written
 * (their hashes cover that form); reading brings them to v2.
 */
export const taskStatusChangedV1ToV2: Upcaster = {
  type: 'TaskStatusChanged',
  fromVersion: 1,
  toVersion: 2,
  upcast: (data) => ({ ...data, from: renamed(data.from), to: renamed(data.to) }),
};

/** Every upcaster of the plans service's log, for its event store. */
export const PLANS_UPCASTERS: readonly Upcaster[] = [taskStatusChangedV1ToV2];

/** The schema version each event type is written with today; types not listed are at 1. */
export const CURRENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = { TaskStatusChanged: 2 };

import type { StoredEventView } from '@mandate/plans-app';

/** One event of a stream's history as the API shows it: a task's, a city's (operator log), a directory's. */
export const historyItem = (e: StoredEventView) => ({
  position: Number(e.globalPosition),
  version: Number(e.streamVersion),
  type: e.type,
  schemaVersion: e.schemaVersion,
  /** The city whose log holds it: for a task of a city merged into this one, its earlier events are the old city's. */
  cityId: e.metadata.cityId,
  eventId: e.id,
  occurredAt: e.metadata.occurredAt,
  recordedAt: e.recordedAt.toISOString(),
  actor: { userId: e.metadata.actorId, role: e.metadata.role, agencyId: e.metadata.agencyId },
  correlationId: e.metadata.correlationId,
  data: e.data,
  hash: e.hash,
});

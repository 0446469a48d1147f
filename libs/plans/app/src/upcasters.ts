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

/**
 * v2 of PlanIssued, PlanAmended and TaskIssued lets a plan tracked before signing have no number
 * (`number`/`issuedOn`, a task's `planNumber`: null). A v1 event always stated them, so it reads as
 * v2 unchanged; a field a hand-written v1 payload lacks reads as null rather than undefined.
 */
const nullable = (type: string, fields: readonly string[]): Upcaster => ({
  type,
  fromVersion: 1,
  toVersion: 2,
  upcast: (data) => ({ ...data, ...Object.fromEntries(fields.map((f) => [f, data[f] ?? null])) }),
});
export const planIssuedV1ToV2 = nullable('PlanIssued', ['number', 'issuedOn']);
export const planAmendedV1ToV2 = nullable('PlanAmended', ['number']);
export const taskIssuedV1ToV2 = nullable('TaskIssued', ['planNumber']);
/** v2 of TaskAssigned says why when it is not the office's own choice (a hand-over after a merger); v1 read as null. */
export const taskAssignedV1ToV2 = nullable('TaskAssigned', ['reason']);

/**
 * v3 of TaskAssigned states the merger a hand-over carries out (`succession`). In v2 only a
 * hand-over gave a reason, so a v2 event with one reads as a succession from its previous lead
 * (the day the merger took effect was written only in the reason's words: null).
 */
export const taskAssignedV2ToV3: Upcaster = {
  type: 'TaskAssigned',
  fromVersion: 2,
  toVersion: 3,
  upcast: (data) => {
    const previous = data.previousLeadAgencyId as string | null;
    // A hand-over that kept the lead (only a coordinator had merged) names no predecessor it can know.
    const predecessorIds = previous != null && previous !== (data.lead as { agencyId?: string | null } | undefined)?.agencyId ? [previous] : [];
    return { ...data, succession: data.reason == null ? null : { predecessorIds, effectiveOn: null } };
  },
};

/** v3 of PlanIssued names the unit of the province whose own plan it is; every earlier plan is the province's. */
export const planIssuedV2ToV3: Upcaster = { type: 'PlanIssued', fromVersion: 2, toVersion: 3, upcast: (data) => ({ ...data, unitId: null }) };

/** Every upcaster of the plans service's log, for its event store. */
export const PLANS_UPCASTERS: readonly Upcaster[] = [
  taskStatusChangedV1ToV2,
  planIssuedV1ToV2,
  planAmendedV1ToV2,
  taskIssuedV1ToV2,
  taskAssignedV1ToV2,
  taskAssignedV2ToV3,
  planIssuedV2ToV3,
];

/** The schema version each event type is written with today; types not listed are at 1. */
export const CURRENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  TaskStatusChanged: 2,
  PlanIssued: 3,
  PlanAmended: 2,
  TaskIssued: 2,
  TaskAssigned: 3,
};

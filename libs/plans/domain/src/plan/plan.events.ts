import type { AgencyId, Event, PlanId, TaskId } from '@mandate/kernel';
import type { IndicatorDraft, PlanKind } from './plan-draft';
import type { IssuedPlan } from './plan.state';

/**
 * A city issued a plan or directive; its tasks get streams of their own (TaskIssued). Schema v2:
 * `number` and `issuedOn` are null for a copy before signing that the office tracks as it is (v1
 * always had both; see upcasters.ts).
 */
export type PlanIssued = Event<
  'PlanIssued',
  {
    planId: PlanId;
    number: string | null;
    kind: PlanKind;
    title: string;
    issuedOn: string | null;
    effectiveOn: string | null;
    issuer: string;
    signer: string | null;
    fields: string[];
    implements: string[];
    source: { document: string; truncated: boolean; warnings: string[] };
    tasks: { taskId: TaskId; ref: string }[];
    issuedAt: string;
    /**
     * The unit of the province whose own plan it is (UBND of a commune, ward or special zone: its
     * office keeps it), or null for the province's. Schema v3; earlier events read as null.
     */
    unitId: AgencyId | null;
  }
>;

/**
 * A changed version of the document was imported: what it adds, revises and drops, task by task
 * (each task's own stream holds the detail), and the document's metadata as it now reads. Schema v2:
 * `number` is null while the plan has none (PlanNumbered gives it one).
 */
export type PlanAmended = Event<
  'PlanAmended',
  {
    planId: PlanId;
    number: string | null;
    title: string;
    effectiveOn: string | null;
    signer: string | null;
    implements: string[];
    source: { document: string; truncated: boolean; warnings: string[] };
    /** Every task the new version holds, in document order. */
    tasks: { taskId: TaskId; ref: string }[];
    added: { taskId: TaskId; ref: string }[];
    revised: { taskId: TaskId; ref: string }[];
    withdrawn: { taskId: TaskId; ref: string }[];
    amendedAt: string;
  }
>;

/** The plan's indicators as its (current version of the) document sets them: at issue, and when an amendment changes them. */
export type PlanIndicatorsSet = Event<'PlanIndicatorsSet', { planId: PlanId; indicators: IndicatorDraft[]; setAt: string }>;

/**
 * A plan tracked before signing got its number and/or issue date: the signed version was imported as
 * an amendment of it (`?amends=<planId>`). Its number and date as they now read.
 */
export type PlanNumbered = Event<'PlanNumbered', { planId: PlanId; number: string | null; issuedOn: string | null; numberedAt: string }>;

/** One thing the office corrected in the parsed document: `document.number`, `tasks.PL2.I.3.lead`, `tasks.PL2.I.3` (dropped: to null), `add.+1`. */
export type ImportReviewChange = { path: string; from: unknown; to: unknown };

/**
 * The office reviewed the parsed document before importing it and corrected what the importer read
 * wrong (issue 18 item 5): what it changed and who. Follows the PlanIssued or PlanAmended of that import.
 */
export type PlanImportReviewed = Event<
  'PlanImportReviewed',
  { planId: PlanId; document: string; reviewedBy: string; changes: ImportReviewChange[]; reviewedAt: string }
>;

/**
 * The city that held the plan merged into another: the plan goes on in the successor's log, its stream
 * continuing there (this event's metadata names the head it continues from). `plan` is the plan as it
 * stood, so the successor folds it from here without the other city's part of the log.
 */
export type PlanMovedToCity = Event<
  'PlanMovedToCity',
  { planId: PlanId; fromCityId: string; toCityId: string; reason: string; movedAt: string; plan: IssuedPlan }
>;

export type PlanEvent = PlanIssued | PlanAmended | PlanIndicatorsSet | PlanNumbered | PlanImportReviewed | PlanMovedToCity;
export const PLAN_EVENT_TYPES: readonly PlanEvent['type'][] = [
  'PlanIssued',
  'PlanAmended',
  'PlanIndicatorsSet',
  'PlanNumbered',
  'PlanImportReviewed',
  'PlanMovedToCity',
];

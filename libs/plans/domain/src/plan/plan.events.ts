import type { Event, PlanId, TaskId } from '@mandate/kernel';
import type { PlanKind } from './plan-draft';

/** A city issued a plan or directive; its tasks get streams of their own (TaskIssued). */
export type PlanIssued = Event<
  'PlanIssued',
  {
    planId: PlanId;
    number: string;
    kind: PlanKind;
    title: string;
    issuedOn: string;
    effectiveOn: string | null;
    issuer: string;
    signer: string | null;
    fields: string[];
    implements: string[];
    source: { document: string; truncated: boolean; warnings: string[] };
    tasks: { taskId: TaskId; ref: string }[];
    issuedAt: string;
  }
>;

export type PlanEvent = PlanIssued;
export const PLAN_EVENT_TYPES: readonly PlanEvent['type'][] = ['PlanIssued'];

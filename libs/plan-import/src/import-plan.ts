import { deadlineOfView, type Agency, type PlanDraft, type TaskDraft } from '@mandate/plans-domain';
import { parsePlan } from './parse-plan';
import type { ParsedPlan } from './parsed-plan';

export type ImportOptions = {
  /** File name or URL, kept in `source.document`. */
  readonly document: string;
  readonly cityId: string;
  /** The city's agency directory, against which every agency name is resolved. */
  readonly directory: readonly Agency[];
  /** The city's leaders by name, to read supervisor cells against. */
  readonly leaders?: readonly string[];
};

/** A warning as a person reads it in a list: where, then what. */
export const warningText = (warning: ParsedPlan['warnings'][number]): string => (warning.line ? `Line ${warning.line}: ${warning.message}` : warning.message);

/**
 * What the platform issues from a parsed document: the plan and its tasks as drafts. A copy before
 * signing keeps its null number and date (its warnings say so): the office tracks it as it is, and
 * its signed version, imported as its amendment, gives them.
 */
export const toPlanDraft = (parsed: ParsedPlan, document: string): PlanDraft => ({
  number: parsed.document.number,
  kind: parsed.document.planKind,
  title: parsed.document.title ?? '',
  issuedOn: parsed.document.issuedOn,
  effectiveOn: parsed.document.effectiveOn,
  issuer: parsed.document.issuer ?? '',
  signer: parsed.document.signer,
  fields: parsed.document.fields,
  implements: parsed.document.implementsText,
  source: { document, truncated: parsed.document.truncated, warnings: parsed.warnings.map((w) => w.message) },
  tasks: parsed.tasks.map((task): TaskDraft => ({
    ref: task.ref,
    title: task.title,
    group: task.group,
    lead: task.lead,
    coordinators: task.coordinators,
    deliverable: task.deliverable,
    deadline: deadlineOfView(task.deadline),
    supervisor: task.supervisor?.text ?? null,
    note: task.note,
  })),
  indicators: parsed.indicators.map((indicator) => ({
    ref: indicator.ref,
    group: indicator.group,
    name: indicator.name,
    unit: indicator.unit,
    targets: indicator.targets.map((t) => ({ ...t })),
    lead: indicator.lead ? { agencyId: indicator.lead.agencyId, name: indicator.lead.name } : null,
  })),
});

/** Reads a plan or directive from its text into the draft the plans service issues. */
export const importPlan = (text: string, options: ImportOptions): PlanDraft =>
  toPlanDraft(parsePlan(text, { directory: options.directory, leaders: options.leaders, document: options.document }), options.document);

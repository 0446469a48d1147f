import { isCalendarDay, ValidationError } from '@mandate/kernel';
import { parseDeadline, viewOfDeadline, type Agency, type AgencyRef, type DeadlineSpec, type DeadlineView } from '@mandate/plans-domain';
import { z } from 'zod';
import { resolveAgency } from './agency-resolver';
import type { ImportWarning, ParsedPlan, ParsedTask } from './parsed-plan';

/**
 * What the office corrects in a parsed document before importing it (issue 18 item 5): the number,
 * date or title the document lacks or the reader misread, a task's title, lead, coordinators or
 * deadline, a row that is not a task (drop), a task the importer missed (add). Every member optional.
 * `lead` and `coordinators` take an agency id of the city's directory or a name, resolved as the
 * importer resolves names; `deadline` is text as a document writes it ("31/12/2026", "Quý II/2026",
 * "hằng tháng") or a day (2026-12-31), read by the importer's deadline reader.
 */
export type ImportCorrections = {
  readonly document?: { readonly number?: string | null; readonly issuedOn?: string | null; readonly title?: string | null };
  readonly tasks?: Readonly<Record<string, TaskCorrection>>;
  readonly add?: readonly TaskAddition[];
};

export type TaskCorrection = {
  readonly title?: string;
  readonly lead?: string | null;
  readonly coordinators?: readonly string[];
  readonly deadline?: string;
  readonly drop?: boolean;
};

export type TaskAddition = {
  readonly title: string;
  readonly lead?: string | null;
  readonly coordinators?: readonly string[];
  readonly deadline?: string;
  readonly group?: string | null;
};

/** One thing a correction changed: `document.number`, `tasks.PL2.I.3.lead`, `tasks.PL2.I.3` (dropped: to null), `add.+1`. */
export type ImportChange = { readonly path: string; readonly from: unknown; readonly to: unknown };

export type CorrectionErrorCode =
  'import-corrections-malformed' | 'import-corrections-invalid' | 'import-correction-unknown-task' | 'import-correction-deadline-unreadable';

/** Corrections that cannot be applied; the message names the field. */
export class CorrectionError extends ValidationError {
  constructor(
    message: string,
    readonly correctionCode: CorrectionErrorCode,
    details: Record<string, unknown> = {},
  ) {
    super(message, correctionCode, details);
  }
}

const text = (max: number) => z.string().trim().min(1, 'must not be blank').max(max);
const agency = text(300);

const taskCorrection = z.strictObject({
  title: text(2000).optional(),
  lead: agency.nullable().optional(),
  coordinators: z.array(agency).max(50).optional(),
  deadline: z.string().trim().max(300).optional(),
  drop: z.boolean().optional(),
});

/** The shape of ImportCorrections; unknown members are refused, so a misspelt one is not silently ignored. */
export const importCorrectionsSchema = z.strictObject({
  document: z
    .strictObject({
      // As the import's ?number= takes it.
      number: z
        .string()
        .trim()
        .max(60)
        .regex(/^[\p{L}\d][\p{L}\d.-]*\/[\p{L}\d./-]+$/u, 'must be a document number such as 183/KH-UBND')
        .nullable()
        .optional(),
      issuedOn: z.iso.date('must be a date such as 2025-12-31').nullable().optional(),
      title: text(1000).nullable().optional(),
    })
    .optional(),
  tasks: z.record(z.string().min(1).max(100), taskCorrection).optional(),
  add: z
    .array(z.strictObject({ ...taskCorrection.omit({ drop: true }).shape, title: text(2000), group: text(500).nullable().optional() }))
    .max(500)
    .optional(),
});

/** Corrections as JSON text (a multipart part, a file): 400-like `malformed` when not JSON, `invalid` when not the shape. */
export const parseCorrectionsJson = (json: string): ImportCorrections => {
  let value: unknown;
  try {
    value = json.trim() === '' ? {} : JSON.parse(json);
  } catch (error) {
    throw new CorrectionError(`The corrections are not JSON: ${(error as Error).message}`, 'import-corrections-malformed');
  }
  return checkCorrections(value);
};

/** Checks a value against the ImportCorrections shape. */
const checkCorrections = (value: unknown): ImportCorrections => {
  const result = importCorrectionsSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  const message = result.error.issues.map((i) => `${i.path.join('.') || 'corrections'}: ${i.message}`).join('; ');
  throw new CorrectionError(`The corrections do not hold: ${message}`, 'import-corrections-invalid', {
    fields: result.error.issues.map((i) => i.path.join('.')),
  });
};

export type CorrectionOptions = {
  /** The city's agency directory: a lead or coordinator is one of its ids, or a name resolved against it. */
  readonly directory: readonly Agency[];
};

/** An agency id of the directory, or a name resolved as the importer resolves names. */
const agencyOf = (value: string, directory: readonly Agency[]): AgencyRef => {
  const byId = directory.find((a) => a.id === value);
  return byId ? { agencyId: byId.id, name: byId.name, text: byId.name, resolution: 'resolved' } : resolveAgency(value, directory);
};

/** A deadline as the office writes it, read as the importer reads a deadline cell; a bare day (2026-12-31) as that date. */
const deadlineOf = (written: string, issuedOn: string | null, path: string): DeadlineView => {
  const spec: DeadlineSpec = isCalendarDay(written)
    ? { text: written, kind: 'date', due: written, start: null, recurrence: null }
    : parseDeadline(written, { issuedOn: issuedOn ?? '' });
  if (spec.kind === 'unspecified' && spec.text !== '') {
    throw new CorrectionError(
      `${path}: the deadline "${written}" cannot be read (write it as a document would: 31/12/2026, Quý II/2026, hằng tháng)`,
      'import-correction-deadline-unreadable',
      { path },
    );
  }
  return viewOfDeadline(spec);
};

/** How a change shows an agency: its id and name, which is what a reader of the history needs. */
const shownAgency = (ref: AgencyRef | null) => (ref ? { agencyId: ref.agencyId, name: ref.name } : null);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const unresolvedWarnings = (task: ParsedTask): ImportWarning[] =>
  [task.lead, ...task.coordinators]
    .filter((a): a is AgencyRef => a?.resolution === 'unresolved')
    .map((a) => ({
      code: 'agency-unresolved' as const,
      message: `${task.ref}: "${a.text}" is not in the city's agency directory; add it or an alias, then re-import.`,
      ...(task.source.line > 0 ? { line: task.source.line } : {}),
    }));

/**
 * The parsed document with the office's corrections applied, and what they changed. Pure: the same
 * parsed plan and corrections give the same result. The warnings a correction answers go (a number
 * given: number-missing and ocr-number-unreadable; a task's agencies corrected: its agency-unresolved,
 * which is warned again for a name still not in the directory; a dropped task: all of its own).
 */
export const applyCorrections = (
  parsed: ParsedPlan,
  corrections: ImportCorrections,
  { directory }: CorrectionOptions,
): { parsed: ParsedPlan; changes: ImportChange[] } => {
  const changes: ImportChange[] = [];
  const settled = new Set<string>(); // warning codes the document corrections answer
  const doc = corrections.document ?? {};
  let document = parsed.document;
  const number = doc.number?.trim() || null;
  const issuedOn = doc.issuedOn?.trim() || null;
  const title = doc.title?.trim() || null;
  if (number) {
    if (number !== document.number) changes.push({ path: 'document.number', from: document.number, to: number });
    document = { ...document, number };
    settled.add('number-missing').add('ocr-number-unreadable');
  }
  if (issuedOn) {
    if (issuedOn !== document.issuedOn) changes.push({ path: 'document.issuedOn', from: document.issuedOn, to: issuedOn });
    document = { ...document, issuedOn };
    settled.add('date-missing').add('ocr-date-unreadable');
  }
  if (title) {
    if (title !== document.title) changes.push({ path: 'document.title', from: document.title, to: title });
    document = { ...document, title };
    settled.add('no-title');
  }

  const byRef = corrections.tasks ?? {};
  const known = new Set(parsed.tasks.map((t) => t.ref));
  const unknown = Object.keys(byRef).filter((ref) => !known.has(ref));
  if (unknown.length > 0) {
    throw new CorrectionError(`tasks.${unknown[0]}: the parsed plan has no task ${unknown.join(', ')}`, 'import-correction-unknown-task', { refs: unknown });
  }

  // Warnings about one task start with its ref ("PL2.I.3: …"): those a correction answers go with it.
  const dropWarnings = new Map<string, Set<string> | 'all'>();
  const extraWarnings: ImportWarning[] = [];
  const tasks: ParsedTask[] = [];
  for (const task of parsed.tasks) {
    const fix = byRef[task.ref];
    if (!fix) {
      tasks.push(task);
      continue;
    }
    const path = `tasks.${task.ref}`;
    if (fix.drop) {
      changes.push({ path, from: { title: task.title }, to: null });
      dropWarnings.set(task.ref, 'all');
      continue;
    }
    let next: ParsedTask = task;
    const answered = new Set<string>();
    if (fix.title !== undefined && fix.title !== task.title) {
      changes.push({ path: `${path}.title`, from: task.title, to: fix.title });
      next = { ...next, title: fix.title };
    }
    if (fix.lead !== undefined) {
      const lead = fix.lead === null ? null : agencyOf(fix.lead, directory);
      if (!same(shownAgency(lead), shownAgency(task.lead))) changes.push({ path: `${path}.lead`, from: shownAgency(task.lead), to: shownAgency(lead) });
      next = { ...next, lead };
      answered.add('agency-unresolved').add('lead-missing');
    }
    if (fix.coordinators !== undefined) {
      const coordinators = fix.coordinators.map((c) => agencyOf(c, directory));
      if (!same(coordinators.map(shownAgency), task.coordinators.map(shownAgency))) {
        changes.push({ path: `${path}.coordinators`, from: task.coordinators.map(shownAgency), to: coordinators.map(shownAgency) });
      }
      next = { ...next, coordinators };
      answered.add('agency-unresolved');
    }
    if (fix.deadline !== undefined) {
      const deadline = deadlineOf(fix.deadline, document.issuedOn, `${path}.deadline`);
      if (!same(deadline, task.deadline)) changes.push({ path: `${path}.deadline`, from: task.deadline.text, to: deadline.text });
      next = { ...next, deadline };
      answered.add('deadline-unknown').add('deadline-empty');
    }
    if (answered.has('agency-unresolved')) extraWarnings.push(...unresolvedWarnings(next));
    if (answered.size > 0) dropWarnings.set(task.ref, answered);
    tasks.push(next);
  }

  // A plan corrected before (a dry run's preview, then its confirmation) already holds +1…: number on.
  const added = Math.max(
    0,
    ...parsed.tasks
      .map((t) => /^\+(\d+)$/.exec(t.ref)?.[1])
      .filter((n) => n !== undefined)
      .map(Number),
  );
  (corrections.add ?? []).forEach((addition, i) => {
    const ref = `+${added + i + 1}`;
    const task: ParsedTask = {
      ref,
      group: addition.group ?? null,
      title: addition.title,
      lead: addition.lead ? agencyOf(addition.lead, directory) : null,
      coordinators: (addition.coordinators ?? []).map((c) => agencyOf(c, directory)),
      deliverable: null,
      supervisor: null,
      note: null,
      deadline: deadlineOf(addition.deadline ?? '', document.issuedOn, `add.${i}.deadline`),
      parent: null,
      source: { line: 0 },
    };
    changes.push({
      path: `add.${ref}`,
      from: null,
      to: {
        title: task.title,
        group: task.group,
        lead: shownAgency(task.lead),
        coordinators: task.coordinators.map(shownAgency),
        deadline: task.deadline.text,
      },
    });
    extraWarnings.push(...unresolvedWarnings(task));
    tasks.push(task);
  });

  const refOf = (warning: ImportWarning): string | undefined => [...dropWarnings.keys()].find((ref) => warning.message.startsWith(`${ref}: `));
  const warnings = parsed.warnings.filter((warning) => {
    if (settled.has(warning.code)) return false;
    const ref = refOf(warning);
    if (ref === undefined) return true;
    const gone = dropWarnings.get(ref)!;
    return gone !== 'all' && !gone.has(warning.code);
  });
  if (changes.length === 0 && warnings.length === parsed.warnings.length && extraWarnings.length === 0) return { parsed, changes };
  return { parsed: { ...parsed, document, tasks, warnings: [...warnings, ...extraWarnings] }, changes };
};

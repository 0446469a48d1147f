// The import review's data: the ParsedPlan the server answers, what the office types over it, and the
// ImportCorrections (and the list of changes) those edits make. Pure, beside the page that uses it.

/** What POST /api/v1/imports?dryRun=true answers (ParsedPlan of @mandate/plan-import). */
export type AgencyRef = { agencyId: string | null; name: string; text?: string; resolution?: 'resolved' | 'group' | 'unresolved' };
export type Deadline = { text: string; kind: string; due?: string; start?: string; every?: string; form?: string };
/** Where a task was read: its line, and for a paged document its page and the box of its lines (fractions of the page). */
export type Source = { line: number; page?: number; excerpt?: string; region?: { x: number; y: number; width: number; height: number } };
export type ParsedTask = {
  ref: string;
  group: string | null;
  title: string;
  lead: AgencyRef | null;
  coordinators?: AgencyRef[];
  deliverable?: string | null;
  supervisor?: { text: string; name: string | null } | null;
  note?: string | null;
  deadline?: Deadline;
  parent?: string | null;
  source?: Source;
};
export type ParsedIndicator = {
  ref: string;
  group: string | null;
  name: string;
  unit: string | null;
  targets?: { horizon: number | null; text: string }[];
  lead: AgencyRef | null;
  source?: { line: number };
};
export type Warning = { code: string; message: string; line?: number; page?: number };
export type ParsedPlan = {
  document?: {
    kind?: string;
    planKind?: string;
    number?: string | null;
    issuedOn?: string | null;
    issuer?: string | null;
    signer?: string | null;
    title?: string | null;
    implementsText?: string[];
    truncated?: boolean;
  };
  tasks?: ParsedTask[];
  indicators?: ParsedIndicator[];
  warnings?: Warning[];
};
/** What the office corrects before confirming (ImportCorrections of @mandate/plan-import); every member optional. */
export type TaskCorrection = { title?: string; lead?: string | null; coordinators?: string[]; deadline?: string; drop?: boolean };
export type TaskAddition = { title: string; lead?: string | null; coordinators?: string[]; deadline?: string; group?: string | null };
export type ImportCorrections = {
  document?: { number?: string | null; issuedOn?: string | null; title?: string | null };
  tasks?: Record<string, TaskCorrection>;
  add?: TaskAddition[];
};
/** One thing corrected, as the import's events record it (`document.number`, `tasks.PL2.I.3.lead`, `add.+1`). */
export type Change = { path: string; from: string; to: string | null };

// What the office types, kept beside what was read.

export type DocumentField = 'number' | 'issuedOn' | 'title';
export type DocumentDraft = Record<DocumentField, string>;
/** The warnings a document field answers: correcting the field settles them (the server drops them too). */
export const FIELD_WARNINGS: Record<DocumentField, readonly string[]> = {
  number: ['number-missing', 'ocr-number-unreadable'],
  issuedOn: ['date-missing', 'ocr-date-unreadable'],
  title: ['no-title'],
};
/** A task as the office edits it: text fields, coordinators as one line separated by ";". */
export type TaskDraft = { title: string; lead: string; coordinators: string; deadline: string; drop: boolean; group: string };

export const documentDraftOf = (parsed: ParsedPlan): DocumentDraft => ({
  number: parsed.document?.number ?? '',
  issuedOn: parsed.document?.issuedOn ?? '',
  title: parsed.document?.title ?? '',
});
export const draftOf = (task: ParsedTask): TaskDraft => ({
  title: task.title,
  lead: task.lead?.name ?? '',
  coordinators: (task.coordinators ?? []).map((c) => c.name).join('; '),
  deadline: task.deadline?.text ?? '',
  drop: false,
  group: task.group ?? '',
});
export const EMPTY_DRAFT: TaskDraft = { title: '', lead: '', coordinators: '', deadline: '', drop: false, group: '' };
export const namesOf = (line: string) =>
  line
    .split(';')
    .map((name) => name.trim())
    .filter(Boolean);

/** The corrections the drafts make, and each change as the import records it. */
export const correctionsOf = (
  parsed: ParsedPlan,
  doc: DocumentDraft,
  drafts: Record<string, TaskDraft>,
  added: TaskDraft[],
  agencyIds: ReadonlyMap<string, string>,
): { corrections: ImportCorrections; changes: Change[] } => {
  const changes: Change[] = [];
  const corrections: ImportCorrections = {};
  // A directory name typed or picked is sent as its agency id; anything else as the name, resolved by the importer.
  const agency = (name: string) => agencyIds.get(name) ?? name;
  const read = documentDraftOf(parsed);
  for (const field of ['number', 'issuedOn', 'title'] as const) {
    const to = doc[field].trim();
    if (to === read[field]) continue;
    corrections.document = { ...corrections.document, [field]: to || null };
    changes.push({ path: `document.${field}`, from: read[field], to: to || null });
  }
  for (const task of parsed.tasks ?? []) {
    const draft = drafts[task.ref];
    if (!draft) continue;
    const was = draftOf(task);
    const path = `tasks.${task.ref}`;
    if (draft.drop) {
      corrections.tasks = { ...corrections.tasks, [task.ref]: { drop: true } };
      changes.push({ path, from: task.title, to: null });
      continue;
    }
    const fix: TaskCorrection = {};
    const title = draft.title.trim();
    if (title && title !== was.title) {
      fix.title = title;
      changes.push({ path: `${path}.title`, from: was.title, to: title });
    }
    const lead = draft.lead.trim();
    if (lead !== was.lead) {
      fix.lead = lead ? agency(lead) : null;
      changes.push({ path: `${path}.lead`, from: was.lead, to: lead || null });
    }
    const coordinators = namesOf(draft.coordinators);
    if (coordinators.join('; ') !== namesOf(was.coordinators).join('; ')) {
      fix.coordinators = coordinators.map(agency);
      changes.push({ path: `${path}.coordinators`, from: was.coordinators, to: coordinators.join('; ') });
    }
    const deadline = draft.deadline.trim();
    if (deadline !== was.deadline.trim()) {
      fix.deadline = deadline;
      changes.push({ path: `${path}.deadline`, from: was.deadline, to: deadline });
    }
    if (Object.keys(fix).length > 0) corrections.tasks = { ...corrections.tasks, [task.ref]: fix };
  }
  // A blank added row is not sent: the server numbers the ones it gets (+1, +2, …), so the changes do too.
  for (const draft of added) {
    const title = draft.title.trim();
    if (!title) continue;
    const lead = draft.lead.trim();
    const coordinators = namesOf(draft.coordinators);
    const deadline = draft.deadline.trim();
    corrections.add = [
      ...(corrections.add ?? []),
      {
        title,
        ...(lead ? { lead: agency(lead) } : {}),
        ...(coordinators.length ? { coordinators: coordinators.map(agency) } : {}),
        ...(deadline ? { deadline } : {}),
        ...(draft.group ? { group: draft.group } : {}),
      },
    ];
    changes.push({ path: `add.+${corrections.add.length}`, from: '', to: title });
  }
  return { corrections, changes };
};

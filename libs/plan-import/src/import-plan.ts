import type { Agency, PlanDraft, TaskDraft } from '@mandate/plans-domain';
import { ImportError } from './import-error';
import { emptyRoot, readOutline, topSections } from './layouts/outline';
import { outlineTasks, type ReadContext } from './layouts/outline-tasks';
import { tableTasks } from './layouts/table-tasks';
import { appendixRegions, readTaskTable } from './layouts/task-table';
import { readMetadata } from './metadata';
import { fold, toLines } from './text';

export type ImportOptions = {
  /** File name or URL, kept in `source.document`. */
  readonly document: string;
  readonly cityId: string;
  /** The city's agency directory, against which every agency name is resolved. */
  readonly directory: readonly Agency[];
};

export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** Where the source says its text was cut off. */
const TRUNCATION = /^\s*\[(?:\.\.\.|…)\]\s*$/u;

const TASK_SECTION = /nhiem vu|phan cong/;
const NOT_TASK_SECTION = /muc dich|muc tieu|yeu cau|chi tieu/;

/** Gives duplicate refs a suffix so that refs stay unique and stable (same input, same refs). */
const uniqueRefs = (tasks: readonly TaskDraft[], warn: (message: string) => void): TaskDraft[] => {
  const seen = new Map<string, number>();
  return tasks.map((task) => {
    const count = (seen.get(task.ref) ?? 0) + 1;
    seen.set(task.ref, count);
    if (count === 1) return task;
    warn(`Task number ${task.ref} appears ${count} times in the document; this one is imported as ${task.ref}-${count}.`);
    return { ...task, ref: `${task.ref}-${count}` };
  });
};

/**
 * Reads a plan (Kế hoạch) or directive (Chỉ thị) from its text: metadata, and tasks from appendix tables
 * and from the body sections that assign work. What it cannot read cleanly is listed in `source.warnings`.
 */
export const importPlan = (text: string, options: ImportOptions): PlanDraft => {
  const document = options.document;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ImportError(`"${document}" is empty: there is nothing to import. Check that the file holds the plan's text (UTF-8).`, 'plan-import.empty', document);
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_DOCUMENT_BYTES) {
    throw new ImportError(
      `"${document}" is ${(bytes / 1024 / 1024).toFixed(1)} MB; the importer reads documents up to 5 MB. Import the plan's text without attachments or scans.`,
      'plan-import.too-large',
      document,
    );
  }

  const warnings: string[] = [];
  const warn = (message: string): void => {
    if (!warnings.includes(message)) warnings.push(message);
  };

  const allLines = toLines(text);
  const cut = allLines.findIndex((line) => TRUNCATION.test(line));
  const truncated = cut !== -1;
  const lines = truncated ? allLines.slice(0, cut) : allLines;
  if (truncated) {
    warn(`The source text is cut off at line ${cut + 1} ("[...]"): tasks after the cut are unknown, not absent. Import the full text to complete the plan.`);
  }

  const meta = readMetadata(lines);
  if (!meta.number) {
    throw new ImportError(
      `"${document}" does not look like a plan or directive: no document number ("Số: 123/KH-UBND") was found. Check that this is the text of the issued document.`,
      'plan-import.unrecognised',
      document,
    );
  }
  if (!meta.issuedOn) {
    throw new ImportError(
      `"${document}" (${meta.number}) has no readable issue date ("<place>, ngày … tháng … năm …" or "Ngày ban hành dd/mm/yyyy").`,
      'plan-import.unrecognised',
      document,
    );
  }
  if (!meta.title) warn('No title line ("KẾ HOẠCH", "CHỈ THỊ" followed by the title) was found; the title is left empty.');
  if (!meta.issuer) warn('The issuing body could not be read from the header; set it by hand.');

  const context: ReadContext = { directory: options.directory, issuedOn: meta.issuedOn, warn };

  const tableDrafts = appendixRegions(lines)
    .map((region) => readTaskTable(region.appendix, region.lines))
    .filter((table) => table !== null)
    .flatMap((table) => tableTasks(table, context));

  const sections = topSections(lines, meta.preambleEnd).filter((section) => {
    const title = fold(section.title);
    if (tableDrafts.length > 0) return /phan cong/.test(title);
    if (meta.kind === 'directive' && /to chuc thuc hien/.test(title)) return true;
    return TASK_SECTION.test(title) && !NOT_TASK_SECTION.test(title);
  });
  const bodyDrafts = sections.flatMap((section) =>
    outlineTasks(readOutline(emptyRoot(section.number, section.title), lines.slice(section.start + 1, section.end)), context),
  );

  const tasks = uniqueRefs([...bodyDrafts, ...tableDrafts], warn);
  if (tasks.length === 0) warn('No tasks were found: the document has no task table and no section assigning tasks that the importer can read.');

  return {
    number: meta.number,
    kind: meta.kind,
    title: meta.title ?? '',
    issuedOn: meta.issuedOn,
    effectiveOn: meta.effectiveOn,
    issuer: meta.issuer ?? '',
    signer: meta.signer,
    fields: meta.fields,
    implements: meta.implements,
    source: { document, truncated, warnings },
    tasks,
  };
};

import type { Agency } from '@mandate/plans-domain';
import { ImportError } from './import-error';
import { readIndicators } from './layouts/indicators';
import { emptyRoot, readOutline, topSections } from './layouts/outline';
import { outlineTasks, type ReadContext } from './layouts/outline-tasks';
import { tableTasks } from './layouts/table-tasks';
import { addressedTasks } from './layouts/addressed-tasks';
import { appendixRegions, readTaskTable } from './layouts/task-table';
import { resolveSupervisors } from './leaders';
import { readMetadata } from './metadata';
import type { ImportWarning, ParsedPlan, ParsedTask, WarningCode } from './parsed-plan';
import { withSources, type LineSource } from './source';
import { collapse, fold, toLines } from './text';

export type ParseOptions = {
  /** The city's agency directory, against which every agency name is resolved (empty: nothing resolves). */
  readonly directory?: readonly Agency[];
  /** The city's leaders by name, to read supervisor cells against. */
  readonly leaders?: readonly string[];
  /** Shown in error messages: a file name or URL. */
  readonly document?: string;
  /** Where each line of the input came from in a paged document (document-reader's renderWithSources), for the items' page and region. */
  readonly lineSources?: readonly (LineSource | null | undefined)[];
};

export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** Where the source says its text was cut off. */
const TRUNCATION = /^\s*\[(?:\.\.\.|…)\]\s*$/u;

/** Text a website prints around the document it serves. */
const BOILERPLATE = [/^đang tải nội dung\b/iu, /^hệ thống pháp luật$/iu, /^(?:tải về|tải văn bản|in văn bản|bản in)$/iu];

const TASK_SECTION = /nhiem vu|phan cong/;
const NOT_TASK_SECTION = /muc dich|muc tieu|yeu cau|chi tieu/;

/** Gives duplicate refs a suffix so that refs stay unique and stable (same input, same refs). */
const uniqueRefs = (tasks: readonly ParsedTask[], warn: ReadContext['warn']): ParsedTask[] => {
  const seen = new Map<string, number>();
  return tasks.map((task) => {
    const count = (seen.get(task.ref) ?? 0) + 1;
    seen.set(task.ref, count);
    if (count === 1) return task;
    warn(
      'duplicate-ref',
      `Task number ${task.ref} appears ${count} times in the document; this one is imported as ${task.ref}-${count}.`,
      task.source.line - 1,
    );
    return { ...task, ref: `${task.ref}-${count}` };
  });
};

/** A page printed twice by the source: the same task, word for word, a second time. */
const withoutReprints = (tasks: readonly ParsedTask[], warn: ReadContext['warn']): ParsedTask[] => {
  const seen = new Set<string>();
  return tasks.filter((task) => {
    const key = `${task.group}\u0000${task.title}\u0000${task.lead?.text ?? ''}\u0000${task.deadline.text}`;
    if (!seen.has(key)) return seen.add(key);
    warn('duplicate-page', `"${task.title.slice(0, 60)}" is printed twice (a repeated page?); it is read once.`, task.source.line - 1);
    return false;
  });
};

/** What a refusal of a file that is not text tells the sender to send instead (libs/document-reader reads these). */
const READ_FORMATS = 'Word (.docx, .doc), PDF, a scan (PNG, JPEG, TIFF), a web page (.html) or UTF-8 text';

/**
 * A document's bytes as text, for the CLI and the HTTP upload alike: refused when it holds NUL bytes
 * (a binary file: a scan, a .docx) or is not UTF-8 (say, saved in a Windows code page).
 */
export const decodeDocument = (bytes: Uint8Array, document: string): string => {
  if (bytes.includes(0)) {
    throw new ImportError(
      `"${document}" is binary, not text, and not a format the importer reads: send the plan as ${READ_FORMATS}.`,
      'plan-import.binary',
      document,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError(
      `"${document}" is not UTF-8 text: save it as UTF-8 (e.g. "iconv -f cp1258 -t utf-8") and try again.`,
      'plan-import.not-utf8',
      document,
    );
  }
};

const rejectUnreadable = (text: unknown, document: string): string => {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ImportError(
      `"${document}" is empty: there is nothing to import. Check that the file holds the plan's text (UTF-8).`,
      'plan-import.empty',
      document,
    );
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_DOCUMENT_BYTES) {
    throw new ImportError(
      `"${document}" is ${(bytes / 1024 / 1024).toFixed(1)} MB; the importer reads documents up to 5 MB. Import the plan's text without attachments or scans.`,
      'plan-import.too-large',
      document,
    );
  }
  // NUL bytes and U+FFFD (what a decoder makes of bytes that are not UTF-8) mean this is not a text file.
  const sample = text.slice(0, 64 * 1024);
  const odd = (sample.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g) ?? []).length;
  if (sample.includes('\u0000') || odd > sample.length / 100) {
    throw new ImportError(
      `"${document}" is not text (binary or not UTF-8), and not a format the importer reads: send the plan as ${READ_FORMATS}.`,
      'plan-import.binary',
      document,
    );
  }
  return text;
};

/**
 * Reads a plan (Kế hoạch), directive (Chỉ thị) or a document like them: metadata, indicators, and
 * tasks from appendix tables and from the body sections that assign work. Pure: text in, ParsedPlan
 * out. What it cannot read cleanly is a warning, never a guess.
 */
export const parsePlan = (input: string, options: ParseOptions = {}): ParsedPlan => {
  const document = options.document ?? 'the document';
  const text = rejectUnreadable(input, document);
  const directory = options.directory ?? [];

  const warnings: ImportWarning[] = [];
  const said = new Set<string>();
  const warn: ReadContext['warn'] = (code: WarningCode, message: string, at?: number) => {
    const line = at === undefined || at < 0 ? undefined : at + 1;
    const key = `${line ?? ''}\u0000${message}`;
    if (said.has(key)) return;
    said.add(key);
    warnings.push({ code, message, ...(line ? { line } : {}) });
  };

  // Line indices stay those of the input: dropped lines are blanked, never removed.
  const allLines = toLines(text);
  let dropped = 0;
  for (let i = 0; i < allLines.length; i++) {
    if (BOILERPLATE.some((pattern) => pattern.test(allLines[i].trim()))) {
      allLines[i] = '';
      dropped++;
    }
  }
  if (dropped > 0) warn('boilerplate-dropped', `${dropped} line(s) of website text around the document were left out.`);
  const cut = allLines.findIndex((line) => TRUNCATION.test(line));
  const truncated = cut !== -1;
  const lines = truncated ? allLines.slice(0, cut) : allLines;
  if (truncated) {
    warn(
      'truncated',
      `The source text is cut off at line ${cut + 1} ("[...]"): what follows the cut is unknown, not absent. Import the full text to complete the plan.`,
      cut,
    );
  }

  const meta = readMetadata(lines);
  // What a real document lacks (a pre-signature copy, an article quoting a plan) is a warning; the office fills it in.
  if (!meta.number) {
    warn(
      'number-missing',
      meta.numberBlank
        ? `The number is left blank ("${collapse(lines[meta.numberAt].replace(/\|/g, ''))}", a copy before signing): give it at import (?number=, mandate import --number).`
        : 'No document number ("Số: 123/KH-UBND") was found: give it at import (?number=, mandate import --number).',
      meta.numberAt,
    );
  }
  if (!meta.issuedOn) {
    warn(
      'date-missing',
      meta.blankDate
        ? `The issue date is left blank ("${meta.blankDate}"): give it at import (?issuedOn=, mandate import --issued-on).`
        : 'No issue date ("<place>, ngày … tháng … năm …" or "Ngày ban hành dd/mm/yyyy") was found: give it at import (?issuedOn=, mandate import --issued-on).',
    );
  }
  if (!meta.title) warn('no-title', 'No title line ("KẾ HOẠCH", "CHỈ THỊ" followed by the title) was found; the title is left empty.');
  if (!meta.issuer) warn('issuer-missing', 'The issuing body could not be read from the header; set it by hand.');
  if (!meta.signer) warn('signer-missing', 'No signer (the name under "CHỦ TỊCH") was found: an unsigned copy, or a signature block the importer cannot read.');

  // No reader uses the issue date today; a blank one must not stop the tasks from being read.
  const context: ReadContext = { directory, issuedOn: meta.issuedOn ?? '', warn };

  const regions = appendixRegions(lines);
  const appendixTables = regions.map((region) => readTaskTable(region.appendix, region.lines, region.start)).filter((table) => table !== null);
  // Without a task table in an appendix, a table in the body itself (before any appendix).
  const bodyEnd = regions[0]?.start ?? lines.length;
  const bodyTable = appendixTables.length === 0 ? readTaskTable('', lines.slice(meta.preambleEnd, bodyEnd), meta.preambleEnd) : null;
  const tableTaskList = [...appendixTables, ...(bodyTable ? [bodyTable] : [])].flatMap((table) => tableTasks(table, context));

  const sections = topSections(lines, meta.preambleEnd).filter((section) => {
    const title = fold(section.title);
    if (tableTaskList.length > 0) return /phan cong/.test(title);
    if (meta.kind === 'directive' && /to chuc thuc hien/.test(title)) return true;
    return TASK_SECTION.test(title) && !NOT_TASK_SECTION.test(title);
  });
  const bodyTasks = sections.flatMap((section) =>
    outlineTasks(readOutline(emptyRoot(section.number, section.title, section.start), lines.slice(section.start + 1, section.end), section.start + 1), context),
  );

  // Nothing in a task section or table: duties addressed to agencies by numbered headings (directives, công văn, Tổ chức thực hiện).
  // So too when the task sections name no agency at all (themes, "Nhiệm vụ, giải pháp"): the work is assigned by agency in "Tổ chức thực hiện".
  // (Most of them, with no deadline either: a city's directory may resolve a name a theme mentions in passing,
  // and work with its own deadlines is assigned work even where the agency is not read. A catch-all such as
  // "1.1. Các sở, ban, ngành, địa phương" over themes names no agency in particular either.)
  const unassigned =
    tableTaskList.length === 0 &&
    (bodyTasks.length === 0 ||
      bodyTasks.filter((task) => (task.lead === null || task.lead.resolution !== 'resolved') && task.deadline.form === 'unspecified').length * 2 >
        bodyTasks.length);
  const duties = unassigned ? addressedTasks(lines, meta.preambleEnd, context) : [];
  // A few addressed lines (one "Sở Tài chính bố trí kinh phí") do not replace a whole section of themes.
  const addressed = duties.length * 2 >= bodyTasks.length ? duties : [];
  const body = addressed.length > 0 ? [] : bodyTasks;
  const read = uniqueRefs(withoutReprints([...body, ...tableTaskList, ...addressed], warn), warn);
  const tasks = resolveSupervisors(read, options.leaders ?? [], warn);
  if (tasks.length === 0 && !meta.number && !meta.issuedOn && !meta.numberBlank && !meta.blankDate && !meta.title) {
    // Neither a header nor a task: a letter, an article, a page of something else. Nothing to import.
    throw new ImportError(
      `"${document}" does not look like a plan or directive: it has no document header (no number such as "Số: 123/KH-UBND", no date line, no "KẾ HOẠCH" or "CHỈ THỊ" title) and no task (no task table, no section assigning tasks). Check that this is the text of the document.`,
      'plan-import.unrecognised',
      document,
    );
  }
  if (tasks.length === 0) warn('no-tasks', 'No tasks were found: the document has no task table and no section assigning tasks that the importer can read.');

  const indicators = readIndicators(lines, regions, meta.preambleEnd, context);

  return {
    document: {
      kind: meta.kindCode,
      planKind: meta.kind,
      number: meta.number,
      issuedOn: meta.issuedOn,
      effectiveOn: meta.effectiveOn,
      issuer: meta.issuer,
      place: meta.place,
      signer: meta.signer,
      title: meta.title,
      fields: meta.fields,
      implements: meta.implementsNumbers,
      implementsText: meta.implements,
      truncated,
    },
    ...withSources(lines, { indicators, tasks }, options.lineSources),
    warnings: [...warnings].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
  };
};

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { DocumentReadError, detectFormat } from '@mandate/document-reader';
import { ImportError, type ParsedPlan, type ParsedTask } from '@mandate/plan-import';
import { parseUpload, readUpload, type UploadText } from '../../plans/src/read-upload';
import { chooseCity, InputError } from './parse';

/**
 * `mandate parse --report <folder>`: how well the importer reads a folder of real documents, and, where a
 * `<file>.truth.json` sits beside a document, how that compares with what a person counted by reading it.
 */

/** A range a careful reader would accept (e.g. whether a) b) sub-items count as tasks of their own). */
export type TruthRange = { readonly min: number; readonly max: number };

export type TruthSample = {
  /** The task's first words as the document writes them. */
  readonly titleStartsWith: string;
  /** The lead agency as written; null when the document names none for this task. */
  readonly lead: string | null;
  readonly coordinators?: readonly string[];
  /** The deadline text as written (or the part of the sentence that says it); null when there is none. */
  readonly deadline: string | null;
};

/** `<document>.truth.json`: written by reading the document, never by running the parser. */
export type Truth = {
  /** null when the number is blank in the file (a pre-signature copy: "Số:      /KH-UBND"). */
  readonly number: string | null;
  /** YYYY-MM-DD; null when the day or month is blank. */
  readonly issuedOn: string | null;
  readonly issuer: string;
  /** "ke-hoach", "chi-thi", "cong-van", "quyet-dinh", "cong-dien", "thong-bao", … */
  readonly genre: string;
  readonly tasks: TruthRange;
  /** How the range was counted. */
  readonly countingNote?: string;
  readonly indicators?: TruthRange;
  /** Up to 5 tasks picked across the document. */
  readonly sample: readonly TruthSample[];
  /** Traps for a reader or a parser. */
  readonly notes?: string;
};

const isRange = (v: unknown): v is TruthRange => {
  const r = v as TruthRange;
  return typeof r === 'object' && r !== null && Number.isInteger(r.min) && Number.isInteger(r.max) && r.min >= 0 && r.min <= r.max;
};
const isNullableString = (v: unknown) => v === null || (typeof v === 'string' && v.trim() !== '');

/** What is wrong with a truth file (empty when it is valid). */
export const truthProblems = (value: unknown): string[] => {
  const problems: string[] = [];
  const t = value as Record<string, unknown>;
  if (typeof t !== 'object' || t === null || Array.isArray(t)) return ['not a JSON object'];
  const known = new Set(['number', 'issuedOn', 'issuer', 'genre', 'tasks', 'countingNote', 'indicators', 'sample', 'notes']);
  for (const key of Object.keys(t)) if (!known.has(key)) problems.push(`unknown field "${key}"`);
  if (!isNullableString(t.number)) problems.push('number: a string, or null when blank in the file');
  if (!(
    t.issuedOn === null ||
    (typeof t.issuedOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(t.issuedOn) && !Number.isNaN(Date.parse(`${t.issuedOn}T00:00:00Z`)))
  )) {
    problems.push('issuedOn: YYYY-MM-DD or null');
  }
  if (typeof t.issuer !== 'string' || t.issuer.trim() === '') problems.push('issuer: a non-empty string');
  if (typeof t.genre !== 'string' || !/^[a-z-]+$/.test(t.genre)) problems.push('genre: a slug such as "ke-hoach"');
  if (!isRange(t.tasks)) problems.push('tasks: { min, max } integers with 0 <= min <= max');
  if (t.indicators !== undefined && !isRange(t.indicators)) problems.push('indicators: { min, max } integers with 0 <= min <= max');
  for (const key of ['countingNote', 'notes'] as const) if (t[key] !== undefined && typeof t[key] !== 'string') problems.push(`${key}: a string`);
  if (!Array.isArray(t.sample) || t.sample.length > 5) problems.push('sample: an array of at most 5 tasks');
  else
    t.sample.forEach((s: Record<string, unknown>, i: number) => {
      if (typeof s !== 'object' || s === null) return problems.push(`sample[${i}]: an object`);
      if (typeof s.titleStartsWith !== 'string' || s.titleStartsWith.trim().length < 3) problems.push(`sample[${i}].titleStartsWith: the task's first words`);
      if (!isNullableString(s.lead)) problems.push(`sample[${i}].lead: a string or null`);
      if (!isNullableString(s.deadline)) problems.push(`sample[${i}].deadline: a string or null`);
      if (s.coordinators !== undefined && !(Array.isArray(s.coordinators) && s.coordinators.every((c) => typeof c === 'string')))
        problems.push(`sample[${i}].coordinators: strings`);
      for (const key of Object.keys(s))
        if (!['titleStartsWith', 'lead', 'coordinators', 'deadline'].includes(key)) problems.push(`sample[${i}]: unknown field "${key}"`);
    });
  if (isRange(t.tasks) && Array.isArray(t.sample) && t.sample.length > t.tasks.max) problems.push('sample: more sampled tasks than tasks.max');
  return problems;
};

export const TRUTH_SUFFIX = '.truth.json';

// --- reading ---------------------------------------------------------------------------------------

export type Readable = UploadText;
export type Unreadable = { readonly format: string; readonly pages: number | null; readonly unreadable: string };

const formatOf = (bytes: Uint8Array, fileName: string): string => {
  try {
    return detectFormat(bytes, fileName);
  } catch {
    return 'unknown';
  }
};

/**
 * A document read exactly as `mandate parse` and POST /api/v1/imports read it (readUpload: the format from
 * the bytes, text decoded as the importer always did, the reader's warnings kept), so the report measures
 * what users get. A file that cannot be read (a format no reader handles, not a document, damaged) is an
 * "unreadable" row with the reason, not a failure of the report.
 */
export const readForReport = async (bytes: Uint8Array, fileName: string): Promise<Readable | Unreadable> => {
  try {
    return await readUpload(bytes, fileName);
  } catch (error) {
    if (error instanceof DocumentReadError || error instanceof ImportError)
      return { format: formatOf(bytes, fileName), pages: null, unreadable: error.message };
    throw error;
  }
};

// --- comparing -------------------------------------------------------------------------------------

/** For comparing what a person wrote with what the parser kept: case, spacing, bold markers and end punctuation aside. */
export const normalise = (text: string | null | undefined): string =>
  (text ?? '')
    .normalize('NFC')
    .replace(/\*+/g, '')
    .toLocaleLowerCase('vi')
    .replace(/[“”"’‘]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/[\s.:;,]+$/, '')
    .trim();

const compact = (text: string | null | undefined) => normalise(text).replace(/\s+/g, '');

export type SampleResult = {
  readonly titleStartsWith: string;
  readonly found: boolean;
  readonly ref: string | null;
  /** null when the task was not found. */
  readonly leadRight: boolean | null;
  readonly deadlineRight: boolean | null;
  readonly expected: { readonly lead: string | null; readonly deadline: string | null };
  readonly got: { readonly lead: string | null; readonly deadline: string | null } | null;
};

const findTask = (tasks: readonly ParsedTask[], prefix: string): ParsedTask | undefined => {
  const p = normalise(prefix);
  return tasks.find((t) => normalise(t.title).startsWith(p)) ?? tasks.find((t) => normalise(t.title).includes(p));
};

/** Lead right: the same name, or the first of the several a cell lists ("Sở Tư pháp; UBND các xã"). */
const leadMatches = (expected: string | null, task: ParsedTask): boolean => {
  if (expected === null) return task.lead === null;
  if (!task.lead) return false;
  const want = normalise(expected);
  return [task.lead.text, task.lead.name].some((got) => {
    const g = normalise(got);
    return g !== '' && (g === want || want.startsWith(g) || g.startsWith(want));
  });
};

/** Deadline right: the parser's text holds the words the reader noted, or lies inside them. */
const deadlineMatches = (expected: string | null, task: ParsedTask): boolean => {
  const got = compact(task.deadline.text);
  if (expected === null) return got === '' || task.deadline.form === 'unspecified';
  const want = compact(expected);
  return got !== '' && (got.includes(want) || want.includes(got));
};

export type TaskVerdict = 'in range' | 'missed' | 'spurious';

export type TruthComparison = {
  readonly tasks: {
    readonly found: number;
    readonly min: number;
    readonly max: number;
    readonly verdict: TaskVerdict;
    readonly missed: number;
    readonly spurious: number;
  };
  readonly indicators: { readonly found: number; readonly min: number; readonly max: number; readonly inRange: boolean } | null;
  readonly number: { readonly expected: string | null; readonly got: string | null; readonly exact: boolean };
  readonly issuedOn: { readonly expected: string | null; readonly got: string | null; readonly exact: boolean };
  readonly samples: readonly SampleResult[];
};

export const compareWithTruth = (parsed: ParsedPlan, truth: Truth): TruthComparison => {
  const found = parsed.tasks.length;
  const { min, max } = truth.tasks;
  const verdict: TaskVerdict = found < min ? 'missed' : found > max ? 'spurious' : 'in range';
  const number = parsed.document.number?.trim() ? parsed.document.number : null;
  const issuedOn = parsed.document.issuedOn?.trim() ? parsed.document.issuedOn : null;
  return {
    tasks: { found, min, max, verdict, missed: Math.max(0, min - found), spurious: Math.max(0, found - max) },
    indicators: truth.indicators
      ? {
          found: parsed.indicators.length,
          ...truth.indicators,
          inRange: parsed.indicators.length >= truth.indicators.min && parsed.indicators.length <= truth.indicators.max,
        }
      : null,
    number: { expected: truth.number, got: number, exact: compact(truth.number) === compact(number) },
    issuedOn: { expected: truth.issuedOn, got: issuedOn, exact: truth.issuedOn === issuedOn },
    samples: truth.sample.map((s) => {
      const task = findTask(parsed.tasks, s.titleStartsWith);
      return {
        titleStartsWith: s.titleStartsWith,
        found: !!task,
        ref: task?.ref ?? null,
        leadRight: task ? leadMatches(s.lead, task) : null,
        deadlineRight: task ? deadlineMatches(s.deadline, task) : null,
        expected: { lead: s.lead, deadline: s.deadline },
        got: task ? { lead: task.lead?.text ?? null, deadline: task.deadline.text || null } : null,
      };
    }),
  };
};

// --- the report ------------------------------------------------------------------------------------

export type DocumentReport = {
  /** Relative to the folder. */
  readonly file: string;
  readonly format: string;
  readonly pages: number | null;
  readonly status: 'parsed' | 'unreadable' | 'refused';
  /** Why the document was not read or was refused. */
  readonly reason: string | null;
  readonly cityId: string | null;
  readonly tasks: number | null;
  readonly indicators: number | null;
  /** Distinct agency names (leads and coordinators) no directory entry resolves. */
  readonly unresolvedAgencies: number | null;
  readonly deadlineKinds: Readonly<Record<string, number>>;
  /** Warnings by code: the reader's (page-ocr, ocr-number-unreadable, …) and the parser's, as the import shows them. */
  readonly warnings: Readonly<Record<string, number>>;
  readonly ms: number;
  readonly truth: TruthComparison | null;
  /** Tasks within the truth's range, number and date exact, every sampled task found with its lead and deadline. Null without a truth file. */
  readonly withinTruth: boolean | null;
};

export type ReportTotals = {
  readonly documents: number;
  readonly parsed: number;
  readonly unreadable: number;
  readonly refused: number;
  readonly unreadableByFormat: Readonly<Record<string, number>>;
  readonly tasks: number;
  readonly withTruth: number;
  readonly tasksInRange: number;
  readonly tasksMissed: number;
  readonly tasksSpurious: number;
  readonly missed: number;
  readonly spurious: number;
  readonly numberExact: number;
  readonly issuedOnExact: number;
  readonly samples: number;
  readonly samplesFound: number;
  readonly leadRight: number;
  readonly deadlineRight: number;
  readonly withinTruth: number;
  readonly ms: number;
};

export type ParseReport = { readonly folder: string; readonly documents: readonly DocumentReport[]; readonly totals: ReportTotals };

const countBy = <T>(items: readonly T[], key: (item: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
};

/** Every document under the folder, truth files, READMEs and hidden files aside, in a stable order. */
export const listDocuments = (folder: string): string[] => {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && !entry.name.endsWith(TRUTH_SUFFIX) && !/^readme(\.md|\.txt)?$/i.test(entry.name)) out.push(full);
    }
  };
  walk(folder);
  return out;
};

const readTruth = (file: string): Truth | null => {
  const truthFile = `${file}${TRUTH_SUFFIX}`;
  if (!fs.existsSync(truthFile)) return null;
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(truthFile, 'utf8'));
  } catch (error) {
    throw new InputError(`${truthFile} is not JSON: ${(error as Error).message}`);
  }
  const problems = truthProblems(value);
  if (problems.length) throw new InputError(`${truthFile}: ${problems.join('; ')}`);
  return value as Truth;
};

export const reportDocument = async (file: string, folder: string, options: { city?: string }): Promise<DocumentReport> => {
  const started = process.hrtime.bigint();
  const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
  const truth = readTruth(file);
  const rel = path.relative(folder, file) || path.basename(file);
  const base = {
    file: rel,
    cityId: null,
    tasks: null,
    indicators: null,
    unresolvedAgencies: null,
    deadlineKinds: {},
    warnings: {},
    truth: null,
    withinTruth: truth ? false : null,
  };
  const read = await readForReport(fs.readFileSync(file), path.basename(file));
  if ('unreadable' in read) return { ...base, format: read.format, pages: read.pages, status: 'unreadable', reason: read.unreadable, ms: elapsed() };
  let parsed: ParsedPlan;
  let cityId: string | null;
  try {
    const city = chooseCity(read.text, options.city);
    cityId = city.cityId;
    parsed = parseUpload(read, { directory: city.directory, leaders: city.leaders, document: rel });
  } catch (error) {
    if (error instanceof ImportError || error instanceof InputError) {
      // What the reader noted (OCR'd pages, an unreadable handwritten number) still shows on a refused row.
      return {
        ...base,
        format: read.format,
        pages: read.pages,
        status: 'refused',
        reason: error.message,
        warnings: countBy(read.warnings, (w) => w.code),
        ms: elapsed(),
      };
    }
    throw error;
  }
  const agencies = parsed.tasks.flatMap((t) => [t.lead, ...t.coordinators]).filter((a) => a && a.resolution === 'unresolved');
  const comparison = truth ? compareWithTruth(parsed, truth) : null;
  return {
    ...base,
    format: read.format,
    pages: read.pages,
    status: 'parsed',
    reason: null,
    cityId,
    tasks: parsed.tasks.length,
    indicators: parsed.indicators.length,
    unresolvedAgencies: new Set(agencies.map((a) => normalise(a?.text))).size,
    deadlineKinds: countBy(parsed.tasks, (t) => t.deadline.form),
    warnings: countBy(parsed.warnings, (w) => w.code),
    ms: elapsed(),
    truth: comparison,
    withinTruth: comparison
      ? comparison.tasks.verdict === 'in range' &&
        comparison.number.exact &&
        comparison.issuedOn.exact &&
        comparison.samples.every((s) => s.found && s.leadRight && s.deadlineRight)
      : null,
  };
};

export const totalsOf = (documents: readonly DocumentReport[]): ReportTotals => {
  const compared = documents.map((d) => d.truth).filter((t): t is TruthComparison => t !== null);
  const samples = compared.flatMap((c) => c.samples);
  return {
    documents: documents.length,
    parsed: documents.filter((d) => d.status === 'parsed').length,
    unreadable: documents.filter((d) => d.status === 'unreadable').length,
    refused: documents.filter((d) => d.status === 'refused').length,
    unreadableByFormat: countBy(
      documents.filter((d) => d.status === 'unreadable'),
      (d) => d.format,
    ),
    tasks: documents.reduce((n, d) => n + (d.tasks ?? 0), 0),
    withTruth: documents.filter((d) => d.withinTruth !== null).length,
    tasksInRange: compared.filter((c) => c.tasks.verdict === 'in range').length,
    tasksMissed: compared.filter((c) => c.tasks.verdict === 'missed').length,
    tasksSpurious: compared.filter((c) => c.tasks.verdict === 'spurious').length,
    missed: compared.reduce((n, c) => n + c.tasks.missed, 0),
    spurious: compared.reduce((n, c) => n + c.tasks.spurious, 0),
    numberExact: compared.filter((c) => c.number.exact).length,
    issuedOnExact: compared.filter((c) => c.issuedOn.exact).length,
    samples: documents.filter((d) => d.withinTruth !== null).reduce((n, d) => n + (d.truth?.samples.length ?? 0), 0),
    samplesFound: samples.filter((s) => s.found).length,
    leadRight: samples.filter((s) => s.leadRight).length,
    deadlineRight: samples.filter((s) => s.deadlineRight).length,
    withinTruth: documents.filter((d) => d.withinTruth === true).length,
    ms: documents.reduce((n, d) => n + d.ms, 0),
  };
};

export const buildReport = async (folder: string, options: { city?: string; progress?: boolean }): Promise<ParseReport> => {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch {
    throw new InputError(`cannot read "${folder}": no such folder`);
  }
  if (!stat.isDirectory()) throw new InputError(`"${folder}" is not a folder: --report reads every document in a folder`);
  const files = listDocuments(folder);
  const bar = new SingleBar(
    {
      format: 'parsing [{bar}] {value}/{total} documents | {rate} docs/s | {file}',
      hideCursor: true,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 1000,
    },
    Presets.shades_classic,
  );
  const showBar = options.progress ?? process.stderr.isTTY === true;
  const started = Date.now();
  if (showBar) bar.start(files.length, 0, { rate: '0.0', file: '' });
  const documents: DocumentReport[] = [];
  try {
    for (const file of files) {
      if (showBar) bar.update(documents.length, { file: path.basename(file) });
      documents.push(await reportDocument(file, folder, options));
      if (showBar) bar.update(documents.length, { rate: (documents.length / Math.max((Date.now() - started) / 1000, 0.001)).toFixed(1) });
    }
  } finally {
    if (showBar) bar.stop();
  }
  return { folder, documents, totals: totalsOf(documents) };
};

// --- printing --------------------------------------------------------------------------------------

const pad = (text: string, width: number) => {
  const chars = [...text.normalize('NFC')];
  return chars.length <= width ? text + ' '.repeat(width - chars.length) : `${chars.slice(0, width - 1).join('')}…`;
};
const counts = (record: Readonly<Record<string, number>>) =>
  Object.entries(record)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '—';
const tick = (ok: boolean) => (ok ? 'yes' : 'no');

export const renderReport = (report: ParseReport): string => {
  const out: string[] = [];
  const header = `${pad('document', 60)} ${pad('format', 6)} ${pad('pages', 5)} ${pad('tasks', 5)} ${pad('truth', 7)} ${pad('verdict', 12)} ${pad('no.', 3)} ${pad('date', 4)} ${pad('samples f/l/d', 13)} ${pad('unres.', 6)} ${pad('ms', 6)}`;
  out.push(header, '-'.repeat(header.length));
  for (const d of report.documents) {
    const t = d.truth;
    const range = t ? `${t.tasks.min}–${t.tasks.max}` : '';
    const verdict = !t
      ? ''
      : t.tasks.verdict === 'in range'
        ? 'in range'
        : t.tasks.verdict === 'missed'
          ? `missed ${t.tasks.missed}`
          : `spurious ${t.tasks.spurious}`;
    const samples = t
      ? `${t.samples.filter((s) => s.found).length}/${t.samples.filter((s) => s.leadRight).length}/${t.samples.filter((s) => s.deadlineRight).length} of ${t.samples.length}`
      : '';
    if (d.status !== 'parsed') {
      const truthRange = d.withinTruth !== null ? ` (truth ${readTruthRange(report.folder, d.file)})` : '';
      out.push(`${pad(d.file, 60)} ${pad(d.format, 6)} ${pad(d.pages === null ? '' : String(d.pages), 5)} ${d.status}: ${d.reason}${truthRange}`);
      if (Object.keys(d.warnings).length) out.push(`${' '.repeat(4)}warnings: ${counts(d.warnings)}`);
      continue;
    }
    out.push(
      `${pad(d.file, 60)} ${pad(d.format, 6)} ${pad(d.pages === null ? '' : String(d.pages), 5)} ${pad(String(d.tasks), 5)} ${pad(range, 7)} ${pad(verdict, 12)} ${pad(t ? tick(t.number.exact) : '', 3)} ${pad(t ? tick(t.issuedOn.exact) : '', 4)} ${pad(samples, 13)} ${pad(String(d.unresolvedAgencies), 6)} ${pad(String(d.ms), 6)}`,
    );
    out.push(`${' '.repeat(4)}deadlines: ${counts(d.deadlineKinds)} · warnings: ${counts(d.warnings)}`);
  }
  const s = report.totals;
  out.push('');
  out.push(
    `${s.documents} documents: ${s.parsed} parsed, ${s.unreadable} unreadable${s.unreadable ? ` (${counts(s.unreadableByFormat)})` : ''}, ${s.refused} refused · ${s.tasks} tasks · ${(s.ms / 1000).toFixed(1)} s`,
  );
  if (s.withTruth) {
    const compared = s.tasksInRange + s.tasksMissed + s.tasksSpurious;
    out.push(
      `truth files: ${s.withTruth} (${compared} compared) · tasks in range ${s.tasksInRange}, missed ${s.tasksMissed} (−${s.missed} tasks), spurious ${s.tasksSpurious} (+${s.spurious} tasks) · number exact ${s.numberExact}/${compared}, date exact ${s.issuedOnExact}/${compared}`,
    );
    out.push(
      `sampled tasks: ${s.samplesFound}/${s.samples} found, lead right ${s.leadRight}, deadline right ${s.deadlineRight} · within truth: ${s.withinTruth}/${s.withTruth} documents`,
    );
  }
  return `${out.join('\n')}\n`;
};

const readTruthRange = (folder: string, file: string): string => {
  const truth = readTruth(path.join(folder, file));
  return truth ? `${truth.tasks.min}–${truth.tasks.max} tasks` : '';
};

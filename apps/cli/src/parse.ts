import * as fs from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import { DocumentReadError } from '@mandate/document-reader';
import {
  applyCorrections,
  CorrectionError,
  decodeDocument,
  ImportError,
  parseCorrectionsJson,
  parsePlan,
  type ImportCorrections,
  type ParsedPlan,
} from '@mandate/plan-import';
import type { Agency } from '@mandate/plans-domain';
import { parseUpload, readUpload, type UploadText } from '../../plans/src/read-upload';
import { readSeedCities, readDirectory, readLeaders } from '../../plans/src/seed';

/** Bad input to a CLI command: the message says what to fix; the process exits 2. */
export class InputError extends Error {}

/** A file's bytes, or an InputError saying why not (missing, a folder, no permission). */
export const readFileBytes = (file: string): Buffer => {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : String(code ?? error);
    throw new InputError(`cannot read "${file}": ${why}`);
  }
};

/** A document's bytes as UTF-8 text, refusing what is not one (binary, not UTF-8); emptiness is the parser's to say. */
export const decodeText = (bytes: Uint8Array, file: string): string => {
  try {
    return decodeDocument(bytes, file);
  } catch (error) {
    if (error instanceof ImportError) throw new InputError(error.message);
    throw error;
  }
};

/**
 * Any document (Word, PDF, scan, web page, text) as the text the parser reads, through the readers the
 * import API uses (readUpload). Paged formats show a progress bar on stderr (pages done, rate): OCR
 * takes seconds a page. A document that cannot be read is an InputError (exit 2).
 */
export const readAnyDocument = async (file: string): Promise<UploadText> => {
  const bytes = readFileBytes(file);
  const bar = pagesBar('reading');
  try {
    return await readUpload(bytes, file, { onProgress: ({ pagesDone, pages }) => bar.update(pagesDone, pages) });
  } catch (error) {
    if (error instanceof ImportError || error instanceof DocumentReadError) throw new InputError(error.message);
    throw error;
  } finally {
    bar.stop();
  }
};

/**
 * A progress bar of pages read on stderr (pages done, rate, time), shown from the first report: what
 * `mandate parse` shows while a paged document is read, and `mandate import` while its job is.
 */
export const pagesBar = (label: string): { update(pagesDone: number, pages: number): void; stop(): void } => {
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} pages | {rate} pages/min | {duration}s`,
      hideCursor: true,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 2000,
    },
    Presets.shades_classic,
  );
  const started = Date.now();
  let shown = false;
  return {
    update(pagesDone, pages) {
      const rate = ((pagesDone * 60_000) / Math.max(Date.now() - started, 1)).toFixed(1);
      if (!shown) bar.start(pages, pagesDone, { rate });
      else bar.update(pagesDone, { rate });
      shown = true;
    },
    stop() {
      if (shown) bar.stop();
    },
  };
};

/**
 * The city whose directory the document speaks of: the one given, or the one that resolves the most
 * of its agency names (none when no city resolves any).
 */
export const chooseCity = (text: string, cityId: string | undefined): { cityId: string | null; directory: readonly Agency[]; leaders: string[] } => {
  const cities = readSeedCities();
  if (cityId) {
    if (!cities.some((c) => c.id === cityId)) throw new InputError(`unknown city "${cityId}"; one of ${cities.map((c) => c.id).join(', ')}`);
    return { cityId, directory: readDirectory(cityId), leaders: readLeaders(cityId) };
  }
  let best: { cityId: string | null; directory: readonly Agency[]; leaders: string[]; resolved: number } = {
    cityId: null,
    directory: [],
    leaders: [],
    resolved: 0,
  };
  for (const city of cities) {
    const directory = readDirectory(city.id);
    const parsed = parsePlan(text, { directory });
    const resolved = parsed.tasks.flatMap((t) => [t.lead, ...t.coordinators]).filter((a) => a?.resolution === 'resolved').length;
    if (resolved > best.resolved) best = { cityId: city.id, directory, leaders: readLeaders(city.id), resolved };
  }
  return best;
};

/** The office's corrections (ImportCorrections) from a JSON file, checked: what is wrong with them is an InputError naming the file. */
export const readCorrections = (file: string): ImportCorrections => {
  try {
    return parseCorrectionsJson(readFileBytes(file).toString('utf8'));
  } catch (error) {
    if (error instanceof CorrectionError) throw new InputError(`--corrections ${file}: ${error.message}`);
    throw error;
  }
};

/** What the document reads as, with the office's corrections (`corrections`: a JSON file) applied as the import API applies them. */
export const parseFile = async (file: string, options: { city?: string; corrections?: string }): Promise<{ parsed: ParsedPlan; cityId: string | null }> => {
  const corrections = options.corrections === undefined ? null : readCorrections(options.corrections);
  const upload = await readAnyDocument(file);
  try {
    const city = chooseCity(upload.text, options.city);
    const parsed = parseUpload(upload, { directory: city.directory, leaders: city.leaders, document: file });
    return { parsed: corrections ? applyCorrections(parsed, corrections, { directory: city.directory }).parsed : parsed, cityId: city.cityId };
  } catch (error) {
    if (error instanceof ImportError) throw new InputError(error.message);
    if (error instanceof CorrectionError) throw new InputError(`--corrections ${options.corrections}: ${error.message}`);
    throw error;
  }
};

const clip = (text: string | null | undefined, width: number): string => {
  const t = (text ?? '').normalize('NFC');
  const chars = [...t];
  return chars.length <= width ? t + ' '.repeat(width - chars.length) : `${chars.slice(0, width - 1).join('')}…`;
};

/** The summary a person reads: what the document is, how much was read, what to check, then the tasks. */
export const renderSummary = (parsed: ParsedPlan, cityId: string | null): string => {
  const d = parsed.document;
  const out: string[] = [];
  out.push(`${d.number ?? 'no number'} (${d.kind}) · ${d.issuer ?? 'issuer unknown'} · ${d.place ?? ''}${d.place ? ', ' : ''}${d.issuedOn ?? 'no date'}`);
  if (d.title) out.push(d.title);
  if (d.signer) out.push(`Signed by ${d.signer}`);
  if (d.implements.length) out.push(`Implements ${d.implements.join(', ')}`);
  out.push(`City directory: ${cityId ?? 'none matched (agencies unresolved)'}`);
  if (d.truncated) out.push('The source text is cut off: what follows the cut is unknown.');
  const leads = parsed.tasks.filter((t) => t.lead).length;
  const deadlines = parsed.tasks.filter((t) => t.deadline.kind !== 'unknown').length;
  out.push('');
  out.push(
    `${parsed.tasks.length} tasks (${leads} with a lead agency, ${deadlines} with a deadline read) · ${parsed.indicators.length} indicators · ${parsed.warnings.length} warnings`,
  );
  out.push('');
  const header = `${clip('ref', 12)}  ${clip('line', 5)}  ${clip('lead', 28)}  ${clip('deadline', 24)}  title`;
  out.push(header, '-'.repeat(header.length + 40));
  for (const t of parsed.tasks) {
    const deadline = t.deadline.kind === 'due' ? `${t.deadline.due}` : t.deadline.kind === 'recurring' ? `every ${t.deadline.every}` : t.deadline.kind;
    out.push(`${clip(t.ref, 12)}  ${clip(String(t.source.line), 5)}  ${clip(t.lead?.name ?? '—', 28)}  ${clip(deadline, 24)}  ${clip(t.title, 70)}`);
  }
  if (parsed.indicators.length) {
    out.push('', 'Indicators', '-'.repeat(60));
    for (const i of parsed.indicators) {
      out.push(
        `${clip(i.ref, 12)}  ${clip(String(i.source.line), 5)}  ${clip(i.unit ?? '', 10)}  ${clip(i.targets.map((t) => `${t.horizon ?? ''}: ${t.text}`).join('; '), 30)}  ${clip(i.name, 60)}`,
      );
    }
  }
  if (parsed.warnings.length) {
    out.push('', 'Warnings', '-'.repeat(60));
    for (const w of parsed.warnings) out.push(`${w.line ? `line ${w.line}: ` : ''}[${w.code}] ${w.message}`);
  }
  return `${out.join('\n')}\n`;
};

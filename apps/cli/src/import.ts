import * as path from 'node:path';
import { signToken } from '@mandate/http';
import { ConfigError, type Config } from '@mandate/runtime';
import { SingleBar, Presets } from 'cli-progress';
import { detectFormat, DocumentReadError, type DocumentFormat } from '@mandate/document-reader';
import { decodeText, InputError, pagesBar, readCorrections, readFileBytes } from './parse';
import { jwtSecret } from './secret';

export type ImportCommandOptions = {
  city: string;
  url?: string;
  token?: string;
  dryRun?: boolean;
  json?: boolean;
  /** Number and issue date for a document that leaves them blank (?number=, ?issuedOn=). */
  number?: string;
  issuedOn?: string;
  /** The plan this version amends (?amends=): the signed version of a plan imported without its number. */
  amends?: string;
  /** A JSON file of ImportCorrections, sent as the multipart `corrections` part beside the document. */
  corrections?: string;
};

type Problem = { status: number; detail?: string; type?: string };

/** The token to import with: the one given, or (outside production) an office token of the city. */
const tokenFor = async (config: Config, options: ImportCommandOptions): Promise<string> => {
  const given = options.token ?? process.env.MANDATE_TOKEN;
  if (given) return given;
  if (config.NODE_ENV === 'production') throw new ConfigError('Set MANDATE_TOKEN (or --token) to an office token of the city');
  return signToken(jwtSecret(config), { userId: `cli-import@${options.city}`, role: 'office', agencyId: null, cityId: options.city });
};

const CHUNK = 64 * 1024;

/** The content type sent with each format (a hint: the server reads the format from the bytes). */
const CONTENT_TYPES: Record<DocumentFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  pdf: 'application/pdf',
  image: 'application/octet-stream',
  html: 'text/html',
  text: 'text/plain; charset=utf-8',
};

/** The file to upload: text checked and sent as UTF-8 as before the readers; any other document as its bytes. */
const uploadOf = (file: string): { bytes: Buffer; contentType: string } => {
  const raw = readFileBytes(file);
  let format: DocumentFormat = 'text';
  try {
    format = detectFormat(raw, file);
  } catch (error) {
    if (!(error instanceof DocumentReadError)) throw error;
  }
  if (format === 'text') return { bytes: Buffer.from(decodeText(raw, file), 'utf8'), contentType: CONTENT_TYPES.text };
  return { bytes: raw, contentType: CONTENT_TYPES[format] };
};

type Job = { id: string; state: string; pagesDone: number; pages: number | null; result?: Record<string, any>; error?: Problem };

/**
 * A document read by OCR is answered 202 with an import job: poll it (a progress bar of its pages on
 * stderr) until it is done, then answer what the synchronous import would have.
 */
const awaitJob = async (base: string, location: string, token: string, showBar: boolean): Promise<Record<string, any>> => {
  const bar = pagesBar('reading (OCR)');
  try {
    for (;;) {
      const response = await fetch(new URL(location, base), { headers: { authorization: `Bearer ${token}` } });
      const job = (await response.json().catch(() => ({}))) as Job & Problem;
      if (!response.ok) throw new Error(`the import job ${location} answered ${response.status}: ${job.detail ?? response.statusText}`);
      if (showBar && job.pages) bar.update(job.pagesDone, job.pages);
      if (job.state === 'failed') {
        const problem = job.error ?? { status: 500 };
        const message = `import refused (${problem.status}): ${problem.detail ?? 'the reading failed'}`;
        if (problem.status >= 400 && problem.status < 500) throw new InputError(message);
        throw new Error(message);
      }
      if (job.state === 'parsed' || job.state === 'stored') return job.result ?? {};
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    bar.stop();
  }
};

/**
 * Sends a document to a running deployment's import API. Large files show a progress bar of the
 * upload (bytes, rate) on stderr; the summary, or the JSON answer with --json, goes to stdout.
 */
export const importFile = async (file: string, config: Config, options: ImportCommandOptions): Promise<void> => {
  // Checked here first: a typo in the file is told before the upload, as the server would tell it.
  const corrections = options.corrections === undefined ? null : JSON.stringify(readCorrections(options.corrections));
  const { bytes, contentType } = uploadOf(file);
  const base = options.url ?? process.env.MANDATE_URL ?? `http://127.0.0.1:${config.PORT}`;
  const query = new URLSearchParams({
    city: options.city,
    document: file.split(/[\\/]/).at(-1) ?? file,
    ...(options.dryRun ? { dryRun: 'true' } : {}),
    ...(options.number ? { number: options.number } : {}),
    ...(options.issuedOn ? { issuedOn: options.issuedOn } : {}),
    ...(options.amends ? { amends: options.amends } : {}),
  });
  // With corrections the document goes as a form's file part (no upload bar: the form is sent whole).
  const showBar = bytes.length >= 256 * 1024 && !options.json && corrections === null;
  const bar = new SingleBar(
    {
      format: 'uploading [{bar}] {percentage}% | {value}/{total} KB | {speed} KB/s | {duration}s',
      hideCursor: true,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 500,
    },
    Presets.shades_classic,
  );
  const started = Date.now();
  if (showBar) bar.start(Math.ceil(bytes.length / 1024), 0, { speed: '0' });
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes.length) return controller.close();
      const chunk = bytes.subarray(sent, sent + CHUNK);
      sent += chunk.length;
      controller.enqueue(chunk);
      if (showBar) bar.update(Math.ceil(sent / 1024), { speed: (sent / 1024 / Math.max((Date.now() - started) / 1000, 0.001)).toFixed(0) });
    },
  });
  let form: FormData | null = null;
  if (corrections !== null) {
    form = new FormData();
    form.append('file', new Blob([bytes], { type: contentType }), query.get('document') ?? 'upload');
    form.append('corrections', new Blob([corrections], { type: 'application/json' }), path.basename(options.corrections!));
  }
  let response: globalThis.Response;
  try {
    response = await fetch(
      `${base}/api/v1/imports?${query}`,
      (form
        ? { method: 'POST', headers: { authorization: `Bearer ${await tokenFor(config, options)}` }, body: form }
        : {
            method: 'POST',
            headers: { authorization: `Bearer ${await tokenFor(config, options)}`, 'content-type': contentType, 'content-length': String(bytes.length) },
            body: stream,
            duplex: 'half',
          }) as RequestInit,
    );
  } catch (error) {
    if (showBar) bar.stop();
    throw new Error(`cannot reach Mandate at ${base} (${(error as Error).cause ?? (error as Error).message}); start it with "npx mandate start" or pass --url`);
  } finally {
    if (showBar) bar.stop();
  }
  let answer = (await response.json().catch(() => ({}))) as Record<string, any>;
  if (response.status === 202)
    answer = await awaitJob(base, response.headers.get('location') ?? `/api/v1/imports/${answer.id}`, await tokenFor(config, options), !options.json);
  else if (!response.ok) {
    const problem = answer as Problem;
    const message = `import refused (${response.status}): ${problem.detail ?? response.statusText}`;
    if ([400, 403, 404, 413, 415, 422].includes(response.status)) throw new InputError(message);
    throw new Error(message);
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    return;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (options.dryRun) {
    process.stdout.write(
      `${answer.document.number ?? '(no number)'}: ${answer.tasks.length} tasks, ${answer.indicators.length} indicators, ${answer.warnings.length} warnings (dry run, nothing stored, ${seconds}s)\n`,
    );
    return;
  }
  const t = answer.tasks;
  const what =
    answer.outcome === 'created'
      ? `issued with ${t.count} tasks`
      : answer.outcome === 'amended'
        ? `amended: ${t.added} added, ${t.revised} revised, ${t.withdrawn} withdrawn (${t.count} tasks now)`
        : `unchanged (already imported, ${t.count} tasks)`;
  process.stdout.write(`${answer.number ?? '(no number)'} ${what}; ${answer.indicators} indicators, ${answer.warnings.length} warnings, ${seconds}s\n`);
  process.stdout.write(`plan ${base}/api/v1/plans/${answer.planId}\n`);
  // Changes made since the last version (edits, extensions, reassignments) that this version replaced.
  for (const c of answer.conflicts ?? [])
    process.stdout.write(`  task ${c.ref}: the document's ${c.field} replaced one changed since the last version (${JSON.stringify(c.was)})\n`);
  for (const w of answer.warnings.slice(0, 20)) process.stdout.write(`  ${w.line ? `line ${w.line}: ` : ''}${w.message}\n`);
  if (answer.warnings.length > 20) process.stdout.write(`  … ${answer.warnings.length - 20} more (see --json)\n`);
};

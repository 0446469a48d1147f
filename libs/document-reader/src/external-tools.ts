import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { DocumentReadError } from './document';

/**
 * The PDF, OCR and .doc readers run Debian's tools (poppler-utils, tesseract-ocr, antiword) as child
 * processes: a hostile file can make a parser loop or swallow memory, and a child process can be killed
 * where a library call in our own process cannot. Every run has a time limit, an address-space limit
 * and a cap on what it may print.
 */

/** Options of the paged readers (PDF, scans, images) and of .doc. */
export type PagedReadOptions = {
  /** Cancels the read (the import job was cancelled): running tools are killed, the read rejects. */
  signal?: AbortSignal;
  /** Time for the whole read; over it the tools are killed and the read fails with document.timeout. */
  timeoutMs?: number;
  /** Pages read so far (OCR takes seconds a page): for the import job's progress bar. */
  onProgress?: (progress: { pagesDone: number; pages: number }) => void;
  /** Called once, before the first page is OCR'd: the read will take seconds a page (the API answers 202 with an import job). */
  onOcr?: () => void;
  /** A PDF with more pages is refused (document.too-large). */
  maxPages?: number;
  /** OCR pages at once: each tesseract runs on one thread (OMP_THREAD_LIMIT=1). */
  ocrConcurrency?: number;
};

export const DEFAULT_READ_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_MAX_PAGES = 300;
/** Address space of one tool run: poppler on a hostile PDF and tesseract on a 300 dpi page stay well inside. */
const TOOL_MEMORY_KB = 1_536 * 1024;
/**
 * CPU priority of a tool run (nice): reading a scan is background work (the upload already has its 202
 * and a job), so OCR and poppler give way to the requests the same machine serves.
 */
export const TOOL_NICENESS = 10;
const TOOL_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** Debian package of each tool, for the message when one is missing. */
const PACKAGE_OF: Record<string, string> = {
  pdfinfo: 'poppler-utils',
  pdftotext: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  tesseract: 'tesseract-ocr',
  antiword: 'antiword',
};

export type ToolRun = { stdout: Buffer; stderr: string; code: number | null };

/** The time left before a read's deadline, and its signal, handed from the reader to each tool run. */
export type Budget = { deadline: number; signal?: AbortSignal };

export const budgetOf = (options: PagedReadOptions = {}): Budget => ({
  deadline: Date.now() + (options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS),
  signal: options.signal,
});

export const checkBudget = (budget: Budget): void => {
  if (budget.signal?.aborted) throw abortError(budget.signal);
  if (Date.now() >= budget.deadline) throw new DocumentReadError('The document took too long to read', 'document.timeout');
};

const abortError = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : Object.assign(new Error('The read was cancelled'), { name: 'AbortError' });

/**
 * Runs a tool under the budget. It resolves with whatever exit status the tool had (the caller decides
 * what a failure means); it rejects with document.timeout when the budget runs out, with the signal's
 * reason when aborted, and with document.too-large when the tool prints more than the cap.
 */
export const runTool = (command: string, args: string[], budget: Budget, env: Record<string, string> = {}): Promise<ToolRun> =>
  new Promise((resolve, reject) => {
    checkBudget(budget);
    // ulimit -v and nice through the shell: Node cannot set a child's rlimits itself, and setting the
    // priority after the spawn would race the tool's start. "$0" "$@" keep the arguments out of the
    // shell's parsing.
    const child = spawn('/bin/sh', ['-c', `ulimit -v ${TOOL_MEMORY_KB} 2>/dev/null; exec nice -n ${TOOL_NICENESS} "$0" "$@"`, command, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C.UTF-8', ...env },
      // Its own process group, so a kill reaches anything it started.
      detached: true,
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let failure: Error | undefined;
    const kill = (reason: Error) => {
      failure ??= reason;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(
      () => kill(new DocumentReadError('The document took too long to read', 'document.timeout')),
      Math.max(0, budget.deadline - Date.now()),
    );
    const onAbort = () => kill(abortError(budget.signal!));
    budget.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > TOOL_MAX_OUTPUT_BYTES) return kill(new DocumentReadError('The document holds more text than Mandate reads', 'document.too-large'));
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 8192) err += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      failure ??= error;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      budget.signal?.removeEventListener('abort', onAbort);
      if (failure) return reject(failure);
      // 127: the shell could not find the tool.
      if (code === 127) return reject(new Error(`${command} is not installed (Debian package ${PACKAGE_OF[command] ?? command})`));
      resolve({ stdout: Buffer.concat(out), stderr: err, code });
    });
  });

/** A private temporary directory for one read, removed afterwards whatever happened. */
export const withTempDir = async <T>(use: (dir: string) => Promise<T>): Promise<T> => {
  const dir = await mkdtemp(join(tmpdir(), 'mandate-read-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** Runs tasks at most `limit` at a time; the first failure drops what has not started. */
export const mapLimited = async <T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> => {
  const run = pLimit(Math.max(1, limit));
  return Promise.all(
    items.map((item, index) =>
      run(() => task(item, index)).catch((error) => {
        run.clearQueue();
        throw error;
      }),
    ),
  );
};

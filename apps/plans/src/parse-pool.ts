import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Agency } from '@mandate/plans-domain';
import { ImportError, type ImportErrorCode, type ParsedPlan } from '@mandate/plan-import';
import { DocumentReadError, type DocumentFormat } from '@mandate/document-reader';
import { FairQueue } from '@mandate/runtime';

/** How long one document may be read before it is given up (MANDATE_IMPORT_PARSE_TIMEOUT_MS). */
export const DEFAULT_PARSE_TIMEOUT_MS = 15_000;
/** How long a document read by OCR (a scan, a PDF without a usable text layer) may take: seconds a page, up to 300 pages. */
export const DEFAULT_OCR_TIMEOUT_MS = 20 * 60_000;
const WORKER_SCRIPT = path.join(__dirname, 'parse-worker.js');
// A reading that outgrows this heap is stopped like one over time (the 5 MB synthetic plan uses ~100 MB).
const MAX_HEAP_MB = 512;

/** The document took longer (or more memory) to read than the platform gives one import; nothing was read. */
export class ParseTooComplexError extends Error {
  constructor(
    readonly document: string,
    readonly limitMs: number,
    readonly reason: 'time' | 'memory',
  ) {
    super(
      reason === 'time'
        ? `Reading "${document}" took longer than ${limitMs} ms, the limit for one import, and was stopped; nothing was imported. ` +
            "A plan's text is read in a second or two: check that this is the plan's text (not a data export, or a line repeated thousands of times), or import it in parts."
        : `Reading "${document}" needed more memory than one import may use and was stopped; nothing was imported. Check that this is the plan's text, or import it in parts.`,
    );
  }
}

/** Every reader is busy and the queue is full (`city`: full for that city, the others still served). */
export class ParsePoolBusyError extends Error {
  constructor(readonly city: string | null = null) {
    super(
      city
        ? `Your city already has as many documents waiting to be read as one city may; try again in a minute (other cities' imports are not held up by yours).`
        : 'Too many documents are being imported at once; try again in a minute.',
    );
  }
}

export type ReadOptions = {
  /** Whose document it is: cities take turns for the readers, and each may queue only so many. */
  readonly cityId?: string;
  readonly directory: readonly Agency[];
  readonly leaders: readonly string[];
  /** The read needs OCR (seconds a page): from now on its time limit is the OCR one. */
  readonly onOcr?: () => void;
  /** Pages read so far, for paged formats. */
  readonly onProgress?: (progress: { pagesDone: number; pages: number }) => void;
};
/** What a worker read: the plan, and the format its bytes showed (pages for paged formats). */
export type ParseResult = { parsed: ParsedPlan; format: DocumentFormat; pages: number | null };
type Job = { id: number; bytes: Uint8Array; document: string; options: ReadOptions; resolve(result: ParseResult): void; reject(error: Error): void };
type Slot = { worker: Worker; ready: boolean; job: Job | null; timer: NodeJS.Timeout | null; slow: boolean };
type Reply = {
  ready?: true;
  id?: number;
  parsed?: ParsedPlan;
  format?: DocumentFormat;
  pages?: number | null;
  ocr?: true;
  progress?: { pagesDone: number; pages: number };
  error?: { message: string; importCode?: ImportErrorCode; document?: string; readCode?: DocumentReadError['code'] };
};

export type ParsePoolOptions = {
  readonly timeoutMs?: number;
  /** The time limit of a read that turned out to need OCR. */
  readonly ocrTimeoutMs?: number;
  /** Worker threads at most, besides those busy with OCR; each reads one document at a time. */
  readonly size?: number;
  /** Documents waiting for a worker at most; beyond, parse() refuses at once. */
  readonly maxQueued?: number;
  /** Documents of one city waiting at most (a quarter of `maxQueued` unless given): one city's burst cannot fill the queue. */
  readonly maxQueuedPerCity?: number;
  /** The worker's script (tests give one that never answers). */
  readonly script?: string;
};

/**
 * Reads uploaded documents in worker threads, so that a long reading never holds the event loop that
 * answers every city's requests and /health, and stops a reading that runs over its time limit
 * (the worker is terminated; a new one is started for the next document). Workers start on first use.
 */
export class ParsePool {
  readonly timeoutMs: number;
  readonly ocrTimeoutMs: number;
  private readonly size: number;
  private readonly maxQueued: number;
  private readonly maxQueuedPerCity: number;
  private readonly script: string;
  private readonly slots: Slot[] = [];
  /** Documents waiting for a reader, by city: the city served longest ago goes next. */
  private readonly queue = new FairQueue<Job>();
  private nextId = 1;
  private closed = false;

  constructor(options: ParsePoolOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
    this.ocrTimeoutMs = Math.max(this.timeoutMs, options.ocrTimeoutMs ?? DEFAULT_OCR_TIMEOUT_MS);
    this.size = Math.max(1, options.size ?? 2);
    this.maxQueued = options.maxQueued ?? 16;
    this.maxQueuedPerCity = Math.max(1, options.maxQueuedPerCity ?? Math.ceil(this.maxQueued / 4));
    this.script = options.script ?? WORKER_SCRIPT;
  }

  /**
   * Any document (Word, PDF, scan, web page, text) read and parsed in a worker; DocumentReadError when
   * it cannot be read, ImportError as the importer refuses it.
   */
  read(bytes: Uint8Array, document: string, options: ReadOptions): Promise<ParseResult> {
    if (this.closed) return Promise.reject(new Error('the import readers are stopped'));
    if (this.queue.length >= this.maxQueued) return Promise.reject(new ParsePoolBusyError());
    const city = options.cityId;
    if (city !== undefined && this.queue.countOf(city) >= this.maxQueuedPerCity) return Promise.reject(new ParsePoolBusyError(city));
    return new Promise<ParseResult>((resolve, reject) => {
      this.queue.push(city ?? '', { id: this.nextId++, bytes, document, options, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.drain()) job.reject(new Error('the import readers are stopped'));
    await Promise.all([...this.slots].map((slot) => this.retire(slot, new Error('the import readers are stopped'))));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const idle = this.slots.find((slot) => slot.ready && slot.job === null);
      if (!idle) break;
      this.run(idle, this.next());
    }
    const starting = this.slots.filter((slot) => !slot.ready).length;
    // A worker busy with OCR (minutes, mostly waiting for tesseract's processes) does not count: text
    // imports keep `size` workers of their own meanwhile.
    const fast = this.slots.filter((slot) => !slot.slow).length;
    if (this.queue.length > starting && fast < this.size) this.spawn();
  }

  /**
   * The next document: the first of the city that has waited longest for a turn (a city never served
   * first), so a city that queued many documents takes turns with the others instead of before them.
   */
  private next(): Job {
    return this.queue.take()!;
  }

  private run(slot: Slot, job: Job): void {
    slot.job = job;
    // The clock starts when a ready worker has the document: queueing and the worker's start do not count.
    this.arm(slot, job, this.timeoutMs);
    slot.worker.postMessage({
      id: job.id,
      bytes: job.bytes,
      document: job.document,
      directory: job.options.directory,
      leaders: job.options.leaders,
      // The tools are killed a little before the worker would be.
      readTimeoutMs: Math.max(1, this.ocrTimeoutMs - 1000),
    });
  }

  private arm(slot: Slot, job: Job, limitMs: number): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      void this.retire(slot, new ParseTooComplexError(job.document, limitMs, 'time'));
      this.pump();
    }, limitMs);
  }

  private spawn(): void {
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: MAX_HEAP_MB } });
    worker.unref();
    const slot: Slot = { worker, ready: false, job: null, timer: null, slow: false };
    this.slots.push(slot);
    worker.on('message', (reply: Reply) => {
      if (reply.ready) {
        slot.ready = true;
      } else if (slot.job && reply.id === slot.job.id && reply.ocr) {
        // OCR takes seconds a page: the OCR time limit from now on, and a new worker for text meanwhile.
        slot.slow = true;
        this.arm(slot, slot.job, this.ocrTimeoutMs);
        slot.job.options.onOcr?.();
      } else if (slot.job && reply.id === slot.job.id && reply.progress) {
        slot.job.options.onProgress?.(reply.progress);
        return;
      } else if (slot.job && reply.id === slot.job.id) {
        const job = slot.job;
        this.release(slot);
        if (reply.error) {
          const { message, importCode, document, readCode } = reply.error;
          job.reject(
            importCode
              ? new ImportError(message, importCode, document ?? job.document)
              : readCode
                ? new DocumentReadError(message, readCode)
                : new Error(message),
          );
        } else {
          job.resolve({ parsed: reply.parsed!, format: reply.format ?? 'text', pages: reply.pages ?? null });
        }
      }
      this.pump();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const job = slot.job;
      const failure = job && error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ParseTooComplexError(job.document, this.timeoutMs, 'memory') : error;
      if (!slot.ready) {
        // A worker that cannot even start would fail every document the same way: say so to those waiting.
        for (const waiting of this.queue.drain()) waiting.reject(error);
      }
      void this.retire(slot, failure);
      this.pump();
    });
    worker.on('exit', () => {
      void this.retire(slot, new Error('the import reader stopped unexpectedly'));
      this.pump();
    });
  }

  private release(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.slow = false;
  }

  /** Takes the slot out of the pool, fails its document with `error`, and stops its worker. */
  private async retire(slot: Slot, error: Error): Promise<void> {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    this.slots.splice(index, 1);
    const job = slot.job;
    this.release(slot);
    job?.reject(error);
    await slot.worker.terminate();
  }
}

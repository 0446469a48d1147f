import { Controller, Get, Inject, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { detectFormat, DocumentReadError, READ_ERROR_STATUS, renderPageImage } from '@mandate/document-reader';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@mandate/kernel';
import { assertStorableText, Doc, CorrelationId, CurrentActor, HttpProblem, parseInput, problemOf, type RequestActor, Requires } from '@mandate/http';
import {
  applyCorrections,
  CorrectionError,
  ImportError,
  importCorrectionsSchema,
  parseCorrectionsJson,
  toPlanDraft,
  type CorrectionErrorCode,
  type ImportChange,
  type ImportCorrections,
  type ImportErrorCode,
  type ParsedPlan,
} from '@mandate/plan-import';
import { PlansService, type DirectoryService } from '@mandate/plans-app';
import type { Request, Response } from 'express';
import pLimit from 'p-limit';
import { z } from 'zod';
import { ImportJobs } from './import-jobs';
import { ParsePool, ParsePoolBusyError, ParseTooComplexError, type ParseResult } from './parse-pool';
import { DIRECTORY_SERVICE, IMPORT_JOBS, PARSE_POOL, PLANS_SERVICE } from './tokens';

const importQuery = z.object({
  city: z.string({ error: 'city is required (?city=<city id>)' }).regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'city must be a city id such as ha-noi'),
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  document: z.string().max(255).optional(),
  // What a document before signing leaves blank ("Số:      /KH-UBND"): the office gives it at import.
  number: z
    .string()
    .trim()
    .regex(/^[\p{L}\d][\p{L}\d.-]*\/[\p{L}\d./-]+$/u, 'number must be a document number such as 183/KH-UBND')
    .max(60)
    .optional(),
  issuedOn: z.iso.date('issuedOn must be a date such as 2025-12-31').optional(),
  // The plan this version amends, whatever its number says: the signed version of a plan tracked before signing.
  amends: z.uuid('amends must be a plan id').optional(),
});

// As on POST /api/v1/imports: the plan this version amends, whatever its number says.
const confirmQuery = importQuery.pick({ amends: true });

/**
 * The document out of the request: the raw body whatever its content type (text/plain, a Word or PDF
 * type, image/*, application/octet-stream…), or the `file` part of a multipart form, beside which a
 * `corrections` part may carry the office's ImportCorrections (JSON). The content type is a hint only:
 * the format is read from the bytes.
 */
const documentOf = async (req: Request): Promise<{ bytes: Buffer; name: string | null; corrections: string | null }> => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const header = req.header('content-type') ?? '';
  // Lower case for matching only: a multipart boundary is case-sensitive (browsers use mixed case).
  const type = header.toLowerCase();
  let bytes: Buffer;
  let name: string | null = null;
  let corrections: string | null = null;
  if (type.startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      form = await new globalThis.Response(body, { headers: { 'content-type': header } }).formData();
    } catch {
      throw new ValidationError('The multipart body could not be read', 'import-multipart-invalid');
    }
    const file = form.get('file');
    if (!(file instanceof Blob)) throw new ValidationError('The form has no "file" part holding the document', 'import-file-missing');
    bytes = Buffer.from(await file.arrayBuffer());
    name = file instanceof File ? file.name : null;
    // The form's file name is stored with the plan; the body-wide check does not see inside a form.
    assertStorableText(name, 'file name');
    const part = form.get('corrections');
    corrections = part === null ? null : typeof part === 'string' ? part : await part.text();
  } else {
    bytes = body;
  }
  return { bytes, name, corrections };
};

/** Corrections that are not JSON are a bad request; JSON that is not ImportCorrections, or names what the plan does not hold, unprocessable. */
const CORRECTION_STATUS: Record<CorrectionErrorCode, number> = {
  'import-corrections-malformed': 400,
  'import-corrections-invalid': 422,
  'import-correction-unknown-task': 422,
  'import-correction-deadline-unreadable': 422,
};

/** The office's corrections as sent (a form part, a confirmation's body), checked; their text storable (they end up in events). */
const correctionsOf = (json: string): ImportCorrections => {
  try {
    const corrections = parseCorrectionsJson(json);
    assertStorableText(corrections, 'corrections');
    return corrections;
  } catch (error) {
    throw uploadProblem(error);
  }
};

/** What the office gives as ?number= / ?issuedOn= are document corrections; the corrections part's own win. */
const withQueryDocument = (corrections: ImportCorrections, query: { number?: string; issuedOn?: string }): ImportCorrections => {
  if (query.number === undefined && query.issuedOn === undefined) return corrections;
  return { ...corrections, document: { number: query.number, issuedOn: query.issuedOn, ...corrections.document } };
};

/** The importer's refusals that are about the upload itself keep their HTTP meaning. */
const UPLOAD_STATUS: Partial<Record<ImportErrorCode, number>> = {
  'plan-import.too-large': 413,
  'plan-import.binary': 415,
  'plan-import.not-utf8': 415,
};

/** A reading's failure as the answer the client gets (a document that cannot be read: its 4xx, READ_ERROR_STATUS). */
const uploadProblem = (error: unknown): unknown => {
  const status = error instanceof ImportError ? UPLOAD_STATUS[error.importCode] : undefined;
  if (status && error instanceof ImportError) return new HttpProblem(status, error.importCode, error.message);
  if (error instanceof DocumentReadError) return new HttpProblem(READ_ERROR_STATUS[error.code], error.code, error.message);
  if (error instanceof ParseTooComplexError) return new HttpProblem(422, 'import-too-complex', error.message, { limitMs: error.limitMs });
  // One city's burst: that city waits (429), the others are still served; the whole pool full: 503.
  if (error instanceof ParsePoolBusyError)
    return error.city ? new HttpProblem(429, 'import-busy-city', error.message) : new HttpProblem(503, 'import-busy', error.message);
  if (error instanceof CorrectionError) return new HttpProblem(CORRECTION_STATUS[error.correctionCode], error.correctionCode, error.message, error.details);
  return error;
};

/** Page images are rendered by poppler child processes: a few at a time, so a review of a long PDF cannot crowd the API. */
const pageRenders = pLimit(2);

type ImportRequest = {
  actor: RequestActor;
  correlationId: string;
  dryRun: boolean;
  document: string;
  corrections: ImportCorrections;
  amends?: string;
  /** What earlier corrections of the same document changed (its dry run's, at confirmation): recorded with these. */
  reviewed?: readonly ImportChange[];
};

@Controller('api/v1')
export class ImportsHttpController {
  constructor(
    @Inject(PLANS_SERVICE) private readonly plans: PlansService,
    @Inject(PARSE_POOL) private readonly pool: ParsePool,
    @Inject(IMPORT_JOBS) private readonly jobs: ImportJobs,
    @Inject(DIRECTORY_SERVICE) private readonly directory: DirectoryService,
  ) {}

  /**
   * Reads a document into a plan of the caller's city. `dryRun=true` returns the ParsedPlan and
   * stores no plan: the import is kept for a day for the office's review (`Location`,
   * `Mandate-Import-Id`: GET it, its pages, confirm it); otherwise the plan is issued (201), amended
   * (200) or left as is (200). A multipart `corrections` part (ImportCorrections) is applied first.
   */
  @Doc({
    summary:
      'Imports a plan document (text/plain UTF-8 or multipart file, up to 5 MB; a multipart corrections part, JSON ImportCorrections, is applied first): issues it, amends it, or with dryRun shows what would be parsed and keeps the import for review (Location: /api/v1/imports/{id})',
    query: importQuery,
  })
  @Requires('plans.import')
  @Post('imports')
  async importDocument(
    @CurrentActor() actor: RequestActor,
    @CorrelationId() correlationId: string,
    @Query() query: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parseInput(importQuery, query);
    const { city, dryRun } = input;
    if (city !== actor.cityId) {
      throw new ForbiddenError(`You act for ${actor.cityId}; a plan of ${city} is imported by that city's office`, 'city-forbidden');
    }
    // The city office imports the province's plans, a unit's office its unit's own.
    if (!dryRun && actor.role !== 'office' && actor.role !== 'unit')
      throw new ForbiddenError('Only the city office (or a unit’s, for its own plans) imports plans', 'import-forbidden');
    const { bytes, name, corrections } = await documentOf(req);
    const document = input.document ?? name ?? 'upload.txt';
    const request: ImportRequest = {
      actor,
      correlationId,
      dryRun,
      document,
      corrections: withQueryDocument(corrections === null ? {} : correctionsOf(corrections), input),
      amends: input.amends,
    };
    // Read and parsed in a worker (issue 17), whatever the format. A document that needs OCR (seconds a
    // page) says so before its first page: then the answer is 202 and a job; the reading goes on here.
    let ocr!: () => void;
    const needsOcr = new Promise<'ocr'>((resolve) => (ocr = () => resolve('ocr')));
    let latest: { pagesDone: number; pages: number } | null = null;
    let onProgress = (progress: { pagesDone: number; pages: number }): void => void (latest = progress);
    const reading = this.pool.read(bytes, document, {
      cityId: city,
      directory: await this.directory.agencies(city),
      leaders: await this.directory.leaderNames(city),
      onOcr: () => ocr(),
      onProgress: (progress) => onProgress(progress),
    });
    const first = await Promise.race([
      reading.then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      ),
      needsOcr,
    ]);
    if (first !== 'ocr') {
      if ('error' in first) throw uploadProblem(first.error);
      const { status, body, location, changes } = await this.conclude(first.result.parsed, request).catch((error: unknown) => {
        throw uploadProblem(error);
      });
      res.status(status);
      if (dryRun) {
        // The answer stays the ParsedPlan; the import it previews is kept for the review and its confirmation.
        const job = await this.jobs.create({
          cityId: city,
          document,
          dryRun,
          createdBy: actor.userId,
          state: 'parsed',
          bytes,
          result: body,
          changes,
          pages: first.result.pages,
        });
        res.setHeader('Location', `/api/v1/imports/${job.id}`);
        res.setHeader('Mandate-Import-Id', job.id);
      } else if (location) {
        res.setHeader('Location', location);
      }
      return body;
    }
    const job = await this.jobs.create({ cityId: city, document, dryRun, createdBy: actor.userId, state: 'reading', bytes });
    onProgress = (progress) => void this.jobs.progress(job.id, progress.pagesDone, progress.pages).catch(() => undefined);
    if (latest) onProgress(latest);
    void this.complete(job.id, reading, request);
    res.status(202);
    res.setHeader('Location', `/api/v1/imports/${job.id}`);
    return job;
  }

  /**
   * An import job (a document read by OCR): its state, pages read, and when done what the synchronous
   * import would have answered (`result`: the ParsedPlan of a dry run, or the import's outcome) or why
   * it failed (`error`, a problem). The job's city only: another city's job is unknown (404).
   */
  @Doc({ summary: 'An import job (a document read by OCR): state, pages done, result or error' })
  @Requires('plans.import')
  @Get('imports/:id')
  async importJob(@CurrentActor() actor: RequestActor, @Param('id') id: string) {
    const job = await this.jobs.get(id, actor.cityId);
    if (!job) throw new NotFoundError(`No import job ${id}`, 'import-job-not-found');
    return job;
  }

  /**
   * Page `n` (1-based) of an import's uploaded PDF (or scanned PDF) as a PNG of about 100 dpi, for the
   * review to show a task beside the paper it was read from (its source.page and region). 404
   * import-page-not-found outside its pages; 415 import-pages-unavailable for a format without pages.
   */
  @Doc({ summary: 'A page of an import’s uploaded PDF as image/png (~100 dpi), for the review' })
  @Requires('plans.import')
  @Get('imports/:id/pages/:n')
  async importPage(@CurrentActor() actor: RequestActor, @Param('id') id: string, @Param('n') n: string, @Res({ passthrough: true }) res: Response) {
    const kept = await this.jobs.document(id, actor.cityId);
    if (!kept) throw new NotFoundError(`No import job ${id}`, 'import-job-not-found');
    if (!kept.bytes) throw new NotFoundError(`The document of import ${id} is no longer kept: upload it again`, 'import-document-gone');
    let format: string;
    try {
      format = detectFormat(kept.bytes);
    } catch {
      format = 'unknown';
    }
    if (format !== 'pdf')
      throw new HttpProblem(415, 'import-pages-unavailable', `The document of import ${id} (${format}) has no pages to show: only a PDF's are`);
    const page = /^[1-9]\d{0,5}$/.test(n) ? Number(n) : 0;
    let png: Buffer | null;
    try {
      png = page === 0 ? null : await pageRenders(() => renderPageImage(kept.bytes!, page, { dpi: 100, timeoutMs: 20_000 }));
    } catch (error) {
      throw uploadProblem(error);
    }
    if (!png) throw new NotFoundError(`Import ${id} has no page ${n}`, 'import-page-not-found');
    // The bytes of an import never change: a browser may keep the page for the review's length.
    res.setHeader('Cache-Control', 'private, max-age=3600');
    return new StreamableFile(png, { type: 'image/png', length: png.length });
  }

  /**
   * Confirms an import under review: the office's corrections (body: JSON ImportCorrections; `{}` or
   * empty for none) are applied to the dry run's ParsedPlan, which is imported exactly as
   * POST /api/v1/imports would (201 issued, 200 amended or unchanged, `Location` of the plan); what
   * the corrections changed, the dry run's included, is recorded on the plan (PlanImportReviewed).
   * The office only; a dry run that was read, once (409 import-not-confirmable otherwise). The job
   * is then `stored`, with this answer as its result.
   */
  @Doc({
    summary: 'Confirms an import under review: applies the corrections (JSON ImportCorrections) to its ParsedPlan and imports it',
    query: confirmQuery,
    body: importCorrectionsSchema,
  })
  @Requires('plans.import')
  @Post('imports/:id/confirm')
  async confirmImport(
    @CurrentActor() actor: RequestActor,
    @CorrelationId() correlationId: string,
    @Param('id') id: string,
    @Query() query: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { amends } = parseInput(confirmQuery, query);
    if (actor.role !== 'office' && actor.role !== 'unit')
      throw new ForbiddenError('Only the city office (or a unit’s, for its own plans) imports plans', 'import-forbidden');
    const corrections = correctionsOf(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
    const claimed = await this.jobs.claim(id, actor.cityId, actor.userId);
    if (!claimed) {
      // Why not: unknown (another city's looks the same), or not a dry run that can be confirmed now.
      const job = await this.jobs.get(id, actor.cityId);
      if (!job) throw new NotFoundError(`No import job ${id}`, 'import-job-not-found');
      throw new ConflictError(
        `Import ${id} cannot be confirmed: ${job.state === 'parsed' && job.dryRun ? 'it is being confirmed' : job.dryRun ? `it is ${job.state}` : 'it was not a dry run'}`,
        'import-not-confirmable',
        { state: job.state },
      );
    }
    try {
      const reviewed = (claimed.changes ?? []) as ImportChange[];
      const { status, body, location } = await this.conclude(claimed.result as ParsedPlan, {
        actor,
        correlationId,
        dryRun: false,
        document: claimed.document,
        corrections,
        amends,
        reviewed,
      });
      await this.jobs.confirmed(id, body);
      res.status(status);
      if (location) res.setHeader('Location', location);
      return body;
    } catch (error) {
      await this.jobs.release(id).catch(() => undefined);
      throw uploadProblem(error);
    }
  }

  /** The rest of an OCR import after its 202: what the synchronous import would have done, into the job. */
  private async complete(id: string, reading: Promise<ParseResult>, request: ImportRequest): Promise<void> {
    try {
      const read = await reading;
      const { body, changes } = await this.conclude(read.parsed, request);
      await this.jobs.finish(id, request.dryRun ? 'parsed' : 'stored', body, read.pages, request.dryRun ? changes : undefined);
    } catch (error) {
      await this.jobs.fail(id, problemOf(uploadProblem(error)), error).catch(() => undefined);
    }
  }

  /** A dry run's ParsedPlan (200), or the plan issued (201), amended or unchanged (200); and what the corrections changed. */
  private async conclude(
    read: ParsedPlan,
    { actor, correlationId, dryRun, document, corrections, amends, reviewed = [] }: ImportRequest,
  ): Promise<{ status: number; body: unknown; location?: string; changes: ImportChange[] }> {
    const corrected = applyCorrections(read, corrections, { directory: await this.directory.agencies(actor.cityId) });
    const { parsed } = corrected;
    const changes = [...reviewed, ...corrected.changes];
    if (dryRun) return { status: 200, body: parsed, changes };
    const result = await this.plans.importDocument(toPlanDraft(parsed, document), actor, correlationId, { amends, review: { changes } });
    const body = {
      planId: result.planId,
      number: parsed.document.number,
      outcome: result.outcome,
      tasks: { count: result.taskCount, added: result.added, revised: result.revised, withdrawn: result.withdrawn },
      conflicts: result.conflicts,
      indicators: parsed.indicators.length,
      warnings: parsed.warnings,
    };
    return { status: result.outcome === 'created' ? 201 : 200, body, location: `/api/v1/plans/${result.planId}`, changes };
  }
}

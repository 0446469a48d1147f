import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { DocumentReadError, READ_ERROR_STATUS } from '@mandate/document-reader';
import { ForbiddenError, NotFoundError, ValidationError } from '@mandate/kernel';
import { assertStorableText, Doc, CorrelationId, CurrentActor, HttpProblem, problemOf, type RequestActor, Requires } from '@mandate/http';
import { applyCorrections, ImportError, toPlanDraft, type ImportCorrections, type ImportErrorCode, type ParsedPlan } from '@mandate/plan-import';
import { PlansService } from '@mandate/plans-app';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ImportJobs } from './import-jobs';
import { ParsePool, ParsePoolBusyError, ParseTooComplexError, type ParseResult } from './parse-pool';
import { readDirectory, readLeaders } from './seed';
import { IMPORT_JOBS, PARSE_POOL, PLANS_SERVICE } from './tokens';

const importQuery = z.object({
  city: z.string({ error: 'city is required (?city=<city id>)' }).regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'city must be a city id such as ha-noi'),
  dryRun: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
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

/**
 * The document out of the request: the raw body whatever its content type (text/plain, a Word or PDF
 * type, image/*, application/octet-stream…), or the `file` part of a multipart form. The content type
 * is a hint only: the format is read from the bytes.
 */
const documentOf = async (req: Request): Promise<{ bytes: Buffer; name: string | null }> => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const header = req.header('content-type') ?? '';
  // Lower case for matching only: a multipart boundary is case-sensitive (browsers use mixed case).
  const type = header.toLowerCase();
  let bytes: Buffer;
  let name: string | null = null;
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
  } else {
    bytes = body;
  }
  return { bytes, name };
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
  if (error instanceof ParsePoolBusyError) return new HttpProblem(503, 'import-busy', error.message);
  return error;
};

type ImportRequest = {
  actor: RequestActor;
  correlationId: string;
  dryRun: boolean;
  document: string;
  corrections: ImportCorrections;
  amends?: string;
};


@Controller('api/v1')
export class ImportsHttpController {
  constructor(
    @Inject(PLANS_SERVICE) private readonly plans: PlansService,
    @Inject(PARSE_POOL) private readonly pool: ParsePool,
    @Inject(IMPORT_JOBS) private readonly jobs: ImportJobs,
  ) {}

  /**
   * Reads a document into a plan of the caller's city. `dryRun=true` returns the ParsedPlan and
   * stores nothing; otherwise the plan is issued (201), amended (200) or left as is (200).
   */
  @Doc({ summary: 'Imports a plan document (text/plain UTF-8 or multipart file, up to 5 MB): issues it, amends it, or with dryRun shows what would be parsed', query: importQuery })
  @Requires('plans.import')
  @Post('imports')
  async importDocument(
    @CurrentActor() actor: RequestActor,
    @CorrelationId() correlationId: string,
    @Query() query: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = importQuery.safeParse(query ?? {});
    if (!input.success) throw new ValidationError(input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), 'invalid-request');
    const { city, dryRun } = input.data;
    if (city !== actor.cityId) {
      throw new ForbiddenError(`You act for ${actor.cityId}; a plan of ${city} is imported by that city's office`, 'city-forbidden');
    }
    if (!dryRun && actor.role !== 'office') throw new ForbiddenError('Only the city office imports plans', 'import-forbidden');
    const { bytes, name } = await documentOf(req);
    const document = input.data.document ?? name ?? 'upload.txt';
    const request: ImportRequest = { actor, correlationId, dryRun, document, corrections: { document: { number: input.data.number, issuedOn: input.data.issuedOn } }, amends: input.data.amends };
    // Read and parsed in a worker (issue 17), whatever the format. A document that needs OCR (seconds a
    // page) says so before its first page: then the answer is 202 and a job; the reading goes on here.
    let ocr!: () => void;
    const needsOcr = new Promise<'ocr'>((resolve) => (ocr = () => resolve('ocr')));
    let latest: { pagesDone: number; pages: number } | null = null;
    let onProgress = (progress: { pagesDone: number; pages: number }): void => void (latest = progress);
    const reading = this.pool.read(bytes, document, {
      directory: readDirectory(city),
      leaders: readLeaders(city),
      onOcr: () => ocr(),
      onProgress: (progress) => onProgress(progress),
    });
    const first = await Promise.race([reading.then((result) => ({ result }), (error: unknown) => ({ error })), needsOcr]);
    if (first !== 'ocr') {
      if ('error' in first) throw uploadProblem(first.error);
      const { status, body, location } = await this.conclude(first.result, request);
      res.status(status);
      if (location) res.setHeader('Location', location);
      return body;
    }
    const job = await this.jobs.create({ cityId: city, document, dryRun, createdBy: actor.userId, state: 'reading' });
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

  /** The rest of an OCR import after its 202: what the synchronous import would have done, into the job. */
  private async complete(id: string, reading: Promise<ParseResult>, request: ImportRequest): Promise<void> {
    try {
      const read = await reading;
      const { body } = await this.conclude(read, request);
      await this.jobs.finish(id, request.dryRun ? 'parsed' : 'stored', body, read.pages);
    } catch (error) {
      await this.jobs.fail(id, problemOf(uploadProblem(error))).catch(() => undefined);
    }
  }

  /** A dry run's ParsedPlan (200), or the plan issued (201), amended or unchanged (200). */
  private async conclude(read: ParseResult, { actor, correlationId, dryRun, document, corrections, amends }: ImportRequest): Promise<{ status: number; body: unknown; location?: string }> {
    const parsed: ParsedPlan = applyCorrections(read.parsed, corrections, { directory: readDirectory(actor.cityId) }).parsed;
    if (dryRun) return { status: 200, body: parsed };
    const result = await this.plans.importDocument(toPlanDraft(parsed, document), actor, correlationId, { amends });
    const body = {
      planId: result.planId,
      number: parsed.document.number,
      outcome: result.outcome,
      tasks: { count: result.taskCount, added: result.added, revised: result.revised, withdrawn: result.withdrawn },
      conflicts: result.conflicts,
      indicators: parsed.indicators.length,
      warnings: parsed.warnings,
    };
    return { status: result.outcome === 'created' ? 201 : 200, body, location: `/api/v1/plans/${result.planId}` };
  }
}

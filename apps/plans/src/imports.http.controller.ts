import { Controller, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ForbiddenError, ValidationError } from '@mandate/kernel';
import { assertStorableText, Doc, CorrelationId, CurrentActor, HttpProblem, type RequestActor, Requires } from '@mandate/http';
import { ImportError, toPlanDraft, withOverrides, type ImportErrorCode, type ParsedPlan } from '@mandate/plan-import';
import { PlansService } from '@mandate/plans-app';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ParsePool, ParsePoolBusyError, ParseTooComplexError, type ReadOptions } from './parse-pool';
import { readDirectory, readLeaders } from './seed';
import { PARSE_POOL, PLANS_SERVICE } from './tokens';

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
});

/** The document out of the request: text/plain as is, or the `file` part of a multipart form. */
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
  } else if (type.startsWith('text/plain') || type === '') {
    bytes = body;
  } else {
    throw new HttpProblem(415, 'import-media-type', 'Send the document as text/plain (UTF-8) or as the "file" part of multipart/form-data');
  }
  return { bytes, name };
};

/** The importer's refusals that are about the upload itself keep their HTTP meaning. */
const UPLOAD_STATUS: Partial<Record<ImportErrorCode, number>> = {
  'plan-import.too-large': 413,
  'plan-import.binary': 415,
  'plan-import.not-utf8': 415,
};

/** Read in a worker thread with a time limit, so that no document holds the requests of every city (issue 17). */
const readUpload = async (pool: ParsePool, bytes: Buffer, document: string, options: ReadOptions): Promise<ParsedPlan> => {
  try {
    return await pool.parse(bytes, document, options);
  } catch (error) {
    const status = error instanceof ImportError ? UPLOAD_STATUS[error.importCode] : undefined;
    if (status && error instanceof ImportError) throw new HttpProblem(status, error.importCode, error.message);
    if (error instanceof ParseTooComplexError) throw new HttpProblem(422, 'import-too-complex', error.message, { limitMs: error.limitMs });
    if (error instanceof ParsePoolBusyError) throw new HttpProblem(503, 'import-busy', error.message);
    throw error;
  }
};

@Controller('api/v1')
export class ImportsHttpController {
  constructor(
    @Inject(PLANS_SERVICE) private readonly plans: PlansService,
    @Inject(PARSE_POOL) private readonly pool: ParsePool,
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
    const read = await readUpload(this.pool, bytes, document, { directory: readDirectory(city), leaders: readLeaders(city) });
    const parsed = withOverrides(read, { number: input.data.number, issuedOn: input.data.issuedOn });
    if (dryRun) {
      res.status(200);
      return parsed;
    }
    const result = await this.plans.importDocument(toPlanDraft(parsed, document), actor, correlationId);
    res.status(result.outcome === 'created' ? 201 : 200);
    res.setHeader('Location', `/api/v1/plans/${result.planId}`);
    return {
      planId: result.planId,
      number: parsed.document.number,
      outcome: result.outcome,
      tasks: { count: result.taskCount, added: result.added, revised: result.revised, withdrawn: result.withdrawn },
      conflicts: result.conflicts,
      indicators: parsed.indicators.length,
      warnings: parsed.warnings,
    };
  }
}

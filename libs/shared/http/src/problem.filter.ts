import { ArgumentsHost, Catch, HttpException, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import { DomainError, type ErrorKind } from '@mandate/kernel';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  'illegal-state': 422,
  forbidden: 403,
  'not-found': 404,
  concurrency: 409,
  conflict: 409,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export const PROBLEM_BASE = 'https://mandate.dev/problems/';

/** Thrown by HTTP code for conditions that are about the request, not the domain. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Members the problem carries beside the standard ones (RFC 9457 extensions). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * Every error leaves as application/problem+json (RFC 9457) with a stable `type`. Domain errors
 * carry a kind, mapped here; a version conflict is 412 when the client sent If-Match, else 409.
 */
export const sendProblem = (error: unknown, request: Request & { correlationId?: string }, response: Response, logger: Logger): void => {
  const { status, code, detail, extra } = describe(error, request);
  if (status >= 500) logger.error({ err: error, correlationId: request.correlationId }, 'request failed');
  response
    .status(status)
    .type('application/problem+json')
    .json({
      type: `${PROBLEM_BASE}${code}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      instance: request.originalUrl,
      traceId: request.correlationId,
      ...extra,
    });
};

/** The problem+json body an error would get, for an answer given later (a failed import job). */
export const problemOf = (error: unknown): { type: string; title: string; status: number; detail: string } => {
  const { status, code, detail } = describe(error, { headers: {} } as Request);
  return { type: `${PROBLEM_BASE}${code}`, title: TITLES[status] ?? 'Error', status, detail };
};

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest(), http.getResponse(), this.logger);
  }
}

/** Express error middleware for what fails before a controller runs (body parsing). */
export const problemMiddleware =
  (logger: Logger) =>
  (error: unknown, request: Request, response: Response, _next: NextFunction): void =>
    sendProblem(error, request, response, logger);

const describe = (error: unknown, request: Request) => {
  if (error instanceof DomainError) {
    let status = STATUS_BY_KIND[error.kind];
    if (error.kind === 'concurrency' && request.headers['if-match']) status = HttpStatus.PRECONDITION_FAILED;
    return { status, code: error.code, detail: error.message, extra: Object.keys(error.details).length ? { details: error.details } : {} };
  }
  if (error instanceof HttpProblem) return { status: error.status, code: error.code, detail: error.message, extra: error.extra };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const message = typeof body === 'object' && body && 'message' in body ? (body as { message: unknown }).message : error.message;
    return { status, code: slug(TITLES[status] ?? 'error'), detail: Array.isArray(message) ? message.join('; ') : String(message), extra: {} };
  }
  // body-parser errors (malformed JSON, oversized body, unsupported charset) carry their status.
  const parserStatus = (error as { status?: number } | null)?.status;
  if (typeof parserStatus === 'number' && parserStatus >= 400 && parserStatus < 500) {
    const type = (error as { type?: string }).type;
    const code =
      type === 'entity.parse.failed' ? 'malformed-json' : type === 'entity.too.large' ? 'payload-too-large' : slug(TITLES[parserStatus] ?? 'bad-request');
    const detail = code === 'malformed-json' ? 'The request body is not valid JSON' : (error as Error).message;
    return { status: parserStatus, code, detail, extra: {} };
  }
  return { status: 500, code: 'internal', detail: 'An unexpected error occurred; it has been logged', extra: {} };
};

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-');

import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HttpProblem } from './problem.filter';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's X-Correlation-Id (or makes one), echoes it, and carries it into events. */
export const correlationMiddleware = (request: Request & { correlationId?: string }, response: Response, next: NextFunction) => {
  const given = request.header('x-correlation-id');
  request.correlationId = given && SAFE_ID.test(given) ? given : randomUUID();
  response.setHeader('X-Correlation-Id', request.correlationId);
  next();
};

export const CorrelationId = createParamDecorator(
  (_: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<{ correlationId: string }>().correlationId,
);

/**
 * Where a command comes from: its correlation id and, when the client sent an Idempotency-Key, the
 * command's own id (the key, per user), from which the event store derives the events' ids, so that a
 * retry after a lost answer is never applied twice, even when the idempotency record was lost with it.
 */
export type CommandOrigin = { correlationId: string; commandId?: string };
export const CommandOrigin = createParamDecorator((_: unknown, context: ExecutionContext): CommandOrigin => {
  const request = context.switchToHttp().getRequest<Request & { correlationId: string; actor?: { userId: string } }>();
  const key = request.header('idempotency-key');
  const commandId = key && request.actor ? `${request.actor.userId}\n${key}` : undefined;
  return { correlationId: request.correlationId, commandId };
});

/**
 * If-Match as RFC 9110 defines it for a single strong entity tag: `"<n>"`. Weak tags never match
 * strongly, so `W/"n"` is refused as stale rather than accepted.
 */
export const parseIfMatch = (header: string | undefined): bigint => {
  if (header === undefined || header.trim() === '') {
    throw new HttpProblem(428, 'precondition-required', 'Send If-Match with the ETag of the version you are changing');
  }
  const match = /^\s*"(\d{1,19})"\s*$/.exec(header);
  if (!match) {
    if (/^\s*W\//.test(header)) throw new HttpProblem(412, 'precondition-failed', 'A weak ETag cannot match for a change');
    throw new HttpProblem(400, 'if-match-invalid', 'If-Match must be a strong ETag such as "3"');
  }
  return BigInt(match[1]);
};

/** If-Match where a command may also go without it (it then applies to the latest version). */
export const optionalIfMatch = (header: string | undefined): bigint | undefined => (header === undefined ? undefined : parseIfMatch(header));

export const etag = (version: bigint | number | string) => `"${version.toString()}"`;

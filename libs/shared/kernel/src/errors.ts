/**
 * Domain errors carry a kind, never an HTTP status; one filter at the edge maps kinds to statuses.
 * `code` is a stable machine name that becomes the problem+json `type`.
 */
export type ErrorKind = 'validation' | 'illegal-state' | 'forbidden' | 'not-found' | 'concurrency' | 'conflict';

export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(
    message: string,
    readonly code: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: the command can never succeed as written. */
export class ValidationError extends DomainError {
  readonly kind = 'validation' as const;
  constructor(message: string, code = 'validation', details: Record<string, unknown> = {}) {
    super(message, code, details);
  }
}

/** Text a command must carry (a reason, a note), trimmed; at most 4,000 characters. */
export const requireText = (text: string, field: string, code: string): string => {
  const trimmed = (text ?? '').trim();
  if (!trimmed) throw new ValidationError(`${field} is required`, code);
  if (trimmed.length > 4000) throw new ValidationError(`${field} is at most 4000 characters`, code);
  return trimmed;
};

/** The rules forbid this in the current state (e.g. a transition not allowed). */
export class IllegalStateError extends DomainError {
  readonly kind = 'illegal-state' as const;
  constructor(message: string, code = 'illegal-state', details: Record<string, unknown> = {}) {
    super(message, code, details);
  }
}

/** The actor's role or agency does not allow it. */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden' as const;
  constructor(message: string, code = 'forbidden', details: Record<string, unknown> = {}) {
    super(message, code, details);
  }
}

/** Unknown id, or an id of another city (which must look exactly like an unknown one). */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found' as const;
  constructor(message: string, code = 'not-found', details: Record<string, unknown> = {}) {
    super(message, code, details);
  }
}

/** The stream moved on since the caller read it. */
export class ConcurrencyError extends DomainError {
  readonly kind = 'concurrency' as const;
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`Stream ${streamId} is at version ${actual}, expected ${expected}`, 'concurrency', {
      streamId,
      expected,
      actual,
    });
  }
}

/** A state conflict that is not a version mismatch (e.g. an id reused with other content). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict' as const;
  constructor(message: string, code = 'conflict', details: Record<string, unknown> = {}) {
    super(message, code, details);
  }
}

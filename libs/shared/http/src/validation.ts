import { ValidationError } from '@mandate/kernel';
import type { z } from 'zod';

/** A request's body or query checked against its schema: the parsed value, or a 400 naming every problem. */
export const parseInput = <T>(schema: z.ZodType<T>, value: unknown): T => {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new ValidationError(result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), 'invalid-request');
  }
  return result.data;
};

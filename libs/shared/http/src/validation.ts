import { ValidationError } from '@mandate/kernel';
import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';

/** A request's body or query checked against its schema: the parsed value, or a 400 naming every problem. */
export const parseInput = <T>(schema: z.ZodType<T>, value: unknown): T => {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new ValidationError(result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), 'invalid-request');
  }
  return result.data;
};

/**
 * What PostgreSQL cannot store as sent: NUL (text and jsonb refuse U+0000) and a UTF-16 surrogate without
 * its pair (jsonb refuses "\ud800"; a text column would hold U+FFFD instead of what was sent).
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const problemOf = (text: string): string => (text.includes('\u0000') ? 'a NUL character (U+0000)' : 'a lone UTF-16 surrogate (not a Unicode character)');

/**
 * The first string in `value` (nested objects and arrays, keys included) that cannot be stored, as its
 * path from `where` (`body.attachments.0.name`), with what is wrong with it; null when all is storable.
 */
export const unstorableTextIn = (value: unknown, where: string): { field: string; problem: string } | null => {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? { field: where, problem: problemOf(value) } : null;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  for (const [key, item] of Object.entries(value)) {
    const field = `${where}.${key}`;
    if (UNSTORABLE.test(key)) return { field: `${where} (a key)`, problem: problemOf(key) };
    const found = unstorableTextIn(item, field);
    if (found) return found;
  }
  return null;
};

/** Refuses (400 `invalid-text`) a string no text field can hold; `where` names it in the answer. */
export const assertStorableText = (value: unknown, where: string): void => {
  const found = unstorableTextIn(value, where);
  if (found) throw new ValidationError(`${found.field} contains ${found.problem}, which no text here can hold`, 'invalid-text', { field: found.field });
};

const decodedSegments = (path: string): string[] =>
  path.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment; // malformed escapes are the router's to refuse
    }
  });

/**
 * Every request's JSON body, query and path checked once, before any controller, for text that cannot be
 * stored: one rule for every field of every route (a NUL in a progress note or a key's name was a 500 from
 * PostgreSQL). Raw bodies (document uploads) are the importer's to check.
 */
export const storableTextMiddleware = (req: Request, _res: Response, next: NextFunction): void => {
  try {
    assertStorableText(decodedSegments(req.path).join('/'), 'path');
    assertStorableText(req.query, 'query');
    if (!Buffer.isBuffer(req.body)) assertStorableText(req.body, 'body');
    next();
  } catch (error) {
    next(error);
  }
};

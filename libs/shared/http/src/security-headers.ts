import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's security headers (CSP, no sniffing, no framing, HSTS…), decided once. With directives that
 * do not depend on the request (no nonce, no function), helmet sets the same headers on every answer;
 * running its dozen middleware functions per request cost ~6 % of a read's CPU under load (issue 19).
 * Helmet stays the one that knows which headers and values; this only remembers its answer.
 */
export const securityHeaders = (options: HelmetOptions): RequestHandler => {
  if (dependsOnRequest(options)) throw new Error('These security headers are computed per request (a directive is a function): use helmet itself');
  const set: [string, string][] = [];
  const removed: string[] = [];
  const probe = {
    setHeader: (name: string, value: string | number | readonly string[]) => void set.push([name, String(value)]),
    removeHeader: (name: string) => void removed.push(name),
    getHeader: () => undefined,
  };
  let finished = false;
  helmet(options)({} as Request, probe as unknown as Response, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // Helmet's middleware is synchronous today; one that is not cannot be remembered.
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be decided once per request');
  return (_request: Request, response: Response, next: NextFunction) => {
    for (const name of removed) response.removeHeader(name);
    for (const [name, value] of set) response.setHeader(name, value);
    next();
  };
};

/** A CSP directive given as a function (a nonce, say) makes the header differ per request. */
const dependsOnRequest = (options: HelmetOptions): boolean => {
  const csp = options.contentSecurityPolicy;
  if (!csp || typeof csp !== 'object') return false;
  return Object.values(csp.directives ?? {}).some(
    (value) => typeof value === 'function' || (Array.isArray(value) && value.some((item) => typeof item === 'function')),
  );
};

import { HttpProblem, sendProblem, type RequestActor } from '@mandate/http';
import type { Logger } from '@mandate/runtime';
import { Readable } from 'node:stream';
import type { Request, RequestHandler } from 'express';

/** `timeoutMs: 0`: no timeout (a live stream), the upstream call ends when the client goes. */
export type Route = { readonly pattern: RegExp; readonly upstream: string; readonly service: string; readonly timeoutMs?: number };

/** Answered by the gateway itself: the API keys it keeps, and the web app's sign-in. */
export const isOwnRoute = (path: string): boolean => /^\/api\/v1\/(api-keys|session)(\/|$)/.test(path);

/** Which service answers which path; first match wins. */
export const routesFor = (urls: { plans: string; assignments: string; reporting: string; notifications: string }): Route[] => [
  { pattern: /^\/api\/v1\/plans\/[^/]+\/(summary|report|report-requests)\/?$/, upstream: urls.reporting, service: 'reporting' },
  { pattern: /^\/api\/v1\/(reporting|operator)(\/|$)/, upstream: urls.reporting, service: 'reporting' },
  { pattern: /^\/api\/v1\/agencies(\/|$)/, upstream: urls.assignments, service: 'assignments' },
  { pattern: /^\/api\/v1\/notifications\/stream\/?$/, upstream: urls.notifications, service: 'notifications', timeoutMs: 0 },
  { pattern: /^\/api\/v1\/(notifications|webhooks)(\/|$)/, upstream: urls.notifications, service: 'notifications' },
  // Importing a plan of thousands of tasks appends thousands of streams: minutes, not seconds (and so does confirming a reviewed one).
  { pattern: /^\/api\/v1\/imports(\/[^/]+\/confirm)?\/?$/, upstream: urls.plans, service: 'plans', timeoutMs: 300_000 },
  { pattern: /^\/api\/v1\//, upstream: urls.plans, service: 'plans' },
];

// Idempotency-Key goes on too: the services derive the command's event ids from it (HandleOptions.commandId).
const FORWARDED_REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'accept-language', 'if-match', 'if-none-match', 'idempotency-key'];
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'date']);

/**
 * Forwards API requests to the service that owns them, carrying the correlation id. The body was
 * read once (raw) so the idempotency record could fingerprint it; it is sent on unchanged.
 */
export const forwarder =
  (routes: Route[], logger: Logger, options: { internalToken: (actor: RequestActor) => Promise<string>; timeoutMs?: number }): RequestHandler =>
  async (req, res, next) => {
    const route = isOwnRoute(req.path) ? undefined : routes.find((r) => r.pattern.test(req.path));
    if (!route) return next();
    // Ids replaced, so the latency histogram has one series per endpoint, not per task.
    res.locals.metricsRoute = req.path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id');
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.header(name);
      if (value !== undefined) headers[name] = value;
    }
    headers['x-correlation-id'] = (req as Request & { correlationId: string }).correlationId;
    // The caller was authenticated here (OIDC, API key or dev token): the service gets a short-lived token of the gateway's.
    const actor = (req as Request & { actor?: RequestActor }).actor;
    if (actor) headers.authorization = `Bearer ${await options.internalToken(actor)}`;
    const hasBody = !['GET', 'HEAD'].includes(req.method) && Buffer.isBuffer(req.body) && req.body.length > 0;
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    try {
      const limit = route.timeoutMs ?? options.timeoutMs ?? 15_000;
      const upstream = await fetch(new URL(req.originalUrl, route.upstream), {
        method: req.method,
        headers,
        body: hasBody ? (req.body as Buffer) : undefined,
        redirect: 'manual',
        signal: limit === 0 ? gone.signal : AbortSignal.any([gone.signal, AbortSignal.timeout(limit)]),
      });
      res.status(upstream.status);
      upstream.headers.forEach((value, name) => {
        if (!DROPPED_RESPONSE_HEADERS.has(name)) res.setHeader(name, value);
      });
      if (upstream.body && upstream.headers.get('content-type')?.startsWith('text/event-stream')) {
        // A live stream is passed on as it comes, not read to its end first.
        res.flushHeaders();
        Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream)
          .on('error', () => res.end())
          .pipe(res);
        return;
      }
      res.send(Buffer.from(await upstream.arrayBuffer()));
    } catch (err) {
      if (gone.signal.aborted) return; // the client left: nobody to answer
      logger.warn({ err, service: route.service, path: req.path }, 'upstream unavailable');
      sendProblem(new HttpProblem(502, 'upstream-unavailable', `The ${route.service} service did not answer`), req, res, logger);
    }
  };

import { createHash, randomUUID } from 'node:crypto';
import type { Logger, SharedState } from '@mandate/runtime';
import canonicalize from 'canonicalize';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RequestActor } from './auth';
import type { Authenticator } from './identity';
import { HttpProblem, sendProblem } from './problem.filter';

type ActorRequest = Request & { actor?: RequestActor; correlationId?: string };

/**
 * Reads the bearer token early, so that rate limits and idempotency records are per user. It
 * rejects a token that is present but invalid; a missing token is left to the route's guard
 * (health and metrics are public).
 */
export const authenticateMiddleware =
  (authenticator: Authenticator, logger: Logger): RequestHandler =>
  async (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) return next();
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    try {
      if (!match) throw new HttpProblem(401, 'invalid-token', 'Authorization must be "Bearer <token>"');
      (req as ActorRequest).actor = await authenticator.authenticate(match[1], req.ip);
      next();
    } catch (error) {
      sendProblem(error, req, res, logger);
    }
  };

/** A fixed one-minute window per user (or per client address when anonymous). */
export const rateLimitMiddleware =
  (state: SharedState, perMinute: number, logger: Logger): RequestHandler =>
  async (req, res, next) => {
    if (req.path === '/health' || req.path === '/metrics') return next();
    const actor = (req as ActorRequest).actor;
    const who = actor ? `${actor.cityId}:${actor.userId}` : `ip:${req.ip}`;
    const window = Math.floor(Date.now() / 60_000);
    try {
      const count = await state.increment(`rl:${who}:${window}`, 61_000);
      res.setHeader('RateLimit-Limit', String(perMinute));
      res.setHeader('RateLimit-Remaining', String(Math.max(0, perMinute - count)));
      if (count > perMinute) {
        res.setHeader('Retry-After', String(60 - Math.floor((Date.now() % 60_000) / 1000)));
        return sendProblem(new HttpProblem(429, 'rate-limited', `More than ${perMinute} requests in a minute`), req, res, logger);
      }
    } catch (err) {
      // The limiter failing must not take the API down with it.
      logger.warn({ err }, 'rate limiter unavailable; request let through');
    }
    next();
  };

type StoredResponse = {
  state: 'pending' | 'done';
  fingerprint: string;
  /** The process running a pending request. */
  owner?: string;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** The answer held a secret shown once (Cache-Control: no-store): its body was not kept, only what it created. */
  secret?: { id: string | null };
};

/** This process, as the owner of the requests it is running. */
const INSTANCE = randomUUID();
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const PENDING_TTL_MS = 60_000;
const KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];

/** Answers that must not be kept anywhere, a secret shown once among them, say so with Cache-Control: no-store. */
const NO_STORE = /(^|,)\s*no-store\s*(,|$)/i;

const idOf = (body: string): string | null => {
  try {
    const id = (JSON.parse(body) as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
};

const fingerprintOf = (req: Request): string => {
  const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : (canonicalize(req.body ?? null) ?? '');
  return createHash('sha256').update(`${req.method} ${req.originalUrl}\n${body}`).digest('hex');
};

/**
 * `Idempotency-Key` on commands (IETF draft "The Idempotency-Key HTTP Header Field"): the first
 * answer is stored per user and key, and a retry gets that answer again without running the
 * command twice. The same key with another request is refused (422); one still running, 409.
 * The answer is recorded before it is sent, so an acknowledged command is never run again. An
 * answer marked Cache-Control: no-store (a secret shown once: an API key, a webhook's secret) is
 * not kept: a retry gets 409 `idempotency-secret-not-replayed` naming what was created.
 * Runs after the body is parsed.
 *
 * `soleInstance`: this process is the only one answering (the embedded platform), so a request
 * pending under another owner was left by a process that died (it committed or not: the command's
 * events carry its key, `CommandOrigin`), and a retry takes it over instead of waiting for it to expire.
 */
export const idempotencyMiddleware =
  (state: SharedState, logger: Logger, options: { soleInstance?: boolean } = {}): RequestHandler =>
  async (req: Request, res: Response, next: NextFunction) => {
    const key = req.header('idempotency-key');
    if (key === undefined || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method)) return next();
    const actor = (req as ActorRequest).actor;
    if (!actor) return next(); // the guard answers 401
    if (!KEY.test(key)) {
      return sendProblem(new HttpProblem(400, 'idempotency-key-invalid', 'Idempotency-Key must be 1-255 visible ASCII characters'), req, res, logger);
    }
    const slot = `idem:${actor.cityId}:${actor.userId}:${key}`;
    const fingerprint = fingerprintOf(req);
    try {
      const pending = JSON.stringify({ state: 'pending', fingerprint, owner: INSTANCE } satisfies StoredResponse);
      const claimed = await state.putIfAbsent(slot, pending, PENDING_TTL_MS);
      if (!claimed) {
        const stored = JSON.parse((await state.get(slot)) ?? 'null') as StoredResponse | null;
        if (!stored) return sendProblem(new HttpProblem(409, 'idempotency-key-in-use', 'Retry this request'), req, res, logger);
        if (stored.fingerprint !== fingerprint) {
          return sendProblem(new HttpProblem(422, 'idempotency-key-reused', 'This Idempotency-Key was used for a different request'), req, res, logger);
        }
        const abandoned = stored.state === 'pending' && options.soleInstance && stored.owner !== INSTANCE;
        if (abandoned) {
          await state.set(slot, pending, PENDING_TTL_MS);
        } else {
          if (stored.state === 'pending') {
            return sendProblem(
              new HttpProblem(409, 'idempotency-key-in-use', 'A request with this Idempotency-Key is still being processed'),
              req,
              res,
              logger,
            );
          }
          if (stored.secret) {
            res.setHeader('Idempotent-Replayed', 'true');
            if (stored.headers?.location) res.setHeader('Location', stored.headers.location);
            const created = stored.secret.id ? ` and created ${stored.secret.id}` : '';
            return sendProblem(
              new HttpProblem(
                409,
                'idempotency-secret-not-replayed',
                `This request was done (${stored.status})${created}; its answer held a secret, shown once and not kept: rotate or replace what it created to get a new one`,
                { originalStatus: stored.status, id: stored.secret.id },
              ),
              req,
              res,
              logger,
            );
          }
          res.status(stored.status ?? 200);
          for (const [name, value] of Object.entries(stored.headers ?? {})) res.setHeader(name, value);
          res.setHeader('Idempotent-Replayed', 'true');
          return res.send(stored.body ?? '');
        }
      }
    } catch (err) {
      logger.warn({ err }, 'idempotency store unavailable');
      return sendProblem(new HttpProblem(503, 'idempotency-unavailable', 'Retry later'), req, res, logger);
    }
    recordBeforeEnd(res, async (status, body) => {
      try {
        if (status >= 500) {
          await state.delete(slot); // a failure is not an answer: let the client retry
          return;
        }
        const headers = Object.fromEntries(
          REPLAYED_HEADERS.flatMap((name) => {
            const value = res.getHeader(name);
            return value === undefined ? [] : [[name, String(value)]];
          }),
        );
        const secret = status < 300 && NO_STORE.test(String(res.getHeader('cache-control') ?? ''));
        const record: StoredResponse = secret
          ? { state: 'done', fingerprint, status, headers: headers.location ? { location: headers.location } : {}, secret: { id: idOf(body) } }
          : { state: 'done', fingerprint, status, headers, body };
        await state.set(slot, JSON.stringify(record), IDEMPOTENCY_TTL_MS);
      } catch (err) {
        logger.error({ err, slot }, 'could not record the idempotent response');
      }
    });
    next();
  };

/**
 * Calls `record` with the status and body when the response ends, and sends its end only once that
 * is done: a client that has its answer finds it recorded, even if the process dies at once.
 */
const recordBeforeEnd = (res: Response, record: (status: number, body: string) => Promise<void>) => {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
  };
  (res as unknown as { write: (...args: unknown[]) => boolean }).write = (...args: unknown[]) => {
    keep(args[0], args[1]);
    return write(...args);
  };
  (res as unknown as { end: (...args: unknown[]) => Response }).end = (...args: unknown[]) => {
    keep(args[0], args[1]);
    void record(res.statusCode, Buffer.concat(chunks).toString('utf8')).finally(() => end(...args));
    return res;
  };
};

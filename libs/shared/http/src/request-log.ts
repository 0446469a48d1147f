import type { NextFunction, Request, Response } from 'express';
import { stdSerializers, type Level, type Logger } from 'pino';

/** A successful request taking at least this long is logged at info; faster ones at debug. */
export const SLOW_REQUEST_MS = 1000;

/**
 * The level of a request's line: failures, refusals, answers the client left before, and slow answers
 * are what an operator reads the log for; the metrics count all of them.
 */
export const requestLogLevel = (status: number, responseTime: number, aborted: boolean): Level =>
  status >= 500 ? 'error' : status >= 400 || aborted ? 'warn' : responseTime >= SLOW_REQUEST_MS ? 'info' : 'debug';

/**
 * One log line per request when it ends (finished, or closed by the client first), with the request
 * (credentials redacted by the logger), the status and the time taken. The request is serialised only
 * when the line is written: pino-http, used before, made a child logger of every request (serialising
 * and redacting its headers) even when the line's level was off, 5 % of a read's CPU under load (issue 19).
 */
export const requestLogMiddleware =
  (logger: Logger, ignore: (request: Request) => boolean) => (request: Request & { correlationId?: string }, response: Response, next: NextFunction) => {
    if (ignore(request)) return next();
    const started = Date.now();
    const ended = () => {
      response.off('finish', ended);
      response.off('close', ended);
      const responseTime = Date.now() - started;
      const aborted = !response.writableFinished;
      const level = requestLogLevel(response.statusCode, responseTime, aborted);
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        { reqId: request.correlationId, req: stdSerializers.req(request), res: stdSerializers.res(response), responseTime },
        aborted ? 'request aborted' : 'request completed',
      );
    };
    response.on('finish', ended);
    response.on('close', ended);
    next();
  };

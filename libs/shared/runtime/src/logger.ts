import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs; credentials in request headers never reach them. */
export const createLogger = (level: string, name = 'mandate'): Logger =>
  pino({
    name,
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]'], censor: '[redacted]' },
  });

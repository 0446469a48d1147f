import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { requestLogLevel, requestLogMiddleware, SLOW_REQUEST_MS } from './request-log';

describe('The request log', () => {
  let server: Server;
  let url: string;
  let lines: Record<string, any>[];

  const serve = (level: string) =>
    new Promise<void>((resolve) => {
      lines = [];
      const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) });
      // The platform's logger redacts credentials the same way (createLogger).
      const logger = pino({ level, redact: { paths: ['req.headers.authorization'], censor: '[redacted]' } }, sink);
      const app = express();
      app.use((req, _res, next) => (((req as unknown as { correlationId: string }).correlationId = 'corr-1'), next()));
      app.use(requestLogMiddleware(logger, (req) => req.url === '/health'));
      app.get('/ok', (_req, res) => res.json({ ok: true }));
      app.get('/health', (_req, res) => res.status(503).json({ ok: false }));
      app.get('/fails', (_req, res) => res.status(500).json({ type: 'internal' }));
      app.get('/refused', (_req, res) => res.status(403).json({ type: 'forbidden' }));
      app.get('/never', () => undefined); // the client gives up first
      server = app.listen(0, '127.0.0.1', () => {
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        resolve();
      });
    });
  const settled = () => new Promise((resolve) => setTimeout(resolve, 50));

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('writes failures and refusals with the request, its correlation id and time, credentials redacted; fast successes only at debug', async () => {
    await serve('info');
    for (const path of ['/ok', '/fails', '/refused', '/health']) await fetch(`${url}${path}`, { headers: { authorization: 'Bearer secret-token' } });
    await settled();
    expect(lines.map((l) => [l.level, l.res.statusCode, l.req.url])).toEqual([
      [50, 500, '/fails'],
      [40, 403, '/refused'],
    ]);
    expect(lines[0]).toMatchObject({ reqId: 'corr-1', msg: 'request completed', req: { method: 'GET', headers: { authorization: '[redacted]' } } });
    expect(typeof lines[0].responseTime).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('secret-token');
  });

  it('writes every request when the level is debug', async () => {
    await serve('debug');
    await fetch(`${url}/ok`);
    await settled();
    expect(lines).toEqual([expect.objectContaining({ level: 20, res: expect.objectContaining({ statusCode: 200 }) })]);
  });

  it('writes a request the client left before its answer as a warning', async () => {
    await serve('info');
    const abort = new AbortController();
    const pending = fetch(`${url}/never`, { signal: abort.signal }).catch(() => 'aborted');
    await settled();
    abort.abort();
    expect(await pending).toBe('aborted');
    await settled();
    expect(lines).toEqual([expect.objectContaining({ level: 40, msg: 'request aborted', req: expect.objectContaining({ url: '/never' }) })]);
  });

  it('chooses the level from the outcome', () => {
    expect(requestLogLevel(200, 3, false)).toBe('debug');
    expect(requestLogLevel(200, SLOW_REQUEST_MS, false)).toBe('info');
    expect(requestLogLevel(404, 3, false)).toBe('warn');
    expect(requestLogLevel(200, 3, true)).toBe('warn');
    expect(requestLogLevel(503, 3, false)).toBe('error');
  });
});

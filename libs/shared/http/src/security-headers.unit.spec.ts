import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import { securityHeaders } from './security-headers';

/** The headers a server with `middleware` in front answers GET / with. */
const headersServedBy = async (middleware: express.RequestHandler): Promise<Record<string, string>> => {
  const app = express();
  app.use(middleware);
  app.get('/', (_req, res) => res.json({ ok: true }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const headers = Object.fromEntries(response.headers);
    // What differs per answer whatever the middleware.
    for (const name of ['date', 'etag', 'connection', 'keep-alive']) delete headers[name];
    return headers;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
};

describe('Security headers decided once', () => {
  const options: HelmetOptions = {
    contentSecurityPolicy: { directives: { connectSrc: ["'self'", 'https://sso.example.vn'], imgSrc: ["'self'", 'data:', 'blob:'] } },
  };

  it('answers with exactly the headers helmet sets, X-Powered-By removed', async () => {
    const remembered = await headersServedBy(securityHeaders(options));
    expect(remembered).toEqual(await headersServedBy(helmet(options)));
    expect(remembered['content-security-policy']).toContain("connect-src 'self' https://sso.example.vn");
    expect(remembered['strict-transport-security']).toBeDefined();
    expect(remembered['x-content-type-options']).toBe('nosniff');
    expect(remembered['x-powered-by']).toBeUndefined();
  });

  it('refuses options whose headers depend on the request (a nonce per answer)', () => {
    expect(() =>
      securityHeaders({
        contentSecurityPolicy: { directives: { scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as unknown as { locals: { n: string } }).locals.n}'`] } },
      }),
    ).toThrow(/per request/);
    expect(() => securityHeaders({ contentSecurityPolicy: { directives: { defaultSrc: ["'self'"] } } })).not.toThrow();
  });
});

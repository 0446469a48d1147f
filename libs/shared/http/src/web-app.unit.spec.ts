import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Server } from 'node:http';
import express from 'express';
import { webApp } from './web-app';

describe('Serving the web app', () => {
  let root: string;
  let server: Server;
  let url: string;
  const big = `console.log(${JSON.stringify('nhiệm vụ '.repeat(2000))});`;

  const serve = (dir: string) =>
    new Promise<void>((resolve) => {
      const app = express();
      app.use(webApp(dir));
      // What lies behind it: the API.
      app.use((req, res) => res.status(404).json({ type: 'route-not-found', path: req.path }));
      server = app.listen(0, '127.0.0.1', () => {
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        resolve();
      });
    });

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-web-'));
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><html lang="vi"><div id="root"></div></html>');
    fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), big);
    fs.writeFileSync(path.join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await serve(root);
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers every page path with index.html, never cached, so the app routes deep links', async () => {
    for (const page of ['/', '/plans/8de6b3c0', '/tasks/x/y']) {
      const response = await fetch(`${url}${page}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<html lang="vi">');
    }
  });

  it('serves hashed assets for a year, gzipped for a browser that asks', async () => {
    const response = await fetch(`${url}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.text()).toBe(big);
  });

  it('serves the files beside the assets (the icon) with a check on each use: their names carry no hash', async () => {
    const response = await fetch(`${url}/favicon.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('image/svg+xml');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('leaves the API, health and metrics alone, and answers a missing asset 404 rather than the page', async () => {
    for (const path of ['/api/v1/plans', '/health', '/metrics', '/assets/gone-000.js']) {
      const response = await fetch(`${url}${path}`);
      expect([path, response.status]).toEqual([path, 404]);
      expect(((await response.json()) as { type: string }).type).toBe('route-not-found');
    }
    expect((await fetch(`${url}/plans`, { method: 'POST' })).status).toBe(404);
  });

  it('says how to build the app when it is not built', async () => {
    fs.rmSync(path.join(root, 'index.html'));
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:web');
  });
});

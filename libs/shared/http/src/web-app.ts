import * as fs from 'node:fs';
import * as path from 'node:path';
import compression from 'compression';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/** Paths the API and the operations endpoints own: never answered with the web app. */
const NOT_THE_WEB_APP = /^\/(api|health|metrics)(\/|$)/;

const NOT_BUILT = `<!doctype html><html lang="vi"><meta charset="utf-8"><title>Mandate</title>
<body><h1>Mandate</h1><p>Ứng dụng web chưa được build. Chạy <code>npm run build:web</code> rồi tải lại trang.</p>
<p lang="en">The web app is not built: run <code>npm run build:web</code> and reload.</p></body></html>`;

/**
 * Serves the built web app: its hashed assets for a year, its other files (the icon) checked on each use,
 * and index.html (never cached) for every other page path, so that the app's own router answers deep
 * links such as /plans/<id>. Gzipped for the browsers that ask (a phone on a slow line gets a third of
 * the bytes).
 */
export const webApp = (root: string): RequestHandler => {
  const hashed = path.join(root, 'assets') + path.sep;
  const assets = express.static(root, {
    index: false,
    immutable: true,
    maxAge: '365d',
    fallthrough: true,
    // Only the hashed files under assets/ never change; the others (the icon) are checked again each time.
    setHeaders: (res, file) => void (file.startsWith(hashed) || res.setHeader('Cache-Control', 'no-cache')),
  });
  const gzip = compression();
  const index = path.join(root, 'index.html');
  return (req: Request, res: Response, next: NextFunction) => {
    if (!['GET', 'HEAD'].includes(req.method) || NOT_THE_WEB_APP.test(req.path)) return next();
    gzip(req, res, () => serve(req, res, next));
  };
  function serve(req: Request, res: Response, next: NextFunction) {
    assets(req, res, () => {
      // A missing asset is a 404, not the page: a browser would otherwise run HTML as a script.
      if (path.extname(req.path)) return next();
      res.setHeader('Cache-Control', 'no-cache');
      if (!fs.existsSync(index)) return res.status(503).type('html').send(NOT_BUILT);
      res.sendFile(index);
    });
  }
};

#!/usr/bin/env node
// Builds the web app (apps/web) into dist/apps/web with Vite, unless the build there is newer than
// every source file: `npm start` and the browser tests call it, and a second call costs nothing.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const web = path.join(root, 'apps/web');
const out = path.join(root, 'dist/apps/web/index.html');

const newest = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const file = path.join(dir, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(file) : fs.statSync(file).mtimeMs);
  }, 0);

const force = process.argv.includes('--force');
if (!force && fs.existsSync(out) && fs.statSync(out).mtimeMs >= newest(web)) {
  process.stdout.write('web app: up to date (dist/apps/web)\n');
} else {
  process.stdout.write('web app: building with Vite…\n');
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(web, 'vite.config.mts'), '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
      // Always the production build: called from Jest (NODE_ENV=test) Vite would bundle React's development
      // build, with StrictMode's double effects (every request twice) and none of the speed being measured.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
}

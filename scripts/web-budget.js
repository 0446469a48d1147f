#!/usr/bin/env node
// The web app's size budget, checked in CI on the production build (dist/apps/web): what a phone
// downloads before the first screen (the entry, the app it loads, their imports and CSS), and the whole app.
// Sizes are gzip, as a browser receives them.
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const BUDGET = { initialKb: 170, totalKb: 450 };
const dir = path.resolve(__dirname, '../dist/apps/web');
const index = path.join(dir, 'index.html');
if (!fs.existsSync(index)) {
  console.error('web budget: dist/apps/web is not built (node scripts/build-web.js)');
  process.exit(1);
}
const gz = (file) => zlib.gzipSync(fs.readFileSync(path.join(dir, file)), { level: 9 }).length;
const html = fs.readFileSync(index, 'utf8');
// The entry script, the chunks index.html preloads (the app it always loads next: React, the router, the
// shared code; see preloadTheApp in apps/web/vite.config.mts) and the stylesheets: fetched before anything shows.
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const all = fs
  .readdirSync(path.join(dir, 'assets'))
  .filter((f) => /\.(js|css)$/.test(f))
  .map((f) => `assets/${f}`);
const kb = (files) => files.reduce((sum, f) => sum + gz(f), 0) / 1024;
const initialKb = kb(initial);
const totalKb = kb(all);
const largest = all
  .map((f) => [f, gz(f) / 1024])
  .sort((a, b) => b[1] - a[1])
  .slice(0, 5);
console.log(
  `web budget: initial ${initialKb.toFixed(1)} KB gzip of ${BUDGET.initialKb} (${((100 * initialKb) / BUDGET.initialKb).toFixed(0)}%), ` +
    `whole app ${totalKb.toFixed(1)} KB of ${BUDGET.totalKb} (${((100 * totalKb) / BUDGET.totalKb).toFixed(0)}%), ${all.length} files`,
);
for (const [file, size] of largest) console.log(`  ${size.toFixed(1).padStart(7)} KB  ${file}`);
if (initialKb > BUDGET.initialKb || totalKb > BUDGET.totalKb) {
  console.error('web budget exceeded: lazy-load the screen or library that grew (apps/web/src/app.tsx)');
  process.exit(1);
}

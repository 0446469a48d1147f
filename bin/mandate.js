#!/usr/bin/env node
// The `mandate` command. It runs the compiled code under dist/out (`npm run build`, done by `npm ci`)
// when that is of the sources as they are now; otherwise (sources edited since, no build, or
// MANDATE_FROM_SOURCES=1) it compiles the TypeScript on load with SWC, as it did before builds existed:
// slower to start, the same behaviour.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const compiledMain = path.join(root, 'dist', 'out', 'apps', 'cli', 'src', 'main.js');

const compiledIsCurrent = () => {
  if (process.env.MANDATE_FROM_SOURCES === '1') return false;
  let build;
  try {
    build = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'out', 'build.json'), 'utf8'));
  } catch {
    return false;
  }
  // An image holds only the compiled code: nothing to compare with.
  if (!fs.existsSync(path.join(root, 'apps', 'cli', 'src', 'main.ts'))) return fs.existsSync(compiledMain);
  return build.stamp === require('../scripts/compiled-sources').sourcesStamp(root) && fs.existsSync(compiledMain);
};

if (compiledIsCurrent()) {
  require(compiledMain);
} else {
  process.env.SWC_NODE_PROJECT ??= path.join(root, 'tsconfig.base.json');
  require('@swc-node/register');
  require('../apps/cli/src/main.ts');
}

#!/usr/bin/env node
// `npm run bench -- <name>` runs bench/<name>.bench.ts through @swc-node/register (tsconfig paths included).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const benchDir = path.join(root, 'bench');
const available = fs
  .readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.slice(0, -'.bench.ts'.length))
  .sort();

const name = process.argv[2];
if (!name || !available.includes(name)) {
  if (name) console.error(`Unknown benchmark "${name}".`);
  console.error(`Usage: npm run bench -- <name>\nAvailable: ${available.join(', ') || '(none)'}`);
  process.exit(name ? 1 : 0);
}

process.env.SWC_NODE_PROJECT = path.join(root, 'tsconfig.base.json');
require('@swc-node/register');
require(path.join(benchDir, `${name}.bench.ts`));

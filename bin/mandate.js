#!/usr/bin/env node
// The `mandate` command. Sources are TypeScript, compiled on load by SWC (decorator metadata on,
// tsconfig paths resolved), so `npx mandate …` works right after `npm ci` with no build step.
const path = require('node:path');
process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', 'tsconfig.base.json');
require('@swc-node/register');
require('../apps/cli/src/main.ts');

#!/usr/bin/env node
// `npm run build` (also `npm ci`'s prepare step): compiles the services, the CLI and every library to
// CommonJS under dist/out, the tree's layout kept (dist/out/apps/plans/src/main.js…), so that running
// them needs no compiler. The compile is the very one `@swc-node/register` does on load (same tsconfig,
// same SWC options: decorators and their metadata, `@mandate/*` paths rewritten to relative ones), done
// ahead of time. Other files of the source folders (the parse worker's .js, JSON schemas) are copied
// beside. Specs, fixtures and the web app (Vite's) are left out. Writes dist/out/build.json, which
// bin/mandate.js checks before it trusts the output.
//
// `node scripts/build.js --project <root>` (each project's Nx `build` target) compiles that project's
// src folder into dist/out/<root>, and for an app every library too.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// MANDATE_BUILD_OUT (relative to the root): another output folder, for the spec that checks a build; inside the
// project, so that compiled code still finds the project root above it.
const out = path.join(root, process.env.MANDATE_BUILD_OUT ?? path.join('dist', 'out'));
process.env.SWC_NODE_PROJECT ??= path.join(root, 'tsconfig.base.json');
const { readDefaultTsConfig, tsCompilerOptionsToSwcConfig } = require('@swc-node/register/read-default-tsconfig');
const { transform } = require('@swc-node/core');
const { compiledSources, sourcesStamp } = require('./compiled-sources');

const compile = async (files, options) => {
  let compiled = 0;
  let copied = 0;
  const queue = [...files];
  // A few at a time: SWC compiles on threads of its own.
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const source = path.join(root, file);
      const target = path.join(out, file.replace(/\.ts$/, '.js'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (!file.endsWith('.ts')) {
        fs.copyFileSync(source, target);
        copied++;
        continue;
      }
      const swc = { ...tsCompilerOptionsToSwcConfig(options, source), sourcemap: true };
      const { code, map } = await transform(fs.readFileSync(source, 'utf8'), source, swc);
      fs.writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
      if (map) fs.writeFileSync(`${target}.map`, map);
      compiled++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { compiled, copied };
};

const main = async () => {
  const started = Date.now();
  const options = readDefaultTsConfig(process.env.SWC_NODE_PROJECT);
  const at = process.argv.indexOf('--project');
  const project = at >= 0 ? process.argv[at + 1] : null;
  let counts;
  if (project) {
    const folder = `${project.replace(/\/+$/, '')}/src`;
    if (!fs.existsSync(path.join(root, folder))) throw new Error(`${folder} does not exist`);
    fs.rmSync(path.join(out, folder), { recursive: true, force: true });
    // An app's build is runnable on its own: with every library (SWC compiles file by file, so this needs no
    // order among projects, whose graph has a cycle through the test helpers' library).
    counts = await compile(compiledSources(root, project.startsWith('apps/') ? [folder, 'libs'] : [folder]), options);
  } else {
    const files = compiledSources(root);
    fs.rmSync(out, { recursive: true, force: true });
    counts = await compile(files, options);
    const build = { builtAt: new Date().toISOString(), stamp: sourcesStamp(root, files), files: files.length };
    fs.writeFileSync(path.join(out, 'build.json'), `${JSON.stringify(build, null, 2)}\n`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `build${project ? ` ${project}` : ''}: ${counts.compiled} TypeScript files compiled, ${counts.copied} copied, into dist/out in ${seconds} s\n`,
  );
};

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});

// What scripts/build.js compiles, and the stamp that says whether dist/out is of the sources as they are
// now (bin/mandate.js checks it on every start: a walk of the source folders, a few milliseconds).
const fs = require('node:fs');
const path = require('node:path');

/** The source folders of the apps that run on Node (the web app is Vite's) and of every library. */
const SOURCE_ROOTS = ['apps/assignments/src', 'apps/cli/src', 'apps/gateway/src', 'apps/notifications/src', 'apps/plans/src', 'apps/reporting/src', 'libs'];
const SKIPPED = /(\.spec\.ts|\.d\.ts|\.md|\.tsbuildinfo)$|(^|\/)(fixtures|node_modules|project\.json)(\/|$)/;

const walk = (root, dir, files) => {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const file = `${dir}/${entry.name}`;
    if (SKIPPED.test(file)) continue;
    if (entry.isDirectory()) walk(root, file, files);
    else files.push(file);
  }
  return files;
};

/** Every file compiled or copied (of `roots`, by default all), relative to the root, in a stable order. */
const compiledSources = (root, roots = SOURCE_ROOTS) => roots.flatMap((dir) => walk(root, dir, [])).sort();

/** Names, sizes and modification times of the sources: changes when any is added, removed or edited. */
const sourcesStamp = (root, files = compiledSources(root)) => {
  const hash = require('node:crypto').createHash('sha1');
  for (const file of files) {
    const stat = fs.statSync(path.join(root, file));
    hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
};

module.exports = { compiledSources, sourcesStamp, SOURCE_ROOTS };

import * as fs from 'node:fs';
import * as path from 'node:path';

let found: string | undefined;

/**
 * The project's root (the directory of its package.json): where the seeds, the built web app and the
 * AsyncAPI document are. Found by walking up from this file, so it is the same whether the code runs
 * from its TypeScript sources or compiled under dist/out (two levels deeper), in a checkout or an image.
 */
export const projectRoot = (from = __dirname): string => {
  // Found once per process: the seeds, the web build and the AsyncAPI document all ask at load.
  if (from === __dirname && found) return found;
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'mandate') {
      if (from === __dirname) found = dir;
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`No package.json of "mandate" above ${from}`);
  }
};

// The build (issue 21): what scripts/build.js writes runs without a compiler. Built into a folder of
// its own under dist/ (dist/out is what bin/mandate.js and the other suites may be running).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePlan } from '@mandate/plan-import';
import { projectRoot } from '@mandate/runtime';
import { ParsePool } from '../../plans/src/parse-pool';
import { readDirectory, readLeaders, SEEDS_DIR } from '../../plans/src/seed';

jest.setTimeout(120_000);

const ROOT = projectRoot();
const OUT = path.join('dist', `build-spec-${process.pid}`);
const built = (file: string) => path.join(ROOT, OUT, file);
const node = (args: string[], env: Record<string, string> = {}) =>
  execFileSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, NODE_ENV: 'development', ...env }, encoding: 'utf8' });

describe('The compiled build (dist/out)', () => {
  let summary: string;
  beforeAll(() => {
    summary = node(['scripts/build.js'], { MANDATE_BUILD_OUT: OUT });
  });
  afterAll(() => fs.rmSync(path.join(ROOT, OUT), { recursive: true, force: true }));

  it('compiles every service, the CLI and every library, paths rewritten, specs left out, and stamps the sources it was built from', () => {
    expect(summary).toMatch(/build: \d+ TypeScript files compiled, \d+ copied/);
    for (const service of ['plans', 'assignments', 'reporting', 'notifications', 'gateway', 'cli'])
      expect(fs.existsSync(built(`apps/${service}/src/main.js`))).toBe(true);
    const compiled: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else compiled.push(file);
      }
    };
    walk(path.join(ROOT, OUT));
    expect(compiled.filter((f) => f.endsWith('.spec.js') || f.endsWith('.ts'))).toEqual([]);
    const aliased = compiled.filter((f) => f.endsWith('.js') && /require\("@mandate\//.test(fs.readFileSync(f, 'utf8')));
    expect(aliased).toEqual([]);
    const { stamp } = JSON.parse(fs.readFileSync(built('build.json'), 'utf8')) as { stamp: string };
    // The stamp's definition is the plain JavaScript bin/mandate.js shares.
    const { sourcesStamp } = require('../../../scripts/compiled-sources') as { sourcesStamp: (root: string) => string };
    expect(stamp).toBe(sourcesStamp(ROOT));
  });

  it('runs the CLI compiled: help, and a command that reads the seeds and signs a token', () => {
    expect(node([built('apps/cli/src/main.js'), '--help'])).toContain('Usage: mandate');
    const token = node([built('apps/cli/src/main.js'), 'token', '--city', 'hai-phong', '--role', 'office']).trim();
    expect(token.split('.')).toHaveLength(3);
    expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())).toMatchObject({ city: 'hai-phong', role: 'office' });
  });

  it('reads a document in the compiled parse worker exactly as the importer does in process', async () => {
    const pool = new ParsePool({ timeoutMs: 30_000, script: built('apps/plans/src/parse-worker.js') });
    try {
      const options = { directory: readDirectory('hai-phong'), leaders: readLeaders('hai-phong') };
      const seed = 'hai-phong-40-KH-UBND-2023.txt';
      const bytes = fs.readFileSync(path.join(SEEDS_DIR, 'documents', seed));
      const read = await pool.read(bytes, seed, options);
      expect(read.parsed).toEqual(parsePlan(bytes.toString('utf8'), { ...options, document: seed }));
    } finally {
      await pool.close();
    }
  });
});

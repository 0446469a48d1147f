import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from './project-root';

describe('The project root', () => {
  it('is the directory of the package.json named "mandate", from the sources and from the compiled copy two levels deeper', () => {
    const root = projectRoot();
    expect(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).name).toBe('mandate');
    expect(fs.existsSync(path.join(root, 'seeds'))).toBe(true);
    expect(projectRoot(path.join(root, 'dist', 'out', 'libs', 'shared', 'runtime', 'src'))).toBe(root);
  });

  it('passes over package.json files of other packages, and says when there is none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-root-'));
    fs.mkdirSync(path.join(dir, 'app', 'node_modules', 'x'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'app', 'package.json'), JSON.stringify({ name: 'mandate' }));
    fs.writeFileSync(path.join(dir, 'app', 'node_modules', 'x', 'package.json'), JSON.stringify({ name: 'x' }));
    expect(projectRoot(path.join(dir, 'app', 'node_modules', 'x'))).toBe(path.join(dir, 'app'));
    expect(() => projectRoot(dir)).toThrow(/No package.json of "mandate"/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

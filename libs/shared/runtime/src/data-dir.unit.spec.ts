import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureDataDir, privateFile, searchableBy, unreachableAncestor } from './data-dir';

const postgres = { uid: 101, gid: 104 };

describe('the data directory', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-data-dir-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('knows which directories the OS user of PostgreSQL can enter, and which on the way it cannot', () => {
    expect(searchableBy({ uid: 0, gid: 0, mode: 0o755 }, postgres)).toBe(true);
    expect(searchableBy({ uid: 0, gid: 0, mode: 0o700 }, postgres)).toBe(false); // /root
    expect(searchableBy({ uid: 0, gid: 104, mode: 0o750 }, postgres)).toBe(true);
    expect(searchableBy({ uid: 101, gid: 0, mode: 0o700 }, postgres)).toBe(true);
    expect(searchableBy({ uid: 101, gid: 104, mode: 0o070 }, postgres)).toBe(false); // the owner's bits count
    const modes: Record<string, number> = { '/': 0o755, '/root': 0o700, '/root/mandate': 0o755 };
    const stat = (p: string) => ({ uid: 0, gid: 0, mode: modes[p] });
    expect(unreachableAncestor('/root/mandate/.data', postgres, stat)).toBe('/root');
    expect(unreachableAncestor('/srv/.data', postgres, () => ({ uid: 0, gid: 0, mode: 0o755 }))).toBeNull();
  });

  it('is made, or an existing one restricted, so that nobody else writes in it', () => {
    const data = path.join(dir, 'data');
    ensureDataDir(data);
    expect(fs.statSync(data).mode & 0o027).toBe(0);
    fs.chmodSync(data, 0o777); // as earlier versions left it when started by root
    ensureDataDir(data);
    expect(fs.statSync(data).mode & 0o027).toBe(0);
    fs.writeFileSync(path.join(dir, 'file'), '');
    expect(() => ensureDataDir(path.join(dir, 'file'))).toThrow(`The data directory ${path.join(dir, 'file')} (MANDATE_DATA_DIR) is not a directory`);
  });

  it('keeps a secret made once, private to this user', () => {
    const data = path.join(dir, 'data');
    let made = 0;
    const make = () => `secret-${++made}`;
    expect(privateFile(data, 'key', make)).toBe('secret-1');
    expect(privateFile(data, 'key', make)).toBe('secret-1');
    expect(fs.statSync(path.join(data, 'key')).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(data)).toEqual(['key']);
    fs.chmodSync(path.join(data, 'key'), 0o644);
    privateFile(data, 'key', make);
    expect(fs.statSync(path.join(data, 'key')).mode & 0o777).toBe(0o600);
  });

  (process.getuid?.() === 0 ? it : it.skip)('refuses a secret that belongs to another user: it may have been put there', () => {
    fs.writeFileSync(path.join(dir, 'jwt-secret'), 'planted', { mode: 0o600 });
    fs.chownSync(path.join(dir, 'jwt-secret'), 65534, 65534);
    expect(() => privateFile(dir, 'jwt-secret', () => 'x')).toThrow(/belongs to user 65534, not to this user \(0\): it may have been replaced/);
  });
});

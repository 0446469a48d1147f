import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { promisify } from 'node:util';

export const ROOT = path.resolve(__dirname, '../../../..');
export const BIN = path.join(ROOT, 'bin/mandate.js');

export type LogLine = { msg?: string; url?: string; imported?: number; skipped?: number; level?: number };
export type MandateProcess = { child: ChildProcess; url: string; lines: LogLine[] };

/** `mandate start` as a user runs it (`npm start`): resolves once it logs "Mandate is ready". */
export const startMandate = (env: NodeJS.ProcessEnv, timeoutMs = 90_000) =>
  new Promise<MandateProcess>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: LogLine[] = [];
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mandate start was not ready within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as LogLine;
        lines.push(parsed);
        if (parsed.msg === 'Mandate is ready' && parsed.url) {
          clearTimeout(timer);
          resolve({ child, url: parsed.url, lines });
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`mandate start exited with ${code ?? signal}: ${stderr}`));
    });
  });

/** Sends a signal and resolves with the exit code (null when the signal killed it). */
export const stopMandate = (child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') =>
  new Promise<number | null>((resolve) => {
    child.removeAllListeners('exit');
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });

/** A dev token from `mandate token`, signed with the data directory's key as the platform's are. */
export const cliToken = (env: NodeJS.ProcessEnv, args: string[]): string => {
  const out = spawnSync(process.execPath, [BIN, 'token', ...args], { cwd: ROOT, env, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`mandate token ${args.join(' ')} failed: ${out.stderr}`);
  return out.stdout.trim();
};

/** Runs the CLI without blocking this process (an in-process platform may be what answers it). */
export const runMandate = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

// Memory of the platform's processes, read after a full GC through bench/onboarding/memory-probe.cjs.
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { nextMessage } from '../e2e/children';

export type Memory = { rss: number; heapUsed: number; heapTotal: number; external: number; collected: boolean };
type Report = Memory & { type: 'bench-memory' };

/** What a measured process is started with: gc() exposed and the probe preloaded. */
export const PROBE_NODE_ARGS = ['--expose-gc', '-r', path.join(__dirname, 'memory-probe.cjs')];

const TIMEOUT_MS = 15_000;

/** A child with an IPC channel (forked): the probe answers with a message. */
export const memoryOverIpc = (child: ChildProcess) => async (): Promise<Memory> => {
  const reply = nextMessage<Report>(child, 'bench-memory');
  child.kill('SIGUSR2');
  return await reply;
};

/** A child whose stdout is piped to this process (a spawned service): the probe answers with a line. */
export const memoryOverStdout = (child: ChildProcess) => (): Promise<Memory> =>
  new Promise((resolve, reject) => {
    let pending = '';
    const done = (then: () => void) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      then();
    };
    const onData = (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop()!;
      const line = lines.find((l) => l.startsWith('{"type":"bench-memory"'));
      if (line) done(() => resolve(JSON.parse(line) as Report));
    };
    const timer = setTimeout(() => done(() => reject(new Error(`no memory report from pid ${child.pid} in ${TIMEOUT_MS} ms`))), TIMEOUT_MS);
    child.stdout!.on('data', onData);
    child.kill('SIGUSR2');
  });

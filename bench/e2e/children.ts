// Child processes of the benches: each measured server and load generator runs in a process of its
// own, so none shares an event loop with what it measures.
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Node with the bench's TypeScript loader (what scripts/bench.js registers), plus `nodeArgs`; `file` relative to bench/. */
export const forkTs = (file: string, nodeArgs: string[] = []): ChildProcess =>
  fork(path.join(ROOT, 'bench', file), [], {
    cwd: ROOT,
    execArgv: [...nodeArgs, '-r', '@swc-node/register'],
    env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.base.json') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

/** The child's next IPC message of `type`; rejects on an `error` message or when the child exits first. */
export const nextMessage = <T extends { type: string }>(child: ChildProcess, type: T['type']): Promise<T> =>
  new Promise((resolve, reject) => {
    const onMessage = (message: T | { type: 'error'; message: string }) => {
      if (message.type === 'error') return done(() => reject(new Error((message as { message: string }).message)));
      if (message.type === type) done(() => resolve(message as T));
    };
    const onExit = (code: number | null) => done(() => reject(new Error(`child ${child.pid} exited (${code}) while waiting for "${type}"`)));
    const done = (then: () => void) => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      then();
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });

export const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

/** The embedded platform (bench/e2e/embedded-platform.ts) in a child of its own. */
export const startEmbeddedChild = async (nodeArgs: string[] = []) => {
  const child = forkTs('e2e/embedded-platform.ts', nodeArgs);
  const ready = await nextMessage<{ type: 'ready'; url: string; databaseUrl: string }>(child, 'ready');
  return {
    child,
    url: ready.url,
    databaseUrl: ready.databaseUrl,
    async stop() {
      child.send({ type: 'stop' });
      await exited(child);
    },
  };
};

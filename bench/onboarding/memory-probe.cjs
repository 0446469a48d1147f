// Preloaded into each platform process the onboarding bench measures (`node --expose-gc -r
// bench/onboarding/memory-probe.cjs …`): on SIGUSR2 it runs a full garbage collection and reports
// process.memoryUsage(), to the parent over IPC when the process has a channel (the embedded
// platform's child), else as one JSON line on stdout (a distributed service, whose output the bench
// reads). Plain JavaScript: it loads before the TypeScript loader. Worker threads (which inherit the
// preload) leave it alone.
const { isMainThread } = require('node:worker_threads');

if (isMainThread) {
  process.on('SIGUSR2', () => {
    const gc = typeof globalThis.gc === 'function' ? globalThis.gc : null;
    // Twice: what the first one's finalizers let go of goes in the second.
    if (gc) {
      gc();
      gc();
    }
    const m = process.memoryUsage();
    const report = {
      type: 'bench-memory',
      collected: gc !== null,
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
    };
    if (process.send) process.send(report);
    else process.stdout.write(`${JSON.stringify(report)}\n`);
  });
}

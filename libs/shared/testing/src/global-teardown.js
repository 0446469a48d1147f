// Runs once in Jest's outer process after every suite. On two cores Jest runs the suites in that
// process, so a socket, server or child a suite leaves open would keep it from exiting: name it
// here, so the leak is found, while `npm test` passes --forceExit so a run always ends.
const describe = (handle) => {
  const type = handle?.constructor?.name ?? typeof handle;
  if (type === 'Socket') return handle.remotePort ? `socket to ${handle.remoteAddress}:${handle.remotePort}` : null; // null: stdio
  if (type === 'Server' && typeof handle.address === 'function') return `server on ${JSON.stringify(handle.address())}`;
  if (type === 'ChildProcess') return `child ${handle.pid} (${handle.spawnfile})`;
  if (type === 'WriteStream' || type === 'ReadStream') return null;
  return type;
};

module.exports = async () => {
  const open = (process._getActiveHandles?.() ?? [])
    .filter((h) => typeof h?.hasRef !== 'function' || h.hasRef())
    .map(describe)
    .filter(Boolean);
  if (open.length) process.stderr.write(`\nStill open after the tests (a suite did not close it): ${open.join('; ')}\n`);
};

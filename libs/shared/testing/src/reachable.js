// Whether something accepts connections on a port: used by `npm test` (scripts/test.js) to start what is
// down, by the e2e tier's global setup to say what is missing, and by the web bench to warn of a broker.
// Plain JavaScript, as the first two run before any TypeScript is compiled.
const net = require('node:net');

/** Resolves true when a TCP connection opens within `timeoutMs`, false otherwise; never rejects. */
const reachable = (port, host = '127.0.0.1', timeoutMs = 1000) =>
  new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });

module.exports = { reachable };

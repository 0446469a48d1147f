#!/usr/bin/env node
// `npm run start:distributed`: the gateway and the four services as separate processes against
// PostgreSQL (DATABASE_URL), Redis (REDIS_URL) and Kafka (KAFKA_BROKERS). Output lines are
// prefixed with the service name; Ctrl-C stops them all. A crashed service stops the rest.
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const root = path.resolve(__dirname, '..');
const env = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mandate',
  KAFKA_BROKERS: '127.0.0.1:9092',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ...process.env,
};
const gatewayPort = Number(env.PORT ?? 3000);
const ports = { plans: gatewayPort + 1, assignments: gatewayPort + 2, reporting: gatewayPort + 3, notifications: gatewayPort + 4 };
const urls = Object.fromEntries(Object.entries(ports).map(([name, port]) => [`${name.toUpperCase()}_URL`, `http://127.0.0.1:${port}`]));
const services = [...Object.entries(ports), ['gateway', gatewayPort]];

const children = new Map();
let stopping = false;

const stopAll = (code) => {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  const timer = setTimeout(() => process.exit(code), 15_000);
  const check = setInterval(() => {
    if ([...children.values()].every((c) => c.exitCode !== null || c.signalCode !== null)) {
      clearInterval(check);
      clearTimeout(timer);
      process.exit(code);
    }
  }, 100);
};

(async () => {
  // Each service migrates its own schema; the database itself must exist first.
  require(path.join(root, 'node_modules/@swc-node/register'));
  process.env.SWC_NODE_PROJECT ??= path.join(root, 'tsconfig.base.json');
  const { ensureDatabase } = require(path.join(root, 'libs/shared/runtime/src/database.ts'));
  await ensureDatabase(env.DATABASE_URL);

  for (const [name, port] of services) {
    const child = spawn(process.execPath, [path.join(root, 'bin/mandate.js'), 'serve', name], {
      cwd: root,
      env: { ...env, ...urls, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.set(name, child);
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${name.padEnd(13)} | ${line}\n`));
    }
    child.on('exit', (code, signal) => {
      if (!stopping) {
        process.stderr.write(`${name} exited (${signal ?? code}); stopping the others\n`);
        stopAll(1);
      }
    });
  }
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
})().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  stopAll(1);
});

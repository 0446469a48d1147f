#!/usr/bin/env node
// The npm registry this project's machines reach serves only the linux builds of packages that
// ship one optional package per platform (@swc/core-*, @unrs/resolver-binding-*). `npm install`
// then leaves the other platforms out of package-lock.json, and `npm ci` refuses the lock as out
// of sync. This adds the missing entries with the os/cpu/libc their names state, which is what
// the lock holds when written against the full registry; npm ci skips them on other platforms.
// Run after any dependency change: `npm run lock:platforms`.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'netbsd', 'openbsd', 'sunos', 'aix'];
const CPU = { arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', wasm32: 'wasm32' };

const platformOf = (name) => {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.map((p) => CPU[p]).find(Boolean);
  if (!cpu) return null;
  const entry = { os: os ? [os] : undefined, cpu: [cpu] };
  if (os === 'linux') entry.libc = [parts.includes('musl') || parts.includes('musleabihf') ? 'musl' : 'glibc'];
  return entry;
};

let added = 0;
for (const [location, pkg] of Object.entries({ ...lock.packages })) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const base = location === '' ? '' : `${location}/`;
    const nested = `${base}node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (lock.packages[nested] || lock.packages[hoisted]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) continue;
    lock.packages[hoisted] = { version, optional: true, ...JSON.parse(JSON.stringify(platform)) };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`package-lock.json: ${added} platform entries added\n`);

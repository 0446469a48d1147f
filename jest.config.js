// One Jest project per tier; the suffix picks the tier (see README "Tests").
const preset = require('./jest.preset');

// Reports what a suite left open (see the file).
const TEARDOWN = '<rootDir>/libs/shared/testing/src/global-teardown.js';

const tier = (name, pattern, extra = {}) => ({
  ...preset,
  displayName: name,
  testMatch: [`<rootDir>/{apps,libs,bench,infra}/**/*.${pattern}.spec.ts`],
  ...extra,
});

module.exports = {
  projects: [
    tier('unit', 'unit'),
    tier('int', 'int', { globalSetup: '<rootDir>/libs/shared/testing/src/global-setup.js', globalTeardown: TEARDOWN, testTimeout: 30_000 }),
    tier('e2e', 'e2e', { globalSetup: '<rootDir>/libs/shared/testing/src/global-setup-e2e.js', globalTeardown: TEARDOWN, testTimeout: 60_000 }),
  ],
};

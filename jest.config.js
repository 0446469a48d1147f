// One Jest project per tier; the suffix picks the tier (see README "Tests").
const preset = require('./jest.preset');

// Reports what a suite left open (see the file).
const TEARDOWN = '<rootDir>/libs/shared/testing/src/global-teardown.js';
// Each tier's time limit per test (see the file: testTimeout is not a project option).
const TIMEOUT = '<rootDir>/libs/shared/testing/src/tier-timeout.js';

const tier = (name, pattern, extra = {}) => ({
  ...preset,
  displayName: name,
  testMatch: [`<rootDir>/{apps,libs,bench,infra}/**/*.${pattern}.spec.ts`],
  ...extra,
});

module.exports = {
  projects: [
    tier('unit', 'unit'),
    tier('int', 'int', { globalSetup: '<rootDir>/libs/shared/testing/src/global-setup.js', globalTeardown: TEARDOWN, setupFilesAfterEnv: [TIMEOUT] }),
    tier('e2e', 'e2e', { globalSetup: '<rootDir>/libs/shared/testing/src/global-setup-e2e.js', globalTeardown: TEARDOWN, setupFilesAfterEnv: [TIMEOUT] }),
  ],
};

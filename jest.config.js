// One Jest project per tier; the suffix picks the tier (see README "Tests").
const preset = require('./jest.preset');

const tier = (name, pattern, extra = {}) => ({
  ...preset,
  displayName: name,
  testMatch: [`<rootDir>/{apps,libs,bench,infra}/**/*.${pattern}.spec.ts`],
  ...extra,
});

module.exports = {
  projects: [
    tier('unit', 'unit'),
    tier('int', 'int', { globalSetup: '<rootDir>/libs/shared/testing/src/global-setup.js', testTimeout: 30_000 }),
    tier('e2e', 'e2e', { globalSetup: '<rootDir>/libs/shared/testing/src/global-setup-e2e.js', testTimeout: 60_000 }),
  ],
};

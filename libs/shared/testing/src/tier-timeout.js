// Each tier's time limit per test. `testTimeout` is one of Jest's global options: set on a project it
// is ignored (every tier ran under the 5 s default), while a setup file is per project.
const LIMITS = { '.int.spec.ts': 30_000, '.e2e.spec.ts': 60_000 };
const testPath = expect.getState().testPath ?? '';
const limit = Object.entries(LIMITS).find(([suffix]) => testPath.endsWith(suffix))?.[1];
if (limit) jest.setTimeout(limit);

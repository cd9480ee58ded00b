// `npm test` (and a bare `npx jest`): no root, no Docker, no network.
//   `unit`: pure modules;
//   `action`: a bundle of the current src/ (built once by its global setup, or the one given in
//   ACTION_BUNDLE_DIR) run as the runner runs it, main step then post step (scripts/local-run.mjs).
// The e2e tests, which need root and the Docker sandbox, have their own config: jest.e2e.config.js.
export const esmTs = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
}

export default {
  projects: [
    { ...esmTs, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    {
      ...esmTs,
      displayName: 'action',
      testMatch: ['<rootDir>/__tests__/action/**/*.test.ts'],
      globalSetup: '<rootDir>/__tests__/action/global-setup.mjs',
      globalTeardown: '<rootDir>/__tests__/action/global-teardown.mjs',
    },
  ],
}

// `unit`: pure modules; `action`: the committed bundle run as the runner runs it (no Docker);
// `e2e`: the real Docker sandbox (scripts/sandbox.sh).
const esmTs = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
}

export default {
  projects: [
    { ...esmTs, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    { ...esmTs, displayName: 'action', testMatch: ['<rootDir>/__tests__/action/**/*.test.ts'] },
    {
      ...esmTs,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
      // scripts/sandbox.sh up (idempotent); the sandbox stays up unless SANDBOX_TEARDOWN=1.
      globalSetup: '<rootDir>/__tests__/e2e/global-setup.ts',
      globalTeardown: '<rootDir>/__tests__/e2e/global-teardown.ts',
    },
  ],
}

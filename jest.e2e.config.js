// `npm run test:e2e`, as root on Debian 12: the e2e tests against the real Docker sandbox.
// The global setup bundles the current src/ (or takes ACTION_BUNDLE_DIR) and runs
// `scripts/sandbox.sh up`; the global teardown runs `scripts/sandbox.sh down` unless SANDBOX_KEEP=1.
// Timeouts are set in each test file (`import.meta.jest.setTimeout`): jest-circus ignores a
// project-level testTimeout.
import { esmTs } from './jest.config.js'

export default {
  projects: [
    {
      ...esmTs,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/__tests__/e2e/global-setup.mjs',
      globalTeardown: '<rootDir>/__tests__/e2e/global-teardown.mjs',
    },
  ],
}

import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  prettier,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The runner reads the step's output as workflow commands: text reaches the log only through
    // src/action/log.ts (`info`, CommandSafeStream), which makes values inert. core.warning, error,
    // setFailed and startGroup escape their message themselves and stay allowed.
    files: ['src/**'],
    ignores: ['src/action/log.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'core', property: 'info', message: 'Use info() from src/action/log.ts.' },
        { object: 'process', property: 'stdout', message: 'Print through src/action/log.ts.' },
        { object: 'process', property: 'stderr', message: 'Print through src/action/log.ts.' },
      ],
    },
  },
  {
    // A test or benchmark that meets a missing value should fail loudly, which `!` does.
    files: ['__tests__/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
)

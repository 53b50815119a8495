// Lint: typescript-eslint's type-checked recommended rules on the TypeScript sources and tests,
// zero warnings (npm test runs it). Formatting is Prettier's job, not the linter's.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  {
    ignores: [
      'build/',
      'node_modules/',
      'coverage/',
      '.stryker-tmp/',
      'reports/',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
      'src/domain/abort-signal.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    rules: {
      // Ports are promise-returning interfaces; an implementation with nothing to await is still async by contract.
      '@typescript-eslint/require-await': 'off',
      // Heavy modules (openai, sharp, ipaddr.js) are loaded with require() on first use, on purpose: start-up cost.
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read untyped JSON-RPC and JSON bodies on purpose, to see exactly what a client would.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
);

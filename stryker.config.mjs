// Mutation testing of the core (issue 34): `npm run mutation`. Outside `npm test` because it takes the better part of an
// hour on two cores; the score and the survivors worth knowing are recorded in docs/mutation-testing.md.
/**
 * Every unit test but those that read the source as text (the type check, the dependency rules, docs), which never run a
 * mutant. One extglob: jest expands `<rootDir>` only at the start of a pattern, so a `!<rootDir>/…` exclusion excluded nothing.
 */
export const UNIT_TESTS = '<rootDir>/test/unit/**/!(architecture|readme|config-table|tool-reference|toolsnaps).test.ts';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['src/domain/**/*.ts', 'src/application/**/*.ts', '!src/**/*.d.ts'],
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.ts',
    config: {
      // src too, so that jest's map of who imports whom (findRelatedTests) holds every core file.
      roots: ['<rootDir>/test', '<rootDir>/src'],
      // The tests that exercise the core in-process; the end-to-end suites spawn the built server, which a mutant never reaches.
      testMatch: [
        UNIT_TESTS,
        '<rootDir>/test/contract/in-memory-fakes.contract.test.ts',
        '<rootDir>/test/contract/money.property.test.ts',
        '<rootDir>/test/contract/properties.test.ts',
        '<rootDir>/test/contract/request-fields.property.test.ts',
        '<rootDir>/test/contract/file-system-media-store.test.ts',
        '<rootDir>/test/contract/simulator.contract.test.ts',
        '<rootDir>/test/contract/openai-video-provider.contract.test.ts',
      ],
      // Transpile only: the type check is `npm run typecheck`'s job, and a mutant is not meant to type-check.
      transform: {
        '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true, diagnostics: false }],
        'node_modules/@modelcontextprotocol/ext-apps/.+\\.js$': '<rootDir>/test/support/esm-to-cjs.cjs',
      },
    },
    // Each mutant runs only the test files that import its file (and, of those, the tests that reach it).
    enableFindRelatedTests: true,
  },
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  // Re-runs test only the mutants whose code or tests changed since the last run.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  thresholds: { high: 80, low: 70, break: null },
};

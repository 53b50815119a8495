// Mutation testing of part of the core, against the unit tests that are about it: faster than the full run
// (`npm run mutation`), and a lower bound (the contract suites kill some more). `PART=1 npx stryker run stryker.parts.mjs`
// measures the files part 1 names; `PART=2` the domain; `PART=3` the rest of the application. See docs/mutation-testing.md.
import base, { UNIT_TESTS } from './stryker.config.mjs';

const PARTS = {
  1: {
    mutate: [
      'src/application/variant-downloader.ts',
      'src/application/spending-ledger.ts',
      'src/application/reference-image-preparer.ts',
      'src/application/job-ownership.ts',
      'src/application/use-cases/list-models.ts',
      'src/application/model-directory.ts',
      'src/domain/store-names.ts',
      'src/application/poll-schedule.ts',
    ],
    tests:
      '<rootDir>/test/unit/{variant-downloader,spending-ledger,team-ledger,reference-image-preparer,list-models,model-directory,model-typos,store-names,poll-schedule,create-and-download,output-names}.test.ts',
  },
  2: { mutate: ['src/domain/**/*.ts', '!src/**/*.d.ts', '!src/domain/store-names.ts'], tests: UNIT_TESTS },
};
// Part 3: the rest of the application layer (the use cases, the follower, the waiter, the names), against every unit test.
PARTS[3] = {
  mutate: ['src/application/**/*.ts', ...PARTS[1].mutate.filter((file) => file.startsWith('src/application/')).map((file) => `!${file}`)],
  tests: UNIT_TESTS,
};
// Part 4: the domain files whose tests (or code) came after part 2 measured the domain (a later report wins per file).
PARTS[4] = {
  mutate: ['media', 'metered-body', 'bytes', 'file-names', 'video', 'redaction', 'money', 'errors'].map((name) => `src/domain/${name}.ts`),
  tests: UNIT_TESTS,
};
const part = PARTS[process.env.PART ?? '1'];

export default {
  ...base,
  mutate: part.mutate,
  jest: {
    ...base.jest,
    config: {
      ...base.jest.config,
      testMatch: [part.tests],
    },
  },
  incremental: false,
  jsonReporter: { fileName: `reports/mutation/part-${process.env.PART ?? '1'}.json` },
};

import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testMatch: ['**/*.test.ts'],
  // End-to-end tests spawn the built server; two cores, so keep workers modest.
  maxWorkers: 2,
  testTimeout: 30_000,
  setupFiles: ['reflect-metadata'],
};

export default config;

import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // ext-apps is ESM only (see test/support/esm-to-cjs.cjs).
    'node_modules/@modelcontextprotocol/ext-apps/.+\\.js$': '<rootDir>/test/support/esm-to-cjs.cjs',
  },
  transformIgnorePatterns: ['/node_modules/(?!@modelcontextprotocol/ext-apps/)'],
  testMatch: ['**/*.test.ts'],
  // End-to-end tests spawn the built server; two cores, so keep workers modest.
  maxWorkers: 2,
  testTimeout: 30_000,
  setupFiles: ['reflect-metadata'],
};

export default config;

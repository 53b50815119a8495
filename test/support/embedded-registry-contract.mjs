// The JobRegistry contract against the embedded database (PGlite) as the built server opens it, run by `node --test`
// (test/contract/job-registry.contract.test.ts starts it: jest's sandbox cannot load PGlite's modules).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';

const require = createRequire(import.meta.url);
const build = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../build');
const { jobRegistryContract } = require(path.join(build, 'testing/index.js'));
const { LazyJobRegistry } = require(path.join(build, 'adapters/postgres/lazy-job-registry.js'));

jobRegistryContract({ describe, it, beforeEach, afterEach }, 'the embedded database (PGlite)', async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sora2-mcp-embedded-'));
  const registry = new LazyJobRegistry({ kind: 'embedded', folder: path.join(folder, 'ledger') });
  return {
    registry,
    close: async () => {
      await registry.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});

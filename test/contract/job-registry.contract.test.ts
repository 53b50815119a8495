import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { openPgDatabase } from '../../src/adapters/postgres/pg-database';
import { migrate } from '../../src/adapters/postgres/schema';
import { SqlJobRegistry } from '../../src/adapters/postgres/sql-job-registry';
import { InMemoryJobRegistry, jobRegistryContract } from '../../src/testing';
import { jestRunner } from '../support/jest-runner';
import { startPostgres, type RunningPostgres } from '../support/postgres';

jest.setTimeout(60_000);

jobRegistryContract(jestRunner, 'InMemoryJobRegistry', async () => ({ registry: new InMemoryJobRegistry(), close: async () => undefined }));

describe('on PostgreSQL 15, two replicas (two connection pools) sharing one database', () => {
  let postgres: RunningPostgres;
  let databases = 0;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  jobRegistryContract(jestRunner, 'SqlJobRegistry on PostgreSQL', async () => {
    const url = postgres.database(`contract_${(databases += 1)}`);
    // Both replicas migrate at once, as replicas starting together do.
    const [one, two] = await Promise.all([openPgDatabase(url), openPgDatabase(url)]);
    await Promise.all([migrate(one), migrate(two)]);
    return {
      registry: new SqlJobRegistry(one),
      other: new SqlJobRegistry(two),
      close: async () => {
        await Promise.all([one.close(), two.close()]);
      },
    };
  });
});

// PGlite is ECMAScript modules and WebAssembly, which jest's module sandbox cannot load: the same contract runs
// under node:test, in Node itself, against the built code (the embedded database exactly as the server opens it).
describe('the embedded database (PGlite), under node:test', () => {
  it('passes the same JobRegistry contract', () => {
    const script = path.join(__dirname, '../support/embedded-registry-contract.mjs');
    const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', script], { encoding: 'utf8', timeout: 120_000 });
    const passed = Number(/^# pass (\d+)/m.exec(run.stdout)?.[1] ?? 0);
    const failed = Number(/^# fail (\d+)/m.exec(run.stdout)?.[1] ?? -1);
    if (run.status !== 0 || failed !== 0) throw new Error(`the embedded contract failed:\n${run.stdout}\n${run.stderr}`);
    expect(passed).toBeGreaterThanOrEqual(7);
  });
});

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { LazyJobRegistry } from '../../src/adapters/postgres/lazy-job-registry';
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

describe('a ledger that cannot be reached', () => {
  it('refuses with ledger_unavailable (so nothing is sent), and tries again on the next call', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const registry = new LazyJobRegistry({ kind: 'postgres', url: 'postgres://sora2:a-password@127.0.0.1:1/sora2' });
    const reserve = () =>
      registry.reserve({ owner: 'a', operation: 'create', model: 'sora-2', estimateUsd: 1, budgets: { ownerUsd: 5, since: 0 }, at: 0 });
    await expect(reserve()).rejects.toMatchObject({ code: 'ledger_unavailable', details: { reason: 'unreachable' } });
    await expect(reserve()).rejects.toMatchObject({ code: 'ledger_unavailable' });
    await registry.close();
  });
});

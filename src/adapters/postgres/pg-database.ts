import type * as pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import type { SqlDatabase, SqlSession } from './sql';

/** A PostgreSQL server through `pg`'s pool: the shared state of every replica (`SORA2_MCP_DATABASE_URL`). */
export async function openPgDatabase(url: string, poolSize = 10): Promise<SqlDatabase> {
  // Loaded on first use: a server that keeps no ledger never loads it.
  const { Pool: PoolClass } = require('pg') as typeof pg;
  const pool: Pool = new PoolClass({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000 });
  // An idle connection the server drops (a restart, a failover) must not take the process down.
  pool.on('error', () => undefined);
  const session = (client: Pool | PoolClient): SqlSession => ({
    query: async <Row extends Record<string, unknown>>(text: string, params?: readonly unknown[]) =>
      (await client.query<Row>(text, params as unknown[] | undefined)).rows,
  });
  return {
    ...session(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(session(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

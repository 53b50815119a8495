import type { SqlDatabase } from './sql';

/**
 * The registry's schema, as numbered migrations. Each runs once, in order, inside a transaction that first takes
 * an advisory lock: replicas starting at the same moment apply it one after the other, and the later ones find it
 * done. The same SQL runs on PostgreSQL 15+ and on PGlite.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE sora2_jobs (
     entry bigserial PRIMARY KEY,
     owner text NOT NULL,
     operation text NOT NULL CHECK (operation IN ('create', 'remix')),
     model text NOT NULL,
     state text NOT NULL CHECK (state IN ('sending', 'started', 'released')),
     video_id text,
     estimate_usd numeric(16, 6),
     cost_usd numeric(16, 6),
     idempotency_key text,
     request_sha256 text,
     video jsonb,
     files jsonb NOT NULL DEFAULT '[]'::jsonb,
     reserved_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE UNIQUE INDEX sora2_jobs_idempotency ON sora2_jobs (owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
   CREATE INDEX sora2_jobs_video ON sora2_jobs (video_id);
   CREATE INDEX sora2_jobs_owner ON sora2_jobs (owner, entry);
   CREATE INDEX sora2_jobs_spending ON sora2_jobs (reserved_at) WHERE state <> 'released';`,
];

/** An arbitrary constant: the advisory lock every replica takes to migrate, and to reserve. */
export const MIGRATION_LOCK = 4_728_190_331;
export const LEDGER_LOCK = 4_728_190_332;

export async function migrate(db: SqlDatabase): Promise<void> {
  await db.transaction(async (session) => {
    await session.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await session.query(
      'CREATE TABLE IF NOT EXISTS sora2_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const rows = await session.query<{ version: number }>('SELECT coalesce(max(version), 0)::integer AS version FROM sora2_schema');
    const applied = Number(rows[0]?.version ?? 0);
    if (applied > MIGRATIONS.length) {
      throw new Error(`the database's schema (version ${applied}) is newer than this server's (${MIGRATIONS.length}): upgrade sora2-mcp`);
    }
    for (const [index, sql] of MIGRATIONS.entries()) {
      if (index + 1 <= applied) continue;
      for (const statement of sql.split(/;\s*(?:\n|$)/).filter((part) => part.trim() !== '')) await session.query(statement);
      await session.query('INSERT INTO sora2_schema (version) VALUES ($1)', [index + 1]);
    }
  });
}

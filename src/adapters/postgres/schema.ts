import type { SqlDatabase } from './sql';

/** Arbitrary constants: the advisory locks every replica takes to migrate, and to reserve. */
export const MIGRATION_LOCK = 4_728_190_331;
export const LEDGER_LOCK = 4_728_190_332;

/**
 * The registry's schema, as numbered migrations. Each runs once, in order, inside a transaction that first takes
 * an advisory lock: replicas starting at the same moment apply it one after the other, and the later ones find it
 * done. The same SQL runs on PostgreSQL 15+ and on PGlite.
 */
const MIGRATIONS: readonly (readonly string[])[] = [
  [
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
     )`,
    'CREATE UNIQUE INDEX sora2_jobs_idempotency ON sora2_jobs (owner, idempotency_key) WHERE idempotency_key IS NOT NULL',
    'CREATE INDEX sora2_jobs_video ON sora2_jobs (video_id)',
    'CREATE INDEX sora2_jobs_owner ON sora2_jobs (owner, entry)',
    "CREATE INDEX sora2_jobs_spending ON sora2_jobs (reserved_at) WHERE state <> 'released'",
  ],
  [
    // A reservation in one round trip: the lock, the idempotency key, the sums and the insert, in one statement's
    // transaction. One function, so what a replica checks is what it writes, whatever else runs at the same moment.
    `CREATE FUNCTION sora2_reserve(
       p_owner text, p_operation text, p_model text, p_estimate numeric, p_key text, p_hash text,
       p_at timestamptz, p_since timestamptz, p_owner_budget numeric, p_team_budget numeric
     ) RETURNS TABLE (kind text, entry text, video_id text, owner_usd numeric, team_usd numeric, limit_usd numeric)
     LANGUAGE plpgsql AS $$
     #variable_conflict use_column
     DECLARE
       held record;
       owner_spent numeric;
       team_spent numeric;
       made bigint;
     BEGIN
       PERFORM pg_advisory_xact_lock(${LEDGER_LOCK});
       IF p_key IS NOT NULL THEN
         SELECT j.entry AS entry, j.state AS state, j.video_id AS video_id, j.request_sha256 AS request_sha256 INTO held
           FROM sora2_jobs j WHERE j.owner = p_owner AND j.idempotency_key = p_key;
         IF FOUND THEN
           IF held.state <> 'released' THEN
             IF held.request_sha256 IS DISTINCT FROM p_hash THEN
               RETURN QUERY SELECT 'conflict'::text, NULL::text, NULL::text, NULL::numeric, NULL::numeric, NULL::numeric;
             ELSE
               RETURN QUERY SELECT 'existing'::text, held.entry::text, held.video_id, NULL::numeric, NULL::numeric, NULL::numeric;
             END IF;
             RETURN;
           END IF;
           -- A key whose first attempt the provider refused may be used again.
           DELETE FROM sora2_jobs j WHERE j.entry = held.entry;
         END IF;
       END IF;
       IF p_owner_budget IS NOT NULL OR p_team_budget IS NOT NULL THEN
         SELECT coalesce(sum(coalesce(j.cost_usd, j.estimate_usd, 0)) FILTER (WHERE j.owner = p_owner), 0),
                coalesce(sum(coalesce(j.cost_usd, j.estimate_usd, 0)), 0)
           INTO owner_spent, team_spent
           FROM sora2_jobs j WHERE j.state <> 'released' AND j.reserved_at >= p_since;
         -- A hair of tolerance, so an estimate that exactly fills a budget fits it despite decimal rounding.
         IF p_owner_budget IS NOT NULL AND owner_spent + coalesce(p_estimate, 0) > p_owner_budget + 0.000000001 THEN
           RETURN QUERY SELECT 'over_owner'::text, NULL::text, NULL::text, owner_spent, team_spent, p_owner_budget;
           RETURN;
         END IF;
         IF p_team_budget IS NOT NULL AND team_spent + coalesce(p_estimate, 0) > p_team_budget + 0.000000001 THEN
           RETURN QUERY SELECT 'over_team'::text, NULL::text, NULL::text, owner_spent, team_spent, p_team_budget;
           RETURN;
         END IF;
       END IF;
       INSERT INTO sora2_jobs (owner, operation, model, state, estimate_usd, idempotency_key, request_sha256, reserved_at)
         VALUES (p_owner, p_operation, p_model, 'sending', p_estimate, p_key, p_hash, p_at)
         RETURNING sora2_jobs.entry INTO made;
       -- What is spent with this reservation, so the caller can say what is left without asking again.
       RETURN QUERY SELECT 'reserved'::text, made::text, NULL::text,
         owner_spent + coalesce(p_estimate, 0), team_spent + coalesce(p_estimate, 0), NULL::numeric;
     END
     $$`,
  ],
  [
    // A sequence's state (issue 33), kept whole as JSON: it is read and written by one call at a time.
    `CREATE TABLE sora2_sequences (
       id text PRIMARY KEY,
       owner text NOT NULL,
       idempotency_key text,
       state jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
    'CREATE UNIQUE INDEX sora2_sequences_idempotency ON sora2_sequences (owner, idempotency_key) WHERE idempotency_key IS NOT NULL',
  ],
];

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
    for (const [index, statements] of MIGRATIONS.entries()) {
      if (index + 1 <= applied) continue;
      for (const statement of statements) await session.query(statement);
      await session.query('INSERT INTO sora2_schema (version) VALUES ($1)', [index + 1]);
    }
  });
}

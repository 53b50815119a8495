import type {
  JobChange,
  JobPageQuery,
  JobRecord,
  JobRegistry,
  ReservationOutcome,
  ReservationRequest,
  SequenceState,
} from '../../domain/ports';
import type { Video } from '../../domain/video';
import type { SqlDatabase } from './sql';

/** What a row of sora2_jobs reads as: ids, sums and times as text, so `pg` and PGlite agree. */
interface JobRow extends Record<string, unknown> {
  entry: string;
  owner: string;
  operation: 'create' | 'remix';
  model: string;
  state: 'sending' | 'started' | 'released';
  video_id: string | null;
  estimate_usd: string | null;
  cost_usd: string | null;
  video: unknown;
  files: unknown;
  reserved_ms: string;
}

const COLUMNS = `entry::text AS entry, owner, operation, model, state, video_id, estimate_usd::text AS estimate_usd,
  cost_usd::text AS cost_usd, video, files, (extract(epoch FROM reserved_at) * 1000)::bigint::text AS reserved_ms`;

/** What counts against a budget: a job's reported cost once known, its estimate until then. */
const SPENT = 'coalesce(cost_usd, estimate_usd, 0)';

/**
 * The job registry in PostgreSQL (or PGlite, the same SQL in process). A reservation is one call of `sora2_reserve`
 * (schema.ts): under one advisory lock it reads what the owner and the team spent in the period and writes the job, so
 * replicas reserve one after the other and concurrent creates can never pass a budget together; one round trip.
 */
export class SqlJobRegistry implements JobRegistry {
  constructor(private readonly db: SqlDatabase) {}

  async reserve(request: ReservationRequest): Promise<ReservationOutcome> {
    // node:crypto is loaded by the first keyed reservation, not at start-up.
    const hash = request.idempotency
      ? (require('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(request.idempotency.request).digest('hex')
      : null;
    const rows = await this.db.query<{
      kind: string;
      entry: string | null;
      video_id: string | null;
      owner_usd: string | null;
      team_usd: string | null;
      limit_usd: string | null;
    }>(
      `SELECT kind, entry, video_id, owner_usd::text AS owner_usd, team_usd::text AS team_usd, limit_usd::text AS limit_usd
       FROM sora2_reserve($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        request.owner,
        request.operation,
        request.model,
        request.estimateUsd,
        request.idempotency?.key ?? null,
        hash,
        new Date(request.at).toISOString(),
        new Date(request.budgets.since).toISOString(),
        request.budgets.ownerUsd ?? null,
        request.budgets.teamUsd ?? null,
      ],
    );
    const row = rows[0]!;
    const spent = row.owner_usd === null ? undefined : { ownerUsd: Number(row.owner_usd), teamUsd: Number(row.team_usd) };
    switch (row.kind) {
      case 'reserved':
        return spent ? { kind: 'reserved', entry: row.entry!, spent } : { kind: 'reserved', entry: row.entry! };
      case 'existing':
        return { kind: 'existing', entry: row.entry!, videoId: row.video_id ?? undefined };
      case 'conflict':
        return { kind: 'conflict' };
      default:
        return {
          kind: 'over_budget',
          scope: row.kind === 'over_team' ? 'team' : 'owner',
          spentUsd: row.kind === 'over_team' ? spent!.teamUsd : spent!.ownerUsd,
          limitUsd: Number(row.limit_usd),
        };
    }
  }

  async started(entry: string, video: Video): Promise<void> {
    await this.db.query(`UPDATE sora2_jobs SET state = 'started', video_id = $2, video = $3::jsonb, updated_at = now() WHERE entry = $1`, [
      entry,
      video.id,
      JSON.stringify(video),
    ]);
  }

  async release(entry: string): Promise<void> {
    await this.db.query(`UPDATE sora2_jobs SET state = 'released', updated_at = now() WHERE entry = $1 AND state = 'sending'`, [entry]);
  }

  async update(videoId: string, change: JobChange): Promise<void> {
    await this.db.query(
      `UPDATE sora2_jobs SET
         video = coalesce($2::jsonb, video),
         cost_usd = coalesce($3, cost_usd),
         files = CASE WHEN $4::jsonb IS NULL THEN files
                 ELSE (SELECT coalesce(jsonb_agg(DISTINCT item), '[]'::jsonb) FROM jsonb_array_elements(files || $4::jsonb) AS item) END,
         updated_at = now()
       WHERE entry = (SELECT max(entry) FROM sora2_jobs WHERE video_id = $1 AND state = 'started')`,
      [
        videoId,
        change.video ? JSON.stringify(change.video) : null,
        change.costUsd ?? null,
        change.files && change.files.length > 0 ? JSON.stringify(change.files) : null,
      ],
    );
  }

  async find(videoId: string): Promise<JobRecord | undefined> {
    const rows = await this.db.query<JobRow>(
      `SELECT ${COLUMNS} FROM sora2_jobs WHERE video_id = $1 AND state = 'started' ORDER BY entry DESC LIMIT 1`,
      [videoId],
    );
    return rows[0] && record(rows[0]);
  }

  async findByKey(owner: string, key: string): Promise<JobRecord | undefined> {
    const rows = await this.db.query<JobRow>(
      `SELECT ${COLUMNS} FROM sora2_jobs WHERE owner = $1 AND idempotency_key = $2 AND state = 'started'`,
      [owner, key],
    );
    return rows[0] && record(rows[0]);
  }

  async list(owner: string, query: JobPageQuery): Promise<{ jobs: JobRecord[]; hasMore: boolean }> {
    const descending = query.order === 'desc';
    const params: unknown[] = [owner, query.limit + 1];
    let after = '';
    if (query.after !== undefined) {
      params.push(query.after);
      // An `after` the owner does not have starts nothing: an empty page, as for an unknown id.
      after = `AND entry ${descending ? '<' : '>'} coalesce((SELECT max(entry) FROM sora2_jobs WHERE owner = $1 AND video_id = $3 AND state = 'started'), ${descending ? '0' : '9223372036854775807'})`;
    }
    const rows = await this.db.query<JobRow>(
      `SELECT ${COLUMNS} FROM sora2_jobs WHERE owner = $1 AND state = 'started' ${after}
       ORDER BY entry ${descending ? 'DESC' : 'ASC'} LIMIT $2`,
      params,
    );
    return { jobs: rows.slice(0, query.limit).map(record), hasMore: rows.length > query.limit };
  }

  async spent(owner: string, since: number): Promise<{ ownerUsd: number; teamUsd: number }> {
    const rows = await this.db.query<{ owner_usd: string; team_usd: string }>(
      `SELECT coalesce(sum(${SPENT}) FILTER (WHERE owner = $1), 0)::text AS owner_usd, coalesce(sum(${SPENT}), 0)::text AS team_usd
       FROM sora2_jobs WHERE state <> 'released' AND reserved_at >= $2`,
      [owner, new Date(since).toISOString()],
    );
    return { ownerUsd: Number(rows[0]?.owner_usd ?? 0), teamUsd: Number(rows[0]?.team_usd ?? 0) };
  }

  async filesOf(owner: string): Promise<string[]> {
    const rows = await this.db.query<{ file: string }>(
      `SELECT DISTINCT jsonb_array_elements_text(files) AS file FROM sora2_jobs WHERE owner = $1 AND state = 'started'`,
      [owner],
    );
    return rows.map((row) => row.file);
  }

  async saveSequence(sequence: SequenceState): Promise<string> {
    if (sequence.id === undefined) {
      // Two calls with one key at once: the second finds the first's sequence rather than making another.
      const rows = await this.db.query<{ id: string }>(
        `INSERT INTO sora2_sequences (id, owner, idempotency_key, state)
           VALUES ('seq_' || replace(gen_random_uuid()::text, '-', ''), $1, $2, $3::jsonb)
           ON CONFLICT (owner, idempotency_key) WHERE idempotency_key IS NOT NULL DO UPDATE SET updated_at = now()
           RETURNING id`,
        [sequence.owner, sequence.key ?? null, JSON.stringify(sequence)],
      );
      return rows[0]!.id;
    }
    await this.db.query('UPDATE sora2_sequences SET state = $2::jsonb, updated_at = now() WHERE id = $1', [
      sequence.id,
      JSON.stringify(sequence),
    ]);
    return sequence.id;
  }

  async findSequence(id: string): Promise<SequenceState | undefined> {
    const rows = await this.db.query<{ id: string; state: unknown }>('SELECT id, state FROM sora2_sequences WHERE id = $1', [id]);
    const row = rows[0];
    return row ? { ...(row.state as SequenceState), id: row.id } : undefined;
  }

  async findSequenceByKey(owner: string, key: string): Promise<SequenceState | undefined> {
    const rows = await this.db.query<{ id: string; state: unknown }>(
      'SELECT id, state FROM sora2_sequences WHERE owner = $1 AND idempotency_key = $2',
      [owner, key],
    );
    const row = rows[0];
    return row ? { ...(row.state as SequenceState), id: row.id } : undefined;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

function record(row: JobRow): JobRecord {
  const files = Array.isArray(row.files) ? row.files.filter((file): file is string => typeof file === 'string') : [];
  return {
    entry: row.entry,
    owner: row.owner,
    operation: row.operation,
    model: row.model,
    state: row.state,
    videoId: row.video_id ?? undefined,
    estimateUsd: row.estimate_usd === null ? null : Number(row.estimate_usd),
    costUsd: row.cost_usd === null ? undefined : Number(row.cost_usd),
    video: row.video && typeof row.video === 'object' ? (row.video as Video) : undefined,
    files,
    reservedAt: Number(row.reserved_ms),
  };
}

import type { ListOrder, Video } from '../video';
import type { StoredMedia } from './media-store';

/**
 * The state every replica shares (round four, team mode): each job the server started, who owns it, what it was
 * estimated and reported to cost, its idempotency key and the files saved from it. Reserving is where the budgets
 * are kept: the check and the write are one atomic step across every replica, so N concurrent creates on N
 * replicas can never pass a cap together. Adapters: PostgreSQL (`SORA2_MCP_DATABASE_URL`) and the same schema
 * embedded in process (PGlite) under the data folder.
 */
export interface JobRegistry {
  /** Reserves an estimate for a job about to be sent, or finds the job an idempotency key already names. */
  reserve(request: ReservationRequest): Promise<ReservationOutcome>;
  /** The reserved job exists at the provider: its id (the one every later call uses) and first state. */
  started(entry: string, video: Video): Promise<void>;
  /** The provider certainly made no job: the reservation is given back (an idempotency key may be used again). */
  release(entry: string): Promise<void>;
  /** A later state of a job: its last status, what the provider reported it cost, files saved from it. */
  update(videoId: string, change: JobChange): Promise<void>;
  /** The job a video id names, if this server started it. */
  find(videoId: string): Promise<JobRecord | undefined>;
  /** The started job an owner's idempotency key names, if any. */
  findByKey(owner: string, key: string): Promise<JobRecord | undefined>;
  /** One page of an owner's jobs, by the time they were reserved. */
  list(owner: string, query: JobPageQuery): Promise<{ jobs: JobRecord[]; hasMore: boolean }>;
  /** What was spent since `since` (ms since the epoch): by this owner, and by everyone (the team). Reported costs replace estimates. */
  spent(owner: string, since: number): Promise<{ ownerUsd: number; teamUsd: number }>;
  /** The names of the files saved from an owner's jobs (their `resources/list`). */
  filesOf(owner: string): Promise<string[]>;
  /** Keeps a sequence's state (issue 33): a new one gets its id here; a kept one is replaced whole. */
  saveSequence(sequence: SequenceState): Promise<string>;
  /** The sequence an id names, if any (whoever owns it: the caller checks). */
  findSequence(id: string): Promise<SequenceState | undefined>;
  /** The owner's sequence that an idempotency key names, if any. */
  findSequenceByKey(owner: string, key: string): Promise<SequenceState | undefined>;
  close(): Promise<void>;
}

export interface ReservationRequest {
  owner: string;
  operation: 'create' | 'remix';
  model: string;
  /** The estimate to hold; null when no price is known (allowed only when no budget is kept). */
  estimateUsd: number | null;
  /** Budgets to check against the spending since `since`, atomically with the write. */
  budgets: { ownerUsd?: number; teamUsd?: number; since: number };
  /** When the reservation is made, in ms since the epoch (the Clock's time). */
  at: number;
  /** The caller's idempotency key, and the text of the arguments that define the job (compared, never shown). */
  idempotency?: { key: string; request: string };
}

export type ReservationOutcome =
  /** Reserved; with budgets, what the owner and the team have spent including this reservation. */
  | { kind: 'reserved'; entry: string; spent?: { ownerUsd: number; teamUsd: number } }
  /** Over a budget: which one, what was spent in the period, its limit. Nothing was written. */
  | { kind: 'over_budget'; scope: 'owner' | 'team'; spentUsd: number; limitUsd: number }
  /** The key names a job already: started (its video id), or still being sent by another call. */
  | { kind: 'existing'; entry: string; videoId: string | undefined }
  /** The key was used with other arguments. */
  | { kind: 'conflict' };

export interface JobChange {
  video?: Video;
  costUsd?: number;
  files?: readonly string[];
}

export interface JobRecord {
  entry: string;
  owner: string;
  operation: 'create' | 'remix';
  model: string;
  state: 'sending' | 'started' | 'released';
  videoId: string | undefined;
  estimateUsd: number | null;
  costUsd: number | undefined;
  /** The last state seen of the job (as the provider answered), when it started. */
  video: Video | undefined;
  files: string[];
  /** Ms since the epoch. */
  reservedAt: number;
}

export interface JobPageQuery {
  /** A video id: the page starts after it. */
  after?: string;
  limit: number;
  order: ListOrder;
}

/**
 * A sequence of shots, as kept between calls and replicas: enough to continue it anywhere, creating no shot twice (each
 * shot's job is named by an idempotency key made of the sequence, the shot and its attempt).
 */
export interface SequenceState {
  /** Set by the registry when the sequence is first saved. */
  id?: string;
  owner: string;
  /** The caller's idempotency key: a call with the same key (from the same owner) continues this sequence. */
  key?: string;
  continuity: 'last_frame' | 'none';
  /** The joined file the caller asked for, if any (else a name from the sequence's id). */
  file?: string;
  overwrite?: boolean;
  status: 'running' | 'failed' | 'completed';
  shots: SequenceShotState[];
  joined?: StoredMedia & { durationSeconds: number; reencoded: boolean };
  createdAt: number;
}

export interface SequenceShotState {
  /** The shot's create request as the caller gave it (JSON: prompt, model, seconds, size and controls). */
  request: Readonly<Record<string, unknown>>;
  /** Bumped when the request changes after its job was made, so the next job gets a new idempotency key. */
  attempt: number;
  estimateUsd: number | null;
  videoId?: string;
  status?: string;
  progress?: number;
  /** The first frame it was made from (the previous shot's last frame), once extracted. */
  firstFrame?: StoredMedia;
  file?: StoredMedia;
  durationSeconds?: number;
  error?: { code: string; message: string; details?: Readonly<Record<string, unknown>> };
}

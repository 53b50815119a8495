import type {
  JobChange,
  JobPageQuery,
  JobRecord,
  JobRegistry,
  ReservationOutcome,
  ReservationRequest,
  SequenceState,
} from '../domain/ports/job-registry';
import type { Video } from '../domain/video';

/**
 * A job registry in memory, for one process (unit tests, a library user's own tests). It keeps the contract
 * `jobRegistryContract` checks; each call is atomic because nothing in it awaits.
 */
export class InMemoryJobRegistry implements JobRegistry {
  private readonly jobs: JobRecord[] = [];
  private readonly requests = new Map<string, { key: string; request: string }>();
  private next = 1;
  private readonly sequences = new Map<string, string>();

  async reserve(request: ReservationRequest): Promise<ReservationOutcome> {
    if (request.idempotency) {
      const { key } = request.idempotency;
      const index = this.jobs.findIndex((job) => job.owner === request.owner && this.requests.get(job.entry)?.key === key);
      const found = this.jobs[index];
      if (found && found.state !== 'released') {
        if (this.requests.get(found.entry)?.request !== request.idempotency.request) return { kind: 'conflict' };
        return { kind: 'existing', entry: found.entry, videoId: found.videoId };
      }
      if (found) this.jobs.splice(index, 1);
    }
    const { ownerUsd, teamUsd, since } = request.budgets;
    const usd = request.estimateUsd ?? 0;
    const spent = this.sums(request.owner, since);
    if (ownerUsd !== undefined && spent.ownerUsd + usd > ownerUsd + 1e-9) {
      return { kind: 'over_budget', scope: 'owner', spentUsd: spent.ownerUsd, limitUsd: ownerUsd };
    }
    if (teamUsd !== undefined && spent.teamUsd + usd > teamUsd + 1e-9) {
      return { kind: 'over_budget', scope: 'team', spentUsd: spent.teamUsd, limitUsd: teamUsd };
    }
    const entry = String(this.next++);
    if (request.idempotency) this.requests.set(entry, request.idempotency);
    this.jobs.push({
      entry,
      owner: request.owner,
      operation: request.operation,
      model: request.model,
      state: 'sending',
      videoId: undefined,
      estimateUsd: request.estimateUsd,
      costUsd: undefined,
      video: undefined,
      files: [],
      reservedAt: request.at,
    });
    if (ownerUsd === undefined && teamUsd === undefined) return { kind: 'reserved', entry };
    return { kind: 'reserved', entry, spent: { ownerUsd: spent.ownerUsd + usd, teamUsd: spent.teamUsd + usd } };
  }

  async started(entry: string, video: Video): Promise<void> {
    const job = this.jobs.find((item) => item.entry === entry);
    if (job) Object.assign(job, { state: 'started', videoId: video.id, video: copy(video) });
  }

  async release(entry: string): Promise<void> {
    const job = this.jobs.find((item) => item.entry === entry);
    if (job?.state === 'sending') job.state = 'released';
  }

  async update(videoId: string, change: JobChange): Promise<void> {
    const job = this.latest(videoId);
    if (!job) return;
    if (change.video) job.video = copy(change.video);
    if (change.costUsd !== undefined) job.costUsd = change.costUsd;
    if (change.files) job.files = [...new Set([...job.files, ...change.files])];
  }

  async findByKey(owner: string, key: string): Promise<JobRecord | undefined> {
    const job = this.jobs.find((held) => held.owner === owner && held.state === 'started' && this.requests.get(held.entry)?.key === key);
    return job && copy(job);
  }

  async find(videoId: string): Promise<JobRecord | undefined> {
    const job = this.latest(videoId);
    return job && copy(job);
  }

  async list(owner: string, query: JobPageQuery): Promise<{ jobs: JobRecord[]; hasMore: boolean }> {
    let own = this.jobs.filter((job) => job.owner === owner && job.state === 'started');
    if (query.order === 'desc') own = own.reverse();
    if (query.after !== undefined) {
      const at = own.findIndex((job) => job.videoId === query.after);
      own = at === -1 ? [] : own.slice(at + 1);
    }
    return { jobs: own.slice(0, query.limit).map((job) => copy(job)), hasMore: own.length > query.limit };
  }

  async spent(owner: string, since: number): Promise<{ ownerUsd: number; teamUsd: number }> {
    return this.sums(owner, since);
  }

  async filesOf(owner: string): Promise<string[]> {
    return [...new Set(this.jobs.filter((job) => job.owner === owner && job.state === 'started').flatMap((job) => job.files))];
  }

  async close(): Promise<void> {}

  private latest(videoId: string): JobRecord | undefined {
    return this.jobs.filter((job) => job.videoId === videoId && job.state === 'started').at(-1);
  }

  async saveSequence(sequence: SequenceState): Promise<string> {
    const held =
      sequence.id === undefined && sequence.key !== undefined ? await this.findSequenceByKey(sequence.owner, sequence.key) : undefined;
    if (held?.id !== undefined) return held.id;
    const id = sequence.id ?? `seq_${this.next++}`;
    // Kept as text, so a caller's later changes to its object are not the registry's.
    this.sequences.set(id, JSON.stringify({ ...sequence, id }));
    return id;
  }

  async findSequenceByKey(owner: string, key: string): Promise<SequenceState | undefined> {
    for (const kept of this.sequences.values()) {
      const sequence = JSON.parse(kept) as SequenceState;
      if (sequence.owner === owner && sequence.key === key) return sequence;
    }
    return undefined;
  }

  async findSequence(id: string): Promise<SequenceState | undefined> {
    const kept = this.sequences.get(id);
    return kept === undefined ? undefined : (JSON.parse(kept) as SequenceState);
  }

  private sums(owner: string, since: number): { ownerUsd: number; teamUsd: number } {
    let ownerUsd = 0;
    let teamUsd = 0;
    for (const job of this.jobs) {
      if (job.state === 'released' || job.reservedAt < since) continue;
      const usd = job.costUsd ?? job.estimateUsd ?? 0;
      teamUsd += usd;
      if (job.owner === owner) ownerUsd += usd;
    }
    return { ownerUsd, teamUsd };
  }
}

/** A deep copy made in this realm (structuredClone's arrays come from Node's, which a jest test compares as other). */
function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copy) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copy(item)])) as T;
  }
  return value;
}

import { notFound, type DomainError } from '../domain/errors';
import type { JobRegistry, JobRecord } from '../domain/ports';
import { withHeldId, type ListVideosQuery, type Video, type VideoPage } from '../domain/video';

/** The user of a process that knows only one (stdio, one shared HTTP token). */
export const DEFAULT_USER = 'default';

export interface OwnershipPolicy {
  /** Callers are told apart (users file, OAuth): each sees and touches only the jobs it started. */
  enforced: boolean;
  /** Every job is written to the registry, so lists can be read from it (team mode, or a database configured). */
  recordsJobs: boolean;
}

/**
 * Who may see and touch a job. When callers are told apart, a job belongs to the user who started it: another
 * user's id, and an id this server never started, get the same answer (not found) and nothing is sent to the
 * provider; lists and saved files are the caller's own, read from the registry every replica shares.
 */
export class JobOwnership {
  constructor(
    private readonly registry: JobRegistry,
    private readonly policy: OwnershipPolicy,
  ) {}

  get enforced(): boolean {
    return this.policy.enforced;
  }

  /** Refuses a job that is not the caller's exactly as an unknown one, before anything is sent. */
  async check(videoId: string, owner: string): Promise<void> {
    if (!this.policy.enforced) return;
    const job = await this.registry.find(videoId);
    if (job?.owner !== owner) throw unknownVideo(videoId);
  }

  /** Notes a job's latest state, and the files saved from it, where jobs are recorded. */
  async seen(video: Video | undefined, files: readonly string[] = []): Promise<void> {
    if (!this.policy.recordsJobs || !video) return;
    await this.registry.update(video.id, { video, files: files.length > 0 ? files : undefined });
  }

  /** Notes files made from a job's saved video (a frame, a joined sequence) as that job's, so they are its owner's too. */
  async madeFrom(videoId: string | undefined, files: readonly string[]): Promise<void> {
    if (!this.policy.recordsJobs || videoId === undefined || files.length === 0) return;
    await this.registry.update(videoId, { files });
  }

  /** One page of the caller's jobs from the registry, or undefined when the provider's list is the list. */
  async page(owner: string, query: ListVideosQuery): Promise<VideoPage | undefined> {
    if (!this.policy.recordsJobs) return undefined;
    const { jobs, hasMore } = await this.registry.list(owner, {
      after: query.after,
      limit: query.limit ?? 20,
      order: query.order ?? 'desc',
    });
    const data = jobs.map(asVideo);
    return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: hasMore };
  }

  /** The URIs of the files saved from the caller's jobs, or undefined when every saved file is everyone's. */
  async files(owner: string): Promise<ReadonlySet<string> | undefined> {
    if (!this.policy.enforced) return undefined;
    return new Set(await this.registry.filesOf(owner));
  }
}

/** The one answer for a video id the caller may not reach, whether another user's or none at all. */
export function unknownVideo(videoId: string): DomainError {
  return notFound({ reason: 'unknown_video', video_id: videoId }, { field: 'video_id' });
}

/** A recorded job as the list shows it: its last state seen, under the id its owner holds. */
function asVideo(job: JobRecord): Video {
  const id = job.videoId ?? job.entry;
  if (job.video) return withHeldId(job.video, id);
  return {
    id,
    object: 'video',
    model: job.model,
    status: 'queued',
    progress: 0,
    created_at: Math.floor(job.reservedAt / 1000),
    completed_at: null,
    expires_at: null,
    prompt: null,
    size: '',
    seconds: '',
    remixed_from_video_id: null,
    error: null,
  };
}

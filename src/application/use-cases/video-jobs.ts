import type { VideoProvider } from '../../domain/ports';
import { withHeldId, type ListVideosQuery, type Video, type VideoDeleteResponse, type VideoPage } from '../../domain/video';
import { DEFAULT_USER, type JobOwnership } from '../job-ownership';
import type { RunOptions } from '../progress';

/**
 * Reading and deleting the caller's jobs: each a call of the provider under the ownership rules (another user's job is
 * unknown; in team mode the list is the caller's own jobs from the registry) and the id the caller holds (a gateway's
 * answer may carry another). One class for the three, since none does more than that.
 */
export class VideoJobs {
  constructor(
    private readonly provider: VideoProvider,
    private readonly ownership: JobOwnership,
  ) {}

  async retrieve(videoId: string, run: RunOptions = {}): Promise<Video> {
    await this.ownership.check(videoId, run.caller ?? DEFAULT_USER);
    const video = withHeldId(await this.provider.retrieve({ id: videoId }, { signal: run.signal }), videoId);
    await this.ownership.seen(video).catch(() => undefined);
    return video;
  }

  async list(query: ListVideosQuery, run: RunOptions = {}): Promise<VideoPage> {
    const own = await this.ownership.page(run.caller ?? DEFAULT_USER, query);
    return own ?? this.provider.list(query, { signal: run.signal });
  }

  async delete(videoId: string, run: RunOptions = {}): Promise<VideoDeleteResponse> {
    await this.ownership.check(videoId, run.caller ?? DEFAULT_USER);
    const answer = await this.provider.delete({ id: videoId }, { signal: run.signal });
    return answer.id === videoId ? answer : { ...answer, id: videoId, provider_id: answer.id };
  }
}

import type { VideoProvider } from '../../domain/ports';
import type { ListVideosQuery, VideoPage } from '../../domain/video';
import { DEFAULT_USER, type JobOwnership } from '../job-ownership';
import type { RunOptions } from '../progress';

export class ListVideos {
  constructor(
    private readonly provider: VideoProvider,
    private readonly ownership: JobOwnership,
  ) {}

  /** The caller's own jobs from the registry where jobs are recorded (any gateway, any replica); else the provider's list. */
  async execute(query: ListVideosQuery, run: RunOptions = {}): Promise<VideoPage> {
    const own = await this.ownership.page(run.caller ?? DEFAULT_USER, query);
    return own ?? this.provider.list(query, { signal: run.signal });
  }
}

import type { VideoProvider } from '../../domain/ports';
import { withHeldId, type Video } from '../../domain/video';
import { DEFAULT_USER, type JobOwnership } from '../job-ownership';
import type { RunOptions } from '../progress';

export class RetrieveVideo {
  constructor(
    private readonly provider: VideoProvider,
    private readonly ownership: JobOwnership,
  ) {}

  /** The job's state under the id the caller holds (a gateway's answer may carry another); another user's job is unknown. */
  async execute(videoId: string, run: RunOptions = {}): Promise<Video> {
    await this.ownership.check(videoId, run.caller ?? DEFAULT_USER);
    const video = withHeldId(await this.provider.retrieve({ id: videoId }, { signal: run.signal }), videoId);
    await this.ownership.seen(video).catch(() => undefined);
    return video;
  }
}

import type { VideoProvider } from '../../domain/ports';
import type { VideoDeleteResponse } from '../../domain/video';
import { DEFAULT_USER, type JobOwnership } from '../job-ownership';
import type { RunOptions } from '../progress';

export class DeleteVideo {
  constructor(
    private readonly provider: VideoProvider,
    private readonly ownership: JobOwnership,
  ) {}

  async execute(videoId: string, run: RunOptions = {}): Promise<VideoDeleteResponse> {
    await this.ownership.check(videoId, run.caller ?? DEFAULT_USER);
    const answer = await this.provider.delete({ id: videoId }, { signal: run.signal });
    return answer.id === videoId ? answer : { ...answer, id: videoId, provider_id: answer.id };
  }
}

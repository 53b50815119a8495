import type { VideoProvider } from '../../domain/ports';
import type { VideoDeleteResponse } from '../../domain/video';
import type { RunOptions } from '../progress';

export class DeleteVideo {
  constructor(private readonly provider: VideoProvider) {}

  async execute(videoId: string, run: RunOptions = {}): Promise<VideoDeleteResponse> {
    const answer = await this.provider.delete({ id: videoId }, { signal: run.signal });
    return answer.id === videoId ? answer : { ...answer, id: videoId, provider_id: answer.id };
  }
}

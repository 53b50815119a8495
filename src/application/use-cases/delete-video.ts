import type { VideoProvider } from '../../domain/ports';
import type { VideoDeleteResponse } from '../../domain/video';
import type { RunOptions } from '../progress';

export class DeleteVideo {
  constructor(private readonly provider: VideoProvider) {}

  execute(videoId: string, run: RunOptions = {}): Promise<VideoDeleteResponse> {
    return this.provider.delete(videoId, { signal: run.signal });
  }
}

import type { VideoProvider } from '../../domain/ports';
import type { Video } from '../../domain/video';
import type { RunOptions } from '../progress';

export class RetrieveVideo {
  constructor(private readonly provider: VideoProvider) {}

  execute(videoId: string, run: RunOptions = {}): Promise<Video> {
    return this.provider.retrieve(videoId, { signal: run.signal });
  }
}

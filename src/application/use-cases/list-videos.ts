import type { VideoProvider } from '../../domain/ports';
import type { ListVideosQuery, VideoPage } from '../../domain/video';
import type { RunOptions } from '../progress';

export class ListVideos {
  constructor(private readonly provider: VideoProvider) {}

  execute(query: ListVideosQuery, run: RunOptions = {}): Promise<VideoPage> {
    return this.provider.list(query, { signal: run.signal });
  }
}

import type { VideoProvider } from '../../domain/ports';
import { withHeldId, type Video } from '../../domain/video';
import type { RunOptions } from '../progress';

export class RetrieveVideo {
  constructor(private readonly provider: VideoProvider) {}

  /** The job's state under the id the caller holds (a gateway's answer may carry another). */
  async execute(videoId: string, run: RunOptions = {}): Promise<Video> {
    return withHeldId(await this.provider.retrieve({ id: videoId }, { signal: run.signal }), videoId);
  }
}

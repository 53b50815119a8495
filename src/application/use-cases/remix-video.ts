import type { VideoProvider } from '../../domain/ports';
import type { FollowOptions, JobFollower } from '../job-follower';
import type { VideoJobResult } from '../job-result';
import type { RunOptions } from '../progress';

export interface RemixVideoInput extends FollowOptions {
  videoId: string;
  prompt: string;
}

export class RemixVideo {
  constructor(
    private readonly provider: VideoProvider,
    private readonly follower: JobFollower,
  ) {}

  async execute(input: RemixVideoInput, run: RunOptions = {}): Promise<VideoJobResult> {
    await this.follower.checkOutput(input);
    const video = await this.provider.remix(input.videoId, input.prompt, { signal: run.signal });
    return this.follower.follow(video, input, run);
  }
}

import { DomainError } from '../../domain/errors';
import { checkProviderOptions, madeNoJob } from '../../domain/money';
import { profileOf, type VideoProvider } from '../../domain/ports';
import { withHeldId } from '../../domain/video';
import type { FollowOptions, JobFollower } from '../job-follower';
import type { VideoJobResult } from '../job-result';
import type { RequestPlanner } from '../request-planner';
import type { SpendingLedger } from '../spending-ledger';
import type { RunOptions } from '../progress';

export interface RemixVideoInput extends FollowOptions {
  videoId: string;
  prompt: string;
  providerOptions?: Readonly<Record<string, unknown>>;
}

export class RemixVideo {
  constructor(
    private readonly provider: VideoProvider,
    private readonly follower: JobFollower,
    private readonly planner: RequestPlanner,
    private readonly ledger: SpendingLedger,
  ) {}

  async execute(input: RemixVideoInput, run: RunOptions = {}): Promise<VideoJobResult> {
    checkProviderOptions(input.providerOptions);
    // The same checks as a create, before the paid request: a provider that takes no call, one that
    // offers no remix (said without asking it), the files, the source's model, the cost.
    await this.provider.assertReady();
    const profile = profileOf(this.provider);
    if (!profile.operations.includes('remix')) {
      throw new DomainError('not_offered', `${profile.label} does not offer remix`, {
        details: { kind: 'operation', operation: 'remix', provider: profile.label, sent: false },
      });
    }
    await this.follower.checkOutput(input);
    const source = withHeldId(await this.provider.retrieve({ id: input.videoId }, { signal: run.signal }), input.videoId);
    if (source.status !== 'completed') {
      throw new DomainError('invalid_input', `video ${input.videoId} is ${source.status}; only a completed video can be remixed`, {
        field: 'video_id',
        details: { rule: 'remix_needs_completed', status: source.status, progress: source.progress },
      });
    }
    const { estimate, facts } = await this.planner.planRemix(source, run.signal);
    const reservation = this.ledger.reserve(estimate);
    let video;
    try {
      video = await this.provider.remix(
        { id: input.videoId, last: source },
        { prompt: input.prompt, providerOptions: input.providerOptions },
        { signal: run.signal },
      );
    } catch (error) {
      // As for a create: given back only when the provider certainly made no job.
      if (madeNoJob(error)) reservation.release();
      throw error;
    }
    const result = await this.follower.follow(video, input, run, { typicalRenderMs: facts.typicalRenderMs, estimate });
    return { ...result, estimate };
  }
}

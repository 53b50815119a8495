import { invalidInput, notOffered } from '../../domain/errors';
import { checkProviderOptions, estimateKept, madeNoJob } from '../../domain/money';
import { profileOf, type VideoProvider } from '../../domain/ports';
import { withHeldId, type Video } from '../../domain/video';
import { finishedJob } from '../finished-job';
import type { FollowOptions, JobFollower } from '../job-follower';
import type { NamePlan } from '../output-names';
import type { VideoJobResult } from '../job-result';
import type { BudgetsLeft, CostEstimate } from '../spending-ledger';
import type { RequestPlanner } from '../request-planner';
import { DEFAULT_USER, type JobOwnership } from '../job-ownership';
import { jobRequestText, type SpendingLedger } from '../spending-ledger';
import type { RunOptions } from '../progress';

export interface RemixVideoInput extends FollowOptions {
  videoId: string;
  prompt: string;
  providerOptions?: Readonly<Record<string, unknown>>;
  /** The same key from the same user names the same job: nothing is sent or reserved again. */
  idempotencyKey?: string;
}

export class RemixVideo {
  constructor(
    private readonly provider: VideoProvider,
    private readonly follower: JobFollower,
    private readonly planner: RequestPlanner,
    private readonly ledger: SpendingLedger,
    private readonly ownership: JobOwnership,
  ) {}

  async execute(input: RemixVideoInput, run: RunOptions = {}): Promise<VideoJobResult> {
    checkProviderOptions(input.providerOptions);
    // The same checks as a create, before the paid request: a provider that takes no call, one that
    // offers no remix (said without asking it), the files, the source's model, the cost.
    await this.provider.assertReady();
    const profile = profileOf(this.provider);
    if (!profile.operations.includes('remix')) {
      throw notOffered({ kind: 'operation', operation: 'remix', provider: profile.label, sent: false });
    }
    const names = await this.follower.checkOutput(input);
    const owner = run.caller ?? DEFAULT_USER;
    await this.ownership.check(input.videoId, owner);
    const source = withHeldId(await this.provider.retrieve({ id: input.videoId }, { signal: run.signal }), input.videoId);
    if (source.status !== 'completed') {
      throw invalidInput('video_id', {
        rule: 'remix_needs_completed',
        video_id: input.videoId,
        status: source.status,
        progress: source.progress,
      });
    }
    const { estimate, facts } = await this.planner.planRemix(source, run.signal);
    const claim = await this.ledger.reserve(estimate, {
      owner,
      operation: 'remix',
      signal: run.signal,
      idempotency:
        input.idempotencyKey === undefined
          ? undefined
          : {
              key: input.idempotencyKey,
              request: jobRequestText({ remix: input.videoId, prompt: input.prompt, providerOptions: input.providerOptions }),
            },
    });
    let video;
    if (claim.kind === 'existing') {
      video = withHeldId(await this.provider.retrieve({ id: claim.videoId }, { signal: run.signal }), claim.videoId);
      return this.finish(video, input, run, { estimate, typicalRenderMs: facts.typicalRenderMs, names });
    }
    try {
      video = await this.provider.remix(
        { id: input.videoId, last: source },
        { prompt: input.prompt, providerOptions: input.providerOptions },
        { signal: run.signal },
      );
    } catch (error) {
      // As for a create: given back only when the provider certainly made no job.
      if (madeNoJob(error)) {
        await claim.release();
        throw error;
      }
      throw estimateKept(error);
    }
    await claim.started(video);
    return this.finish(video, input, run, { estimate, typicalRenderMs: facts.typicalRenderMs, names, left: claim.left });
  }

  private async finish(
    video: Video,
    input: RemixVideoInput,
    run: RunOptions,
    { estimate, typicalRenderMs, names, left }: { estimate: CostEstimate; typicalRenderMs?: number; names?: NamePlan; left?: BudgetsLeft },
  ): Promise<VideoJobResult> {
    const result = await this.follower.follow(video, input, run, { typicalRenderMs, estimate, names });
    return finishedJob({ ledger: this.ledger, ownership: this.ownership }, video, result, {
      estimate,
      left,
      waited: input.waitForCompletion,
    });
  }
}

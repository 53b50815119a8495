import { sizeFor } from '../../domain/controls';
import type { FitBackground, FitMode, ReferenceImageUpload, VideoProvider } from '../../domain/ports';
import { requestOf, type VideoRequest } from '../../domain/video-request';
import { checkProviderOptions, estimateKept, madeNoJob } from '../../domain/money';
import { withHeldId, type Video } from '../../domain/video';
import { finishedJob } from '../finished-job';
import type { FollowOptions, JobFollower } from '../job-follower';
import type { NamePlan } from '../output-names';
import type { VideoJobResult } from '../job-result';
import type { ReferenceImagePreparer } from '../reference-image-preparer';
import type { RequestPlanner } from '../request-planner';
import { DEFAULT_USER, type JobOwnership } from '../job-ownership';
import { jobRequestText, type BudgetsLeft, type SpendingLedger } from '../spending-ledger';
import type { RunOptions } from '../progress';

/** How a create's images are fitted to the video, beside its request. */
export interface FrameFit {
  inputReferenceFit: FitMode;
  inputReferenceBackground: FitBackground;
}

/** A create's request without waiting, files or key, images as the caller gave them: what a sequence's shot is. */
export type CreateRequestInput = VideoRequest<string> & FrameFit;

/** A create as the caller gave it: its request (images as given: URL, data URL, base64 or a path), then how to follow it. */
export interface CreateVideoInput extends CreateRequestInput, FollowOptions {
  /** The same key from the same user names the same job: nothing is sent or reserved again. */
  idempotencyKey?: string;
}

type Plan = Awaited<ReturnType<RequestPlanner['planCreate']>>;

export class CreateVideo {
  constructor(
    private readonly provider: VideoProvider,
    private readonly references: ReferenceImagePreparer,
    private readonly follower: JobFollower,
    private readonly planner: RequestPlanner,
    private readonly ledger: SpendingLedger,
    private readonly ownership: JobOwnership,
  ) {}

  async execute(input: CreateVideoInput, run: RunOptions = {}): Promise<VideoJobResult> {
    checkProviderOptions(input.providerOptions);
    // Everything that can be refused is checked before the paid request is sent: the model (named or
    // the default) and every control it is given, then whether the provider can take a call at all
    // (no key, Azure) before a reference image is fetched, then the files, then the cost.
    const request = requestOf(input);
    const plan = await this.planner.planCreate(request, run.signal);
    await this.provider.assertReady();
    const names = await this.follower.checkOutput(input);
    // As it will be sent: the model the checks and the estimate were for (named or the default, never left to the
    // provider) and the geometry in the provider's words.
    const planned = { ...request, model: plan.model, size: plan.size, aspectRatio: plan.aspectRatio, resolution: plan.resolution };
    const owner = run.caller ?? DEFAULT_USER;
    const claim = await this.ledger.reserve(plan.estimate, {
      owner,
      operation: 'create',
      signal: run.signal,
      idempotency:
        input.idempotencyKey === undefined
          ? undefined
          : {
              key: input.idempotencyKey,
              request: jobRequestText({ ...planned, fit: input.inputReferenceFit, background: input.inputReferenceBackground }),
            },
    });
    // The key names a job already (this call repeated, on any replica): it is followed, nothing is sent again.
    if (claim.kind === 'existing') return this.followExisting(claim.videoId, input, run, plan, names);
    let video;
    /** Whether the paid request may have left: until then any failure started nothing. */
    let sent = false;
    try {
      const frame = (source: string, field: 'input_reference' | 'last_frame') =>
        this.references.prepare({
          input: source,
          field,
          size: plan.frameSize,
          sizeWasDefaulted: plan.frameSizeDefaulted,
          fit: input.inputReferenceFit,
          background: input.inputReferenceBackground,
          signal: run.signal,
        });
      const first = input.inputReference === undefined ? undefined : await frame(input.inputReference, 'input_reference');
      const last = input.lastFrame === undefined ? undefined : await frame(input.lastFrame, 'last_frame');
      const references: ReferenceImageUpload[] = [];
      for (const [index, source] of (input.referenceImages ?? []).entries()) {
        references.push(await this.references.prepareAsIs(source, `reference_images[${index}]`, run.signal));
      }
      sent = true;
      video = await this.provider.create(
        { ...planned, inputReference: first, lastFrame: last, referenceImages: references.length > 0 ? references : undefined },
        { signal: run.signal },
      );
    } catch (error) {
      // Given back only when nothing was started: refused by our checks or by the provider. A cancellation, a timeout,
      // a reset or an unreadable answer may hide a job that exists, so its estimate stays spent.
      if (!sent || madeNoJob(error)) {
        await claim.release();
        throw error;
      }
      throw estimateKept(error);
    }
    // A provider that takes an aspect ratio and a resolution may not echo a size: the job is the size that was asked for.
    const asked = input.size ?? (plan.aspectRatio && plan.resolution ? sizeFor(plan.aspectRatio, plan.resolution) : undefined);
    if (!video.size && asked) video = { ...video, size: asked };
    await claim.started(video);
    run.onStarted?.(video);
    return this.finish(video, input, run, { plan, names, left: claim.left });
  }

  private async followExisting(
    videoId: string,
    input: CreateVideoInput,
    run: RunOptions,
    plan: Plan,
    names: NamePlan | undefined,
  ): Promise<VideoJobResult> {
    const video = withHeldId(await this.provider.retrieve({ id: videoId }, { signal: run.signal }), videoId);
    run.onStarted?.(video);
    return this.finish(video, input, run, { plan, names });
  }

  private async finish(
    video: Video,
    input: CreateVideoInput,
    run: RunOptions,
    { plan, names, left }: { plan: Plan; names: NamePlan | undefined; left?: BudgetsLeft },
  ): Promise<VideoJobResult> {
    const result = await this.follower.follow(video, input, run, {
      typicalRenderMs: plan.facts.typicalRenderMs,
      estimate: plan.estimate,
      names,
    });
    return finishedJob({ ledger: this.ledger, ownership: this.ownership }, video, result, {
      estimate: plan.estimate,
      left,
      waited: input.waitForCompletion,
    });
  }
}

import { sizeFor } from '../../domain/controls';
import type { CreateVideoParams, FitBackground, FitMode, ReferenceImageUpload, VideoProvider } from '../../domain/ports';
import { checkProviderOptions, estimateKept, madeNoJob } from '../../domain/money';
import { withHeldId, type Video } from '../../domain/video';
import { finishedJob } from '../finished-job';
import type { FollowOptions, JobFollower } from '../job-follower';
import type { VideoJobResult } from '../job-result';
import type { ReferenceImagePreparer } from '../reference-image-preparer';
import type { CreateRequest, RequestPlanner } from '../request-planner';
import { DEFAULT_USER, type JobOwnership } from '../job-ownership';
import { jobRequestText, type BudgetsLeft, type SpendingLedger } from '../spending-ledger';
import type { RunOptions } from '../progress';

/** What a job is made from, as the caller gave it: the provider's params, with images as given (URL, data URL, base64 or a path). */
export interface CreateVideoInput extends FollowOptions, Omit<CreateVideoParams, 'inputReference' | 'lastFrame' | 'referenceImages'> {
  /** The first frame. */
  inputReference?: string;
  lastFrame?: string;
  referenceImages?: readonly string[];
  inputReferenceFit: FitMode;
  inputReferenceBackground: FitBackground;
  /** The same key from the same user names the same job: nothing is sent or reserved again. */
  idempotencyKey?: string;
}

type Plan = Awaited<ReturnType<RequestPlanner['planCreate']>>;

/** A create's request without waiting, files or key: what a sequence's shot is. */
export type CreateRequestInput = Omit<CreateVideoInput, keyof FollowOptions | 'idempotencyKey'>;

/**
 * What the planner checks of a create: each control as given, images only as present or not (`frameComing`: a first
 * frame the caller will add, as a sequence adds the previous shot's last frame).
 */
export function planRequestOf(input: CreateRequestInput, frameComing = false): CreateRequest {
  return {
    model: input.model,
    seconds: input.seconds,
    size: input.size,
    aspectRatio: input.aspectRatio,
    resolution: input.resolution,
    firstFrame: input.inputReference !== undefined || frameComing,
    lastFrame: input.lastFrame !== undefined,
    referenceImages: input.referenceImages?.length ?? 0,
    generateAudio: input.generateAudio,
    seed: input.seed,
    negativePrompt: input.negativePrompt,
    providerOptions: input.providerOptions !== undefined,
  };
}

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
    const plan = await this.planner.planCreate(planRequestOf(input), run.signal);
    await this.provider.assertReady();
    await this.follower.checkOutput(input);
    const { inputReference, lastFrame, referenceImages, prompt, seconds, generateAudio, seed, negativePrompt, providerOptions } = input;
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
              request: jobRequestText({
                ...{ prompt, model: plan.model, seconds, size: plan.size, aspectRatio: plan.aspectRatio, resolution: plan.resolution },
                ...{ inputReference, lastFrame, referenceImages, generateAudio, seed, negativePrompt, providerOptions },
                ...{ fit: input.inputReferenceFit, background: input.inputReferenceBackground },
              }),
            },
    });
    // The key names a job already (this call repeated, on any replica): it is followed, nothing is sent again.
    if (claim.kind === 'existing') return this.followExisting(claim.videoId, input, run, plan);
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
        {
          prompt,
          // The model the checks and the estimate were for, named or the default: never left to the provider.
          model: plan.model,
          seconds: input.seconds,
          size: plan.size,
          aspectRatio: plan.aspectRatio,
          resolution: plan.resolution,
          inputReference: first,
          lastFrame: last,
          referenceImages: references.length > 0 ? references : undefined,
          generateAudio: input.generateAudio,
          seed: input.seed,
          negativePrompt: input.negativePrompt,
          providerOptions: input.providerOptions,
        },
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
    return this.finish(video, input, run, plan, claim.left);
  }

  private async followExisting(videoId: string, input: CreateVideoInput, run: RunOptions, plan: Plan): Promise<VideoJobResult> {
    const video = withHeldId(await this.provider.retrieve({ id: videoId }, { signal: run.signal }), videoId);
    run.onStarted?.(video);
    return this.finish(video, input, run, plan);
  }

  private async finish(video: Video, input: CreateVideoInput, run: RunOptions, plan: Plan, left?: BudgetsLeft): Promise<VideoJobResult> {
    const result = await this.follower.follow(video, input, run, { typicalRenderMs: plan.facts.typicalRenderMs, estimate: plan.estimate });
    return finishedJob({ ledger: this.ledger, ownership: this.ownership }, video, result, {
      estimate: plan.estimate,
      left,
      waited: input.waitForCompletion,
    });
  }
}

import { ModelCatalog } from '../../domain/model-catalog';
import type { FitBackground, FitMode, VideoProvider } from '../../domain/ports';
import { API_DEFAULT_SIZE, type VideoSeconds, type VideoSize } from '../../domain/video';
import type { FollowOptions, JobFollower } from '../job-follower';
import type { VideoJobResult } from '../job-result';
import type { ReferenceImagePreparer } from '../reference-image-preparer';
import type { RunOptions } from '../progress';

export interface CreateVideoInput extends FollowOptions {
  prompt: string;
  model?: string;
  seconds?: VideoSeconds;
  size?: VideoSize;
  inputReference?: string;
  inputReferenceFit: FitMode;
  inputReferenceBackground: FitBackground;
}

export class CreateVideo {
  constructor(
    private readonly provider: VideoProvider,
    private readonly references: ReferenceImagePreparer,
    private readonly follower: JobFollower,
    private readonly catalog: ModelCatalog = new ModelCatalog([]),
  ) {}

  async execute(input: CreateVideoInput, run: RunOptions = {}): Promise<VideoJobResult> {
    // Everything that can be refused is checked before the paid request is sent, and a provider that
    // cannot take the call at all (no key, Azure) is found before a reference image is fetched.
    // A catalogued model's limits are checked first of all: a bad size costs nothing.
    this.catalog.checkCreate({
      model: input.model,
      size: input.size,
      seconds: input.seconds,
      hasReference: input.inputReference !== undefined,
    });
    await this.provider.assertReady();
    await this.follower.checkOutput(input);
    const reference =
      input.inputReference === undefined
        ? undefined
        : await this.references.prepare({
            input: input.inputReference,
            size: input.size,
            fit: input.inputReferenceFit,
            background: input.inputReferenceBackground,
            signal: run.signal,
          });
    const video = await this.provider.create(
      {
        prompt: input.prompt,
        model: input.model,
        seconds: input.seconds,
        // With a reference image the upload was fitted to a size; state it so no provider default can differ.
        size: input.size ?? (reference ? API_DEFAULT_SIZE : undefined),
        inputReference: reference,
      },
      { signal: run.signal },
    );
    return this.follower.follow(video, input, run);
  }
}

import { z } from 'zod';
import { ENV } from '../../config/variables';
import { IMAGE_PREVIEW_MAX_BYTES, INLINE_DOWNLOAD_MAX_BYTES } from '../limits';
import {
  deleteOutput,
  file,
  followInputs,
  listInputs,
  model,
  modelsOutput,
  overwrite,
  prompt,
  seconds,
  size,
  toFollowOptions,
  toolInput,
  variant,
  videoId,
  videoOutput,
  videoPageOutput,
} from '../schemas';
import { controlInputs, providerOptions, referenceInputs, toCreateOptions } from './create-inputs';
import type { VideoJobResult } from '../../application/job-result';
import { defineOperation, type InputDefaults, type Operation, type UseCases } from './operation';

export type { Hints, InputDefaults, Operation, UseCases } from './operation';

/** Starts a paid job: it may wait, then save files (never replacing one unless overwrite is true). */
const writesFiles = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };
const reads = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };

const withDefault = <T extends z.ZodType>(schema: T, value: unknown) =>
  value === undefined ? schema.optional() : schema.default(value as never);

/** A job's result, with small saved images shown inline so the model can look at them. */
async function presentJob(u: UseCases, result: VideoJobResult) {
  const previews = await u.media.previews(result.files, IMAGE_PREVIEW_MAX_BYTES, (file) => file.mimeType.startsWith('image/'));
  return u.presenter.job(result, previews);
}

export const OPERATIONS = {
  create: defineOperation({
    input: (d: InputDefaults) =>
      toolInput({
        prompt: prompt.describe('What the video shows: shot type, subject, action, setting, lighting. 1 to 32000 characters.'),
        model: withDefault(model, d.model),
        seconds: withDefault(seconds, d.seconds),
        size: withDefault(size, d.size),
        ...referenceInputs,
        ...controlInputs,
        ...followInputs,
      }),
    outputSchema: videoOutput,
    hints: writesFiles,
    async run(u, args, context) {
      return presentJob(u, await u.create.execute({ ...toCreateOptions(args), ...toFollowOptions(args) }, context));
    },
  }),
  remix: defineOperation({
    input: () =>
      toolInput({
        video_id: videoId.describe('The completed video to remix.'),
        prompt: prompt.describe('The change to make, kept to one well-defined adjustment (e.g. "same shot at dusk").'),
        provider_options: providerOptions(),
        ...followInputs,
      }),
    outputSchema: videoOutput,
    hints: writesFiles,
    async run(u, args, context) {
      const input = { videoId: args.video_id, prompt: args.prompt, providerOptions: args.provider_options, ...toFollowOptions(args) };
      return presentJob(u, await u.remix.execute(input, context));
    },
  }),
  retrieve: defineOperation({
    input: () => toolInput({ video_id: videoId }),
    outputSchema: videoOutput,
    hints: reads,
    async run(u, args, context) {
      return u.presenter.video(await u.retrieve.execute(args.video_id, context));
    },
  }),
  list: defineOperation({
    input: (d: InputDefaults) =>
      toolInput({
        after: listInputs.after,
        limit: withDefault(listInputs.limit, d.limit),
        order: withDefault(listInputs.order, d.order),
      }),
    outputSchema: videoPageOutput,
    hints: reads,
    async run(u, args, context) {
      return u.presenter.page(await u.list.execute({ after: args.after, limit: args.limit, order: args.order }, context));
    },
  }),
  delete: defineOperation({
    input: () => toolInput({ video_id: videoId.describe('The completed or failed video to delete.') }),
    outputSchema: deleteOutput,
    hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    async run(u, args, context) {
      return u.presenter.deleted(await u.delete.execute(args.video_id, context));
    },
  }),
  download: defineOperation({
    input: () =>
      toolInput({ video_id: videoId.describe('A completed video.'), variant: variant.default('video'), file: file.optional(), overwrite }),
    outputSchema: videoOutput,
    hints: writesFiles,
    async run(u, args, context) {
      const input = {
        videoId: args.video_id,
        variant: args.variant,
        file: args.file,
        overwrite: args.overwrite,
      };
      return presentJob(u, await u.download.execute(input, context));
    },
  }),
  /** The `sora2` set's download: the saved file, and its bytes inline when small (a different result shape). */
  downloadInline: defineOperation({
    input: () => toolInput({ video_id: videoId.describe('A completed video.'), variant: variant.default('video'), overwrite }),
    outputSchema: z.looseObject({
      video_id: z.string(),
      variant: z.string(),
      size_bytes: z.number(),
      mime_type: z.string(),
      file: z.string().describe(`Where the asset was saved, inside ${ENV.roots.name}.`),
      uri: z.string(),
      data_base64: z
        .string()
        .optional()
        .describe(
          `The bytes, base64-encoded, when the asset is at most ${INLINE_DOWNLOAD_MAX_BYTES} bytes (sent once: the text copy only points here).`,
        ),
      inlined: z.boolean(),
      note: z.string(),
    }),
    hints: writesFiles,
    async run(u, args, context) {
      const result = await u.download.execute({ videoId: args.video_id, variant: args.variant, overwrite: args.overwrite }, context);
      // Bytes for data_base64 (any asset up to its limit) or for an image block (an image up to its own).
      const previews = await u.media.previews(
        result.files,
        IMAGE_PREVIEW_MAX_BYTES,
        (file) => file.mimeType.startsWith('image/') || file.sizeBytes <= INLINE_DOWNLOAD_MAX_BYTES,
      );
      return u.presenter.inlineDownload(result, args.variant, previews);
    },
  }),
  models: defineOperation({
    input: () => toolInput({}),
    outputSchema: modelsOutput,
    hints: reads,
    async run(u, _args, context) {
      return u.presenter.models(await u.models.execute(context));
    },
  }),
} satisfies Record<string, Operation>;

export type OperationId = keyof typeof OPERATIONS;

import { z } from 'zod';
import type { FollowOptions } from '../application/job-follower';
import { DEFAULT_VIDEO_MODEL, KNOWN_VIDEO_MODELS, VIDEO_SIZE_PATTERN, VIDEO_STATUSES, VIDEO_VARIANTS } from '../domain/video';

/** Input and output pieces shared by the tools. Inputs are strict; outputs are loose, since providers add fields. */

/** A tool's input object: unknown fields are refused with the list of valid ones (a typo is never silently dropped). */
export function toolInput<Shape extends z.ZodRawShape>(shape: Shape) {
  const fields = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}; valid fields: ${fields}`
        : undefined,
  });
}

export const videoId = z
  .string()
  .min(1, 'video_id is empty: pass the id returned by the create or list tool (e.g. "video_123")')
  .max(512)
  .describe('The id of a video job, as returned by create, remix or list (e.g. "video_123").');

export const prompt = z
  .string()
  .min(1, 'prompt is empty: describe the shot (subject, action, setting, lighting, camera)')
  .max(32000, 'prompt is longer than 32000 characters: shorten it');

export const model = z
  .string()
  .min(1)
  .max(200)
  .describe(
    `Video model id: the Sora ids (${KNOWN_VIDEO_MODELS.join(', ')}) or any id your provider or gateway serves (Veo, Runway, ...), passed through as given. ` +
      `The models tool lists known ids with their sizes and durations. The provider's default is ${DEFAULT_VIDEO_MODEL}.`,
  );

export const seconds = z
  .union([z.string(), z.number()], { error: 'seconds must be a whole number of seconds, such as "8" or 8' })
  .refine(
    (value) => (typeof value === 'string' ? /^[1-9][0-9]{0,3}$/.test(value) : Number.isInteger(value) && value >= 1 && value <= 9999),
    {
      error: (issue) =>
        `seconds must be a whole number of seconds, such as "8" or 8 (got ${truncateForMessage(JSON.stringify(issue.input))})`,
    },
  )
  .transform((value) => String(value))
  .describe(
    'Clip length in whole seconds, as a string or a number. It depends on the model: Sora 2 takes 4, 8 or 12 (and 16 or 20 where served); ' +
      "Veo 4, 6 or 8; Runway 5 or 10. The models tool lists each known model's values. The Sora default is 4.",
  );

export const size = z
  .string()
  .regex(VIDEO_SIZE_PATTERN, {
    error: (issue) => `size must be WIDTHxHEIGHT in pixels, such as 1280x720 (got ${truncateForMessage(JSON.stringify(issue.input))})`,
  })
  .describe(
    'Resolution as WIDTHxHEIGHT, e.g. 1280x720 (landscape) or 720x1280 (portrait). It depends on the model: Sora 2 takes 720x1280 and 1280x720, ' +
      "sora-2-pro also 1024x1792, 1792x1024, 1920x1080 and 1080x1920; the models tool lists each known model's sizes. The Sora default is 720x1280.",
  );

/** An echoed input in an error message stays short, whatever was sent. */
export function truncateForMessage(text: string | undefined, max = 80): string {
  const value = text ?? 'nothing';
  return value.length > max ? `${value.slice(0, max)}… (${value.length - max} more characters)` : value;
}

export const variant = z
  .enum(VIDEO_VARIANTS, { error: (issue) => `variant ${JSON.stringify(issue.input)} is not one of ${VIDEO_VARIANTS.join(', ')}` })
  .describe('Which asset: "video" (MP4), "thumbnail" (WebP image) or "spritesheet" (JPEG grid of frames).');

export const file = z
  .string()
  .min(1)
  .max(4096)
  .describe(
    'Where to save, inside MEDIA_GEN_DIRS: an absolute path under an allowed folder, or a path relative to the first one. ' +
      'Give a base name: the extension comes from the downloaded bytes (.mp4, .webp, .jpg, .png). An existing file is never replaced unless overwrite is true. ' +
      'Default: the video id in the first folder (with -2, -3, … when taken).',
  );

export const overwrite = z
  .boolean()
  .default(false)
  .describe(
    'Replace an existing file. Default false: nothing is ever replaced; without file a free name is chosen (video_x.mp4, then video_x-2.mp4, …), ' +
      'and a file that already exists is refused. A link at the target is replaced, never written through.',
  );

export const followInputs = {
  wait_for_completion: z
    .boolean()
    .default(false)
    .describe(
      'false (default): return as soon as the job is queued; follow it with the retrieve tool. true: wait in this call until it completes ' +
        '(progress notifications are sent when the client asks for them), then download download_variants to files.',
    ),
  timeout_ms: z
    .int()
    .min(1000, 'timeout_ms must be at least 1000')
    .max(3_600_000, 'timeout_ms must be at most 3600000 (one hour)')
    .default(300_000)
    .describe('With wait_for_completion: how long to wait before giving up (the job keeps running). Default 300000 (5 minutes).'),
  poll_interval_ms: z
    .int()
    .min(100, 'poll_interval_ms must be at least 100')
    .max(60_000, 'poll_interval_ms must be at most 60000')
    .default(2000)
    .describe(
      'With wait_for_completion: the shortest gap between two checks of the job. Default 2000. Checks adapt above it: they aim at the completion the ' +
        "provider's progress predicts, so a long render costs a few requests.",
    ),
  download_variants: z
    .array(variant)
    .max(3)
    .default(['video'])
    .refine((list) => new Set(list).size === list.length, 'download_variants lists a variant twice')
    .describe('With wait_for_completion: which assets to save when the job completes. Default ["video"]; [] saves nothing.'),
  file: file.describe(`${file.description} Only with wait_for_completion=true (files are saved when the job completes).`).optional(),
  overwrite,
};

/** The waiting and downloading arguments of create and remix, as the use cases take them. */
export function toFollowOptions(args: {
  wait_for_completion: boolean;
  timeout_ms: number;
  poll_interval_ms: number;
  download_variants: FollowOptions['downloadVariants'];
  file?: string;
  overwrite: boolean;
}): FollowOptions {
  return {
    waitForCompletion: args.wait_for_completion,
    timeoutMs: args.timeout_ms,
    pollIntervalMs: args.poll_interval_ms,
    downloadVariants: args.download_variants,
    file: args.file,
    overwrite: args.overwrite,
  };
}

export const listInputs = {
  after: z.string().min(1).max(512).optional().describe('Cursor: the last_id of the previous page, to get the page after it.'),
  limit: z.int().min(1, 'limit must be between 1 and 100').max(100, 'limit must be between 1 and 100').describe('Page size, 1 to 100.'),
  order: z
    .enum(['asc', 'desc'], { error: 'order must be "asc" or "desc"' })
    .describe('Sort by creation time: "desc" (newest first) or "asc".'),
};

export const videoOutput = z
  .looseObject({
    id: z.string(),
    object: z.string().describe('Always "video".'),
    model: z.string(),
    status: z.string().describe(`Job status: ${VIDEO_STATUSES.join(', ')}.`),
    progress: z.number().describe('Approximate completion percentage.'),
    created_at: z.number(),
    completed_at: z.number().nullable(),
    expires_at: z.number().nullable().describe('When the downloadable assets expire (Unix seconds), if set.'),
    prompt: z.string().nullable(),
    size: z.string(),
    seconds: z.string(),
    remixed_from_video_id: z.string().nullable(),
    error: z.looseObject({ code: z.string(), message: z.string() }).nullable(),
  })
  .describe('An OpenAI Video job object.');

export const videoPageOutput = z.looseObject({
  object: z.string(),
  data: z.array(videoOutput),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
  has_more: z.boolean(),
});

export const modelsOutput = z
  .looseObject({
    object: z.string().describe('Always "list".'),
    data: z.array(
      z.looseObject({
        id: z.string(),
        sizes: z.array(z.string()).nullable().describe('Sizes the model takes; null when unknown.'),
        seconds: z.array(z.string()).nullable().describe('Durations the model takes; null when unknown.'),
        input_reference: z.string().nullable().describe('"required", "optional" or "unsupported"; null when unknown.'),
        remix: z.boolean().nullable().describe('Whether remix works; null when unknown.'),
        source: z.string().describe('"catalog" (built in), "user" (SORA2_MCP_MODELS) or "provider" (only reported by GET /models).'),
      }),
    ),
  })
  .describe('Known video models and what each takes.');

export const deleteOutput = z.looseObject({
  id: z.string(),
  object: z.string(),
  deleted: z.boolean(),
});

import { z } from 'zod';
import { ENV } from '../config/variables';
import type { FollowOptions } from '../application/job-follower';
import { DEFAULT_VIDEO_MODEL, KNOWN_VIDEO_MODELS, VIDEO_SIZE_PATTERN, VIDEO_STATUSES, VIDEO_VARIANTS } from '../domain/video';

/** Input and output pieces shared by the tools. Inputs are strict; outputs are loose, since providers add fields. */

/** A tool's input object: unknown fields are refused with the list of valid ones (a typo is never silently dropped). */
export function toolInput<Shape extends z.ZodRawShape>(shape: Shape) {
  const fields = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `Unknown field(s) ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}; valid fields: ${fields}`
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
    `Where to save, inside ${ENV.roots.name}: an absolute path under an allowed folder, or a path relative to the first one. ` +
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

/** A caller's name for one job, so that repeating a call never starts (or pays for) a second one. */
export const idempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'idempotency_key must be printable ASCII without spaces, such as a UUID')
  .optional()
  .describe(
    'Any string unique to this job, such as a UUID. Repeating the call with the same key returns the same job (same id, nothing sent or ' +
      'charged again), also after a timeout, on another replica or after a restart; the same key with other arguments is refused.',
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
    .optional()
    .describe(
      'With wait_for_completion: the interval between two checks of the job, in milliseconds (100 to 60000). Leave it out to let ' +
        "the server pace the checks: it aims at the completion that the provider's own estimate, its reported progress or the " +
        "model's typical render time predicts, so a long render costs a few requests and the result comes about a second after it is done.",
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
  poll_interval_ms?: number;
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

const budgetPart = z.looseObject({ budget_usd: z.number(), spent_usd: z.number(), left_usd: z.number() });

/** What is left of each budget this period, where one is kept. */
export const budgetOutput = z
  .looseObject({
    period: z.string().describe('"day" (UTC), "month" (UTC) or "all".'),
    user: budgetPart.optional().describe("The caller's own budget."),
    team: budgetPart.optional().describe("Everyone's budget together."),
  })
  .optional()
  .describe('What is left of each spending budget this period (estimates count until the provider reports a cost).');

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
    provider_id: z
      .string()
      .optional()
      .describe("The id the provider's latest answer carried, when it differs from id (gateways re-encode ids); keep using id."),
    estimated_cost_usd: z
      .number()
      .nullable()
      .optional()
      .describe('create and remix: what the job should cost (price per second × seconds), or null when no price is known.'),
    cost_usd: z.number().optional().describe('What the provider reported the job cost, once it says.'),
    budget: budgetOutput,
  })
  .describe('An OpenAI Video job object.');

export const videoPageOutput = z.looseObject({
  object: z.string(),
  data: z.array(videoOutput),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
  has_more: z.boolean(),
});

const priceTier = z.looseObject({
  usd_per_second: z.number(),
  resolution: z.string().optional(),
  audio: z.boolean().optional(),
  source: z.string().optional(),
  read: z.string().optional(),
});

export const modelsOutput = z
  .looseObject({
    object: z.string().describe('Always "list".'),
    data: z.array(
      z.looseObject({
        id: z.string(),
        sizes: z.array(z.string()).nullable().describe('Sizes the model takes; null when unknown.'),
        seconds: z.array(z.string()).nullable().describe('Durations the model takes; null when unknown.'),
        input_reference: z.string().nullable().describe('First frame: "required", "optional" or "unsupported"; null when unknown.'),
        remix: z.boolean().nullable().describe('Whether remix works; null when unknown.'),
        controls: z
          .looseObject({
            default_seconds: z.string().nullable(),
            aspect_ratios: z.array(z.string()).nullable(),
            resolutions: z.array(z.string()).nullable(),
            last_frame: z.boolean().nullable(),
            reference_images: z.number().nullable().describe('How many reference images at most.'),
            generate_audio: z.string().nullable().describe('"optional", "always" or "never".'),
            seed: z.boolean().nullable(),
            negative_prompt: z.boolean().nullable(),
          })
          .describe('The other controls the model takes; null where unknown.'),
        price_usd_per_second: z.number().nullable().describe('The lowest price per second of video among its tiers; null when unknown.'),
        prices: z.array(priceTier).describe('Each price tier (by resolution and sound), with its source.'),
        source: z.string().describe(`"catalog" (built in), "user" (${ENV.models.name}) or "provider" (what the provider reports).`),
      }),
    ),
    budget: budgetOutput,
  })
  .describe('Known video models, what each takes and what it costs.');

export const deleteOutput = z.looseObject({
  id: z.string(),
  object: z.string(),
  deleted: z.boolean(),
});

/** What a cancel did: stopped before it ran (`cancelled`), or asked to stop while running (`requested`). */
export const cancelOutput = z.object({
  id: z.string(),
  object: z.literal('video.cancel'),
  outcome: z.enum(['cancelled', 'requested']),
  provider_status: z.string().optional(),
  estimate_released: z.boolean(),
});

const clipFacts = {
  duration_seconds: z.number().describe('How long it lasts, read back by ffprobe.'),
  width: z.number(),
  height: z.number(),
  codec: z.string().describe('The video codec (h264, hevc, …).'),
  frame_rate: z.number(),
};

/** A frame saved as a PNG. */
export const frameOutput = z
  .looseObject({
    object: z.literal('video.frame'),
    file: z.string().describe('Where the PNG is: pass it as input_reference to start a shot from it.'),
    uri: z.string(),
    size_bytes: z.number(),
    at: z.union([z.string(), z.number()]).describe('"first", "last" or the time in seconds it shows.'),
    source: z.looseObject(clipFacts).describe('The video it was taken from.'),
  })
  .describe('One frame of a saved video.');

/** Saved videos joined into one MP4. */
export const joinOutput = z
  .looseObject({
    object: z.literal('video.join'),
    file: z.string(),
    uri: z.string(),
    size_bytes: z.number(),
    duration_seconds: z.number().describe("The joined video's length, read back by ffprobe."),
    reencoded: z
      .boolean()
      .describe("false: the clips were copied as they are; true: encoded once to the first clip's size and frame rate."),
    sources: z.array(z.looseObject(clipFacts)).describe('Each clip, in order.'),
  })
  .describe('Videos joined into one MP4.');

/** A sequence of shots and, once every shot is made, the joined video. */
export const sequenceOutput = z
  .looseObject({
    sequence_id: z.string().describe('Pass it as sequence_id to continue this sequence.'),
    object: z.literal('video.sequence'),
    status: z.enum(['running', 'failed', 'completed']),
    continuity: z.enum(['last_frame', 'none']),
    estimated_cost_usd: z
      .number()
      .nullable()
      .describe('What the shots still to be made when this call began were estimated to cost, together; null when no price is known.'),
    shots: z.array(
      z.looseObject({
        shot: z.number().describe('Its place in the sequence, from 1.'),
        prompt: z.string(),
        video_id: z.string().nullable(),
        status: z.string().nullable().describe("Its job's status, or null before it is created."),
        progress: z.number().nullable(),
        estimated_cost_usd: z
          .number()
          .nullable()
          .describe("This shot's share of the estimate (null when made before this call or unpriced)."),
        file: z.string().optional().describe('Where the shot is saved.'),
        uri: z.string().optional(),
        duration_seconds: z.number().optional(),
        first_frame: z.string().optional().describe("The PNG it was started from (the previous shot's final frame)."),
        error: z.looseObject({ code: z.string(), message: z.string() }).optional(),
      }),
    ),
    file: z.string().optional().describe('The joined MP4, once every shot is made.'),
    uri: z.string().optional(),
    duration_seconds: z.number().optional().describe("The joined video's length, read back by ffprobe."),
    reencoded: z.boolean().optional(),
  })
  .describe('A multi-shot sequence.');

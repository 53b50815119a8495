import { z } from 'zod';
import { ENV } from '../../config/variables';
import type { CreateVideoInput } from '../../application/use-cases/create-video';
import type { FollowOptions } from '../../application/job-follower';
import { ASPECT_RATIO_PATTERN, CONTROL_NAMES, MAX_REFERENCE_IMAGES, RESOLUTION_PATTERN, type ControlName } from '../../domain/controls';
import { OPTIONAL_OPERATIONS, type FitMode, type ProviderProfile } from '../../domain/ports';
import type { VideoSeconds, VideoSize } from '../../domain/video';

/** About 20 MiB of image as base64, the largest image accepted from any source. */
const MAX_IMAGE_SOURCE_CHARS = 28_000_000;
/** `provider_options`, serialised: enough for any provider's passthrough, far from a message's budget. */
export const MAX_PROVIDER_OPTIONS_BYTES = 16 * 1024;
const MAX_PROVIDER_OPTIONS_DEPTH = 8;

const SOURCES = `an http(s) URL, a data:image/...;base64,... URL, raw base64, or the path of a file inside ${ENV.roots.name} (JPEG, PNG or WebP)`;

function imageSource(field: string) {
  return z
    .string()
    .min(1, `${field} is empty: pass ${SOURCES}`)
    .max(
      MAX_IMAGE_SOURCE_CHARS,
      `${field} is too large to send inline (at most about 20 MiB of image); save it inside ${ENV.roots.name} and pass its path, or pass a URL`,
    );
}

/**
 * The provider the documentation describes (docs/tools.md, the build's prebuilt lists when nothing else is known): one
 * that takes every control, so each control is described by what it does.
 */
export const DOCUMENTED_PROVIDER: ProviderProfile = {
  label: 'the provider',
  defaultModel: 'sora-2',
  controls: CONTROL_NAMES,
  operations: OPTIONAL_OPERATIONS,
  variants: ['video', 'thumbnail', 'spritesheet'],
};

/** How descriptions name the provider and say what it does not take: from its profile, never written by hand. */
function speaker(provider: ProviderProfile) {
  const label = provider.label.charAt(0).toUpperCase() + provider.label.slice(1);
  const takes = (control: ControlName) => provider.controls.includes(control);
  const refused = (control: ControlName) =>
    `${label} has no field for this: a call that sets it is refused before anything is sent.` +
    (provider.controlHints?.[control] ? ` ${provider.controlHints[control]}` : '');
  /** The description of a control: what it does where the provider takes it, else that it is refused. */
  const about = (control: ControlName, text: string) => (takes(control) ? text : refused(control));
  return { label, takes, about };
}

/** The reference-image inputs, shared by both create tools. */
export function referenceInputs(provider: ProviderProfile) {
  const { takes } = speaker(provider);
  const frames = takes('last_frame') ? 'input_reference and last_frame are' : 'input_reference is';
  return {
    input_reference: imageSource('input_reference')
      .optional()
      .describe(
        `The first frame: ${SOURCES}. It must end up exactly the video size (the model's default size, 720x1280 for Sora, when no size is given); ` +
          'see input_reference_fit.',
      ),
    input_reference_fit: z
      .enum(['match', 'cover', 'contain', 'stretch'], { error: 'input_reference_fit must be "match", "cover", "contain" or "stretch"' })
      .default('match')
      .describe(
        `How ${frames} fitted to the video size. "match" (default): the image must already be the video size, else a clear error. ` +
          '"cover": scale and centre-crop. "contain": scale to fit and pad with input_reference_background. "stretch": scale to the exact size, distorting.',
      ),
    input_reference_background: z
      .string()
      .regex(
        /^(blur|black|white|#[0-9a-fA-F]{6})$/,
        'input_reference_background must be "blur", "black", "white" or a colour like "#1a2b3c"',
      )
      .default('blur')
      .describe('Padding for input_reference_fit="contain": "blur" (default, a blurred copy of the image), "black", "white" or "#rrggbb".'),
  };
}

/**
 * The controls today's models take. Each is sent under the provider's own field name, and refused
 * before anything is sent where the provider or a known model has no place for it; each description
 * says which, from the provider's profile.
 */
export function controlInputs(provider: ProviderProfile, words: { models: string }) {
  const { label, takes, about } = speaker(provider);
  const speaksGeometry = takes('aspect_ratio') && takes('resolution');
  const geometry = speaksGeometry
    ? `${label} takes it as it is (a size is converted to an aspect ratio and a resolution for models that take no sizes).`
    : `Converted to a pixel size (16:9 at 720p is 1280x720), since ${provider.label} takes only a size.`;
  return {
    last_frame: imageSource('last_frame')
      .optional()
      .describe(
        about(
          'last_frame',
          `The last frame (image-to-video between two frames): ${SOURCES}, fitted like input_reference` +
            `${provider.lastFrameNeedsFirst ? ', and only with input_reference' : ''}. ${words.models} says which models take it.`,
        ),
      ),
    reference_images: z
      .array(imageSource('reference_images'))
      .min(1, 'reference_images is empty: leave it out, or pass 1 to 4 images')
      .max(MAX_REFERENCE_IMAGES, `reference_images holds at most ${MAX_REFERENCE_IMAGES} images`)
      .optional()
      .describe(
        about(
          'reference_images',
          `Up to ${MAX_REFERENCE_IMAGES} images of a character, object or style to keep (${SOURCES}), sent as they are` +
            `${provider.framesOrReferences ? ', never together with frames' : ''}. ${words.models} says how many a model takes.`,
        ),
      ),
    generate_audio: z
      .boolean()
      .optional()
      .describe(
        about(
          'generate_audio',
          'true: the model generates sound with the video; false: a silent clip (often cheaper). Left out, the model decides. ' +
            `${words.models} says whether a model makes sound always, optionally or never.`,
        ),
      ),
    seed: z
      .int({ error: 'seed must be a whole number' })
      .min(0, 'seed must be 0 or more')
      .max(4_294_967_295, 'seed must be at most 4294967295')
      .optional()
      .describe(
        about(
          'seed',
          `A whole number that repeats a take with the same inputs (not every model keeps its promise); ${words.models} says which models take one.`,
        ),
      ),
    negative_prompt: z
      .string()
      .min(1, 'negative_prompt is empty: leave it out, or say what the video must not show')
      .max(2000, 'negative_prompt is longer than 2000 characters: shorten it')
      .optional()
      .describe(about('negative_prompt', `What the video must not show; ${words.models} says which models take it.`)),
    aspect_ratio: z
      .string()
      .regex(ASPECT_RATIO_PATTERN, 'aspect_ratio must be W:H, such as 16:9, 9:16 or 1:1')
      .optional()
      .describe(`W:H, such as 16:9, 9:16, 1:1, 4:3 or 21:9: with resolution, the alternative to size. ${geometry}`),
    resolution: z
      .string()
      .regex(RESOLUTION_PATTERN, 'resolution must be like 480p, 720p, 1080p or 4K')
      .optional()
      .describe(
        'The short side: 480p, 720p, 1080p or 4K (1K and 2K where a provider names them). With aspect_ratio, the alternative to size.',
      ),
    provider_options: providerOptions(provider),
  };
}

/** A JSON object passed to the provider as it is, bounded in size and depth. */
export function providerOptions(provider: ProviderProfile) {
  const { about } = speaker(provider);
  return z
    .record(z.string(), z.unknown(), { error: 'provider_options must be a JSON object' })
    .refine((value) => new TextEncoder().encode(JSON.stringify(value)).length <= MAX_PROVIDER_OPTIONS_BYTES, {
      error: `provider_options is larger than ${MAX_PROVIDER_OPTIONS_BYTES / 1024} KiB: send only the fields the provider needs`,
    })
    .refine((value) => depth(value) <= MAX_PROVIDER_OPTIONS_DEPTH, {
      error: `provider_options is nested deeper than ${MAX_PROVIDER_OPTIONS_DEPTH} levels`,
    })
    .optional()
    .describe(
      about(
        'provider_options',
        `Fields this server does not model, sent to ${provider.label} as they are beside the ones it sets (which they may not replace). ` +
          `${provider.controlHints?.provider_options ?? ''}${provider.controlHints?.provider_options ? ' ' : ''}At most ${MAX_PROVIDER_OPTIONS_BYTES / 1024} KiB.`,
      ),
    );
}

function depth(value: unknown): number {
  if (!value || typeof value !== 'object') return 0;
  const children = Object.values(value as Record<string, unknown>);
  return 1 + (children.length === 0 ? 0 : Math.max(...children.map(depth)));
}

/** What both create tools pass to CreateVideo, apart from waiting. */
export function toCreateOptions(args: {
  prompt: string;
  model?: string;
  seconds?: VideoSeconds;
  size?: VideoSize;
  input_reference?: string;
  input_reference_fit: FitMode;
  input_reference_background: string;
  last_frame?: string;
  reference_images?: string[];
  generate_audio?: boolean;
  seed?: number;
  negative_prompt?: string;
  aspect_ratio?: string;
  resolution?: string;
  provider_options?: Record<string, unknown>;
}): Omit<CreateVideoInput, keyof FollowOptions> {
  return {
    prompt: args.prompt,
    model: args.model,
    seconds: args.seconds,
    size: args.size,
    aspectRatio: args.aspect_ratio,
    resolution: args.resolution,
    inputReference: args.input_reference,
    lastFrame: args.last_frame,
    referenceImages: args.reference_images,
    inputReferenceFit: args.input_reference_fit,
    inputReferenceBackground: args.input_reference_background,
    generateAudio: args.generate_audio,
    seed: args.seed,
    negativePrompt: args.negative_prompt,
    providerOptions: args.provider_options,
  };
}

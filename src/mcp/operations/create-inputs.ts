import { z } from 'zod';
import type { CreateVideoInput } from '../../application/use-cases/create-video';
import type { FollowOptions } from '../../application/job-follower';
import type { FitMode } from '../../domain/ports';
import type { VideoSeconds, VideoSize } from '../../domain/video';

/** The reference-image inputs, shared by both create tools. */
export const referenceInputs = {
  input_reference: z
    .string()
    .min(1)
    // About 20 MiB of image as base64, the largest reference accepted from any source.
    .max(
      28_000_000,
      'input_reference is too large to send inline (at most about 20 MiB of image); save it inside MEDIA_GEN_DIRS and pass its path, or pass a URL',
    )
    .optional()
    .describe(
      'Reference image for the first frame (JPEG, PNG or WebP): an http(s) URL, a data:image/...;base64,... URL, raw base64, ' +
        'or the path of a file inside MEDIA_GEN_DIRS. It must end up exactly the video size (720x1280 when size is omitted); see input_reference_fit.',
    ),
  input_reference_fit: z
    .enum(['match', 'cover', 'contain', 'stretch'], { error: 'input_reference_fit must be "match", "cover", "contain" or "stretch"' })
    .default('match')
    .describe(
      '"match" (default): the image must already be the video size, else a clear error. "cover": scale and centre-crop. ' +
        '"contain": scale to fit and pad with input_reference_background. "stretch": scale to the exact size, distorting.',
    ),
  input_reference_background: z
    .string()
    .regex(/^(blur|black|white|#[0-9a-fA-F]{6})$/, 'input_reference_background must be "blur", "black", "white" or a colour like "#1a2b3c"')
    .default('blur')
    .describe('Padding for input_reference_fit="contain": "blur" (default, a blurred copy of the image), "black", "white" or "#rrggbb".'),
};

/** What both create tools pass to CreateVideo, apart from waiting. */
export function toCreateOptions(args: {
  prompt: string;
  model?: string;
  seconds?: VideoSeconds;
  size?: VideoSize;
  input_reference?: string;
  input_reference_fit: FitMode;
  input_reference_background: string;
}): Omit<CreateVideoInput, keyof FollowOptions> {
  return {
    prompt: args.prompt,
    model: args.model,
    seconds: args.seconds,
    size: args.size,
    inputReference: args.input_reference,
    inputReferenceFit: args.input_reference_fit,
    inputReferenceBackground: args.input_reference_background,
  };
}

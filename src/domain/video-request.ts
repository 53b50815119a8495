import type { ImageMimeType } from './media';
import type { VideoSeconds, VideoSize } from './video';

/** A reference image ready to upload: raw bytes of a sniffed JPEG, PNG or WebP. */
export interface ReferenceImageUpload {
  bytes: Uint8Array;
  mimeType: ImageMimeType;
  filename: string;
}

/**
 * What a job is made from: one value from the tool's parsed arguments to the dialect. The checks, the planner, the
 * estimate, the idempotency key's record and the provider all read this same value; the controls a request uses are
 * derived from it (`controlsUsed`). Images are held as `Image`: the caller's text (a path, a URL, a data URL) until they
 * are prepared, then the bytes a provider uploads. A new control is one field here, its check in request-checks.ts,
 * and its wire mapping in each dialect that has it.
 */
export interface VideoRequest<Image = ReferenceImageUpload> {
  prompt: string;
  /** Absent: the provider's default model (its profile names it); the planner always names one before it is sent. */
  model?: string;
  seconds?: VideoSeconds;
  size?: VideoSize;
  /** `W:H`, with `resolution` the alternative to `size`. */
  aspectRatio?: string;
  /** `720p`, `1080p`, `4K`… */
  resolution?: string;
  /** The first frame (`input_reference`). */
  inputReference?: Image;
  lastFrame?: Image;
  referenceImages?: readonly Image[];
  generateAudio?: boolean;
  seed?: number;
  negativePrompt?: string;
  /** Passed to the provider as it is, beside the fields above; never overrides one of them. */
  providerOptions?: Readonly<Record<string, unknown>>;
}

/** Every field of a request, once: what is picked from a larger value (a tool's input, a sequence's shot). */
const FIELDS = {
  prompt: true,
  model: true,
  seconds: true,
  size: true,
  aspectRatio: true,
  resolution: true,
  inputReference: true,
  lastFrame: true,
  referenceImages: true,
  generateAudio: true,
  seed: true,
  negativePrompt: true,
  providerOptions: true,
} satisfies Record<keyof VideoRequest, true>;

/** The request within `value` (a create's input carries its waiting and file options beside it). */
export function requestOf<Image>(value: VideoRequest<Image>): VideoRequest<Image> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(FIELDS) as (keyof VideoRequest)[]) {
    if (value[key] !== undefined) out[key] = value[key];
  }
  return out as unknown as VideoRequest<Image>;
}

import { parseSize } from './video';

/**
 * The controls today's video models take beyond a prompt, a model, a size and a duration, in the
 * domain's words (the tools' input names). Each provider says which it has a wire field for; each
 * catalogued or reported model says which it takes and with what values.
 */
export const CONTROL_NAMES = [
  'input_reference',
  'last_frame',
  'reference_images',
  'generate_audio',
  'seed',
  'negative_prompt',
  'aspect_ratio',
  'resolution',
  'provider_options',
] as const;
export type ControlName = (typeof CONTROL_NAMES)[number];

/** Every control but the ones a provider has no field for. */
export function controlsBut(...missing: ControlName[]): ControlName[] {
  return CONTROL_NAMES.filter((name) => !missing.includes(name));
}

export const REFERENCE_SUPPORT = ['required', 'optional', 'unsupported'] as const;
export type ReferenceSupport = (typeof REFERENCE_SUPPORT)[number];

/** Generated sound: the caller may choose (`optional`), the model always makes it (`always`), or never (`never`). */
export const AUDIO_SUPPORT = ['optional', 'always', 'never'] as const;
export type AudioSupport = (typeof AUDIO_SUPPORT)[number];

/** What a model takes. Every field is optional: what is absent is not known, and is not checked. */
export interface ModelCapabilities {
  sizes?: readonly string[];
  seconds?: readonly string[];
  /** What the model renders when no duration is asked for (estimates use it). */
  default_seconds?: string;
  resolutions?: readonly string[];
  aspect_ratios?: readonly string[];
  /** The first frame. */
  input_reference?: ReferenceSupport;
  last_frame?: boolean;
  /** How many reference images at most (0: none). */
  reference_images?: number;
  audio?: AudioSupport;
  seed?: boolean;
  negative_prompt?: boolean;
  remix?: boolean;
}

/** A price per second of video, for one tier (a resolution, with or without sound) or for every tier. */
export interface PriceTier {
  usd_per_second: number;
  resolution?: string;
  audio?: boolean;
  /** Where the price comes from, and when it was read (`YYYY-MM-DD`). */
  source?: string;
  read?: string;
}

/** The most requests may ask for at once (OpenRouter and Seedance take a handful). */
export const MAX_REFERENCE_IMAGES = 4;

/** Aspect ratios gateways name (OpenRouter's list). */
export const KNOWN_ASPECT_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3', '21:9', '9:21'] as const;
export const ASPECT_RATIO_PATTERN = /^([1-9][0-9]?):([1-9][0-9]?)$/;
export const RESOLUTION_PATTERN = /^([1-9][0-9]{2,3}p|[1-9]K)$/;

/** The short side, in pixels, of each resolution that has one fixed size (`2K` and `1K` differ between vendors). */
const SHORT_SIDE: Readonly<Record<string, number>> = { '480p': 480, '540p': 540, '720p': 720, '768p': 768, '1080p': 1080, '4K': 2160 };

/** `resolution` as gateways spell it: `720P` and `4k` are `720p` and `4K`. */
export function normaliseResolution(resolution: string): string {
  return /k$/i.test(resolution) ? resolution.toUpperCase() : resolution.toLowerCase();
}

/**
 * The pixel size an aspect ratio and a resolution stand for: the resolution is the short side, the
 * long side follows the ratio, rounded to an even number (`16:9` at `720p` is `1280x720`, `9:16` at
 * `1080p` is `1080x1920`). Undefined when the resolution has no fixed size.
 */
export function sizeFor(aspectRatio: string, resolution: string): string | undefined {
  const ratio = ASPECT_RATIO_PATTERN.exec(aspectRatio);
  const short = SHORT_SIDE[normaliseResolution(resolution)];
  if (!ratio || short === undefined) return undefined;
  const w = Number(ratio[1]);
  const h = Number(ratio[2]);
  const long = (side: number, a: number, b: number) => Math.round((side * Math.max(a, b)) / Math.min(a, b) / 2) * 2;
  return w >= h ? `${long(short, w, h)}x${short}` : `${short}x${long(short, w, h)}`;
}

/**
 * The aspect ratio and resolution a pixel size stands for, when it is close (within 2%) to a named
 * ratio and its short side is a named resolution: `1280x720` is `16:9` at `720p`.
 */
export function geometryOf(size: string): { aspectRatio: string; resolution: string } | undefined {
  const parsed = parseSize(size);
  if (!parsed) return undefined;
  const { width, height } = parsed;
  const short = Math.min(width, height);
  const resolution = Object.entries(SHORT_SIDE).find(([, side]) => side === short)?.[0];
  if (resolution === undefined) return undefined;
  const ratio = width / height;
  const aspectRatio = KNOWN_ASPECT_RATIOS.find((name) => {
    const [a, b] = name.split(':').map(Number) as [number, number];
    return Math.abs(ratio - a / b) / (a / b) <= 0.02;
  });
  return aspectRatio === undefined ? undefined : { aspectRatio, resolution };
}

/**
 * The tier that prices a request: the most specific one whose resolution and sound match (a tier
 * that names neither matches everything). Undefined when no tier matches.
 */
export function priceFor(prices: readonly PriceTier[], request: { resolution?: string; audio?: boolean }): PriceTier | undefined {
  const matching = prices.filter(
    (tier) =>
      (tier.resolution === undefined ||
        (request.resolution !== undefined && normaliseResolution(tier.resolution) === request.resolution)) &&
      (tier.audio === undefined || tier.audio === request.audio),
  );
  const specificity = (tier: PriceTier) => (tier.resolution === undefined ? 0 : 2) + (tier.audio === undefined ? 0 : 1);
  return matching.sort((a, b) => specificity(b) - specificity(a))[0];
}

/** Dollars, rounded to the cent's tenth, as estimates are shown. */
export function roundUsd(value: number): number {
  return Math.round(value * 1000) / 1000;
}

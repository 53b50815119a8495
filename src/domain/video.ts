/**
 * Video types shaped by OpenAI's official `/videos` spec (VideoResource, VideoListResource,
 * DeletedVideoResource). Providers may add fields; adapters keep them, so these are open records.
 */

/** `WIDTHxHEIGHT` in pixels; any size is accepted here, the model catalog says what a known model takes. */
export type VideoSize = string;
export const VIDEO_SIZE_PATTERN = /^([1-9][0-9]{1,3})x([1-9][0-9]{1,3})$/;

/** A whole number of seconds, as the wire carries it (a string). */
export type VideoSeconds = string;

/** Known Sora ids; compatible providers may accept any other model id, so this is a hint, not a gate. */
export const KNOWN_VIDEO_MODELS = ['sora-2', 'sora-2-pro', 'sora-2-2025-10-06', 'sora-2-pro-2025-10-06', 'sora-2-2025-12-08'] as const;
export const DEFAULT_VIDEO_MODEL = 'sora-2';

/** What the API renders when no size is requested (spec prose). */
export const API_DEFAULT_SIZE: VideoSize = '720x1280';

export const VIDEO_STATUSES = ['queued', 'in_progress', 'completed', 'failed'] as const;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];

export const VIDEO_VARIANTS = ['video', 'thumbnail', 'spritesheet'] as const;
export type VideoVariant = (typeof VIDEO_VARIANTS)[number];

export interface VideoJobError {
  code: string;
  message: string;
}

export interface Video {
  id: string;
  object: 'video';
  model: string;
  /** One of VIDEO_STATUSES for a spec-conforming provider; kept as a string so new states pass through. */
  status: string;
  progress: number;
  created_at: number;
  completed_at: number | null;
  expires_at: number | null;
  prompt: string | null;
  size: string;
  seconds: string;
  remixed_from_video_id: string | null;
  error: VideoJobError | null;
  [extra: string]: unknown;
}

export interface VideoPage {
  object: 'list';
  data: Video[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
  [extra: string]: unknown;
}

export interface VideoDeleteResponse {
  id: string;
  object: 'video.deleted';
  deleted: boolean;
  [extra: string]: unknown;
}

export type ListOrder = 'asc' | 'desc';

export interface ListVideosQuery {
  after?: string;
  limit?: number;
  order?: ListOrder;
}

/** A job that will never complete. Providers report the spec's four words (adapters translate their own). */
export function isFailed(status: string): boolean {
  return status === 'failed';
}

export function isTerminal(status: string): boolean {
  return status === 'completed' || status === 'failed';
}

/**
 * The job as the caller holds it: the id the create or remix returned stays its id, whatever id a
 * later answer carries (gateways re-encode ids in their answers); a different one is kept as
 * `provider_id`, so it is not lost.
 */
export function withHeldId(video: Video, heldId: string): Video {
  if (video.id === heldId) return video;
  return { ...video, id: heldId, provider_id: video.id };
}

/**
 * A later answer about a job, in the terms the caller holds it: its id, and the video it remixes
 * (a gateway names that by its upstream id, LiteLLM does).
 */
export function asHeld(answer: Video, held: Video): Video {
  const video = withHeldId(answer, held.id);
  const source = held.remixed_from_video_id;
  return source !== null && video.remixed_from_video_id !== source ? { ...video, remixed_from_video_id: source } : video;
}

/** Width and height of a `WIDTHxHEIGHT` size, or undefined when it is not one. */
export function parseSize(size: VideoSize): { width: number; height: number } | undefined {
  const match = VIDEO_SIZE_PATTERN.exec(size);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}

/** A job's progress as a whole percent from 0 to 100 (a provider's NaN or overshoot included). */
export function wholePercent(progress: number): number {
  return Number.isFinite(progress) ? Math.max(0, Math.min(100, Math.round(progress))) : 0;
}

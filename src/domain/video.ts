/**
 * Video types shaped by OpenAI's official `/videos` spec (VideoResource, VideoListResource,
 * DeletedVideoResource). Providers may add fields; adapters keep them, so these are open records.
 */

export const VIDEO_SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024'] as const;
export type VideoSize = (typeof VIDEO_SIZES)[number];

/** Sizes that circulated in early docs but the API never accepted. Named so errors can explain them. */
export const UNSUPPORTED_LEGACY_SIZES = ['1920x1080', '1080x1920'] as const;

export const VIDEO_SECONDS = ['4', '8', '12'] as const;
export type VideoSeconds = (typeof VIDEO_SECONDS)[number];

/** Known Sora ids; compatible providers may accept any other model id, so this is a hint, not a gate. */
export const KNOWN_VIDEO_MODELS = [
  'sora-2',
  'sora-2-pro',
  'sora-2-2025-10-06',
  'sora-2-pro-2025-10-06',
  'sora-2-2025-12-08',
] as const;
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

/** `failed`, and the end states some compatible providers use for a job that will never complete. */
const FAILED_STATUSES = ['failed', 'cancelled', 'canceled', 'expired', 'error', 'rejected'];

export function isFailed(status: string): boolean {
  return FAILED_STATUSES.includes(status);
}

export function isTerminal(status: string): boolean {
  return status === 'completed' || isFailed(status);
}

export function parseSize(size: VideoSize): { width: number; height: number } {
  const [width, height] = size.split('x').map(Number) as [number, number];
  return { width, height };
}

import type { Video, VideoDeleteResponse, VideoPage } from '../../domain/video';

/**
 * Normalises what a compatible provider returns into the spec's shape: the 13 required Video fields
 * are always present (missing nullable ones become null), and unknown fields are kept.
 */
export function toVideo(raw: unknown): Video {
  const value = (raw ?? {}) as Record<string, unknown>;
  return {
    ...value,
    id: String(value.id ?? ''),
    object: 'video',
    model: String(value.model ?? ''),
    status: String(value.status ?? 'queued'),
    progress: typeof value.progress === 'number' ? value.progress : 0,
    created_at: typeof value.created_at === 'number' ? value.created_at : 0,
    completed_at: numberOrNull(value.completed_at),
    expires_at: numberOrNull(value.expires_at),
    prompt: typeof value.prompt === 'string' ? value.prompt : null,
    size: String(value.size ?? ''),
    seconds: String(value.seconds ?? ''),
    remixed_from_video_id: typeof value.remixed_from_video_id === 'string' ? value.remixed_from_video_id : null,
    error: toJobError(value.error),
  };
}

export function toVideoPage(raw: unknown): VideoPage {
  const value = (raw ?? {}) as Record<string, unknown>;
  const data = Array.isArray(value.data) ? value.data.map(toVideo) : [];
  return {
    ...value,
    object: 'list',
    data,
    first_id: typeof value.first_id === 'string' ? value.first_id : (data[0]?.id ?? null),
    last_id: typeof value.last_id === 'string' ? value.last_id : (data.at(-1)?.id ?? null),
    has_more: value.has_more === true,
  };
}

export function toDeleteResponse(raw: unknown, videoId: string): VideoDeleteResponse {
  const value = (raw ?? {}) as Record<string, unknown>;
  return { ...value, id: String(value.id ?? videoId), object: 'video.deleted', deleted: value.deleted !== false };
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

function toJobError(value: unknown): Video['error'] {
  if (!value || typeof value !== 'object') return null;
  const error = value as Record<string, unknown>;
  return { code: String(error.code ?? 'unknown'), message: String(error.message ?? '') };
}

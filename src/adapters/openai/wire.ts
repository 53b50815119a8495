import { DomainError } from '../../domain/errors';
import { statusMeaning, type Video, type VideoDeleteResponse, type VideoPage } from '../../domain/video';

/**
 * Checks and normalises what a compatible provider returns. A gateway's answer is never trusted: a
 * 2xx that is not a JSON object (an HTML page, a string, an array) or a job without an id is a clear
 * provider error, never spread into a video. The 13 required Video fields are always present, the
 * status is one of the spec's words (the provider's own word is kept as `provider_status`), and
 * unknown fields are kept.
 */
export function toVideo(raw: unknown, what = 'a video job'): Video {
  const value = jsonObject(raw, what);
  if (typeof value.id !== 'string' || value.id.length === 0) {
    throw new DomainError('provider_error', `The provider answered with ${what} that has no id.`, {
      details: { shape: describeShape(value) },
    });
  }
  const { status, providerStatus } = normaliseStatus(value.status);
  return {
    ...value,
    id: value.id,
    object: 'video',
    model: stringOr(value.model, ''),
    status,
    ...(providerStatus === undefined ? {} : { provider_status: providerStatus }),
    progress: typeof value.progress === 'number' && Number.isFinite(value.progress) ? value.progress : 0,
    created_at: typeof value.created_at === 'number' ? value.created_at : 0,
    completed_at: numberOrNull(value.completed_at),
    expires_at: numberOrNull(value.expires_at),
    prompt: typeof value.prompt === 'string' ? value.prompt : null,
    size: stringOr(value.size, ''),
    seconds: stringOr(value.seconds, ''),
    remixed_from_video_id: typeof value.remixed_from_video_id === 'string' ? value.remixed_from_video_id : null,
    error: toJobError(value.error),
  };
}

export function toVideoPage(raw: unknown): VideoPage {
  const value = jsonObject(raw, 'a list of videos');
  if (value.data !== undefined && !Array.isArray(value.data)) {
    throw new DomainError('provider_error', 'The provider answered the list with a "data" field that is not an array.');
  }
  const data = ((value.data as unknown[] | undefined) ?? []).map((item) => toVideo(item, 'a list entry'));
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
  // Some gateways answer a delete with an empty body or 204; that is a success for this id.
  const value = raw === undefined || raw === null || raw === '' ? {} : jsonObject(raw, 'a delete confirmation');
  return { ...value, id: typeof value.id === 'string' ? value.id : videoId, object: 'video.deleted', deleted: value.deleted !== false };
}

/** The model ids of a `GET /models` answer (`{ data: [{ id }] }`), ignoring entries without one. */
export function toModelIds(raw: unknown): string[] {
  const value = jsonObject(raw, 'a model list');
  if (!Array.isArray(value.data)) throw new DomainError('provider_error', 'The provider answered the model list without a "data" array.');
  return value.data.flatMap((item: unknown) =>
    item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string' ? [(item as { id: string }).id] : [],
  );
}

function normaliseStatus(raw: unknown): { status: string; providerStatus?: string } {
  if (typeof raw !== 'string' || raw.trim() === '') return { status: 'queued' };
  const meaning = statusMeaning(raw);
  // An unknown word means the provider has not said it finished: keep following it, and keep its word.
  const status = meaning === 'unknown' ? 'in_progress' : meaning;
  return status === raw ? { status } : { status, providerStatus: raw.slice(0, 200) };
}

function jsonObject(raw: unknown, what: string): Record<string, unknown> {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  throw new DomainError('provider_error', `The provider answered with ${describeShape(raw)} where ${what} (a JSON object) was expected.`, {
    details: { shape: describeShape(raw) },
  });
}

/** What an unexpected answer looks like, without repeating it (it may be huge, or hold secrets). */
export function describeShape(raw: unknown): string {
  if (typeof raw === 'string') {
    const head = raw.trimStart().slice(0, 200).toLowerCase();
    if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.includes('<body'))
      return `an HTML page (${raw.length} characters)`;
    return `a bare string (${raw.length} characters)`;
  }
  if (Array.isArray(raw)) return `a JSON array (${raw.length} items)`;
  if (raw === null || raw === undefined) return 'an empty body';
  if (typeof raw === 'object') return 'a JSON object';
  return `a bare ${typeof raw}`;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

function toJobError(value: unknown): Video['error'] {
  if (!value || typeof value !== 'object') {
    return typeof value === 'string' && value.length > 0 ? { code: 'error', message: value } : null;
  }
  const error = value as Record<string, unknown>;
  return { code: stringOr(error.code, 'unknown'), message: stringOr(error.message, '') };
}

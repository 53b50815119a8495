import { providerFault } from '../../domain/errors';
import type { VideoStatus } from '../../domain/video';
import type { Video, VideoDeleteResponse, VideoPage } from '../../domain/video';

/**
 * Checks and normalises what a provider answers, for every dialect. A gateway's answer is never
 * trusted: a 2xx that is not a JSON object (an HTML page, a string, an array) or a job without an id
 * is a clear provider error, never spread into a video. The 13 required Video fields are always
 * present, the status is one of the spec's words (the provider's own word is kept as
 * `provider_status`), and unknown fields are kept.
 */

/** What a provider's status word means; `unknown` words keep the wait going. */
export type StatusMeaning = VideoStatus | 'unknown';
export type StatusWords = Readonly<Record<string, StatusMeaning>>;

/** The spec's four words; each dialect adds the words its gateways use. */
export const SPEC_STATUS_WORDS: StatusWords = {
  queued: 'queued',
  in_progress: 'in_progress',
  completed: 'completed',
  failed: 'failed',
};

/** A status word as a dialect's vocabulary reads it (case, spaces and hyphens do not matter). */
export function statusMeaning(status: string, words: StatusWords): StatusMeaning {
  const key = status
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  // Own keys only: a word such as "constructor" or "__proto__" is an unknown word, not something every object inherits.
  return ownWord(words, key) ?? ownWord(SPEC_STATUS_WORDS, key) ?? 'unknown';
}

function ownWord(words: StatusWords, key: string): StatusMeaning | undefined {
  return Object.hasOwn(words, key) ? words[key] : undefined;
}

/**
 * The answer as a Video: `known` fills what the answer leaves out (gateways that answer a poll with
 * only an id and a status keep the model, prompt, size and duration the job was made with).
 */
export function toVideo(raw: unknown, words: StatusWords, known?: Partial<Video>, what = 'a video job'): Video {
  const value = jsonObject(raw, what);
  if (typeof value.id !== 'string' || value.id.length === 0) {
    throw providerFault({ problem: 'no_id', what, shape: describeShape(value) });
  }
  const { status, providerStatus } = normaliseStatus(value.status, words);
  // Fields our output schema types are the server's to set (provider_id, the estimate) or kept only when well-formed
  // (cost_usd): a provider's `cost_usd: "free"` or `provider_id: 42` would otherwise make the whole answer invalid.
  const { provider_id: _id, provider_status: _status, estimated_cost_usd: _estimate, cost_usd: cost, ...rest } = value;
  return {
    ...withinDepth(rest),
    ...(typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? { cost_usd: cost } : {}),
    id: value.id,
    object: 'video',
    model: stringOr(value.model, known?.model ?? ''),
    status,
    ...(providerStatus === undefined ? {} : { provider_status: providerStatus }),
    progress: typeof value.progress === 'number' && Number.isFinite(value.progress) ? value.progress : status === 'completed' ? 100 : 0,
    created_at: typeof value.created_at === 'number' ? value.created_at : (known?.created_at ?? 0),
    completed_at: numberOrNull(value.completed_at) ?? known?.completed_at ?? null,
    expires_at: numberOrNull(value.expires_at) ?? known?.expires_at ?? null,
    prompt: typeof value.prompt === 'string' ? value.prompt : (known?.prompt ?? null),
    size: stringOr(value.size, known?.size ?? ''),
    seconds: stringOr(value.seconds, known?.seconds ?? ''),
    remixed_from_video_id:
      typeof value.remixed_from_video_id === 'string' ? value.remixed_from_video_id : (known?.remixed_from_video_id ?? null),
    error: toJobError(value.error, status),
  };
}

/** How deep a provider's own fields may nest: deeper, and serialisers (ours, the SDK's, a client's) run out of stack. */
const MAX_FIELD_DEPTH = 32;

/** The fields whose values nest at most MAX_FIELD_DEPTH deep; the others are left out (measured without recursion). */
function withinDepth(fields: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const stack: [unknown, number][] = [[value, 1]];
    let deep = false;
    while (stack.length > 0 && !deep) {
      const [item, depth] = stack.pop()!;
      if (item === null || typeof item !== 'object') continue;
      if (depth > MAX_FIELD_DEPTH) deep = true;
      else for (const child of Object.values(item)) stack.push([child, depth + 1]);
    }
    if (!deep) kept[name] = value;
  }
  return kept;
}

export function toVideoPage(raw: unknown, words: StatusWords): VideoPage {
  const value = jsonObject(raw, 'a list of videos');
  if (value.data !== undefined && !Array.isArray(value.data)) {
    throw providerFault({ problem: 'no_data_array', what: 'list' });
  }
  const data = ((value.data as unknown[] | undefined) ?? []).map((item) => toVideo(item, words, undefined, 'a list entry'));
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

function normaliseStatus(raw: unknown, words: StatusWords): { status: VideoStatus; providerStatus?: string } {
  if (typeof raw !== 'string' || raw.trim() === '') return { status: 'queued' };
  const meaning = statusMeaning(raw, words);
  // An unknown word means the provider has not said it finished: keep following it, and keep its word.
  const status = meaning === 'unknown' ? 'in_progress' : meaning;
  return status === raw ? { status } : { status, providerStatus: raw.slice(0, 200) };
}

export function jsonObject(raw: unknown, what: string): Record<string, unknown> {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  throw providerFault({ problem: 'not_an_object', what, shape: describeShape(raw) });
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

export function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/** A job's error, whatever its shape: OpenAI's `{code, message}`, or a bare string (OpenRouter). */
function toJobError(value: unknown, status: VideoStatus): Video['error'] {
  if (!value || typeof value !== 'object') {
    return typeof value === 'string' && value.length > 0 ? { code: status === 'failed' ? 'error' : status, message: value } : null;
  }
  const error = value as Record<string, unknown>;
  return { code: stringOr(error.code, 'unknown'), message: stringOr(error.message, '') };
}

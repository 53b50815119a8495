import { describeShape } from './wire';

/**
 * What a provider said when it refused a request, read from whichever error body it sent:
 * OpenAI's `{error: {message, code, type}}` (OpenRouter's and Bifrost's too), a bare `{error: "…"}`,
 * `{message}`, FastAPI's `{detail: string | [{msg, loc}]}` (LiteLLM's routing errors), RFC 7807's
 * `{title, detail}`, or plain text. The message is the provider's own words, bounded; the code is
 * kept only when it adds something to the status (LiteLLM sends `"code": "400"` with a 400).
 */
export interface ProviderFailure {
  status: number;
  message?: string;
  code?: string;
  type?: string;
  /** How long the provider asked to wait, when its body says so rather than a header (Google's `RetryInfo`). */
  retryAfterMs?: number;
}

const MAX_MESSAGE_CHARS = 500;

export function readErrorBody(status: number, text: string | undefined): ProviderFailure {
  const failure: ProviderFailure = { status };
  if (text === undefined || text.trim() === '') return failure;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: plain words are quoted, markup is only described.
    const shape = describeShape(text);
    failure.message = shape.startsWith('an HTML page') ? `(${shape})` : bound(text.trim());
    return failure;
  }
  const read = fromJson(body);
  if (read.message !== undefined) failure.message = bound(read.message);
  const code = typeof read.code === 'string' || typeof read.code === 'number' ? String(read.code) : undefined;
  if (code !== undefined && code !== '' && code !== String(status)) failure.code = code;
  if (read.type !== undefined) failure.type = read.type;
  const retry = retryInfo(body);
  if (retry !== undefined) failure.retryAfterMs = retry;
  return failure;
}

function fromJson(body: unknown): { message?: string; code?: unknown; type?: string } {
  if (typeof body === 'string') return { message: body };
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const value = body as Record<string, unknown>;
  const error = value.error;
  if (error && typeof error === 'object' && !Array.isArray(error)) {
    const inner = error as Record<string, unknown>;
    // Google's envelope puts the HTTP status in `code` and its own word (RESOURCE_EXHAUSTED) in `status`.
    const word = typeof inner.code !== 'string' && typeof inner.status === 'string' ? inner.status : undefined;
    return { message: text(inner.message) ?? text(inner.error), code: word ?? inner.code ?? value.code, type: text(inner.type) };
  }
  if (typeof error === 'string') return { message: error, code: value.code };
  const detail = value.detail;
  if (typeof detail === 'string') {
    // RFC 7807 puts its summary in `title` and the specifics in `detail`; FastAPI only `detail`.
    const title = text(value.title);
    return { message: title && title !== detail ? `${title}: ${detail}` : detail, code: value.code, type: text(value.type) };
  }
  if (Array.isArray(detail)) {
    const parts = detail.flatMap((item: unknown) => {
      if (!item || typeof item !== 'object') return [];
      const entry = item as { msg?: unknown; loc?: unknown };
      const where = Array.isArray(entry.loc) ? entry.loc.filter((part) => part !== 'body').join('.') : undefined;
      const msg = text(entry.msg);
      return msg === undefined ? [] : [where ? `${where}: ${msg}` : msg];
    });
    if (parts.length > 0) return { message: parts.join('; ') };
  }
  const title = text(value.title);
  const message = text(value.message) ?? title;
  return { message, code: value.code, type: text(value.type) };
}

/**
 * Google's `google.rpc.RetryInfo` among `error.details`: `{"@type": "type.googleapis.com/google.rpc.RetryInfo",
 * "retryDelay": "20s"}` (a protobuf Duration in JSON: seconds with an `s`), which Google sends instead of Retry-After.
 */
function retryInfo(body: unknown): number | undefined {
  const details = (body as { error?: { details?: unknown } } | undefined)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const entry = detail as { '@type'?: unknown; retryDelay?: unknown };
    if (typeof entry['@type'] !== 'string' || !entry['@type'].endsWith('google.rpc.RetryInfo')) continue;
    const match = typeof entry.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(entry.retryDelay) : null;
    if (match) return Math.round(Number(match[1]) * 1000);
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function bound(message: string): string {
  const flat = message.replace(/\s+/g, ' ');
  return flat.length > MAX_MESSAGE_CHARS ? `${flat.slice(0, MAX_MESSAGE_CHARS)}…` : flat;
}

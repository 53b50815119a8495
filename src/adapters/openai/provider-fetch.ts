import type { LookupFunction } from 'node:net';
import { DomainError, providerFault, providerUnavailable } from '../../domain/errors';
import type { PinnedAddress, TargetVerdict } from '../../domain/ports';

/** Judges a URL the provider sends the server to (a redirect, an asset URL), from the URL it came from. */
export type TargetCheck = (from: URL, to: URL) => Promise<TargetVerdict>;

/**
 * The fetch the OpenAI SDK uses for every provider request. Three things the SDK's own fetch does not do:
 * - Redirects are followed here, at most `maxRedirects`, each one checked by `checkTarget` (the
 *   composition gives it the one address classifier); off the provider's origin only what fetching a public
 *   object needs is sent (no key, no configured header, no body), and the connection goes to the address that
 *   was checked, whatever a second lookup of the name would say (DNS rebinding).
 * - A JSON (or text) answer is capped: a provider (or something pretending to be one) cannot make the
 *   server hold or relay an unbounded body. Media answers are streamed and not capped here.
 * - An error answer's body is kept (bounded) for `errorBodyOf`: the SDK reads only its `error` field,
 *   so FastAPI's `{detail}`, RFC 7807 and plain-text refusals would otherwise be lost.
 */
export interface ProviderFetchOptions {
  /** Why a target (the first URL, or a redirect) is refused, or the address to connect to off the provider's origin. */
  checkTarget?: TargetCheck;
  maxRedirects?: number;
  maxJsonBytes?: number;
  /** How long a JSON (or text) answer's whole body may take, from its headers on: a body dribbled after them ends here. */
  bodyTimeoutMs?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
export const MAX_PROVIDER_JSON_BYTES = 2 * 1024 * 1024;
const DEFAULT_BODY_TIMEOUT_MS = 60_000;
/** How much of an error answer is kept for its message. */
const MAX_ERROR_BODY_CHARS = 64 * 1024;

/** Error bodies by the headers object the SDK hands its APIError (it passes the response's own). */
const errorBodies = new WeakMap<Headers, string>();

/** The body of the error answer whose headers these are, when one was kept. */
export function errorBodyOf(headers: unknown): string | undefined {
  return headers instanceof Headers ? errorBodies.get(headers) : undefined;
}

export function providerFetch(options: ProviderFetchOptions = {}): typeof fetch {
  const maxRedirects = options.maxRedirects ?? 5;
  const maxJsonBytes = options.maxJsonBytes ?? MAX_PROVIDER_JSON_BYTES;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  return async (input, init) => {
    let url = new URL(input instanceof Request ? input.url : String(input));
    let request: RequestInit = { ...init, redirect: 'manual' };
    // The first target is checked too: an asset URL a provider named is another origin like any redirect.
    let verdict: TargetVerdict = options.checkTarget ? await options.checkTarget(url, url) : {};
    if ('refused' in verdict) throw providerFault({ problem: 'asset_refused', origin: url.origin, refusal: verdict.refused });
    for (let hop = 0; ; hop += 1) {
      const pin = 'pin' in verdict ? verdict.pin : undefined;
      const response: Response = pin ? await pinnedFetch(url, request, pin) : await fetch(url, request);
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || !location) {
        if (response.status >= 400) return keepErrorBody(response);
        return isMedia(response) ? response : capped(response, maxJsonBytes, bodyTimeoutMs);
      }
      await response.body?.cancel().catch(() => undefined);
      if (hop >= maxRedirects) throw providerFault({ problem: 'too_many_redirects', most: maxRedirects });
      const next = new URL(location, url);
      verdict = options.checkTarget ? await options.checkTarget(url, next) : {};
      if ('refused' in verdict) throw providerFault({ problem: 'redirect_refused', origin: next.origin, refusal: verdict.refused });
      request = nextRequest(request, response.status, url, next);
      url = next;
    }
  };
}

/**
 * A request whose connection goes to `pin` and nowhere else: undici's own fetch with an agent whose lookup answers
 * only the checked address (TLS still verifies the certificate against the URL's name). Loaded on first use.
 */
async function pinnedFetch(url: URL, init: RequestInit, pin: PinnedAddress): Promise<Response> {
  const undici = require('undici') as typeof import('undici');
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: PinnedAddress[]) => void)(null, [pin]);
    else callback(null, pin.address, pin.family);
  };
  const dispatcher = new undici.Agent({ connect: { lookup } });
  return await undici.fetch(url, { ...(init as object), dispatcher });
}

/** Media (video, image, or bytes of no stated kind) streams without a cap; JSON and text answers are capped. */
function isMedia(response: Response): boolean {
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return type === '' || /^(video|image|audio)\//.test(type) || type === 'application/octet-stream' || type === 'application/binary';
}

/** Reads a bounded piece of an error answer, keeps it for its message, and hands the SDK the same text. */
async function keepErrorBody(response: Response): Promise<Response> {
  let text = '';
  if (response.body) {
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
    const decoder = new TextDecoder();
    try {
      while (text.length < MAX_ERROR_BODY_CHARS) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // A broken error body still leaves its status to report.
    } finally {
      void reader.cancel().catch(() => undefined);
    }
  }
  text = text.slice(0, MAX_ERROR_BODY_CHARS);
  const kept = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  errorBodies.set(kept.headers, text);
  return kept;
}

/**
 * The only headers sent to another origin: what fetching a public object needs. Everything else stays
 * home, by construction rather than by guessing which names are secret: the key, and every header of
 * SORA2_MCP_EXTRA_HEADERS (`cf-access-client-secret`, `proxy-authorization`, `helicone-auth`…).
 */
const OFF_ORIGIN_HEADERS = new Set(['accept', 'accept-encoding', 'accept-language', 'user-agent', 'range']);

/** What the next hop sends: 303 (and 301/302 after a POST) become a GET; a new origin gets only what a public fetch needs. */
function nextRequest(request: RequestInit, status: number, from: URL, to: URL): RequestInit {
  const headers = new Headers(request.headers);
  const method = (request.method ?? 'GET').toUpperCase();
  const keepsBody = (status === 307 || status === 308) && method !== 'GET' && method !== 'HEAD';
  if (from.origin !== to.origin) {
    // 307 and 308 resend the body: a request body never goes to another origin.
    if (keepsBody) {
      throw providerFault({ problem: 'cross_origin_body', method, origin: to.origin });
    }
    for (const name of [...headers.keys()]) if (!OFF_ORIGIN_HEADERS.has(name)) headers.delete(name);
  }
  if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
    headers.delete('content-type');
    headers.delete('content-length');
    return { ...request, method: 'GET', body: null, headers };
  }
  return { ...request, headers };
}

/**
 * A JSON or text answer, bounded in size and in time. The size counts the bytes as they are decoded: fetch inflates a
 * gzip or brotli body, and a `content-length` counts its compressed bytes (a 356 KB body can inflate to 367 MB). The
 * deadline covers the whole body, not only the headers (the SDK's timeout ends at them).
 */
function capped(response: Response, maxBytes: number, deadlineMs: number): Response {
  const length = response.headers.get('content-length');
  const declared = Number(length);
  if (length !== null && Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => undefined);
    throw tooLarge(declared, maxBytes);
  }
  if (!response.body) return response;
  let seen = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      timer = setTimeout(() => controller.error(tooSlow(deadlineMs)), deadlineMs);
      // The deadline never keeps the process alive by itself.
      timer.unref?.();
    },
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) {
        clearTimeout(timer);
        controller.error(tooLarge(seen, maxBytes));
      } else controller.enqueue(chunk);
    },
    flush() {
      clearTimeout(timer);
    },
  });
  return new Response(response.body.pipeThrough(limit), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

function tooSlow(deadlineMs: number): DomainError {
  return providerUnavailable({ reason: 'timeout', rule: 'body_deadline', deadline_ms: deadlineMs });
}

function tooLarge(bytes: number, maxBytes: number): DomainError {
  return providerFault({ problem: 'too_large', most_bytes: maxBytes, bytes });
}

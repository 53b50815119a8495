import type { APIError } from 'openai';
import {
  CancelledError,
  DomainError,
  isDomainError,
  notFound,
  notOffered,
  providerFault,
  providerRefused,
  providerUnavailable,
  type ProviderAnswer,
} from '../../domain/errors';
import { redactSecrets } from '../../domain/redaction';
import type { OptionalOperation } from '../../domain/ports';
import { readErrorBody, type ProviderFailure } from './error-bodies';
import { errorBodyOf } from './provider-fetch';

type Sdk = typeof import('openai');
export type Operation = 'create' | 'remix' | 'retrieve' | 'list' | 'delete' | 'cancel' | 'download' | 'models' | 'key';

/** What a dialect adds to a failure: a hint for this gateway, or the knowledge that a route is missing. */
export interface FailureNotes {
  /** A sentence about this provider that says what to do (it names no variable: the MCP layer does). */
  hint?: string;
  /** The configuration setting the hint is about (`extraQuery`, `extraHeaders`), for the MCP layer to name. */
  setting?: string;
  /** The provider lacks this route after all. */
  notOffered?: boolean;
  /** The refusal means the video is not there, whatever status it came with. */
  notFound?: boolean;
}

export interface FailureContext {
  operation: Operation;
  /** Who the failure is about: "Video video_1", "The new video". */
  subject: string;
  /** The provider's name in messages ("OpenRouter", "the provider"). */
  provider: string;
  /** The model the request was for, when there is one. */
  model?: string;
  /** The video the request was about, when there is one. */
  videoId?: string;
  signal?: AbortSignal;
  /** The secrets this provider was given (its key, header and query values): a quoted message never carries them. */
  secrets?: readonly string[];
  /** The dialect's own reading of the failure. */
  explain?: (failure: ProviderFailure, operation: Operation, videoId: string | undefined) => FailureNotes | undefined;
}

/** Routes a provider may lack: a 404 or 405 there means the route, not a video, is missing. */
const OPTIONAL: Partial<Record<Operation, OptionalOperation | 'models'>> = {
  remix: 'remix',
  list: 'list',
  delete: 'delete',
  cancel: 'cancel',
  models: 'models',
};

/** Routing errors that say a route is missing, not a video (FastAPI's "Not Found", Hono's "404 Not Found", Bifrost's code). */
const MISSING_ROUTE =
  /^(404 )?not found$|method not allowed|not (supported|offered|implemented)|unknown (route|url|request url)|no (such )?route/i;
/** A gateway that could not reach whatever is behind it (LiteLLM's "Cannot connect to host api.openai.com:443"). */
const UPSTREAM_UNREACHABLE =
  /cannot connect to host ([^\s:'"]+)|connection (refused|error|reset)|getaddrinfo|ENOTFOUND|ECONNREFUSED|APIConnectionError/i;

/**
 * Translates whatever the SDK throws into a DomainError: a stable code, the provider's own words in
 * `details.provider_message` (for every status: a 500 that says why is quoted, not summarised), and
 * the facts the MCP layer writes its sentence from. The message here is for logs and library users.
 */
export function translateError(sdk: Sdk, error: unknown, context: FailureContext): DomainError {
  if (isDomainError(error)) return error;
  // Our own fetch's refusals (a redirect, an oversized answer) arrive wrapped by the SDK.
  const inner = domainCause(error);
  if (inner) return inner;
  if (context.signal?.aborted || error instanceof sdk.APIUserAbortError) return new CancelledError();
  if (error instanceof sdk.APIConnectionTimeoutError) {
    return providerUnavailable({ operation: context.operation, reason: 'timeout', provider: context.provider });
  }
  if (error instanceof sdk.APIConnectionError) {
    return providerUnavailable({ operation: context.operation, reason: 'connection', provider: context.provider });
  }
  if (!(error instanceof sdk.APIError) || error.status === undefined) {
    return providerFault({ problem: 'unexpected', provider: context.provider }, { cause: error });
  }
  const apiError = error as APIError;
  const failure = readErrorBody(apiError.status as number, errorBodyOf(apiError.headers) ?? sdkText(apiError));
  // Quoted for every status: a 401 may echo part of the key ("sk-ab***yz"), which is masked here already.
  if (failure.message !== undefined) failure.message = redactSecrets(failure.message, context.secrets ?? []);
  return fromStatus(failure, apiError.headers, context);
}

function fromStatus(failure: ProviderFailure, headers: Headers | undefined, context: FailureContext): DomainError {
  const { status } = failure;
  const notes = context.explain?.(failure, context.operation, context.videoId) ?? {};
  const quoted = failure.message;
  const details: ProviderAnswer = {
    operation: context.operation,
    provider: context.provider,
    status,
    ...(quoted === undefined ? {} : { provider_message: quoted }),
    ...(failure.code === undefined ? {} : { provider_code: failure.code }),
    ...(notes.hint === undefined ? {} : { hint: notes.hint }),
    ...(notes.setting === undefined ? {} : { setting: notes.setting }),
    ...(context.model === undefined ? {} : { model: context.model }),
  };
  const optional = OPTIONAL[context.operation];
  if (
    optional &&
    (notes.notOffered ||
      status === 405 ||
      failure.code === 'unsupported_operation' ||
      ((status === 404 || status === 400) && MISSING_ROUTE.test(quoted ?? '') && !/video/i.test(quoted ?? '')) ||
      (status === 404 && (context.operation === 'list' || context.operation === 'models')))
  ) {
    return notOffered({ ...details, kind: 'operation', operation: optional });
  }
  if (status === 401) {
    return providerRefused('authentication_failed', details);
  }
  if (status === 402 || status === 403) {
    return providerRefused('permission_denied', details);
  }
  const modelGone =
    failure.code === 'model_not_found' ||
    /model.{0,80}(does not exist|not found|not available|unsupported|deprecated|retired|unknown)|(unknown|unsupported|invalid) (video )?model/i.test(
      quoted ?? '',
    );
  const creating = context.operation === 'create';
  if ((creating && (status === 410 || status === 404)) || ((creating || context.operation === 'remix') && modelGone)) {
    // Only Sora's own models were retired with OpenAI's API; any other model is simply not served there.
    const sora = /^sora-2/i.test(context.model ?? 'sora-2');
    if (status === 410 || sora) {
      return providerRefused('model_retired', details, { field: 'model' });
    }
    if (modelGone || !MISSING_ROUTE.test(quoted ?? 'not found')) {
      return providerRefused('model_not_found', details, { field: 'model' });
    }
    return notFound({ ...details, reason: 'no_videos_route' });
  }
  if (status === 404 || notes.notFound) {
    return notFound({ ...details, reason: 'at_provider', subject: context.subject });
  }
  if (status === 429) {
    return providerRefused('rate_limited', details, { retryable: true, retryAfterMs: retryAfterMs(headers) ?? failure.retryAfterMs });
  }
  if (status === 408 || status === 409 || status >= 500) {
    const upstream = UPSTREAM_UNREACHABLE.exec(quoted ?? '');
    return providerUnavailable(
      { ...details, reason: 'trouble', ...(upstream ? { upstream_unreachable: upstream[1] ?? true } : {}) },
      { retryAfterMs: retryAfterMs(headers) },
    );
  }
  return providerRefused('bad_request', details);
}

function domainCause(error: unknown): DomainError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (isDomainError(current)) return current;
    current = (current as Error & { cause?: unknown }).cause;
  }
  return undefined;
}

/** What the SDK kept of the body, when our fetch did not see it (a test's own fetch, a body read elsewhere). */
function sdkText(error: APIError): string | undefined {
  const body: unknown = error.error;
  return body === undefined ? undefined : JSON.stringify({ error: body });
}

/** `retry-after-ms`, or `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

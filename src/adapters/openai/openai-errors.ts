import type { APIError } from 'openai';
import { CancelledError, DomainError, isDomainError } from '../../domain/errors';

type Sdk = typeof import('openai');
export type Operation = 'create' | 'remix' | 'retrieve' | 'list' | 'delete' | 'download' | 'models';

export const RETIREMENT_HELP =
  'OpenAI retired its own Sora Videos API on 2026-09-24. Point OPENAI_BASE_URL at a provider that still serves ' +
  'the /v1/videos API (and use its key), pass a model id that provider offers, or set SORA2_MCP_PROVIDER=simulator to try the workflow offline.';

const KEY_VARIABLES = 'SORA2_MCP_API_KEY (or OPENAI_API_KEY)';

/**
 * Translates whatever the SDK throws into a DomainError an agent can act on. The provider's own text
 * is kept for 4xx answers that explain a bad request, but never for authentication failures, whose
 * text can echo part of the key.
 */
export function translateError(sdk: Sdk, error: unknown, operation: Operation, subject: string, signal?: AbortSignal): DomainError {
  if (isDomainError(error)) return error;
  // Our own fetch's refusals (a redirect, an oversized answer) arrive wrapped by the SDK.
  const inner = domainCause(error);
  if (inner) return inner;
  if (signal?.aborted || error instanceof sdk.APIUserAbortError) return new CancelledError();
  if (error instanceof sdk.APIConnectionTimeoutError) {
    return new DomainError('provider_unavailable', 'The video provider did not answer in time. Try again shortly.', { retryable: true });
  }
  if (error instanceof sdk.APIConnectionError) {
    return new DomainError(
      'provider_unavailable',
      'Could not reach the video provider (connection failed or was reset). Check OPENAI_BASE_URL and the network, then try again.',
      { retryable: true },
    );
  }
  if (!(error instanceof sdk.APIError) || error.status === undefined) {
    return new DomainError('provider_error', 'The video provider call failed unexpectedly.', { cause: error });
  }
  return translateStatus(error as APIError, operation, subject);
}

function translateStatus(error: APIError, operation: Operation, subject: string): DomainError {
  const status = error.status as number;
  const detail = providerMessage(error);
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (status === 401) {
    return new DomainError(
      'authentication_failed',
      `Authentication failed: the provider rejected the API key. Check ${KEY_VARIABLES} and OPENAI_BASE_URL.`,
    );
  }
  if (status === 403) {
    return new DomainError(
      'permission_denied',
      `The provider refused access (403): "${detail}". Check that the key has access to this model, and that the video was made with this same key ` +
        '(gateways such as LiteLLM tie each video id to the key or team that created it).',
    );
  }
  const modelGone = code === 'model_not_found' || /model.*(does not exist|not found|deprecated|retired)/i.test(detail);
  if (status === 410 || (modelGone && (operation === 'create' || operation === 'remix')) || (status === 404 && operation === 'create')) {
    return new DomainError('model_retired', `The provider says this model or endpoint is gone (${status}: ${detail}). ${RETIREMENT_HELP}`);
  }
  if (status === 404) {
    return new DomainError('not_found', `${subject} was not found at the provider (404). Check the video_id with the list tool.`);
  }
  if (status === 429) {
    return new DomainError('rate_limited', `The provider is rate limiting requests (429): ${detail}. Wait and try again.`, {
      retryable: true,
      retryAfterMs: retryAfterMs(error.headers),
    });
  }
  if (status === 408 || status === 409 || status >= 500) {
    return new DomainError('provider_unavailable', `The provider had a temporary problem (${status}). Try again shortly.`, {
      retryable: true,
      retryAfterMs: retryAfterMs(error.headers),
    });
  }
  const listHint =
    operation === 'list'
      ? ' Some gateways (LiteLLM) list only with a provider hint: set SORA2_MCP_EXTRA_QUERY={"custom_llm_provider":"openai"} (or the provider you route to).'
      : '';
  return new DomainError(
    'bad_request',
    `The provider rejected the request (${status}${code ? ` ${code}` : ''}), saying: "${detail}".${listHint}`,
    {
      details: { status, provider_message: detail },
    },
  );
}

function domainCause(error: unknown): DomainError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (isDomainError(current)) return current;
    current = (current as Error & { cause?: unknown }).cause;
  }
  return undefined;
}

function providerMessage(error: APIError): string {
  const body: unknown = error.error;
  const message = body !== null && typeof body === 'object' && 'message' in body ? body.message : undefined;
  const text = typeof message === 'string' ? message : 'no details given';
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
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

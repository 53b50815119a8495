import type { Video } from './video';

/**
 * Domain errors carry a stable `code` an agent (or a test) can rely on, and a message written for the
 * agent: what went wrong and what to do. Adapters translate their failures into these; nothing else
 * should reach the MCP layer as text.
 */
export const ERROR_CODES = [
  'invalid_input',
  'model_constraint',
  'file_exists',
  'path_outside_roots',
  'invalid_reference_image',
  'reference_image_size_mismatch',
  'url_refused',
  'missing_api_key',
  'provider_unsupported',
  'authentication_failed',
  'permission_denied',
  'not_found',
  'not_offered',
  'model_not_found',
  'model_retired',
  'bad_request',
  'rate_limited',
  'provider_unavailable',
  'provider_error',
  'job_failed',
  'job_timeout',
  'download_failed',
  'variant_unavailable',
  'storage_failed',
  'edit_failed',
  'over_budget',
  'idempotency_conflict',
  'ledger_unavailable',
  'cancelled',
  'internal_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface DomainErrorOptions {
  /** The request may succeed if repeated later (429, 5xx, connection reset). */
  retryable?: boolean;
  /** Seconds the provider asked us to wait before retrying. */
  retryAfterMs?: number;
  /** Names the offending input field, when there is one. */
  field?: string;
  /** Structured facts the MCP layer uses to write its message (valid values, names). */
  details?: Readonly<Record<string, unknown>>;
  cause?: unknown;
}

/**
 * Marks DomainErrors across copies of this code: a store or provider from `sora2-mcp/testing` (or a
 * second install) throws errors whose class is another copy, and they must still count as ours.
 */
const DOMAIN_ERROR = Symbol.for('sora2-mcp.DomainError');

export class DomainError extends Error {
  readonly [DOMAIN_ERROR] = true;
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly field: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.field = options.field;
    this.details = options.details;
  }
}

export function invalidInput(field: string, message: string): DomainError {
  return new DomainError('invalid_input', `${field}: ${message}`, { field });
}

export function isDomainError(error: unknown): error is DomainError {
  return typeof error === 'object' && error !== null && (error as { [DOMAIN_ERROR]?: unknown })[DOMAIN_ERROR] === true;
}

export class CancelledError extends DomainError {
  constructor(message = 'The request was cancelled.') {
    super('cancelled', message);
  }
}

/** A job that ended without a usable video (failed, or still running at our deadline); keeps its last state. */
export class JobEndedError extends DomainError {
  constructor(
    code: 'job_failed' | 'job_timeout',
    message: string,
    readonly video: Video,
  ) {
    super(code, message);
  }
}

/** A JobEndedError from any copy of this code (the bundles each hold one; `instanceof` would miss the others). */
export function isJobEndedError(error: unknown): error is JobEndedError {
  return isDomainError(error) && (error.code === 'job_failed' || error.code === 'job_timeout') && 'video' in error;
}

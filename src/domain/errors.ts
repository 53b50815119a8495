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

/** Why a file name cannot be used. */
export type NameProblem =
  | { problem: 'is_folder' | 'not_regular_file' | 'leading_dot' | 'hidden_folder' | 'in_hidden_folder' | 'empty_folder_name' }
  | { problem: 'folder_blocked' | 'too_long_for_s3' }
  | { problem: 'reserved_character'; character: string }
  | { problem: 'too_long'; most_bytes: number };

/**
 * Why an input was refused, with the facts the MCP layer writes its sentence from (`error-words.ts`, one case each): the
 * refusal's words are the edge's, never built here. The error's message is a short note for logs.
 */
export type InvalidInput =
  | { rule: 'data_url_no_comma' | 'data_url_not_base64' | 'data_url_bad_base64' | 'source_empty' }
  | { rule: 'data_url_not_image'; media_type: string }
  | { rule: 'scheme_refused'; scheme: string }
  | { rule: 'image_source'; path: string }
  | { rule: 'size_or_aspect' }
  | { rule: 'aspect_needs_both'; provider: string }
  | { rule: 'resolution_no_size'; resolution: string }
  | { rule: 'fit_size_too_large'; size: string }
  | { rule: 'last_frame_needs_first' | 'frames_or_references'; provider: string }
  | { rule: 'did_you_mean'; model: string; suggestion: string }
  | { rule: 'unknown_model'; model: string; known: string[]; provider_listed: boolean; provider_error?: DomainError }
  | { rule: 'provider_options_price'; key: string }
  | { rule: 'provider_options_override'; key: string; set: string[] }
  | { rule: 'file_needs_wait' }
  | { rule: 'remix_needs_completed'; video_id: string; status: string; progress: number }
  | { rule: 'sequence_needs_shots' }
  | { rule: 'fewer_than_made'; made: number }
  | ({ rule: 'name_unusable'; path: string } & NameProblem)
  | { rule: 'path_too_long'; bytes: number; most_bytes: number }
  | { rule: 'folder_blocked'; path: string; errno?: string }
  | { rule: 'cannot_open'; path: string; errno?: string }
  | { rule: 'not_regular_file'; path: string }
  | { rule: 'not_a_video'; path: string }
  | { rule: 'after_end'; at: number; duration_seconds: number }
  | { rule: 'eight_seconds'; allowed: string[]; sent: false }
  | { rule: 'job_finished'; video_id: string; provider_status: string }
  | { rule: 'required'; model: string; sent: false }
  | { rule: 'read_too_large'; name: string; size_bytes: number; most_bytes: number; location: string }
  | { rule: 'read_grew'; most_bytes: number };

/** Why a path was refused as outside the allowed folders (or the store), with those folders when there are some. */
export type OutsideRoots = { path: string; allowed_folders?: string[] } & (
  | {
      problem:
        'nul_byte' | 'empty' | 'outside' | 'dangling_link' | 'resolves_outside' | 'hard_link' | 'outside_store' | 'changed_while_writing';
    }
  | { problem: 'unchecked'; errno: string }
);

/** Why a URL (a reference image's) was refused before or while fetching it. */
export type UrlRefusal = { url: string } & (
  | { rule: 'not_a_url' | 'credentials' | 'not_allowlisted' | 'encoded_separator' }
  | { rule: 'scheme'; scheme: string }
  | { rule: 'too_many_redirects'; most: number }
  | { rule: 'private_address'; address: string }
  | { rule: 'unresolved'; host: string }
  | { rule: 'too_slow'; timeout_ms: number }
);

/** A URL refused for `details.rule`, naming `field`; the MCP layer writes the sentence. */
export function urlRefused(field: string, details: UrlRefusal): DomainError {
  return new DomainError('url_refused', `${field}: ${details.rule}`, { field, details });
}

/** Why making a frame or a join failed (the program's own words go to the log only). */
export type EditFailure =
  | { reason: 'no_output' }
  | { reason: 'over_cap'; max_bytes: number }
  | { reason: 'deadline'; step: string; program: string; deadline_ms: number }
  | { reason: 'not_started'; step: string; program: string; errno: string }
  | { reason: 'exit'; step: string; program: string };

/** An edit that failed for `details.reason`; the MCP layer writes the sentence. */
export function editFailed(details: EditFailure): DomainError {
  return new DomainError('edit_failed', `edit: ${details.reason}`, { details });
}

/** Why a store could not take or give a file: the folder's system code, or the bucket's answer. */
export type StorageFailure =
  | { store: 'filesystem'; folder: string; errno?: string }
  | {
      store: 's3';
      action: 'check' | 'store' | 'read' | 'list' | 'sign';
      /** Where (`s3://bucket/key`), when the action is about one object or the prefix. */
      location?: string;
      /** The AWS SDK's name for the error (`AccessDenied`, `NoSuchBucket`…). */
      name: string;
      status?: number;
      transient: boolean;
      reason?: 'credentials_refused' | 'bucket_not_found' | 'region_missing';
    };

/** A store that failed for `details`; the MCP layer writes the sentence and the advice. */
export function storageFailed(details: StorageFailure, options: { field?: string; cause?: unknown } = {}): DomainError {
  return new DomainError('storage_failed', `storage: ${details.store} ${'action' in details ? details.action : (details.errno ?? '')}`, {
    details,
    ...options,
  });
}

/** A path refused for `details.problem`, naming `field`; the MCP layer writes the sentence. */
export function outsideRoots(field: string, details: OutsideRoots): DomainError {
  return new DomainError('path_outside_roots', `${field}: ${details.problem}`, { field, details });
}

/** An input refused for `details.rule`, naming `field`. */
export function invalidInput(field: string, details: InvalidInput, options: { cause?: unknown } = {}): DomainError {
  return new DomainError('invalid_input', `${field}: ${details.rule}`, { field, details, cause: options.cause });
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

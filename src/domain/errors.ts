import { wholePercent, type Video } from './video';

/**
 * Domain errors carry a stable `code` an agent (or a test) can rely on, and a message written for the
 * agent: what went wrong and what to do. Adapters translate their failures into these; nothing else
 * should reach the MCP layer as text.
 */
/** Codes only our own checks raise, before any request leaves: nothing was started (a refused create costs nothing). */
export const RAISED_BEFORE_SENDING = [
  'invalid_input',
  'model_constraint',
  'file_exists',
  'path_outside_roots',
  'invalid_reference_image',
  'reference_image_size_mismatch',
  'url_refused',
  'missing_api_key',
  'provider_unsupported',
  'over_budget',
] as const;

export const ERROR_CODES = [
  ...RAISED_BEFORE_SENDING,
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
  | { rule: 'sequence_completed'; sequence_id: string }
  | { rule: 'fewer_than_made'; made: number }
  | { rule: 'join_sources'; given: number; least: number; most: number }
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

/** What a provider's answer said, quoted where it said something (its secrets already masked). */
export type ProviderAnswer = {
  operation?: string;
  /** The provider's name in sentences ("OpenRouter", "the provider"). */
  provider?: string;
  status?: number;
  provider_message?: string;
  provider_code?: string;
  /** A dialect's sentence about this provider, and the setting it is about (the MCP layer names its variable). */
  hint?: string;
  setting?: string;
  model?: string;
};

/** The codes a provider's refusal maps to, each written from what it answered. */
export type RefusalCode =
  'authentication_failed' | 'permission_denied' | 'model_retired' | 'model_not_found' | 'bad_request' | 'rate_limited';

/** A provider's refusal: what it answered, and for a model it does not serve, the models it does (`sent: false`: known before asking). */
export function providerRefused(
  code: RefusalCode,
  details: ProviderAnswer & { known?: string[]; sent?: false },
  options: { field?: string; retryable?: boolean; retryAfterMs?: number } = {},
): DomainError {
  return new DomainError(code, `${code}${details.status === undefined ? '' : ` (${details.status})`}`, { ...options, details });
}

/** What a provider does not offer: an operation (a route it lacks), or a control it has no wire field for. */
export type NotOffered =
  | ({ kind: 'operation'; operation: string; sent?: false } & ProviderAnswer)
  | { kind: 'control'; control: string; provider: string; takes: string[]; hint?: string };

/** Something the provider does not offer; nothing was sent when that was known before asking. */
export function notOffered(details: NotOffered, options: { field?: string } = {}): DomainError {
  return new DomainError('not_offered', `not offered: ${details.kind === 'control' ? details.control : details.operation}`, {
    ...options,
    details,
  });
}

/** Why a provider could not be used just now: no answer in time, no connection, or its own trouble (a 5xx, 408, 409). */
export type Unavailable = ProviderAnswer &
  (
    | { reason: 'timeout'; rule?: 'body_deadline'; deadline_ms?: number }
    | { reason: 'connection' }
    | { reason: 'trouble'; upstream_unreachable?: string | true }
  );

/** A provider that could not serve the call now; always worth trying again later. */
export function providerUnavailable(details: Unavailable, options: { retryAfterMs?: number } = {}): DomainError {
  return new DomainError('provider_unavailable', `unavailable: ${details.reason}`, { retryable: true, ...options, details });
}

/** Why a call's estimate was refused before anything was sent: whose money, which cap, how much is left. */
export type OverBudget = {
  model?: string;
  estimate_usd: number | null;
  max_cost_usd?: number;
  budget_usd?: number;
  /** A sequence's estimate: the shots it counts together. */
  shots?: number;
} & (
  | { rule: 'no_price' | 'max_cost' }
  | { rule: 'budget' | 'team_budget'; budget_usd: number; spent_usd: number; left_usd: number; period: string }
);

/** An estimate over a cap (or unknown under one): nothing is sent. */
export function overBudget(details: OverBudget): DomainError {
  return new DomainError('over_budget', `over budget: ${details.rule}`, {
    ...(details.rule === 'no_price' ? { field: 'model' } : {}),
    details,
  });
}

/** An idempotency key used with other arguments, or still sending its first request. */
export function idempotencyConflict(rule: 'other_arguments' | 'in_flight'): DomainError {
  return new DomainError('idempotency_conflict', `idempotency: ${rule}`, { field: 'idempotency_key', details: { rule } });
}

/** Why the ledger (budgets, owners, idempotency keys) cannot be used. */
export type LedgerTrouble = { reason: 'unreachable' | 'embedded_failed' } | { reason: 'embedded_in_use'; folder: string; pid?: number };

/** A ledger that cannot be used now; nothing was sent. */
export function ledgerUnavailable(details: LedgerTrouble, cause?: unknown): DomainError {
  return new DomainError('ledger_unavailable', `ledger: ${details.reason}`, { details, cause });
}

/** What a model does not take, and where that fact comes from (`source`: its catalogue entry or the provider's listing). */
export type ModelConstraint = { model: string; source?: string; shot?: number; models_that_can?: string[] } & (
  | { requirement: 'required' | 'unsupported' | 'always' | 'never' | 'no_remix' }
  | { requirement?: undefined; value: string | number; allowed?: string[]; most?: number }
);

/** A request the model cannot take, naming `field`; nothing is sent. */
export function modelConstraint(field: string, details: ModelConstraint): DomainError {
  return new DomainError('model_constraint', `${field}: ${details.requirement ?? 'value'}`, { field, details });
}

/** A file that exists and was not to be replaced. */
export function fileExists(path: string): DomainError {
  return new DomainError('file_exists', 'file exists', { field: 'file', details: { path } });
}

/** A first frame whose size is not the video's, under `input_reference_fit: "match"`. */
export function sizeMismatch(field: string, details: { image: string; size: string; defaulted: boolean }): DomainError {
  return new DomainError('reference_image_size_mismatch', `${field}: size mismatch`, { field, details });
}

/** No key for the provider, or the Azure provider this server does not speak to: nothing was sent. */
export function notConfigured(code: 'missing_api_key' | 'provider_unsupported'): DomainError {
  return new DomainError(code, code, { details: { sent: false } });
}

/** Why something was not found: a video, a sequence, a saved file, the provider's route or asset. */
export type NotFound =
  | { reason: 'unknown_video'; video_id: string }
  | { reason: 'unknown_sequence'; sequence_id?: string }
  | ({ reason: 'no_videos_route' } & ProviderAnswer)
  | ({ reason: 'at_provider'; subject: string; sent?: false; expected_id?: string } & ProviderAnswer)
  | { reason: 'no_asset'; video_id: string; provider: string; job_status?: string; provider_message?: string }
  | { reason: 'asset_status'; status: number; origin: string }
  | { reason: 'no_media'; uri: string }
  | { reason: 'no_file'; path: string };

/** An id that is not of the shape this provider gives (`expected`): not found, and nothing was sent. */
export function notAnId(id: string, provider: string, expected: string): DomainError {
  return notFound({ reason: 'at_provider', subject: `Video ${id}`, provider, sent: false, expected_id: expected });
}

/** A thing not found for `details.reason`; the MCP layer writes the sentence. */
export function notFound(details: NotFound, options: { field?: string; cause?: unknown } = {}): DomainError {
  return new DomainError('not_found', `not found: ${details.reason}`, { ...options, details });
}

/** Why a download of a finished job's asset failed; `variant` and `video_id` when known. */
export type DownloadFailure = { variant?: string; video_id?: string } & (
  | { reason: 'not_ready'; status: string; progress: number }
  | { reason: 'cut_short'; received?: number; expected?: number }
  | { reason: 'no_body' }
  | { reason: 'stalled'; idle_ms: number }
  | { reason: 'not_usable'; problem: string }
  | { reason: 'over_cap'; max_bytes: number; announced_bytes?: number; found?: string }
  | { reason: 'deadline'; deadline_ms: number }
  | { reason: 'asset_status'; status: number; origin: string }
  | { reason: 'unexpected' }
  | { reason: 'nothing_saved' }
);

/** A download that failed for `details.reason` (cut short and the like may be retried: `retryable`). */
export function downloadFailed(details: DownloadFailure, options: { retryable?: boolean; cause?: unknown } = {}): DomainError {
  return new DomainError('download_failed', `download: ${details.reason}`, { ...options, details });
}

/** Why a video's thumbnail or spritesheet cannot be had. */
export type VariantGap = { variant: string } & (
  | { reason: 'not_offered'; provider: string }
  | { reason: 'served_other'; served: string }
  | { reason: 'not_found'; provider_message?: string }
);

/** A variant the provider does not (or did not) serve, for `details.reason`. */
export function variantUnavailable(details: VariantGap, cause?: unknown): DomainError {
  return new DomainError('variant_unavailable', `${details.variant}: ${details.reason}`, { details, cause });
}

/** Why a redirect or asset target was refused (the provider's side of the guarded fetch). */
export type TargetRefusal =
  | { rule: 'not_https'; origin: string }
  | { rule: 'credentials' }
  | { rule: 'unresolved'; host: string }
  | { rule: 'private_address'; address: string };

/** What went wrong with an answer the provider gave (its shape, its size, where it sent us). */
export type ProviderFault =
  | { problem: 'no_id'; what: string; shape?: string; provider?: string }
  | { problem: 'not_an_object'; what: string; shape: string }
  | { problem: 'no_data_array'; what: 'model list' | 'list'; provider?: string }
  | { problem: 'asset_refused' | 'redirect_refused'; origin: string; refusal: TargetRefusal }
  | { problem: 'too_many_redirects'; most: number }
  | { problem: 'cross_origin_body'; method: string; origin: string }
  | { problem: 'too_large'; most_bytes: number; bytes: number }
  | { problem: 'unexpected'; provider: string }
  | { problem: 'status_unread'; saved: string; failure?: DomainError };

/** A provider answer that could not be used, for `details.problem`. */
export function providerFault(details: ProviderFault, options: { cause?: unknown } = {}): DomainError {
  return new DomainError('provider_error', `provider: ${details.problem}`, { ...options, details });
}

/** Why a reference image (or a last frame) cannot be used. */
export type ImageProblem =
  | { problem: 'too_large'; most_bytes: number; size_bytes?: number; path?: string; from_url?: true }
  | { problem: 'http_status'; status: number }
  | { problem: 'cut_off' }
  | { problem: 'fetch_failed'; errno: string }
  | { problem: 'undecodable'; media_type?: string }
  | { problem: 'not_valid'; media_type: string }
  | { problem: 'too_many_pixels'; width: number; height: number; most_pixels: number }
  | { problem: 'not_an_image'; found: string };

/** A reference image refused for `details.problem`, naming `field`. */
export function imageRefused(field: string, details: ImageProblem): DomainError {
  return new DomainError('invalid_reference_image', `${field}: ${details.problem}`, { field, details });
}

/**
 * The same error with more context: a longer field path, or facts its sentence adds (the job that was made, the shot,
 * an estimate kept). Its code, retry facts and own facts are kept; the original is its cause.
 */
export function withContext(error: DomainError, more: { field?: string; details?: Readonly<Record<string, unknown>> }): DomainError {
  return new DomainError(error.code, error.message, {
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    field: more.field ?? error.field,
    details: { ...error.details, ...more.details },
    cause: error,
  });
}

export function isDomainError(error: unknown): error is DomainError {
  return typeof error === 'object' && error !== null && (error as { [DOMAIN_ERROR]?: unknown })[DOMAIN_ERROR] === true;
}

export class CancelledError extends DomainError {
  /** `stored: false`: a download was stopped and left nothing behind. */
  constructor(details: { stored?: false } = {}) {
    super('cancelled', details.stored === false ? 'cancelled; nothing stored' : 'cancelled', { details });
  }
}

/** An error nothing in the code foresaw (a bug, or a library's surprise): its own words go to the log only. */
export function unexpected(cause: unknown): DomainError {
  return new DomainError('internal_error', `unexpected: ${cause instanceof Error ? cause.message : String(cause)}`, { cause, details: {} });
}

/** How a job ended without a usable video: its last state, and for a timeout the last failed check. */
export type JobEnded = { video_id: string; status: string; provider_status?: string; progress: number } & (
  { reason: 'failed'; job_code: string; job_message?: string } | { reason: 'timeout'; timeout_ms: number; last_failure?: DomainError }
);

/** A sequence stopped at a shot whose job failed: the shot, and that failure's code and facts. */
export type ShotFailed = {
  reason: 'shot_failed';
  shot: number;
  sequence_id: string;
  video_id?: string;
  shot_error?: { code: string; message: string; details?: Readonly<Record<string, unknown>> };
};

/** A sequence's shot that failed, naming `shots[i]`. */
export function shotFailed(details: ShotFailed): DomainError {
  return new DomainError('job_failed', `shot ${details.shot} failed`, { field: `shots[${details.shot - 1}]`, details });
}

/** A job that ended without a usable video (failed, or still running at our deadline); keeps its last state. */
export class JobEndedError extends DomainError {
  constructor(
    readonly video: Video,
    facts: { reason: 'failed' } | { reason: 'timeout'; timeout_ms: number; last_failure?: DomainError },
  ) {
    const state = {
      video_id: video.id,
      status: video.status,
      ...(typeof video.provider_status === 'string' ? { provider_status: video.provider_status } : {}),
      progress: wholePercent(video.progress),
    };
    const details: JobEnded =
      facts.reason === 'failed'
        ? {
            ...state,
            reason: 'failed',
            job_code: video.error?.code ?? video.status,
            ...(video.error?.message ? { job_message: video.error.message } : {}),
          }
        : { ...state, ...facts };
    super(facts.reason === 'failed' ? 'job_failed' : 'job_timeout', `job ${video.id}: ${facts.reason}`, { details });
  }
}

/** A JobEndedError from any copy of this code (the bundles each hold one; `instanceof` would miss the others). */
export function isJobEndedError(error: unknown): error is JobEndedError {
  return isDomainError(error) && (error.code === 'job_failed' || error.code === 'job_timeout') && 'video' in error;
}

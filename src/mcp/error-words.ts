import type { VariantProblem } from '../application/variant-downloader';
import { ENV } from '../config/variables';
import { formatBytes } from '../domain/bytes';
import {
  DomainError,
  ERROR_CODES,
  isDomainError,
  type DownloadFailure,
  type EditFailure,
  type ErrorCode,
  type ImageProblem,
  type InvalidInput,
  type JobEnded,
  type NotFound,
  type OutsideRoots,
  type ProviderFault,
  type ShotFailed,
  type StorageFailure,
  type TargetRefusal,
  type UrlRefusal,
  type VariantGap,
} from '../domain/errors';
import { printableName } from '../domain/store-names';
import type { ProviderProfile } from '../domain/ports';

/** The names of a tool set's own tools, so a message never points to a tool the client does not have. */
export interface Vocabulary {
  create: string;
  retrieve: string;
  download: string;
  models: string;
  list: string;
  sequence: string;
  /** The provider the tools speak to, when known: descriptions say what it takes and offers. */
  provider?: ProviderProfile;
}

export const GENERIC: Vocabulary = {
  create: 'the create tool',
  retrieve: 'the retrieve tool',
  download: 'the download tool',
  models: 'the models tool',
  list: 'the list tool',
  sequence: 'the sequence tool',
};

export const RETIREMENT_HELP =
  `OpenAI retired its own Sora Videos API on 2026-09-24. Point ${ENV.baseUrl.name} at a provider that still serves ` +
  `the /v1/videos API (and use its key), pass a model id that provider offers, or set ${ENV.provider.name}=simulator to try the workflow offline.`;

const KEY_VARIABLES = `${ENV.apiKey.name} (or ${ENV.openAiApiKey.name})`;
/** The configuration variables a provider hint may name. */
const SETTINGS: Readonly<Record<string, string>> = { extraQuery: ENV.extraQuery.name, extraHeaders: ENV.extraHeaders.name };

const OPERATION_WORDS: Readonly<Record<string, string>> = {
  remix: 'remixing videos',
  list: 'listing videos',
  delete: 'deleting videos',
  cancel: 'cancelling jobs',
  models: 'a model list',
};

type Details = Readonly<Record<string, unknown>>;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `(500: "what it said")`, `(400 invalid_model: "…")`, or `(404)`. */
function quoted(details: Details): string {
  const status = typeof details.status === 'number' ? String(details.status) : undefined;
  const code = str(details.provider_code);
  const message = str(details.provider_message);
  const head = [status, code].filter((part) => part !== undefined).join(' ');
  if (!head && !message) return '';
  return ` (${head}${message ? `${head ? ': ' : ''}"${message}"` : ''})`;
}

/** A dialect's hint for this failure, with the variable it is about named. */
function hint(details: Details): string {
  const text = str(details.hint);
  if (!text) return '';
  const setting = str(details.setting);
  const variable = setting ? SETTINGS[setting] : undefined;
  return ` ${text}${variable ? ` Set it with ${variable}, e.g. ${variable}={"custom_llm_provider":"openai"}.` : ''}`;
}

/**
 * The sentence for an error, from its code and details: what went wrong, in the provider's own
 * words where it said something, and what to do, in this tool set's tool names. Codes without
 * details to speak from keep the message they were raised with.
 */
export function describeError(error: DomainError, words: Vocabulary): string {
  const base = describeCode(error, words);
  // After the paid job exists, the way to follow it up, in this tool set's words.
  const d: Details = error.details ?? {};
  if (typeof d.created_video_id === 'string') {
    return (
      `${base} The job itself was created: video ${d.created_video_id}, last status ${str(d.created_status) ?? 'unknown'} ` +
      `(${typeof d.created_progress === 'number' ? d.created_progress : 0}%). Check it with ${words.retrieve} rather than creating another.`
    );
  }
  // The request left and no answer says whether a job was made: it is counted as made.
  if (d.estimate_kept === true) {
    return (
      `${base} The request reached the provider, so a job may exist: its estimated cost stays counted against any budget. ` +
      `Repeat the call with the same idempotency_key to get that job instead of paying for another, or look for it with ${words.list}.`
    );
  }
  return base;
}

function describeCode(error: DomainError, words: Vocabulary): string {
  // An error raised outside this code (a caller's own store or provider, through the library) may carry no facts at all:
  // its own words are then all there are. Every error this code raises carries its facts.
  if (error.details === undefined) return error.message;
  const d: Details = error.details;
  const provider = str(d.provider) ?? 'the provider';
  switch (error.code) {
    case 'missing_api_key':
      return (
        `No API key is configured. Set ${KEY_VARIABLES} in the server's environment in your MCP client config, then restart the server. ` +
        `To try it without a key, set ${ENV.provider.name}=simulator.`
      );
    case 'authentication_failed':
      return `Authentication failed: ${provider} rejected the API key${quoted(d)}. Check ${KEY_VARIABLES} and ${ENV.baseUrl.name}.${hint(d)}`;
    case 'permission_denied':
      return (
        `${capital(provider)} refused the request${quoted(d)}. ` +
        (d.status === 402
          ? 'The account behind the key has too little credit or no payment method.'
          : 'Check that the key has access to this model, and that the video was made with this same key.') +
        hint(d)
      );
    case 'not_offered':
      return notOffered(d, provider, words);
    case 'model_not_found':
      return (
        `${capital(provider)} does not serve model ${str(d.model) ?? '(its default)'}${quoted(d)}. ` +
        `Call ${words.models} to see the models it offers, and pass one of them as model.${hint(d)}`
      );
    case 'model_retired':
      return `The provider says this model or endpoint is gone${quoted(d)}. ${RETIREMENT_HELP}`;
    case 'not_found':
      return notFound(error, words);
    case 'bad_request':
      return `${capital(provider)} rejected the request${quoted(d)}.${hint(d)}`;
    case 'rate_limited':
      return `${capital(provider)} is rate limiting requests${quoted(d)}. ${
        error.retryAfterMs !== undefined ? `It asked for ${Math.max(1, Math.ceil(error.retryAfterMs / 1000))} s: wait that long` : 'Wait'
      } and try again; nothing was started.${hint(d)}`;
    case 'provider_unavailable':
      return unavailable(d, provider);
    case 'over_budget':
      return overBudget(d, words);
    case 'idempotency_conflict':
      return d.rule === 'in_flight'
        ? 'Another call with this idempotency_key is still sending its request (or the server sending it stopped). Nothing was sent. ' +
            `Call again with the same key in a minute, or check ${words.list} for the job.`
        : 'This idempotency_key was already used with other arguments, so nothing was sent. Use a new key for a new job, or repeat the first call exactly to get its job.';
    case 'ledger_unavailable':
      return ledgerUnavailable(d);
    case 'job_timeout':
    case 'job_failed':
      return jobEnded(error, words);
    case 'reference_image_size_mismatch':
      return sizeMismatch(error, words);
    case 'model_constraint':
      return constraint(error, words);
    case 'file_exists':
      return (
        `The file "${str(d.path) ?? 'named'}" already exists, and files are never replaced unless you ask. ` +
        'Pass another file name, leave file out to save under a free name, or pass overwrite: true to replace it.'
      );
    case 'variant_unavailable':
      return `The ${str(d.variant) ?? 'asset'} cannot be had: ${variantReason(d as VariantGap).replace(/\.$/, '')}.`;
    case 'invalid_input':
      return invalid(error, words);
    case 'path_outside_roots':
      return outsideRoots(error);
    case 'storage_failed':
      return storageFailed(error, words);
    case 'provider_unsupported':
      return (
        `${ENV.azureKey.name} is set, but Azure OpenAI video support is not enabled in sora2-mcp, so no request was sent. ` +
        `Remove ${ENV.azureKey.name} from the server environment and use ${KEY_VARIABLES} with ${ENV.baseUrl.name} pointing at a provider that serves /v1/videos.`
      );
    case 'url_refused':
      return urlRefusal(error);
    case 'edit_failed':
      return editFailure(error);
    case 'download_failed':
      return downloadFailure(error, words);
    case 'provider_error':
      return providerFault(d as ProviderFault, words);
    case 'invalid_reference_image':
      return imageProblem(error);
    case 'cancelled':
      return d.stored === false ? 'The download was cancelled; nothing was stored.' : 'The request was cancelled.';
    case 'internal_error':
      return 'Something unexpected went wrong in the server (its log has the details), and the call did not finish. If it fails the same way again, report it.';
    default:
      return unreachable(error.code);
  }
}

/** What to do about a store that could not take the file: never a network problem, so never tried again by itself. */
const ERRNO_ADVICE: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full: free some space',
  EDQUOT: 'the disk quota is used up: free some space',
  EACCES: "the server may not write there: fix the folder's permissions",
  EPERM: "the server may not write there: fix the folder's permissions",
  EROFS: 'the folder is on a read-only file system',
  EFBIG: 'the file is larger than that file system allows',
  EIO: 'the disk reported an input/output error',
};

/** What a bucket was asked to do, in words. */
const S3_ACTIONS: Readonly<Record<'check' | 'store' | 'read' | 'list' | 'sign', string>> = {
  check: 'checking',
  store: 'storing',
  read: 'reading',
  list: 'listing',
  sign: 'signing a link for',
};

function storageFailed(error: DomainError, words: Vocabulary): string {
  const d = (error.details ?? {}) as StorageFailure;
  if (d.store === 's3') {
    const advice: Readonly<Record<string, string>> = {
      credentials_refused: `The credentials were refused: check ${ENV.awsKeyId.name}/${ENV.awsSecret.name} or the profile, and the bucket policy.`,
      bucket_not_found: `The bucket was not found: check ${ENV.store.name} and the endpoint (${ENV.awsEndpoint.name}).`,
      region_missing: `Set ${ENV.awsRegion.name}.`,
    };
    const what = (d.reason && advice[d.reason]) || (d.transient ? 'The bucket may answer again shortly.' : '');
    const failed = `${capital(S3_ACTIONS[d.action])}${d.location ? ` ${d.location}` : ' the bucket'} failed: ${d.name}${d.status ? ` (HTTP ${d.status})` : ''}.`;
    return `${failed} Nothing was saved.${what ? ` ${what}` : ''} Then save it again with ${words.download}.`;
  }
  const errno = d.errno;
  const advice = (errno && ERRNO_ADVICE[errno]) ?? 'the file system refused it';
  return (
    `The file could not be written in "${d.folder}"${errno ? ` (${errno})` : ''}. ` +
    `Nothing was saved, and the download was not repeated: ${advice}, ` +
    `or pass a file in another of the allowed folders (${ENV.roots.name}), then save it again with ${words.download}.`
  );
}

/** Why a frame or a join could not be made; ffmpeg's own words stay in the server's log. */
function editFailure(error: DomainError): string {
  const d = (error.details ?? {}) as EditFailure;
  switch (d.reason) {
    case 'no_output':
      return 'ffmpeg made no output.';
    case 'over_cap':
      return `The result reached the ${d.max_bytes}-byte limit, so it was not kept.`;
    case 'deadline':
      return `${d.program} ran longer than ${d.deadline_ms} ms while it was to ${d.step} the video, so it was stopped.`;
    case 'not_started':
      return `${d.program} could not be started (${d.errno}): check that ffmpeg is installed (sora2-mcp doctor).`;
    case 'exit':
      return `${d.program} could not ${d.step} the video (the server's log has its own words).`;
    default:
      return unreachable(d);
  }
}

/** The URL as given, why it was refused, and what to do where something can be done. */
function urlRefusal(error: DomainError): string {
  const d = (error.details ?? {}) as UrlRefusal;
  const refused = `${error.field ?? 'input_reference'}: the URL ${JSON.stringify(d.url)} was refused:`;
  switch (d.rule) {
    case 'not_a_url':
      return `${refused} it is not a valid URL.`;
    case 'scheme':
      return `${refused} the ${d.scheme} scheme is not allowed (http and https only).`;
    case 'credentials':
      return `${refused} URLs with credentials (user@host) are not allowed.`;
    case 'not_allowlisted':
      return (
        `${refused} it is not in the allowlist (scheme, host, port and path are compared). ` +
        `Add it to ${ENV.urls.name}, or save the image inside the allowed folders and pass its path.`
      );
    case 'encoded_separator':
      return `${refused} its path holds an encoded "/" or "\\" (%2F, %5C), which servers may decode to leave the allowed path.`;
    case 'too_many_redirects':
      return `${refused} more than ${d.most} redirects.`;
    case 'private_address':
      return (
        `${refused} it resolves to ${d.address}, a loopback, private, link-local or otherwise non-public address. ` +
        `Name the host exactly in ${ENV.urls.name} to allow it.`
      );
    case 'unresolved':
      return `${refused} the host "${d.host}" could not be resolved.`;
    case 'too_slow':
      return `${refused} it did not deliver the image within ${d.timeout_ms} ms.`;
    default:
      return unreachable(d);
  }
}

/** The path as given, why it was refused, and the folders it may use. */
function outsideRoots(error: DomainError): string {
  const d = (error.details ?? {}) as OutsideRoots;
  const field = error.field ?? 'file';
  const given = `${field}: "${printableName(d.path)}"`;
  let said: string;
  switch (d.problem) {
    case 'nul_byte':
      said = `${given} contains a NUL byte.`;
      break;
    case 'empty':
      said = `${given} is empty.`;
      break;
    case 'outside':
      said = `${given} is outside the allowed folders.`;
      break;
    case 'unchecked':
      said = `${given} cannot be checked (${d.errno}).`;
      break;
    case 'dangling_link':
      said = `${given} goes through a symbolic link that points nowhere.`;
      break;
    case 'resolves_outside':
      said = `${given} resolves outside the allowed folders.`;
      break;
    case 'hard_link':
      return `${given} is a hard link, which may be a file from outside the allowed folders. Copy the file instead of linking it.`;
    case 'outside_store':
      return `${given} is outside the store. Pass a relative name such as "clips/take1".`;
    case 'changed_while_writing':
      return `${field}: the folder of "${printableName(d.path)}" changed while the file was written (a link appeared); nothing was saved.`;
    default:
      return unreachable(d);
  }
  const folders = d.allowed_folders ?? [];
  if (folders.length === 0) return said;
  const named = folders.map((folder) => `"${folder}"`).join(', ');
  const relative = field === 'uri' ? '' : `, or a relative one (it is taken inside "${folders[0]}")`;
  return `${said} The allowed folders (${ENV.roots.name}) are ${named}: pass a path inside one of them${relative}.`;
}

function notOffered(d: Details, provider: string, words: Vocabulary): string {
  if (d.kind === 'control') {
    const control = str(d.control) ?? 'this control';
    const all = Array.isArray(d.takes) ? (d.takes as string[]) : [];
    const takes = all.filter((name) => name !== 'provider_options');
    const escape = str(d.hint)
      ? ` ${str(d.hint)}`
      : all.includes('provider_options')
        ? ' If the provider takes it under another name, send it in provider_options.'
        : '';
    return (
      `${capital(provider)} has no field for ${control} in the API shape this server speaks to it, so nothing was sent` +
      `${takes.length > 0 ? ` (it takes ${takes.join(', ')})` : ''}. Leave ${control} out, or use a provider that takes it (${ENV.dialect.name}).${escape}`
    );
  }
  const operation = str(d.operation) ?? 'this';
  const what = OPERATION_WORDS[operation] ?? operation;
  if (d.sent === false) return `${capital(provider)} does not offer ${what}, so nothing was sent.`;
  const tail = operation === 'list' ? ` Follow videos by the ids ${words.create} returns.` : '';
  return `${capital(provider)} does not offer ${what}: it answered${quoted(d)}.${tail}${hint(d)}`;
}

function unavailable(d: Details, provider: string): string {
  if (d.reason === 'timeout') return `${capital(provider)} did not answer in time. Try again shortly.`;
  if (d.reason === 'connection') {
    return `Could not reach ${provider} (the connection failed or was reset). Check ${ENV.baseUrl.name} and the network, then try again.`;
  }
  const upstream = d.upstream_unreachable;
  const behind =
    upstream !== undefined
      ? ` It could not reach ${typeof upstream === 'string' ? upstream : 'the service'} behind it: the gateway's routing or its upstream is the problem, so trying again soon will not help by itself.`
      : ' Try again shortly.';
  return `${capital(provider)} had a problem${quoted(d)}.${behind}${hint(d)}`;
}

function money(value: unknown): string {
  return typeof value === 'number' ? `$${value.toFixed(2)}` : 'an unknown amount';
}

/** Whose estimate a refusal speaks of: one job's, or a sequence's shots together. */
function estimateOf(d: Details): string {
  const amount = money(d.estimate_usd);
  return typeof d.shots === 'number'
    ? `This sequence's estimate of ${amount} (its ${d.shots} shots to make, together)`
    : `This job's estimate of ${amount}`;
}

function overBudget(d: Details, words: Vocabulary): string {
  const model = str(d.model) ?? 'this model';
  if (d.rule === 'no_price') {
    return (
      `No price is known for model ${model}, and a spending cap is set (${ENV.maxCost.name} or ${ENV.budget.name}), so nothing was sent. ` +
      `Give the model's price_usd_per_second in a catalog file named by ${ENV.models.name}, or pick a priced model (${words.models} lists prices).`
    );
  }
  const fixes = `Ask for fewer seconds, a lower resolution or a cheaper model (${words.models} lists prices)`;
  if (d.rule === 'budget' || d.rule === 'team_budget') {
    const team = d.rule === 'team_budget';
    const period = d.period === 'all' ? 'in all' : `this ${str(d.period) ?? 'day'} (UTC)`;
    return (
      `${estimateOf(d)} would bring ${team ? "the team's" : 'your'} spending ${period} over ${team ? 'its' : 'your'} ${money(d.budget_usd)} budget ` +
      `(${team ? ENV.teamBudget.name : ENV.budget.name}; ${money(d.spent_usd)} spent so far, ${money(d.left_usd)} left), so nothing was sent. ` +
      `${fixes}, wait for the next period, or ask whoever runs the server to raise the budget.`
    );
  }
  return (
    `${estimateOf(d)} is over the ${money(d.max_cost_usd)} cap on one call (${ENV.maxCost.name}), so nothing was sent. ` +
    `${fixes}, or raise the cap.`
  );
}

function ledgerUnavailable(d: Details): string {
  if (d.reason === 'embedded_in_use') {
    return (
      `The embedded ledger (in ${str(d.folder) ?? ENV.dataDir.name}) stayed open in another sora2-mcp process${typeof d.pid === 'number' ? ` (pid ${d.pid})` : ''} ` +
      `for a minute (local servers take it in turn), so budgets and idempotency keys cannot be checked here; nothing was sent. Try again, ` +
      `close the other server, or share one PostgreSQL between them with ${ENV.databaseUrl.name}.`
    );
  }
  if (d.reason === 'embedded_failed') {
    return `The embedded ledger under ${ENV.dataDir.name} could not be opened, so budgets and idempotency keys cannot be checked; nothing was sent. Check that the folder is writable, or use ${ENV.databaseUrl.name}.`;
  }
  return (
    `The ledger (${ENV.databaseUrl.name}) cannot be reached, so budgets, owners and idempotency keys cannot be checked; nothing was sent. ` +
    'Try again shortly; if it persists, check that the database is up and the URL is right (sora2-mcp doctor).'
  );
}

function sizeMismatch(error: DomainError, words: Vocabulary): string {
  const { image, size, defaulted } = (error.details ?? {}) as { image: string; size: string; defaulted?: boolean };
  const field = error.field ?? 'input_reference';
  return (
    `${field} is ${image} but the video size is ${size}${defaulted ? ' (the default, as no size was given)' : ''}; the image must match the video size exactly. ` +
    'Fix: set input_reference_fit to "cover" (scale and centre-crop), "contain" (scale and pad; input_reference_background ' +
    `blur, black, white or #rrggbb) or "stretch"; or choose a size matching the image (${words.models} lists each model's sizes); ` +
    `or resize the image to ${size} yourself.`
  );
}

function constraint(error: DomainError, words: Vocabulary): string {
  const d: Details = error.details ?? {};
  const model = str(d.model) ?? 'this model';
  const from = str(d.source) ? ` (source: ${str(d.source)})` : '';
  const field = error.field ?? 'this input';
  switch (d.requirement) {
    case 'required':
      return `Model ${model} needs a first-frame image${from}: pass input_reference (a JPEG, PNG or WebP of the video size). Nothing was sent.`;
    case 'unsupported':
      if (typeof d.shot === 'number' && field.endsWith('input_reference')) {
        const takers = Array.isArray(d.models_that_can) && d.models_that_can.length > 0 ? ` (${d.models_that_can.join(', ')})` : '';
        return (
          `Model ${model} takes no first-frame image${from}, and with continuity "last_frame" shot ${d.shot} starts from the previous shot's last frame. ` +
          `Pick a model that takes one${takers} (${words.models} lists each model's controls), or set continuity to "none". Nothing was sent.`
        );
      }
      return field === 'input_reference'
        ? `Model ${model} takes no first-frame image${from}: leave input_reference out, or pick a model that takes one. Nothing was sent.`
        : `Model ${model} takes no ${field}${from}: leave it out, or pick a model that takes it (${words.models} lists each model's controls). Nothing was sent.`;
    case 'always':
      return `Model ${model} always generates sound${from}: leave generate_audio out (or true), or pick a model that can be silent. Nothing was sent.`;
    case 'never':
      return `Model ${model} generates no sound${from}: leave generate_audio out, or pick a model that makes sound. Nothing was sent.`;
    case 'no_remix':
      return `Model ${model} cannot be remixed${from}: create a new video with the change in its prompt instead. Nothing was sent.`;
    default:
      break;
  }
  if (field === 'reference_images') {
    return `Model ${model} takes at most ${String(d.most)} reference images${from}, and ${String(d.value)} were given. Nothing was sent.`;
  }
  const allowed = Array.isArray(d.allowed) ? (d.allowed as string[]).join(', ') : 'other values';
  return (
    `${field} ${String(d.value)} is not offered by model ${model}; it takes ${allowed}${from}. ` +
    `Pick one of those, or a model that takes ${String(d.value)} (${words.models} lists them). Nothing was sent.`
  );
}

/** Where an image may come from, said after a source that is none of them. */
const SOURCE_HELP =
  'Pass an http(s) URL, a data:image/...;base64,... URL, raw base64 of a JPEG, PNG or WebP, or the path of a file in the allowed folders.';

const DATA_URL = 'data:image/png;base64,<data>';

/** Every refused input's sentence, from its rule and facts (domain/errors.ts `InvalidInput`): one case each, none left to a message. */
function invalid(error: DomainError, words: Vocabulary): string {
  const d = (error.details ?? {}) as InvalidInput;
  const field = error.field ?? 'input';
  switch (d.rule) {
    case 'data_url_no_comma':
      return `${field}: the data URL has no "," before its data. Use ${DATA_URL}.`;
    case 'data_url_not_image':
      return `${field}: the data URL declares "${d.media_type}", not an image. Use ${DATA_URL} (JPEG, PNG or WebP).`;
    case 'data_url_not_base64':
      return `${field}: the data URL is not base64-encoded. Use ${DATA_URL}.`;
    case 'data_url_bad_base64':
      return `${field}: the data URL payload is not valid base64.`;
    case 'source_empty':
      return `${field}: it is empty. ${SOURCE_HELP}`;
    case 'scheme_refused':
      return `${field}: the "${d.scheme}:" scheme is not accepted. ${SOURCE_HELP}`;
    case 'image_source':
      return `${field}: no file "${d.path}" in the allowed folders, and it is not a URL, data URL or base64 image. ${SOURCE_HELP}`;
    case 'size_or_aspect':
      return `${field}: give either size or aspect_ratio with resolution, not both`;
    case 'aspect_needs_both':
      return `${field}: ${d.provider} takes a pixel size: give both aspect_ratio and resolution (they are converted to a size), or size`;
    case 'resolution_no_size':
      return `resolution: ${d.resolution} has no fixed pixel size; give size as WIDTHxHEIGHT instead`;
    case 'fit_size_too_large':
      return `size ${d.size} is too large to fit a reference image to (at most 8K, 7680x4320).`;
    case 'file_needs_wait':
      return `file: files are saved only when the call waits for the job: set wait_for_completion=true, or leave file out and save it later with ${words.download}.`;
    case 'remix_needs_completed':
      return `video_id: the video is ${d.status} (${d.progress}%), and only a completed video can be remixed. Wait until ${words.retrieve} says completed. Nothing was sent.`;
    case 'provider_options_price':
      return `provider_options may not set "${d.key}": it decides what the job costs, and the estimate and the caps are for what this server sends. Use the tool's own inputs for it (model, seconds, size or aspect_ratio with resolution, generate_audio). Nothing was sent.`;
    case 'provider_options_override':
      return `provider_options: "${d.key}" is a field this call already sets, and provider_options may not replace it. Use the tool's own input for it. Nothing was sent.`;
    case 'last_frame_needs_first':
      return `last_frame: ${d.provider} takes a last frame only together with a first frame: pass input_reference as well. Nothing was sent.`;
    case 'frames_or_references':
      return `reference_images: ${d.provider} cannot combine reference images with a first or last frame (it would drop them or refuse): send one or the other. Nothing was sent.`;
    case 'unknown_model': {
      const reason = isDomainError(d.provider_error) ? `: ${describeError(d.provider_error, words).replace(/\.$/, '')}` : '';
      const first = d.provider_listed
        ? `model: no model ${d.model} is known (the catalog, ${ENV.models.name} and the provider's list).`
        : `model: no model ${d.model} is in the catalog or ${ENV.models.name}, and the provider's own list is not available${reason}. ` +
          'The provider may still serve it.';
      return `${first} Known: ${d.known.join(', ')}. Leave model out to list them all. ${words.create} still passes an unknown model to the provider as given.`;
    }
    case 'did_you_mean':
      return (
        `model: no model ${d.model} is known; did you mean ${d.suggestion}? Nothing was sent. ` +
        `${words.models} lists every model. To send this id as written, describe it in the catalog file ${ENV.models.name} names.`
      );
    case 'sequence_needs_shots':
      return 'shots: a new sequence needs its shots';
    case 'sequence_completed':
      return (
        `shots: sequence ${d.sequence_id} is complete, its shots joined into one video, and a finished sequence is not changed ` +
        '(nothing was sent). Start a new sequence (leave sequence_id out, and pass a new idempotency_key if you used one) with the shots you want; ' +
        'its first shot can start from a frame of this one.'
      );
    case 'fewer_than_made':
      return `shots: ${d.made} shots of this sequence are made already; pass at least ${d.made}`;
    case 'join_sources':
      return `${field}: one video is joined from ${d.least} to ${d.most} clips; ${d.given} ${d.given === 1 ? 'was' : 'were'} given. Nothing was sent or written.`;
    case 'name_unusable':
      return nameUnusable(d);
    case 'path_too_long':
      return `${field}: the path is ${d.bytes} bytes long; at most ${d.most_bytes} are accepted. Use a shorter path.`;
    case 'folder_blocked':
      return `${field}: the folder for "${d.path}" cannot be created (${d.errno ?? 'a file is in the way'}). Choose another path.`;
    case 'cannot_open':
      return `${field}: "${d.path}" cannot be opened (${d.errno ?? 'error'}).`;
    case 'not_regular_file':
      return `${field}: "${d.path}" is not a regular file.`;
    case 'not_a_video':
      return `${field}: "${d.path}" is not a video that can be read (an MP4 or QuickTime file)`;
    case 'after_end':
      return `at: ${d.at} s is after the end of the ${d.duration_seconds} s video`;
    case 'eight_seconds':
      return 'Veo makes 1080p, 4K and reference-image videos 8 seconds long only';
    case 'job_finished':
      return `video ${d.video_id} has already finished, so there is nothing to cancel`;
    case 'required':
      return `fal's ${d.model} needs ${field === 'last_frame' ? 'a last frame' : 'a first frame'}`;
    case 'read_too_large':
      return `${d.name} is ${d.size_bytes} bytes, more than the ${d.most_bytes}-byte limit for reading through MCP. Open it directly at ${d.location}.`;
    case 'read_grew':
      return `the item grew past ${d.most_bytes} bytes while it was read.`;
    default:
      return unreachable(d);
  }
}

/** Why a file name cannot be used, and what to do. */
function nameUnusable(d: Extract<InvalidInput, { rule: 'name_unusable' }>): string {
  const name = `file: "${printableName(d.path)}"`;
  const another = 'Choose another file name.';
  switch (d.problem) {
    case 'is_folder':
      return `${name} is a folder. ${another}`;
    case 'not_regular_file':
      return `${name} exists and is not a regular file. ${another}`;
    case 'leading_dot':
      return `${name} starts with a dot, so it would be hidden and not listed as a resource. Choose a name without the leading dot.`;
    case 'hidden_folder':
      return `${name} has a folder that starts with a dot, so it would be hidden and not listed as a resource. Choose a name without it.`;
    case 'in_hidden_folder':
      return `${name} is in a folder whose name starts with a dot, so it would be hidden and not listed as a resource. ${another}`;
    case 'empty_folder_name':
      return `${name} has an empty or "." folder name. Pass a name such as "clips/take1".`;
    case 'folder_blocked':
      return `${name} cannot be created (a file is in the way of its folder). ${another}`;
    case 'too_long_for_s3':
      return `${name} is too long for an S3 key. Choose a shorter name.`;
    case 'reserved_character':
      return `${name} contains ${d.character}, which is not allowed in file names. Choose a name without it.`;
    case 'too_long':
      return `${name} has a name longer than ${d.most_bytes} bytes. ${another}`;
    default:
      return unreachable(d);
  }
}

/** The compiler proves every case is written; a value from a newer copy of the code still gets a sentence. */
/** A case this version does not know (facts from a newer copy of this code): said by its code word, never left blank. */
function unreachable(value: never): string {
  const { reason, problem, rule, kind } = (value ?? {}) as { reason?: unknown; problem?: unknown; rule?: unknown; kind?: unknown };
  const word = reason ?? problem ?? rule ?? kind;
  return `The call failed (${typeof word === 'string' ? word : 'no reason given'}).`;
}

const MEDIA_WORDS: Readonly<Record<string, string>> = {
  'video/mp4': 'an MP4 video',
  'video/quicktime': 'a QuickTime video',
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
  'image/webp': 'a WebP image',
};

function variantReason(d: VariantGap): string {
  switch (d.reason) {
    case 'not_offered':
      return `${capital(d.provider ?? 'the provider')} serves only the video, not a ${d.variant}`;
    case 'served_other':
      return `the provider served ${MEDIA_WORDS[d.served] ?? d.served} when asked for the ${d.variant}, so there is no ${d.variant} to save`;
    case 'not_found':
      return `the provider has none${d.provider_message ? ` ("${d.provider_message}")` : ''}`;
    default:
      return unreachable(d);
  }
}

/** One line per variant that could not be saved, for a result that saved the others. */
export function describeProblems(problems: readonly VariantProblem[], words: Vocabulary): string[] {
  return problems.map(({ variant, error }) => {
    const reason =
      error.code === 'variant_unavailable'
        ? variantReason((error.details ?? {}) as VariantGap)
        : describeError(error, words).replace(/\.$/, '');
    return `The ${variant} was not saved: ${reason}.`;
  });
}

/** What was not found, and where to find the right one. */
function notFound(error: DomainError, words: Vocabulary): string {
  const d = (error.details ?? {}) as NotFound;
  switch (d.reason) {
    case 'unknown_video':
      return `There is no video ${d.video_id} among your jobs. Check the video_id with ${words.list} or the id create returned.`;
    case 'unknown_sequence':
      return `There is no sequence ${d.sequence_id ?? ''} among yours. Pass the sequence_id an earlier ${words.sequence} result gave, or leave it out (with shots) to start a new sequence.`;
    case 'no_videos_route':
      return `This base URL serves no /v1/videos API${quoted(d)}. Check ${ENV.baseUrl.name}: it usually ends in /v1.`;
    case 'at_provider': {
      const shape = d.expected_id ? `: it is not an id ${d.provider ?? 'the provider'} gives (${d.expected_id}), so nothing was sent` : '';
      return `${d.subject} was not found at ${d.provider ?? 'the provider'}${quoted(d)}${shape}. Check the video_id with ${words.list} or the id create returned.${hint(d)}`;
    }
    case 'no_asset':
      return (
        `${capital(d.provider)} has no video for ${d.video_id}${d.job_status ? ` (it is ${d.job_status})` : ''}` +
        `${d.provider_message ? `: "${d.provider_message}"` : ''}. Check it with ${words.retrieve}.`
      );
    case 'asset_status':
      return `The asset URL (${d.origin}) answered HTTP ${d.status}: the provider's file is gone. Check the job with ${words.retrieve}.`;
    case 'no_media':
      return `No media file for ${d.uri} in the allowed folders.`;
    case 'no_file':
      return `${error.field ?? 'file'}: no file "${printableName(d.path)}".`;
    default:
      return unreachable(d);
  }
}

/** A job that failed at the provider (in its own words), a shot of a sequence that did, or a wait that ran out. */
function jobEnded(error: DomainError, words: Vocabulary): string {
  const d = (error.details ?? {}) as JobEnded | ShotFailed;
  switch (d.reason) {
    case 'failed': {
      const word = d.provider_status ?? d.status;
      const said = (d.job_message ?? 'the provider gave no reason').replace(/[.\s]+$/, '');
      return (
        `Video ${d.video_id} ${word === 'failed' ? 'failed' : `ended as "${word}"`} at progress ${d.progress}% (code: ${d.job_code}): ${said}. ` +
        'Nothing was downloaded; adjust the prompt or inputs and create a new video.'
      );
    }
    case 'timeout': {
      const status = d.provider_status === undefined ? d.status : `${d.status} (provider: ${d.provider_status})`;
      const last = d.last_failure;
      const failing = isDomainError(last) ? ` The last status check failed: ${describeCode(last, words).replace(/[.\s]+$/, '')}.` : '';
      return (
        `Video ${d.video_id} did not finish within ${d.timeout_ms} ms (last status: ${status}, progress ${d.progress}%).${failing} ` +
        `The job keeps running at the provider. Check it later with ${words.retrieve} and save it with ${words.download} when it is completed, ` +
        'or call again with a larger timeout_ms.'
      );
    }
    case 'shot_failed':
      return `shot ${d.shot} of the sequence failed: ${d.shot_error ? describeStored(d.shot_error, words) : 'no reason given'}`;
    default:
      return unreachable(d);
  }
}

/** An error kept as data (a sequence's shot, saved as JSON): its sentence again, from its code and facts. */
export function describeStored(
  stored: { code: string; message: string; details?: Readonly<Record<string, unknown>> },
  words: Vocabulary,
): string {
  // Kept before errors carried their facts (an older server's record): its sentence was kept with it.
  if (stored.details === undefined) return stored.message;
  const code = (ERROR_CODES as readonly string[]).includes(stored.code) ? (stored.code as ErrorCode) : 'internal_error';
  return describeError(new DomainError(code, 'stored', { details: stored.details }), words);
}

/** Why a download failed, about which asset, and what to do. */
function downloadFailure(error: DomainError, words: Vocabulary): string {
  const d = (error.details ?? {}) as DownloadFailure;
  const variant = d.variant ?? 'asset';
  let what: string;
  switch (d.reason) {
    case 'not_ready':
      return (
        `Video ${d.video_id ?? ''} is ${d.status} (progress ${d.progress}%), so its ${variant} cannot be downloaded yet. ` +
        (d.status === 'failed' ? 'The job failed; create a new video.' : 'Wait until its status is completed, then download again.')
      );
    case 'unexpected':
      return `Downloading the ${variant}${d.video_id ? ` of ${d.video_id}` : ''} failed unexpectedly.`;
    case 'nothing_saved':
      return `the ${variant} was not saved`;
    case 'cut_short':
      what =
        d.received !== undefined && d.expected !== undefined
          ? `the body was cut short: received ${d.received} of ${d.expected} bytes`
          : 'the body was cut short: the connection closed before it was complete';
      break;
    case 'no_body':
      what = 'the provider sent no body';
      break;
    case 'stalled':
      what = `the download stalled: no data for ${d.idle_ms} ms`;
      break;
    case 'not_usable':
      what = `the ${variant} is not usable: ${d.problem}`;
      break;
    case 'asset_status':
      what = `the asset URL (${d.origin}) answered HTTP ${d.status}`;
      break;
    case 'over_cap': {
      const why =
        d.announced_bytes !== undefined ? ` (the provider announced ${formatBytes(d.announced_bytes)})` : d.found ? ` (${d.found})` : '';
      what = `the ${variant} is larger than the ${formatBytes(d.max_bytes)} this server downloads${why}`;
      break;
    }
    case 'deadline':
      what = `the ${variant} did not finish downloading within ${d.deadline_ms >= 120_000 ? `${Math.round(d.deadline_ms / 60_000)} minutes` : `${Math.round(d.deadline_ms / 1000)} seconds`}`;
      break;
    default:
      return unreachable(d);
  }
  const said = d.video_id && d.variant ? `Downloading the ${d.variant} of ${d.video_id} failed: ${what}` : capital(what);
  if (d.reason === 'over_cap') {
    return `${said}; nothing was saved. If the asset really is that large, raise ${ENV.maxDownload.name} (in MiB) and save it again with ${words.download}.`;
  }
  if (d.reason === 'deadline') {
    return `${said}; nothing was saved. Save it again with ${words.download} when the connection is faster, or raise ${ENV.downloadTimeout.name}.`;
  }
  return `${said}; nothing was saved. Save it again with ${words.download}.`;
}

/** Why a target the provider sent us to was refused. */
function targetRefusal(refusal: TargetRefusal): string {
  switch (refusal.rule) {
    case 'not_https':
      return `only https redirects are followed away from the provider (${refusal.origin})`;
    case 'credentials':
      return 'the target carries credentials';
    case 'unresolved':
      return `its host "${refusal.host}" could not be resolved`;
    case 'private_address':
      return `it resolves to ${refusal.address}, a non-public address the provider is not on`;
    default:
      return unreachable(refusal);
  }
}

/** An answer from the provider this server could not use. */
function providerFault(d: ProviderFault, words: Vocabulary): string {
  switch (d.problem) {
    case 'no_id':
      return `${d.provider ?? 'The provider'} answered with ${d.what} that has no id.`;
    case 'not_an_object':
      return `The provider answered with ${d.shape} where ${d.what} (a JSON object) was expected.`;
    case 'no_data_array':
      return d.what === 'list'
        ? 'The provider answered the list with a "data" field that is not an array.'
        : `${d.provider ?? 'The provider'} answered the model list without a "data" array.`;
    case 'asset_refused':
      return `The provider named an asset at ${d.origin}, which was refused: ${targetRefusal(d.refusal)}.`;
    case 'redirect_refused':
      return `The provider redirected to ${d.origin}, which was refused: ${targetRefusal(d.refusal)}.`;
    case 'too_many_redirects':
      return `The provider redirected more than ${d.most} times.`;
    case 'cross_origin_body':
      return `The provider redirected a ${d.method} to ${d.origin}; its body is not sent to another origin.`;
    case 'too_large':
      return (
        `The provider answered with more than ${Math.round(d.most_bytes / 1024 / 1024)} MiB where a small JSON object was expected ` +
        `(${d.bytes} bytes or more), so it was not read.`
      );
    case 'unexpected':
      return `The call to ${d.provider} failed unexpectedly.`;
    case 'status_unread':
      return `Saved ${d.saved}, but reading the job's status afterwards failed: ${isDomainError(d.failure) ? describeCode(d.failure, words) : 'an unexpected error'}`;
    default:
      return unreachable(d);
  }
}

const WHOLE_IMAGE = 'Send a complete JPEG, PNG or WebP file.';

/** Why a reference image (or last frame) cannot be used, naming its field. */
function imageProblem(error: DomainError): string {
  const d = (error.details ?? {}) as ImageProblem;
  const field = error.field ?? 'input_reference';
  switch (d.problem) {
    case 'too_large':
      if (d.path !== undefined)
        return `${field}: "${printableName(d.path)}" is ${d.size_bytes} bytes; the limit is ${d.most_bytes}. Use a smaller image.`;
      if (d.from_url) return `${field}: the image at the URL is larger than ${d.most_bytes} bytes; use a smaller image.`;
      return `${field} is larger than ${d.most_bytes} bytes; send a smaller image.`;
    case 'http_status':
      return `${field}: the URL answered HTTP ${d.status}; check that it points at an image.`;
    case 'cut_off':
      return `${field}: the image download from the URL was cut off before it was complete.`;
    case 'fetch_failed':
      return `${field}: fetching the URL failed (${d.errno}).`;
    case 'undecodable':
      return d.media_type
        ? `${field}: the ${d.media_type} data cannot be decoded (corrupt or truncated). ${WHOLE_IMAGE}`
        : `${field}: the image data is truncated or corrupt. ${WHOLE_IMAGE}`;
    case 'not_valid':
      return `${field}: the data is not a valid ${d.media_type} image.`;
    case 'too_many_pixels':
      return `${field}: the image declares ${d.width}x${d.height} pixels, more than the ${d.most_pixels}-pixel limit. Send a smaller image.`;
    case 'not_an_image':
      return `${field}: the data is ${d.found}; only JPEG, PNG and WebP images are accepted.`;
    default:
      return unreachable(d);
  }
}

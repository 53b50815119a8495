import type OpenAI from 'openai';
import { invalidInput } from '../../domain/errors';
import { checkProviderOptions } from '../../domain/money';
import type {
  CancelOutcome,
  CallOptions,
  CreateVideoParams,
  JobRef,
  MediaContent,
  ProviderProfile,
  RemixVideoParams,
  ReportedModel,
  ReferenceImageUpload,
} from '../../domain/ports';
import type { ListVideosQuery, Video, VideoDeleteResponse, VideoPage, VideoVariant } from '../../domain/video';
import type { ProviderFailure } from './error-bodies';
import type { FailureNotes, Operation } from './openai-errors';
import type { StatusWords } from './wire';

export type Sdk = typeof import('openai');
/** The SDK's per-request options (signal, retries, headers, query). */
export type RequestOptions = Exclude<NonNullable<Parameters<OpenAI['get']>[1]>, PromiseLike<unknown>>;

/**
 * What a dialect is given to speak to its API: the SDK client (auth, base URL, extra headers and
 * query, timeouts, logging, our checked fetch) and a way to stream an asset from any URL the API
 * named, which sends the key only to the API's own origin.
 */
export interface DialectApi {
  readonly sdk: Sdk;
  readonly client: OpenAI;
  /** The API's base URL; only its origin ever receives the key. */
  readonly baseURL: URL;
  /** The model a create without one gets (the configured one, else the dialect's). */
  readonly defaultModel: string;
  /** The key, for a dialect that must sign something itself (most never need it: the client sends it). */
  readonly secrets: readonly string[];
  /** Options for a read: retried by the SDK unless the caller retries itself. */
  read(options: CallOptions): RequestOptions;
  /** Options for create and remix: never retried (a retry could start a second paid job). */
  write(options: CallOptions): RequestOptions;
  /** Streams an asset from a path or URL: with the key on the API's origin, with no credential anywhere else. */
  content(url: string, options: CallOptions, query?: Record<string, string>): Promise<MediaContent>;
  /** A Response (from the SDK's binary calls) as a streamed asset, with the idle guard. */
  stream(response: Response, stall: AbortController): MediaContent;
  /** A combined signal that also aborts when the body stalls. */
  stallable(options: CallOptions): { signal: AbortSignal; stall: AbortController };
}

/**
 * One wire shape of a video-generation API, in one file: how its requests are made, how its answers
 * read, what it offers, and what its refusals mean. The engine (OpenAiVideoProvider) supplies the
 * HTTP, the error translation and the rules every dialect shares; a dialect without `remix`, `list`
 * or `delete` does not offer them, and the application says so without a request.
 */
export interface Dialect {
  readonly name: string;
  /** What it speaks to, in a few words (the configuration's reference and `doctor` show it). */
  readonly summary: string;
  /** Hosts (and their subdomains) whose base URL chooses this dialect when none is named. */
  readonly hosts?: readonly string[];
  /** Its API's base URL, when a base URL is not given (default: OpenAI's). */
  readonly defaultBaseURL?: string;
  /**
   * The variable its users keep their key in (`FAL_KEY`), read when SORA2_MCP_API_KEY is unset. A dialect that names
   * one never takes OPENAI_API_KEY: an OpenAI key is not sent to another company.
   */
  readonly keyVariable?: string;
  /** The headers that carry the key (default: the SDK's `Authorization: Bearer`); a null removes the SDK's. */
  auth?(key: string): Record<string, string | null>;
  /** What this provider is and can do (its controls, its default model, its variants). */
  profile(baseURL: URL): Omit<ProviderProfile, 'operations'>;
  /** The dialect's status words beyond the spec's four. */
  readonly statusWords: StatusWords;
  create(api: DialectApi, params: CreateVideoParams, options: CallOptions): Promise<Video>;
  retrieve(api: DialectApi, job: JobRef, options: CallOptions): Promise<Video>;
  content(api: DialectApi, job: JobRef, variant: VideoVariant, options: CallOptions): Promise<MediaContent>;
  models(api: DialectApi, options: CallOptions): Promise<ReportedModel[]>;
  remix?(api: DialectApi, source: JobRef, params: RemixVideoParams, options: CallOptions): Promise<Video>;
  list?(api: DialectApi, query: ListVideosQuery, options: CallOptions): Promise<VideoPage>;
  delete?(api: DialectApi, job: JobRef, options: CallOptions): Promise<VideoDeleteResponse>;
  cancel?(api: DialectApi, job: JobRef, options: CallOptions): Promise<CancelOutcome>;
  /** What a refusal means at this provider, beyond what its status and words say. */
  explain?(failure: ProviderFailure, operation: Operation, videoId: string | undefined): FailureNotes | undefined;
  /** A cheap request that proves the key works, for `doctor`; says what it found. */
  checkKey?(api: DialectApi, options: CallOptions): Promise<string>;
}

/** A reference image as a data URL, for JSON-only APIs (OpenRouter, LLM Gateway take them). */
export function dataUrl(image: ReferenceImageUpload): string {
  return `data:${image.mimeType};base64,${Buffer.from(image.bytes).toString('base64')}`;
}

/**
 * The body with the caller's `provider_options` beside it: passed as they are, but never over a
 * field the server sets (that would silently change what was checked and estimated).
 */
export function withProviderOptions(body: Record<string, unknown>, params: { providerOptions?: Readonly<Record<string, unknown>> }) {
  const extra = params.providerOptions;
  if (!extra) return body;
  // The use cases refuse these before anything is planned; a dialect's body is held to the same rule.
  checkProviderOptions(extra);
  const clash = Object.keys(extra).find((key) => key in body);
  if (clash !== undefined) {
    throw invalidInput('provider_options', { rule: 'provider_options_override', key: clash, set: Object.keys(body) });
  }
  return { ...extra, ...body };
}

/** A video id as one path segment (ids hold `/`, `+`, `=` and `:`). */
export function segment(id: string): string {
  return encodeURIComponent(id);
}

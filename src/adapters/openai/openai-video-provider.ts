import type OpenAI from 'openai';
import {
  DomainError,
  downloadFailed,
  isDomainError,
  notConfigured,
  notFound,
  notOffered as offersNot,
  variantUnavailable,
  type ProviderAnswer,
} from '../../domain/errors';
import {
  OPTIONAL_OPERATIONS,
  type CancelOutcome,
  type CallOptions,
  type CreateVideoParams,
  type JobRef,
  type Logger,
  type LogLevel,
  type MediaContent,
  type OptionalOperation,
  type ProviderProfile,
  type RemixVideoParams,
  type ReportedModel,
  type VideoProvider,
} from '../../domain/ports';
import type { ListVideosQuery, Video, VideoDeleteResponse, VideoPage, VideoVariant } from '../../domain/video';
import { mediaContentOf } from './content-stream';
import type { Dialect, DialectApi, RequestOptions, Sdk } from './dialect';
import { translateError, type Operation } from './openai-errors';
import { openaiDialect } from './dialects/openai';
import { providerFetch, type TargetCheck } from './provider-fetch';

export interface OpenAiVideoProviderOptions {
  /** How requests are made and answers read (`openai`, `json`, `openrouter`: see dialects/); default `openai`. */
  dialect?: Dialect;
  apiKey: string | undefined;
  /** OPENAI_BASE_URL; undefined means the SDK's default. */
  baseURL: string | undefined;
  /** Timeout for a request until its response headers arrive. */
  requestTimeoutMs: number;
  /** A download whose body sends nothing for this long is aborted (the SDK's timeout stops at the headers). */
  downloadIdleTimeoutMs: number;
  /** Gateway hints sent with every request to the API (never to another origin). */
  extraHeaders?: Readonly<Record<string, string>>;
  extraQuery?: Readonly<Record<string, string>>;
  /** Checks each redirect target the provider sends, and every asset URL off the API's origin (see provider-fetch.ts). */
  checkTarget?: TargetCheck;
  /** Retries the SDK may make for reads (never for create or remix). */
  readRetries: number;
  /** Every secret of the configuration (extra header and query values, …): never quoted back in an error. */
  secrets?: readonly string[];
  /** The model a create without one gets, instead of the dialect's (SORA2_MCP_DEFAULT_MODEL). */
  defaultModel?: string;
  logLevel: LogLevel | 'silent';
  logger: Logger;
}

/** The SDK's default, when OPENAI_BASE_URL is unset. */
const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * A video API through the official `openai` SDK, against OpenAI's shape or a gateway's dialect, at
 * any base URL. The SDK is loaded and the client built on first use, so start-up and a key-less
 * server cost nothing. What every dialect shares lives here: the key only ever goes to the API's own
 * origin, create and remix are never retried, every failure becomes a DomainError that quotes the
 * provider, and an operation the dialect lacks is refused without a request.
 */
export class OpenAiVideoProvider implements VideoProvider {
  readonly profile: ProviderProfile;
  private sdk: Sdk | undefined;
  private client: OpenAI | undefined;
  private readonly dialect: Dialect;
  private readonly base: URL;
  /** What the provider was given that must never be quoted back (its key, the values of its extra headers and query). */
  private readonly secrets: string[];

  constructor(private readonly options: OpenAiVideoProviderOptions) {
    this.dialect = options.dialect ?? openaiDialect;
    this.base = new URL(this.baseUrlText);
    const operations: OptionalOperation[] = OPTIONAL_OPERATIONS.filter((name) => this.dialect[name] !== undefined);
    const own = this.dialect.profile(this.base);
    this.profile = { ...own, defaultModel: options.defaultModel ?? own.defaultModel, operations };
    this.secrets = [options.apiKey, ...(options.secrets ?? [])].filter((secret): secret is string => secret !== undefined && secret !== '');
  }

  /** The base URL given, else the dialect's own API, else OpenAI's. */
  private get baseUrlText(): string {
    return this.options.baseURL ?? this.options.dialect?.defaultBaseURL ?? DEFAULT_BASE_URL;
  }

  async assertReady(): Promise<void> {
    if (!this.options.apiKey) throw missingKey();
  }

  create(params: CreateVideoParams, options: CallOptions = {}): Promise<Video> {
    return this.call('create', 'The new video', options, (api) => this.dialect.create(api, params, options), { model: params.model });
  }

  remix(source: JobRef, params: RemixVideoParams, options: CallOptions = {}): Promise<Video> {
    const remix = this.dialect.remix?.bind(this.dialect);
    if (!remix) return Promise.reject(this.notOffered('remix'));
    return this.call('remix', `Video ${source.id}`, options, (api) => remix(api, source, params, options), {
      model: source.last?.model,
      videoId: source.id,
    });
  }

  retrieve(job: JobRef, options: CallOptions = {}): Promise<Video> {
    return this.call('retrieve', `Video ${job.id}`, options, (api) => this.dialect.retrieve(api, job, options), { videoId: job.id });
  }

  list(query: ListVideosQuery, options: CallOptions = {}): Promise<VideoPage> {
    const list = this.dialect.list?.bind(this.dialect);
    if (!list) return Promise.reject(this.notOffered('list'));
    return this.call('list', 'The video list', options, (api) => list(api, query, options));
  }

  delete(job: JobRef, options: CallOptions = {}): Promise<VideoDeleteResponse> {
    const remove = this.dialect.delete?.bind(this.dialect);
    if (!remove) return Promise.reject(this.notOffered('delete'));
    return this.call('delete', `Video ${job.id}`, options, (api) => remove(api, job, options), { videoId: job.id });
  }

  cancel(job: JobRef, options: CallOptions = {}): Promise<CancelOutcome> {
    const cancel = this.dialect.cancel?.bind(this.dialect);
    if (!cancel) return Promise.reject(this.notOffered('cancel'));
    return this.call('cancel', `Video ${job.id}`, options, (api) => cancel(api, job, options), { videoId: job.id });
  }

  listModels(options: CallOptions = {}): Promise<ReportedModel[]> {
    return this.call('models', 'The model list', options, (api) => this.dialect.models(api, options));
  }

  downloadContent(job: JobRef, variant: VideoVariant, options: CallOptions = {}): Promise<MediaContent> {
    if (!this.profile.variants.includes(variant)) {
      return Promise.reject(variantUnavailable({ variant, reason: 'not_offered', provider: this.profile.label }));
    }
    return this.call('download', `The ${variant} of video ${job.id}`, options, (api) => this.dialect.content(api, job, variant, options), {
      videoId: job.id,
    });
  }

  /**
   * For `doctor`: the dialect's own key check where it has one (OpenRouter's `GET /key`), else the
   * models list, the gentlest request that shows what the provider serves, else one page of videos
   * (for gateways without a models list).
   */
  async probe(options: CallOptions = {}): Promise<string> {
    const check = this.dialect.checkKey?.bind(this.dialect);
    if (check) return this.call('key', 'The key', options, (api) => check(api, options));
    const models = await this.listModels(options).catch((error: unknown) => {
      if (isDomainError(error) && ['not_found', 'not_offered', 'bad_request', 'provider_error'].includes(error.code)) return undefined;
      throw error;
    });
    if (models) {
      const shown = models
        .slice(0, 20)
        .map((model) => model.id)
        .join(', ');
      return `the provider reports ${models.length} model(s)${models.length > 0 ? `: ${shown}${models.length > 20 ? ', …' : ''}` : ''}`;
    }
    const page = await this.list({ limit: 1 }, options).catch((error: unknown) => {
      // Neither a models list nor a videos list: most likely not a videos API at this base URL.
      if (isDomainError(error) && error.code === 'not_offered' && error.details?.sent !== false) {
        throw notFound({ ...(error.details as ProviderAnswer), reason: 'no_videos_route' });
      }
      throw error;
    });
    return `listed videos (${page.data.length} on the first page); the provider offers no model list`;
  }

  private notOffered(operation: OptionalOperation): DomainError {
    return offersNot({ kind: 'operation', operation, provider: this.profile.label, sent: false });
  }

  private async call<T>(
    operation: Operation,
    subject: string,
    options: CallOptions,
    run: (api: DialectApi) => Promise<T>,
    about: { model?: string; videoId?: string } = {},
  ): Promise<T> {
    const sdk = this.loadSdk();
    try {
      return await run(this.api(sdk));
    } catch (error) {
      throw translateError(sdk, error, {
        operation,
        subject,
        provider: this.profile.label,
        ...about,
        secrets: this.secrets,
        signal: options.signal,
        explain: this.dialect.explain?.bind(this.dialect),
      });
    }
  }

  private loadSdk(): Sdk {
    // Lazy: the SDK is the heaviest import and only calls need it.
    this.sdk ??= require('openai') as Sdk;
    return this.sdk;
  }

  private api(sdk: Sdk): DialectApi {
    const client = this.getClient(sdk);
    const read = (options: CallOptions): RequestOptions => ({
      signal: options.signal,
      maxRetries: options.singleAttempt ? 0 : this.options.readRetries,
    });
    const stallable = (options: CallOptions) => {
      const stall = new AbortController();
      return { stall, signal: options.signal ? AbortSignal.any([options.signal, stall.signal]) : stall.signal };
    };
    const stream = (response: Response, stall: AbortController) => mediaContentOf(response, this.options.downloadIdleTimeoutMs, stall);
    return {
      sdk,
      client,
      baseURL: this.base,
      defaultModel: this.profile.defaultModel,
      secrets: this.secrets,
      read,
      write: (options) => ({ signal: options.signal, maxRetries: 0 }),
      stallable,
      stream,
      content: async (url, options, query) => {
        const target = new URL(url, this.base);
        const { signal, stall } = stallable(options);
        if (target.origin === this.base.origin) {
          // The API's own origin: through the SDK, with the key and the gateway's hints.
          const response = await client.get<Response>(target.href, {
            ...read(options),
            signal,
            query,
            headers: { Accept: 'application/binary' },
            __binaryResponse: true,
          });
          return stream(response, stall);
        }
        // Anywhere else (a signed storage URL): no key, no configured header; the provider fetch checks it like any
        // redirect target, once, and connects to the address it checked.
        const response = await providerFetch({ checkTarget: this.options.checkTarget, bodyTimeoutMs: this.options.requestTimeoutMs })(
          target.href,
          {
            signal,
            headers: { accept: '*/*', 'user-agent': 'sora2-mcp' },
          },
        );
        if (!response.ok) {
          await response.body?.cancel().catch(() => undefined);
          const answer = { reason: 'asset_status', status: response.status, origin: target.origin } as const;
          throw response.status === 404
            ? notFound(answer)
            : downloadFailed(answer, { retryable: response.status >= 500 || response.status === 429 });
        }
        return stream(response, stall);
      },
    };
  }

  private getClient(sdk: Sdk): OpenAI {
    if (!this.options.apiKey) throw missingKey();
    if (!this.client) {
      const logger = this.options.logger;
      // The SDK logs each request at info: that is detail, so it goes to our debug level.
      const forward =
        (level: LogLevel) =>
        (message: string, ...rest: unknown[]) =>
          logger.log(level, `openai sdk: ${message}`, rest.length > 0 ? { details: rest } : undefined);
      const auth = this.dialect.auth?.(this.options.apiKey);
      this.client = new sdk.OpenAI({
        apiKey: this.options.apiKey,
        baseURL: this.baseUrlText,
        timeout: this.options.requestTimeoutMs,
        maxRetries: this.options.readRetries,
        // The SDK logs through `console` by default, and at debug level that is stdout: the protocol.
        logger: { debug: forward('debug'), info: forward('debug'), warn: forward('warn'), error: forward('error') },
        logLevel: this.options.logLevel === 'silent' ? 'off' : this.options.logLevel,
        fetch: providerFetch({ checkTarget: this.options.checkTarget, bodyTimeoutMs: this.options.requestTimeoutMs }),
        // The dialect's own key header replaces the SDK's Bearer one; configured headers come on top.
        ...(this.options.extraHeaders || auth ? { defaultHeaders: { ...auth, ...this.options.extraHeaders } } : {}),
        ...(this.options.extraQuery ? { defaultQuery: { ...this.options.extraQuery } } : {}),
      });
    }
    return this.client;
  }
}

function missingKey(): DomainError {
  return notConfigured('missing_api_key');
}

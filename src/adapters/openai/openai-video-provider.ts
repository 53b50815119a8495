import { Readable, Transform } from 'node:stream';
import type OpenAI from 'openai';
import { DomainError } from '../../domain/errors';
import type { CallOptions, CreateVideoParams, Logger, LogLevel, MediaContent, VideoProvider } from '../../domain/ports';
import type { ListVideosQuery, Video, VideoDeleteResponse, VideoPage, VideoVariant } from '../../domain/video';
import { translateError, type Operation } from './openai-errors';
import { providerFetch } from './provider-fetch';
import { toDeleteResponse, toModelIds, toVideo, toVideoPage } from './wire';

export interface OpenAiVideoProviderOptions {
  apiKey: string | undefined;
  /** OPENAI_BASE_URL; undefined means the SDK's default. */
  baseURL: string | undefined;
  /** Timeout for a request until its response headers arrive. */
  requestTimeoutMs: number;
  /** A download whose body sends nothing for this long is aborted (the SDK's timeout stops at the headers). */
  downloadIdleTimeoutMs: number;
  /** Gateway hints sent with every request (SORA2_MCP_EXTRA_HEADERS / SORA2_MCP_EXTRA_QUERY). */
  extraHeaders?: Readonly<Record<string, string>>;
  extraQuery?: Readonly<Record<string, string>>;
  /**
   * How create sends its body: `multipart` (the spec, and the SDK's way) or `json` for gateways that
   * take JSON only (LLM Gateway: `seconds` a number, the reference image as `image.image_url`).
   */
  requestFormat?: 'multipart' | 'json';
  /** Checks each redirect target the provider sends (see provider-fetch.ts). */
  checkRedirect?: (from: URL, to: URL) => Promise<string | undefined>;
  /** Retries the SDK may make for reads (never for create or remix). */
  readRetries: number;
  logLevel: LogLevel | 'silent';
  logger: Logger;
}

type Sdk = typeof import('openai');

/**
 * The `/v1/videos` API through the official SDK, against OpenAI or any compatible base URL. The SDK is
 * loaded and the client built on first use, so start-up and a key-less server cost nothing.
 */
export class OpenAiVideoProvider implements VideoProvider {
  private sdk: Sdk | undefined;
  private client: OpenAI | undefined;

  constructor(private readonly options: OpenAiVideoProviderOptions) {}

  async assertReady(): Promise<void> {
    if (!this.options.apiKey) throw missingKey();
  }

  create(params: CreateVideoParams, options: CallOptions = {}): Promise<Video> {
    if (this.options.requestFormat === 'json') return this.createWithJson(params, options);
    return this.call('create', 'The new video', options, async (client, sdk) => {
      const body: OpenAI.Videos.VideoCreateParams = { prompt: params.prompt };
      if (params.model !== undefined) body.model = params.model;
      // The SDK's types list Sora's values only; gateways take others, and the wire carries any string.
      if (params.seconds !== undefined) body.seconds = params.seconds as OpenAI.Videos.VideoSeconds;
      if (params.size !== undefined) body.size = params.size as OpenAI.Videos.VideoSize;
      if (params.inputReference) {
        const { bytes, mimeType, filename } = params.inputReference;
        body.input_reference = await sdk.toFile(bytes, filename, { type: mimeType });
      }
      // Never retried: a retry after a lost response could start a second paid job.
      return toVideo(await client.videos.create(body, { signal: options.signal, maxRetries: 0 }));
    });
  }

  /** Create for JSON-only gateways; never retried, like the multipart create. */
  private createWithJson(params: CreateVideoParams, options: CallOptions): Promise<Video> {
    return this.call('create', 'The new video', options, async (client) => {
      const body: Record<string, unknown> = { prompt: params.prompt };
      if (params.model !== undefined) body.model = params.model;
      if (params.seconds !== undefined) body.seconds = Number(params.seconds);
      if (params.size !== undefined) body.size = params.size;
      if (params.inputReference) {
        const { bytes, mimeType } = params.inputReference;
        body.image = { image_url: `data:${mimeType};base64,${Buffer.from(bytes).toString('base64')}` };
      }
      return toVideo(await client.post('/videos', { body, signal: options.signal, maxRetries: 0 }));
    });
  }

  remix(videoId: string, prompt: string, options: CallOptions = {}): Promise<Video> {
    return this.call('remix', `Video ${videoId}`, options, async (client) =>
      toVideo(await client.videos.remix(videoId, { prompt }, { signal: options.signal, maxRetries: 0 })),
    );
  }

  retrieve(videoId: string, options: CallOptions = {}): Promise<Video> {
    return this.call('retrieve', `Video ${videoId}`, options, async (client) =>
      toVideo(await client.videos.retrieve(videoId, this.readOptions(options))),
    );
  }

  list(query: ListVideosQuery, options: CallOptions = {}): Promise<VideoPage> {
    return this.call('list', 'The video list', options, async (client) => {
      // The raw body keeps every field of the page (the SDK's page object drops `first_id`).
      const response = await client.videos.list(query, this.readOptions(options)).asResponse();
      return toVideoPage(await parseBody(response));
    });
  }

  delete(videoId: string, options: CallOptions = {}): Promise<VideoDeleteResponse> {
    return this.call('delete', `Video ${videoId}`, options, async (client) =>
      toDeleteResponse(await client.videos.delete(videoId, this.readOptions(options)), videoId),
    );
  }

  listModels(options: CallOptions = {}): Promise<string[]> {
    return this.call('models', 'The model list', options, async (client) => {
      const response = await client.models.list(this.readOptions(options)).asResponse();
      return toModelIds(await parseBody(response));
    });
  }

  downloadContent(videoId: string, variant: VideoVariant, options: CallOptions = {}): Promise<MediaContent> {
    return this.call('download', `The ${variant} of video ${videoId}`, options, async (client) => {
      const stall = new AbortController();
      const signal = options.signal ? AbortSignal.any([options.signal, stall.signal]) : stall.signal;
      const response = await client.videos.downloadContent(videoId, { variant }, { ...this.readOptions(options), signal });
      if (!response.body) throw new DomainError('download_failed', 'the provider sent no body', { retryable: true });
      const body = guardIdle(Readable.fromWeb(response.body), this.options.downloadIdleTimeoutMs, stall);
      return {
        contentType: response.headers.get('content-type') ?? 'application/octet-stream',
        contentLength: decodedLength(response.headers),
        body,
        cancel: () => {
          stall.abort();
          body.destroy();
        },
      };
    });
  }

  private readOptions(options: CallOptions): { signal?: AbortSignal; maxRetries: number } {
    return { signal: options.signal, maxRetries: options.singleAttempt ? 0 : this.options.readRetries };
  }

  private async call<T>(
    operation: Operation,
    subject: string,
    options: CallOptions,
    run: (client: OpenAI, sdk: Sdk) => Promise<T>,
  ): Promise<T> {
    const sdk = this.loadSdk();
    try {
      return await run(this.getClient(sdk), sdk);
    } catch (error) {
      throw translateError(sdk, error, operation, subject, options.signal);
    }
  }

  private loadSdk(): Sdk {
    // Lazy: the SDK is the heaviest import and only calls need it.
    this.sdk ??= require('openai') as Sdk;
    return this.sdk;
  }

  private getClient(sdk: Sdk): OpenAI {
    if (!this.options.apiKey) throw missingKey();
    if (!this.client) {
      const logger = this.options.logger;
      const forward =
        (level: LogLevel) =>
        (message: string, ...rest: unknown[]) =>
          logger.log(level, `openai sdk: ${message}`, rest.length > 0 ? { details: rest } : undefined);
      this.client = new sdk.OpenAI({
        apiKey: this.options.apiKey,
        baseURL: this.options.baseURL,
        timeout: this.options.requestTimeoutMs,
        maxRetries: this.options.readRetries,
        // The SDK logs through `console` by default, and at debug level that is stdout: the protocol.
        logger: { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') },
        logLevel: this.options.logLevel === 'silent' ? 'off' : this.options.logLevel,
        fetch: providerFetch({ checkRedirect: this.options.checkRedirect }),
        ...(this.options.extraHeaders ? { defaultHeaders: { ...this.options.extraHeaders } } : {}),
        ...(this.options.extraQuery ? { defaultQuery: { ...this.options.extraQuery } } : {}),
      });
    }
    return this.client;
  }
}

function missingKey(): DomainError {
  return new DomainError(
    'missing_api_key',
    "No API key is configured. Set SORA2_MCP_API_KEY (or OPENAI_API_KEY) in the server's environment in your MCP client config, then restart the server. To try it without a key, set SORA2_MCP_PROVIDER=simulator.",
  );
}

/** A raw response's body: JSON when it parses, else its text (which the wire checks then refuse). */
async function parseBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The length the decoded body will have, when the headers say. With a content-encoding (gzip…),
 * `content-length` counts the compressed bytes while fetch yields decoded ones, so it cannot be used.
 */
function decodedLength(headers: Headers): number | undefined {
  const encoding = (headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  const length = Number(headers.get('content-length'));
  if (encoding !== 'identity' || !headers.has('content-length') || !Number.isSafeInteger(length) || length < 0) return undefined;
  return length;
}

/**
 * Aborts the request when the body sends nothing for `idleMs` (the SDK's timeout stops at the
 * headers). A pass-through notes when each chunk passes (no 'data' listener: that would start the
 * flow before the consumer is attached) and one interval timer compares: nothing else per chunk,
 * and the result is a plain stream that `pipeline` pipes directly.
 */
function guardIdle(source: Readable, idleMs: number, stall: AbortController): Readable {
  let last = Date.now();
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      last = Date.now();
      callback(null, chunk);
    },
  });
  const check = setInterval(
    () => {
      // Data waiting for a slow consumer is backpressure, not a stalled network.
      if (guard.readableLength > 0 || guard.writableLength > 0) last = Date.now();
      if (Date.now() - last < idleMs) return;
      stall.abort();
      guard.destroy(new DomainError('download_failed', `the download stalled: no data for ${idleMs} ms`, { retryable: true }));
    },
    Math.max(10, Math.floor(idleMs / 4)),
  );
  check.unref();
  source.on('error', (error) => guard.destroy(error));
  // The body can fail before the consumer attaches (while the store checks the target): the error
  // stays in the stream's errored state, which the consumer's pipeline reports, so it must not be
  // thrown here as an unhandled 'error' event (that would end the process).
  guard.on('error', () => undefined);
  guard.once('close', () => {
    clearInterval(check);
    source.destroy();
  });
  return source.pipe(guard);
}

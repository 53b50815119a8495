import { createHash } from 'node:crypto';
import { loopbackCertificate } from '../tls';
import { GatewayFake, json, text, type GatewayRequest, type Reply, type UpstreamJob } from './gateway-fake';

/**
 * OpenRouter's video API, field by field from its OpenAPI description (OpenRouterTeam/docs
 * `openapi/openapi.yaml` @ c26125a5, 2026-08-22: `VideoGenerationRequest`, `VideoGenerationResponse`,
 * `VideoModel`, `FrameImage`, `InputReference`), the API reference
 * (https://openrouter.ai/docs/api_reference/videos), the guide
 * (https://openrouter.ai/docs/guides/overview/multimodal/video-generation), the cookbook and the
 * skill (OpenRouterTeam/skills `skills/openrouter-video/SKILL.md` @ c8037125); see
 * shared/gateways/openrouter.md. Unkind where OpenRouter is:
 *
 * - Four endpoints only (`POST /videos`, `GET /videos/{id}`, `GET /videos/{id}/content?index=0`,
 *   `GET /videos/models`) plus `GET /key`; no list, remix, delete or cancel (404 here: undocumented).
 * - Submit is JSON only and answers 202 with just `id`, `polling_url` (relative, as the reference has
 *   it; `pollingUrl: 'absolute'` gives the cookbook's form) and `status: "pending"`.
 * - `model` is required; `duration` an integer; `resolution`, `aspect_ratio`, `duration` and frame
 *   types outside the model's lists are 400 ("An out-of-set value returns a 400", the skill); `size`
 *   on a model whose `supported_sizes` is null is refused too (the docs leave it open; unkind).
 *   `frame_images` need `type`, `image_url.url` and `frame_type` (`first_frame`/`last_frame`); images
 *   are https or data URLs; `input_references` likewise, and dropped without a word when frames are
 *   given too ("frame_images takes precedence", the guide). A seed is taken only where the model's
 *   `seed` is true (elsewhere it is ignored).
 * - Polls have no progress, and `error` is a string; statuses `pending`, `in_progress`, `completed`,
 *   `failed` (a `[fail]` prompt: "Content policy violation"), `cancelled`, `expired`.
 * - A finished job names `unsigned_urls` (the content endpoint, which needs the key: 401 without) and
 *   `urls` (a signed storage URL on another host, over https, which must get no key: a request that
 *   carries one is answered 400 and recorded), and `usage: {cost, is_byok}`.
 * - `GET /videos/models` lists capabilities and `pricing_skus` whose names vary by provider (the
 *   guide's `per-video-second`, the `duration_seconds_…` family, tokens for Seedance); the prices
 *   here are the fake's own, not OpenRouter's.
 * - Errors are `{"error": {"code": <int>, "message": "…"}}`; a bad key is 401 "User not found.";
 *   too little credit is 402.
 */
export interface OpenRouterModel {
  id: string;
  supported_durations: number[] | null;
  supported_resolutions: string[] | null;
  supported_aspect_ratios: string[] | null;
  supported_sizes: string[] | null;
  supported_frame_images: ('first_frame' | 'last_frame')[] | null;
  generate_audio: boolean | null;
  seed: boolean | null;
  pricing_skus: Record<string, string> | null;
}

export const OPENROUTER_MODELS: readonly OpenRouterModel[] = [
  {
    id: 'google/veo-3.1',
    supported_durations: [4, 6, 8],
    supported_resolutions: ['720p', '1080p', '4K'],
    supported_aspect_ratios: ['16:9', '9:16'],
    supported_sizes: null,
    supported_frame_images: ['first_frame', 'last_frame'],
    generate_audio: true,
    seed: true,
    pricing_skus: {
      duration_seconds_with_audio_720p: '0.40',
      duration_seconds_with_audio_1080p: '0.40',
      duration_seconds_with_audio_4k: '0.60',
      duration_seconds_without_audio_720p: '0.20',
      duration_seconds_without_audio_1080p: '0.20',
      duration_seconds_without_audio_4k: '0.40',
    },
  },
  {
    id: 'google/veo-3.1-fast',
    supported_durations: [4, 6, 8],
    supported_resolutions: ['720p', '1080p'],
    supported_aspect_ratios: ['16:9', '9:16'],
    supported_sizes: null,
    supported_frame_images: ['first_frame', 'last_frame'],
    generate_audio: true,
    seed: true,
    pricing_skus: { 'per-video-second': '0.15', 'per-video-second-1080p': '0.15' },
  },
  {
    id: 'bytedance/seedance-2.0-fast',
    supported_durations: [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    supported_resolutions: ['480p', '720p'],
    supported_aspect_ratios: ['1:1', '3:4', '9:16', '4:3', '16:9', '21:9', '9:21'],
    supported_sizes: null,
    supported_frame_images: ['first_frame'],
    generate_audio: true,
    seed: true,
    pricing_skus: { video_tokens: '0.000007' },
  },
  {
    id: 'kwaivgi/kling-v3.0-std',
    supported_durations: [5, 10],
    supported_resolutions: ['720p', '1080p'],
    supported_aspect_ratios: ['16:9', '9:16', '1:1'],
    supported_sizes: ['1280x720', '720x1280', '1920x1080', '1080x1920'],
    supported_frame_images: ['first_frame'],
    generate_audio: false,
    seed: null,
    pricing_skus: { duration_seconds: '0.084' },
  },
];

/** The host a finished job's signed `urls` point at: another origin, over https, that must never see the key. */
export class SignedStorageFake extends GatewayFake {
  protected readonly basePath = '';
  readonly keys = [] as const;
  /** Requests that arrived carrying a credential (none should). */
  readonly withCredentials: GatewayRequest[] = [];

  static async start(): Promise<SignedStorageFake> {
    const { key, cert } = loopbackCertificate();
    return new SignedStorageFake().listen({ key, cert });
  }

  signedUrl(id: string): string {
    return `${this.origin}/v/${encodeURIComponent(id)}.mp4?exp=1893456000&sig=${signature(id)}`;
  }

  protected route(request: GatewayRequest): Reply {
    if (request.headers.authorization || request.headers.cookie) {
      this.withCredentials.push(request);
      return {
        status: 400,
        type: 'application/xml',
        body: '<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>',
      };
    }
    const match = /^\/v\/(.+)\.mp4$/.exec(request.path);
    if (!match || request.query.get('sig') !== signature(match[1]!)) {
      return { status: 403, type: 'application/xml', body: '<Error><Code>SignatureDoesNotMatch</Code></Error>' };
    }
    return { status: 200, type: 'video/mp4', body: this.content.bytes, headers: { 'content-length': String(this.content.bytes.length) } };
  }
}

export interface OpenRouterOptions {
  pollingUrl?: 'relative' | 'absolute';
  /** Which download URLs a finished job names. */
  links?: 'both' | 'unsigned' | 'signed';
}

export class OpenRouterFake extends GatewayFake {
  protected readonly basePath = '/api/v1';
  readonly keys = ['sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd', 'sk-or-v1-other'];
  /** Dollars left on the account: a job that would cost more is 402. */
  credit = 100;
  private serial = 0;

  private constructor(
    readonly storage: SignedStorageFake,
    private readonly options: OpenRouterOptions,
  ) {
    super();
  }

  static async start(options: OpenRouterOptions = {}): Promise<OpenRouterFake> {
    const storage = await SignedStorageFake.start();
    return new OpenRouterFake(storage, options).listen();
  }

  override async close(): Promise<void> {
    await Promise.all([super.close(), this.storage.close()]);
  }

  protected route(request: GatewayRequest): Reply {
    const path = request.rawPath.replace(/^\/api\/v1(?=\/)/, '');
    const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const authorised = key !== undefined && this.keys.includes(key);
    if (path === '/videos/models' && request.method === 'GET') return this.models();
    if (!authorised) return error(401, key ? 'User not found.' : 'Missing Authentication header');
    if (path === '/key' && request.method === 'GET') {
      return json(200, { data: { label: `${key.slice(0, 11)}...${key.slice(-3)}`, limit: null, usage: 12.5, is_free_tier: false } });
    }
    if (path === '/videos' && request.method === 'POST') return this.submit(request);
    const one = /^\/videos\/([^/]+)(\/content)?$/.exec(path);
    if (!one || request.method !== 'GET') return error(404, 'Not Found');
    const job = this.jobs.get(decodeURIComponent(one[1]!));
    if (!job) return error(404, 'Video generation job not found');
    if (one[2]) {
      if (job.status !== 'completed') return error(400, 'Video is not ready');
      if (request.query.get('index') !== null && request.query.get('index') !== '0') return error(404, 'No video at that index');
      return { status: 200, type: 'video/mp4', body: this.content.bytes, headers: { 'content-length': String(this.content.bytes.length) } };
    }
    return json(200, this.poll(this.advance(job)));
  }

  private models(): Reply {
    return json(200, {
      data: OPENROUTER_MODELS.map((model) => ({
        ...model,
        canonical_slug: model.id,
        name: model.id,
        created: 1_767_225_600,
        upscale_factor: null,
        creativity: null,
        allowed_passthrough_parameters: model.id.startsWith('google/') ? ['personGeneration', 'negativePrompt', 'enhancePrompt'] : [],
      })),
    });
  }

  private submit(request: GatewayRequest): Reply {
    if (!request.json || !request.contentType.startsWith('application/json')) return error(400, 'Request body must be JSON');
    const body = request.json;
    if (typeof body.model !== 'string') return error(400, 'model is required');
    const model = OPENROUTER_MODELS.find((candidate) => candidate.id === body.model);
    if (!model) return error(404, `Model ${body.model} not found or does not support video generation`);
    const problems: string[] = [];
    const outOfSet = (field: string, value: unknown, allowed: readonly (string | number)[] | null) => {
      if (value !== undefined && allowed !== null && !allowed.includes(value as never)) {
        problems.push(`${field} ${JSON.stringify(value)} is not supported by ${model.id}; supported: ${allowed.join(', ')}`);
      }
    };
    if (body.duration !== undefined && !Number.isInteger(body.duration)) problems.push('duration must be an integer');
    outOfSet('duration', body.duration, model.supported_durations);
    outOfSet('resolution', body.resolution, model.supported_resolutions);
    outOfSet('aspect_ratio', body.aspect_ratio, model.supported_aspect_ratios);
    if (body.size !== undefined) {
      if (model.supported_sizes === null) problems.push(`size is not supported by ${model.id}; use resolution and aspect_ratio`);
      else outOfSet('size', body.size, model.supported_sizes);
    }
    for (const frame of Array.isArray(body.frame_images) ? (body.frame_images as Record<string, unknown>[]) : []) {
      const url = (frame.image_url as { url?: unknown } | undefined)?.url;
      if (frame.type !== 'image_url' || typeof url !== 'string' || !/^(https:|data:image\/)/.test(url)) {
        problems.push('frame_images: each needs type "image_url" and image_url.url (an https or data URL)');
      }
      if (frame.frame_type !== 'first_frame' && frame.frame_type !== 'last_frame')
        problems.push('frame_images: frame_type must be first_frame or last_frame');
      else if (!(model.supported_frame_images ?? []).includes(frame.frame_type))
        problems.push(`${String(frame.frame_type)} is not supported by ${model.id}`);
    }
    if (typeof body.prompt !== 'string' || body.prompt === '') problems.push('prompt is required for this model');
    if (problems.length > 0) return error(400, problems.join('; '));
    const seconds = text(body.duration, String(model.supported_durations?.[0] ?? 8));
    const cost = this.costOf(model, body, Number(seconds));
    if (cost > this.credit) return error(402, 'Insufficient credits. Add more using https://openrouter.ai/settings/credits');
    this.serial += 1;
    const id = createHash('sha1')
      .update(`openrouter-${this.serial}`)
      .digest('base64')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 20);
    // With frames, the references are dropped, as OpenRouter does. A copy: the recorded request stays what was sent.
    const framed = Array.isArray(body.frame_images) && body.frame_images.length > 0;
    const kept = { ...body, ...(framed ? { input_references: undefined } : {}), cost };
    const job = this.startJob({ id, model: model.id, prompt: String(body.prompt), size: text(body.size, ''), seconds, request: kept });
    return json(202, { id: job.id, polling_url: this.pollingUrl(job), status: 'pending' });
  }

  private pollingUrl(job: UpstreamJob): string {
    const relative = `/api/v1/videos/${job.id}`;
    return this.options.pollingUrl === 'absolute' ? `${this.origin}${relative}` : relative;
  }

  private poll(job: UpstreamJob) {
    const status = job.status === 'queued' ? 'pending' : job.status;
    const links = this.options.links ?? 'both';
    return {
      id: job.id,
      polling_url: this.pollingUrl(job),
      status,
      ...(job.status === 'failed' ? { error: 'Content policy violation' } : {}),
      ...(job.status === 'completed'
        ? {
            generation_id: `gen-1767225600-${job.id.slice(0, 8)}`,
            ...(links !== 'signed' ? { unsigned_urls: [`${this.origin}/api/v1/videos/${job.id}/content?index=0`] } : {}),
            ...(links !== 'unsigned' ? { urls: [this.storage.signedUrl(job.id)] } : {}),
            usage: { cost: job.request.cost, is_byok: false },
          }
        : {}),
    };
  }

  /** What a job costs here: the per-second SKU that applies (sound and resolution), times its length. */
  private costOf(model: OpenRouterModel, body: Record<string, unknown>, seconds: number): number {
    const skus = model.pricing_skus ?? {};
    const resolution = text(body.resolution, model.supported_resolutions?.[0] ?? '720p').toLowerCase();
    const sound = body.generate_audio === false ? 'without_audio' : 'with_audio';
    const rate = Number(
      skus[`duration_seconds_${sound}_${resolution}`] ??
        skus[`per-video-second-${resolution}`] ??
        skus['per-video-second'] ??
        skus.duration_seconds ??
        0,
    );
    return Math.round(rate * seconds * 100) / 100;
  }
}

function signature(id: string): string {
  return createHash('sha256').update(`storage-secret:${id}`).digest('hex').slice(0, 32);
}

function error(code: number, message: string): Reply {
  return json(code, { error: { code, message } });
}

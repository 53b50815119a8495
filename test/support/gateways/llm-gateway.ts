import { GatewayFake, json, text, type GatewayRequest, type Reply, type UpstreamJob } from './gateway-fake';

/**
 * LLM Gateway's `/v1/videos` (https://docs.llmgateway.io/features/video-generation, and its source in
 * theopenco/llmgateway: `apps/gateway/src/videos/videos.ts`, `video-content.ts`,
 * `lib/error-response.ts`, `apps/gateway/src/models/models.ts`, `packages/models/src/models/*`).
 * Unkind where LLM Gateway is:
 *
 * - JSON only: any other body is 415 "Content-Type must be application/json".
 * - `seconds` is a required JSON integer; `model` defaults to `veo-3.1-generate-preview`; `size` must be
 *   one of the gateway's sizes; each model takes only its own durations (400 naming them); `audio`
 *   defaults to true, and `audio: false` is refused by models that always make sound.
 * - Images are `{"image_url": "<https or data URL>"}` (or a bare string): `image` (first frame),
 *   `last_frame` (only with `image`), `reference_images` (at most 3, or 9 for Seedance 2.x; never with
 *   frames; Veo 3.1 only on the preview model and only at 8 s).
 * - Unknown fields (`seed`, `negative_prompt`, `aspect_ratio`, `resolution`) are stripped without a word.
 * - Answers are 200 with no `seconds`, `size` or `prompt`; `model` is `provider/model`; statuses add
 *   `canceled` and `expired`; a finished job names its content URL and `usage.cost`.
 * - `/content` serves the video only (no variants; `variant` is ignored) and is 409 until it is done.
 * - No list, remix or delete: no such routes, Hono's plain-text `404 Not Found`.
 * - Errors are OpenAI's envelope (`{error: {message, type, param, code}}`).
 */
interface GatewayModel {
  id: string;
  provider: string;
  sizes: string[];
  seconds: number[];
  frames: boolean;
  references: number;
  /** Veo 3.1: references only at this duration. */
  referenceSeconds?: number;
  audio: 'optional' | 'always';
  /** USD per second, by `<resolution>_audio` / `<resolution>_video` (without sound). */
  perSecond: Record<string, string>;
}

const SIZES = [
  '848x480',
  '854x480',
  '480x854',
  '1280x720',
  '1696x960',
  '720x1280',
  '1366x768',
  '768x1366',
  '1920x1080',
  '1080x1920',
  '3840x2160',
  '2160x3840',
  '1792x1024',
  '1024x1792',
];

/** From the docs' model tables (video-generation.mdx @0766a503) and the model definitions. */
export const LLM_GATEWAY_MODELS: readonly GatewayModel[] = [
  {
    id: 'veo-3.1-generate-preview',
    provider: 'google-vertex',
    sizes: ['1280x720', '720x1280', '1920x1080', '1080x1920', '3840x2160', '2160x3840'],
    seconds: [4, 6, 8, 10],
    frames: true,
    references: 3,
    referenceSeconds: 8,
    audio: 'optional',
    perSecond: {
      '720p_audio': '0.40',
      '1080p_audio': '0.40',
      '4k_audio': '0.60',
      '720p_video': '0.20',
      '1080p_video': '0.20',
      '4k_video': '0.40',
    },
  },
  {
    id: 'seedance-2-0',
    provider: 'bytedance',
    sizes: ['1280x720', '720x1280', '1920x1080', '1080x1920'],
    seconds: [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    frames: true,
    references: 9,
    audio: 'optional',
    perSecond: { '720p_audio': '0.1512', '1080p_audio': '0.3402', '720p_video': '0.1512', '1080p_video': '0.3402' },
  },
  {
    id: 'kling-v3-0-turbo',
    provider: 'atlascloud',
    sizes: ['1280x720', '720x1280', '1920x1080', '1080x1920'],
    seconds: [5, 10],
    frames: true,
    references: 0,
    audio: 'always',
    perSecond: { '720p_audio': '0.168', '1080p_audio': '0.21' },
  },
];

export class LlmGatewayFake extends GatewayFake {
  protected readonly basePath = '/v1';
  readonly keys = ['llmgtwy-key-0123456789abcdef', 'llmgtwy-other-key-00000000'];

  static start(): Promise<LlmGatewayFake> {
    return new LlmGatewayFake().listen();
  }

  protected route(request: GatewayRequest): Reply {
    const path = request.rawPath.replace(/^\/v1(?=\/)/, '');
    const one = /^\/videos\/([^/]+)(\/content)?$/.exec(path);
    const routed =
      (path === '/models' && request.method === 'GET') ||
      (path === '/videos' && request.method === 'POST') ||
      (one !== null && request.method === 'GET');
    if (!routed) return { status: 404, type: 'text/plain; charset=UTF-8', body: '404 Not Found' };
    const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!key || !this.keys.includes(key)) return openAiError(401, 'Invalid API key provided.', 'invalid_api_key');
    if (path === '/models') return this.models();
    if (path === '/videos') return this.create(request, key);
    const job = this.jobs.get(decodeURIComponent(one![1]!));
    if (!job || job.owner !== key) return openAiError(404, 'Video not found', 'not_found');
    if (!one![2]) return json(200, this.answer(this.advance(job)));
    if (job.status !== 'completed') return openAiError(409, `Video is not ready yet. Current status: ${job.status}`, null);
    return {
      status: 200,
      type: 'video/mp4',
      body: this.content.bytes,
      headers: { 'content-length': String(this.content.bytes.length), 'accept-ranges': 'bytes' },
    };
  }

  private models(): Reply {
    const data = LLM_GATEWAY_MODELS.map((model) => ({
      id: model.id,
      name: model.id,
      architecture: { input_modalities: ['text', 'image'], output_modalities: ['video'] },
      providers: [
        {
          providerId: model.provider,
          externalId: model.id,
          supportedVideoSizes: model.sizes,
          supportsVideoAudio: true,
          supportsVideoWithoutAudio: model.audio === 'optional',
          pricing: { per_second: model.perSecond },
        },
      ],
    }));
    data.push({
      id: 'gpt-4o-mini',
      name: 'gpt-4o-mini',
      architecture: { input_modalities: ['text'], output_modalities: ['text'] },
      providers: [],
    });
    return json(200, { data });
  }

  private create(request: GatewayRequest, owner: string): Reply {
    if (!request.contentType.startsWith('application/json')) {
      return openAiError(415, 'Unsupported Media Type: Content-Type must be application/json', 'unsupported_media_type');
    }
    if (!request.json) return openAiError(400, 'Invalid JSON in request body', null);
    const body = request.json;
    const problems: string[] = [];
    if (typeof body.prompt !== 'string' || body.prompt === '') problems.push('prompt: Required');
    if (!Number.isInteger(body.seconds) || (body.seconds as number) < 1)
      problems.push('seconds: Expected integer, received ' + typeof body.seconds);
    if (body.size !== undefined && !SIZES.includes(text(body.size, ''))) problems.push(`size: size must be one of ${SIZES.join(', ')}`);
    if (body.last_frame !== undefined && body.image === undefined)
      problems.push('last_frame: last_frame requires image to also be provided');
    const references = Array.isArray(body.reference_images) ? body.reference_images.length : 0;
    if ((body.image !== undefined || body.last_frame !== undefined) && references > 0) {
      problems.push('image: Frame inputs (image/last_frame) cannot be combined with reference image inputs');
    }
    for (const field of ['image', 'last_frame'] as const)
      if (body[field] !== undefined && !isImage(body[field])) problems.push(`${field}: Invalid input`);
    if (problems.length > 0) return openAiError(400, `Invalid request parameters: ${problems.join(', ')}`, null);
    const id = text(body.model, 'veo-3.1-generate-preview');
    const model = LLM_GATEWAY_MODELS.find((candidate) => candidate.id === id || `${candidate.provider}/${candidate.id}` === id);
    if (!model) {
      return openAiError(
        400,
        'Unsupported video model. Use a video-capable model from /v1/models, optionally prefixed with a configured provider like openai/ or google-vertex/.',
        null,
      );
    }
    const seconds = body.seconds as number;
    const size = text(body.size, '1280x720');
    const unsupported: string[] = [];
    if (!model.seconds.includes(seconds))
      unsupported.push(`duration ${seconds}s is unsupported (supported durations: ${model.seconds.map((s) => `${s}s`).join(', ')})`);
    if (!model.sizes.includes(size)) unsupported.push(`size ${size} is unsupported`);
    if (references > model.references) unsupported.push(`at most ${model.references} reference images are supported`);
    if (references > 0 && model.referenceSeconds !== undefined && seconds !== model.referenceSeconds)
      unsupported.push(`reference images need a duration of ${model.referenceSeconds}s`);
    if (body.audio === false && model.audio === 'always') unsupported.push('audio cannot be disabled');
    if (unsupported.length > 0) {
      return openAiError(
        400,
        `Requested parameters are not supported for ${model.provider}/${model.id}. ${model.provider}: ${unsupported.join('; ')}`,
        null,
      );
    }
    const job = this.startJob(
      { model: `${model.provider}/${model.id}`, prompt: String(body.prompt), size, seconds: String(seconds), request: body, owner },
      'vid_',
    );
    return json(200, this.answer(job));
  }

  private answer(job: UpstreamJob) {
    const completed = job.status === 'completed';
    const model = LLM_GATEWAY_MODELS.find((candidate) => job.model.endsWith(`/${candidate.id}`));
    const resolution = /2160/.test(job.size) ? '4k' : /1080/.test(job.size) ? '1080p' : '720p';
    const audio = job.request.audio === false ? 'video' : 'audio';
    const rate = Number(model?.perSecond[`${resolution}_${audio}`] ?? model?.perSecond[`720p_${audio}`] ?? 0);
    return {
      id: job.id,
      object: 'video',
      model: job.model,
      status: job.status,
      progress: job.progress,
      created_at: job.createdAt,
      completed_at: completed ? job.createdAt + 60 : null,
      expires_at: null,
      error: job.status === 'failed' ? { code: 'content_filtered', message: 'The prompt was rejected by the content filter.' } : null,
      ...(completed
        ? {
            content: [{ type: 'video', url: `${this.origin}/v1/videos/logs/log_${job.id}/content?token=signed`, mime_type: 'video/mp4' }],
            usage: {
              cost: Math.round(rate * Number(job.seconds) * 10_000) / 10_000,
              cost_details: { video_output_cost: rate * Number(job.seconds), image_input_cost: 0 },
            },
          }
        : {}),
    };
  }
}

function isImage(value: unknown): boolean {
  const url = typeof value === 'string' ? value : (value as { image_url?: unknown } | null)?.image_url;
  return typeof url === 'string' && (url.startsWith('https://') || url.startsWith('data:image/'));
}

function openAiError(status: number, message: string, code: string | null): Reply {
  const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
  return json(status, { error: { message, type, param: null, code } });
}

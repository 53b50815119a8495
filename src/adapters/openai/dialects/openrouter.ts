import { controlsBut, type AudioSupport, type ModelCapabilities, type PriceTier } from '../../../domain/controls';
import { providerFault } from '../../../domain/errors';
import type { JobRef, ReportedModel } from '../../../domain/ports';
import type { Video } from '../../../domain/video';
import { priceOf } from '../../../domain/money';
import { dataUrl, segment, withProviderOptions, type Dialect, type DialectApi } from '../dialect';
import { jsonObject, toVideo, type StatusWords } from '../wire';

/**
 * OpenRouter's video API (https://openrouter.ai/api/v1), read from its OpenAPI description
 * (OpenRouterTeam/docs `openapi/openapi.yaml` @ c26125a5, 2026-08-22), the API reference
 * (https://openrouter.ai/docs/api_reference/videos), the guide
 * (https://openrouter.ai/docs/guides/overview/multimodal/video-generation) and the cookbook pages;
 * shared/gateways/openrouter.md has the details. Four endpoints: `POST /videos` answers 202 with an
 * id and a `polling_url` (relative in the reference, absolute in the cookbook's runs); `GET
 * /videos/{id}` has no progress, and once done names `unsigned_urls` (the authenticated
 * `/videos/{id}/content?index=0`) and `urls` (a signed storage URL, which must not get the key),
 * with `usage.cost`; `GET /videos/{id}/content?index=0` serves the video, never a thumbnail or
 * spritesheet; `GET /videos/models` lists capabilities and prices. JSON bodies only, images as data
 * URLs; `duration` an integer; first and last frames as `frame_images` with `frame_type`; references
 * as `input_references`; no `negative_prompt` field (it goes through `provider.options`); no remix,
 * list, delete or cancel. Statuses `pending`, `in_progress`, `completed`, `failed`, `cancelled`,
 * `expired`, with `error` a string. `GET /key` checks a key cheaply.
 */
const STATUS_WORDS: StatusWords = { pending: 'queued', cancelled: 'failed', canceled: 'failed', expired: 'failed' };

export const openrouterDialect: Dialect = {
  name: 'openrouter',
  summary: "OpenRouter's video API (polling_url, download URLs, models with prices)",
  hosts: ['openrouter.ai'],
  defaultBaseURL: 'https://openrouter.ai/api/v1',
  statusWords: STATUS_WORDS,
  profile: () => ({
    label: 'OpenRouter',
    defaultModel: 'google/veo-3.1-fast',
    controls: controlsBut('negative_prompt'),
    variants: ['video'],
    reportsCapabilities: true,
    listsEveryModel: true,
    // "frame_images takes precedence and the request is treated as image-to-video" (the guide): references would be dropped.
    framesOrReferences: true,
    controlHints: {
      negative_prompt:
        'Veo at OpenRouter takes one in provider_options: {"provider":{"options":{"google-vertex":{"parameters":{"negativePrompt":"…"}}}}}.',
      provider_options: 'E.g. {"provider":{"options":{"google-vertex":{"parameters":{"personGeneration":"allow_adult"}}}}}.',
    },
  }),

  async create(api, params, options) {
    const model = params.model ?? openrouterDialect.profile(api.baseURL).defaultModel;
    const body: Record<string, unknown> = { model, prompt: params.prompt };
    if (params.seconds !== undefined) body.duration = Number(params.seconds);
    if (params.size !== undefined) body.size = params.size;
    if (params.resolution !== undefined) body.resolution = params.resolution;
    if (params.aspectRatio !== undefined) body.aspect_ratio = params.aspectRatio;
    const frames = [
      ...(params.inputReference ? [frame(dataUrl(params.inputReference), 'first_frame')] : []),
      ...(params.lastFrame ? [frame(dataUrl(params.lastFrame), 'last_frame')] : []),
    ];
    if (frames.length > 0) body.frame_images = frames;
    if (params.referenceImages?.length) {
      body.input_references = params.referenceImages.map((image) => ({ type: 'image_url', image_url: { url: dataUrl(image) } }));
    }
    if (params.generateAudio !== undefined) body.generate_audio = params.generateAudio;
    if (params.seed !== undefined) body.seed = params.seed;
    const answer = await api.client.post('/videos', { body: withProviderOptions(body, params), ...api.write(options) });
    // OpenRouter reports no times: the job is dated by when it was accepted and when it was first seen done.
    const known = { model, prompt: params.prompt, size: params.size ?? '', seconds: params.seconds ?? '', created_at: nowSeconds() };
    return job(answer, known);
  },

  async retrieve(api, held, options) {
    return job(await api.client.get(pollingUrl(api, held), api.read(options)), held.last);
  },

  async content(api, held, _variant, options) {
    const [url, query] = downloadUrl(api, held);
    return api.content(url, options, query);
  },

  async models(api, options) {
    return reportedModels(await api.client.get('/videos/models', api.read(options)));
  },

  explain(failure) {
    if (failure.status === 402) {
      return { hint: 'The OpenRouter account has too little credit for this job: add credit at https://openrouter.ai/settings/credits.' };
    }
    return undefined;
  },

  async checkKey(api, options) {
    const answer = jsonObject(await api.client.get('/key', api.read(options)), 'a key description');
    const data = (answer.data && typeof answer.data === 'object' ? answer.data : {}) as { usage?: unknown; limit?: unknown };
    const usage = typeof data.usage === 'number' ? `, $${data.usage.toFixed(2)} used` : '';
    const limit =
      typeof data.limit === 'number' ? ` of a $${data.limit.toFixed(2)} limit` : typeof data.limit === 'object' ? ', no limit' : '';
    return `the key is accepted${usage}${limit}`;
  },
};

function frame(url: string, frameType: 'first_frame' | 'last_frame') {
  return { type: 'image_url', image_url: { url }, frame_type: frameType };
}

/** A poll or submit answer as a Video: no progress is reported, the error is a string, `usage.cost` is the price paid. */
function job(raw: unknown, known: Partial<Video> | undefined): Video {
  const video = toVideo(raw, STATUS_WORDS, known);
  const value = raw as { error?: unknown; usage?: { cost?: unknown } };
  const word = typeof video.provider_status === 'string' ? video.provider_status : video.status;
  const out: Video = { ...video };
  if (typeof value.error === 'string' && value.error !== '') out.error = { code: word, message: value.error };
  if (video.status === 'failed' && out.error === null) out.error = { code: word, message: `the job ended as ${word}` };
  const cost = value.usage?.cost;
  if (typeof cost === 'number' && Number.isFinite(cost)) out.cost_usd = cost;
  if (out.status === 'completed' && out.completed_at === null) out.completed_at = nowSeconds();
  return out;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The job's `polling_url` when it points at the API's own origin (relative ones resolve there), else `/videos/{id}`. */
function pollingUrl(api: DialectApi, held: JobRef): string {
  const given = held.last?.polling_url;
  if (typeof given === 'string' && given !== '') {
    try {
      const url = new URL(given, api.baseURL.origin);
      if (url.origin === api.baseURL.origin) return url.href;
    } catch {
      // Not a URL: fall back to the job's own path.
    }
  }
  return `/videos/${segment(held.id)}`;
}

/**
 * Where the video is: the authenticated content URL on the API's own origin first, then the signed
 * storage URL (fetched without the key), then the documented content endpoint.
 */
function downloadUrl(api: DialectApi, held: JobRef): [string, Record<string, string>?] {
  const listed = (field: string): string[] => {
    const value = held.last?.[field];
    return Array.isArray(value) ? value.filter((url): url is string => typeof url === 'string') : [];
  };
  const parse = (text: string): URL | undefined => {
    try {
      return new URL(text, api.baseURL.origin);
    } catch {
      return undefined;
    }
  };
  const unsigned = listed('unsigned_urls')
    .map(parse)
    .filter((url) => url !== undefined);
  const signed = listed('urls')
    .map(parse)
    .filter((url) => url !== undefined);
  const own = unsigned.find((url) => url.origin === api.baseURL.origin);
  const chosen = own ?? signed[0] ?? unsigned[0];
  if (chosen) return [chosen.href];
  return [`${api.baseURL.pathname.replace(/\/$/, '')}/videos/${segment(held.id)}/content`, { index: '0' }];
}

interface VideoModel {
  id?: unknown;
  name?: unknown;
  supported_durations?: unknown;
  supported_resolutions?: unknown;
  supported_aspect_ratios?: unknown;
  supported_sizes?: unknown;
  supported_frame_images?: unknown;
  generate_audio?: unknown;
  seed?: unknown;
  pricing_skus?: unknown;
}

function reportedModels(raw: unknown): ReportedModel[] {
  const { data } = jsonObject(raw, 'a model list');
  if (!Array.isArray(data)) throw providerFault({ problem: 'no_data_array', what: 'model list', provider: 'OpenRouter' });
  return data.flatMap((item: unknown): ReportedModel[] => {
    if (!item || typeof item !== 'object') return [];
    const model = item as VideoModel;
    if (typeof model.id !== 'string') return [];
    const prices = priceTiers(model.pricing_skus);
    return [
      {
        id: model.id,
        ...(typeof model.name === 'string' ? { name: model.name } : {}),
        capabilities: capabilities(model),
        ...(prices.length > 0 ? { prices } : {}),
      },
    ];
  });
}

/** A VideoModel's fields in the domain's words; a null capability is unknown, so it is left out. */
function capabilities(model: VideoModel): ModelCapabilities {
  const strings = (value: unknown): string[] | undefined =>
    Array.isArray(value) ? value.filter((item) => typeof item === 'string' || typeof item === 'number').map(String) : undefined;
  const frames = strings(model.supported_frame_images);
  const audio: AudioSupport | undefined = model.generate_audio === true ? 'optional' : model.generate_audio === false ? 'never' : undefined;
  const caps: ModelCapabilities = {
    seconds: strings(model.supported_durations)?.sort((a, b) => Number(a) - Number(b)),
    resolutions: strings(model.supported_resolutions),
    aspect_ratios: strings(model.supported_aspect_ratios),
    sizes: strings(model.supported_sizes),
    input_reference: frames === undefined ? undefined : frames.includes('first_frame') ? 'optional' : 'unsupported',
    last_frame: frames === undefined ? undefined : frames.includes('last_frame'),
    audio,
    seed: typeof model.seed === 'boolean' ? model.seed : undefined,
    remix: false,
  };
  return Object.fromEntries(
    Object.entries(caps).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0)),
  );
}

/**
 * Per-second prices from `pricing_skus`, whose names are not documented and vary by provider: the
 * guide's `per-video-second` and `per-video-second-1080p`, and the `duration_seconds[_with_audio|
 * _without_audio][_720p]` family (optionally after `text_to_video_` or `image_to_video_`); cents
 * per second are converted. SKUs in other units (video tokens, per generation) are not per-second
 * prices and are left out, so such a model has no estimate; `usage.cost` reports what a job cost.
 */
export function priceTiers(skus: unknown): PriceTier[] {
  if (!skus || typeof skus !== 'object') return [];
  const tiers: PriceTier[] = [];
  for (const [name, value] of Object.entries(skus as Record<string, unknown>)) {
    // null, "", false, [] or 0 is no price (unknown), never a free one.
    const number = priceOf(value);
    if (number === undefined) continue;
    const sku =
      /^(?:(?:text|image)_to_video_)?(?:duration_seconds|per-video-second|cents_per_second_output)(?:[_-](with_audio|without_audio))?(?:[_-](\d{3,4}p|\d[kK]))?$/.exec(
        name,
      );
    if (!sku) continue;
    const usd = name.includes('cents') ? number / 100 : number;
    const resolution = sku[2] ? (/k$/i.test(sku[2]) ? sku[2].toUpperCase() : sku[2].toLowerCase()) : undefined;
    const tier: PriceTier = { usd_per_second: usd, source: `OpenRouter GET /videos/models (${name})` };
    if (resolution) tier.resolution = resolution;
    if (sku[1]) tier.audio = sku[1] === 'with_audio';
    // Two SKUs for one tier (text-to-video and image-to-video): the dearer stands, so an estimate is never low.
    const same = tiers.find((other) => other.resolution === tier.resolution && other.audio === tier.audio);
    if (same) same.usd_per_second = Math.max(same.usd_per_second, usd);
    else tiers.push(tier);
  }
  return tiers;
}

import type { AudioSupport, PriceTier } from '../../../domain/controls';
import { providerFault } from '../../../domain/errors';
import type { ReportedModel } from '../../../domain/ports';
import type { Video } from '../../../domain/video';
import { priceOf } from '../../../domain/money';
import { dataUrl, segment, withProviderOptions, type Dialect } from '../dialect';
import { jsonObject, toVideo, type StatusWords } from '../wire';

/**
 * JSON bodies, as LLM Gateway takes them (https://docs.llmgateway.io/features/video-generation and
 * its source, `apps/gateway/src/videos/videos.ts` in theopenco/llmgateway): no multipart; `seconds` a
 * JSON integer; images (`image` for the first frame, `last_frame`, `reference_images`) as
 * `{"image_url": "<https or data URL>"}`; `audio` a boolean. Unknown fields are stripped without a
 * word (so `seed`, `negative_prompt`, `aspect_ratio` and `resolution` have no field here, and are
 * refused before sending). `last_frame` needs `image`; frames and references do not combine. Answers
 * carry no size, duration or prompt; statuses add `canceled` and `expired`; `/content` serves the
 * video only (409 until it is done); there is no list, remix or delete. `GET /v1/models` reports each
 * model's sizes, sound and per-second prices by provider.
 */
const STATUS_WORDS: StatusWords = { canceled: 'failed', cancelled: 'failed', expired: 'failed' };

export const jsonDialect: Dialect = {
  name: 'json',
  summary: 'JSON bodies (LLM Gateway)',
  statusWords: STATUS_WORDS,
  profile: () => ({
    label: 'the provider',
    defaultModel: 'veo-3.1-generate-preview',
    controls: ['input_reference', 'last_frame', 'reference_images', 'generate_audio', 'provider_options'],
    variants: ['video'],
    reportsCapabilities: true,
    lastFrameNeedsFirst: true,
    framesOrReferences: true,
  }),

  async create(api, params, options) {
    const body: Record<string, unknown> = { prompt: params.prompt };
    if (params.model !== undefined) body.model = params.model;
    if (params.seconds !== undefined) body.seconds = Number(params.seconds);
    if (params.size !== undefined) body.size = params.size;
    if (params.inputReference) body.image = { image_url: dataUrl(params.inputReference) };
    if (params.lastFrame) body.last_frame = { image_url: dataUrl(params.lastFrame) };
    if (params.referenceImages?.length) body.reference_images = params.referenceImages.map((image) => ({ image_url: dataUrl(image) }));
    if (params.generateAudio !== undefined) body.audio = params.generateAudio;
    const answer = await api.client.post('/videos', { body: withProviderOptions(body, params), ...api.write(options) });
    return withCost(
      toVideo(answer, STATUS_WORDS, { prompt: params.prompt, model: params.model, size: params.size, seconds: params.seconds }),
    );
  },

  async retrieve(api, job, options) {
    return withCost(toVideo(await api.client.get(`/videos/${segment(job.id)}`, api.read(options)), STATUS_WORDS, job.last));
  },

  async content(api, job, _variant, options) {
    return api.content(`${api.baseURL.pathname.replace(/\/$/, '')}/videos/${segment(job.id)}/content`, options);
  },

  async models(api, options) {
    return reportedModels(await api.client.get('/models', api.read(options)));
  },
};

/** `usage.cost` (USD, once the job is billed) as `cost_usd`. */
function withCost(video: Video): Video {
  const usage = video.usage;
  const cost = usage && typeof usage === 'object' ? (usage as { cost?: unknown }).cost : undefined;
  return typeof cost === 'number' && Number.isFinite(cost) ? { ...video, cost_usd: cost } : video;
}

interface GatewayProvider {
  supportedVideoSizes?: unknown;
  supportsVideoAudio?: unknown;
  supportsVideoWithoutAudio?: unknown;
  pricing?: { per_second?: unknown };
}

/**
 * The video models of `GET /v1/models`: their sizes (over every provider that serves them), whether
 * sound is optional, always on or off, and their per-second prices (`720p_audio`, `1080p_video`…:
 * with and without sound, by resolution). Other models are left out.
 */
function reportedModels(raw: unknown): ReportedModel[] {
  const { data } = jsonObject(raw, 'a model list');
  if (!Array.isArray(data)) throw providerFault({ problem: 'no_data_array', what: 'model list' });
  return data.flatMap((item: unknown): ReportedModel[] => {
    if (!item || typeof item !== 'object' || typeof (item as { id?: unknown }).id !== 'string') return [];
    const entry = item as { id: string; name?: unknown; architecture?: { output_modalities?: unknown }; providers?: unknown };
    const modalities = entry.architecture?.output_modalities;
    if (Array.isArray(modalities) && !modalities.includes('video')) return [];
    const providers = (Array.isArray(entry.providers) ? entry.providers : []) as GatewayProvider[];
    const sizes = [
      ...new Set(providers.flatMap((p) => (Array.isArray(p.supportedVideoSizes) ? p.supportedVideoSizes.filter(isText) : []))),
    ];
    const withSound = providers.some((p) => p.supportsVideoAudio === true);
    const without = providers.some((p) => p.supportsVideoWithoutAudio === true);
    const audio: AudioSupport | undefined = withSound && without ? 'optional' : withSound ? 'always' : without ? 'never' : undefined;
    const prices = providers.flatMap((p) => perSecond(p.pricing?.per_second)).slice(0, 24);
    if (!Array.isArray(modalities) && sizes.length === 0 && prices.length === 0) return [{ id: entry.id }];
    return [
      {
        id: entry.id,
        ...(typeof entry.name === 'string' ? { name: entry.name } : {}),
        capabilities: { ...(sizes.length > 0 ? { sizes } : {}), ...(audio ? { audio } : {}) },
        ...(prices.length > 0 ? { prices: dearestPerTier(prices) } : {}),
      },
    ];
  });
}

/** `{"720p_audio": "0.126", "720p_video": "0.084"}` as tiers (`_video` is without sound). */
function perSecond(table: unknown): PriceTier[] {
  if (!table || typeof table !== 'object') return [];
  return Object.entries(table as Record<string, unknown>).flatMap(([key, value]): PriceTier[] => {
    const match = /^(\d+p|\d+k)_(audio|video)$/i.exec(key);
    // null, "", false, [] or 0 is no price (unknown), never a free one.
    const usd = priceOf(value);
    if (!match || usd === undefined) return [];
    const resolution = /k$/i.test(match[1]!) ? match[1]!.toUpperCase() : match[1]!.toLowerCase();
    return [{ usd_per_second: usd, resolution, audio: match[2]!.toLowerCase() === 'audio', source: 'GET /v1/models' }];
  });
}

/** One tier per resolution and sound: the dearest provider's, since the gateway may route to any (an estimate may be high, never low). */
function dearestPerTier(prices: PriceTier[]): PriceTier[] {
  const best = new Map<string, PriceTier>();
  for (const tier of prices) {
    const key = `${tier.resolution}|${tier.audio}`;
    const seen = best.get(key);
    if (!seen || tier.usd_per_second > seen.usd_per_second) best.set(key, tier);
  }
  return [...best.values()];
}

function isText(value: unknown): value is string {
  return typeof value === 'string';
}

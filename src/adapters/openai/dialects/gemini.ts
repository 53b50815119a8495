import type { ModelCapabilities, PriceTier } from '../../../domain/controls';
import { normaliseResolution, sizeFor } from '../../../domain/controls';
import { invalidInput, notAnId, notFound, providerFault, providerRefused } from '../../../domain/errors';
import type { CreateVideoParams, JobRef, ReferenceImageUpload, ReportedModel } from '../../../domain/ports';
import type { Video } from '../../../domain/video';
import { withProviderOptions, type Dialect, type DialectApi } from '../dialect';
import { jsonObject, toVideo, type StatusWords } from '../wire';

/**
 * Google's Gemini API (the Developer API behind an AI Studio key, https://generativelanguage.googleapis.com/v1beta),
 * Veo through `predictLongRunning`, read from the v1beta proto (googleapis `google/ai/generativelanguage/v1beta/
 * prediction_service.proto` @ c76b7407), the google-genai SDK's request mapping for this API (python-genai
 * `google/genai/models.py` @ 66807187, `_GenerateVideos*_to_mldev`, `_GenerateVideosOperation_from_mldev`; `files.py`
 * for downloads) and the Veo guide (https://ai.google.dev/gemini-api/docs/video); shared/gateways/gemini.md has
 * every fact with its source.
 *
 * - The key goes in `x-goog-api-key` (never in a `?key=` URL, which ends up in logs), and only to Google's API
 *   origin: the generated video's `uri` is fetched with it there (Google redirects it to another path on the same
 *   host, which needs the key too), and without it anywhere else.
 * - `POST /models/{model}:predictLongRunning` with `{instances: [{prompt, image, lastFrame, referenceImages}],
 *   parameters: {durationSeconds (a number), aspectRatio, resolution, negativePrompt, …}}`; images as
 *   `{bytesBase64Encoded, mimeType}`. `seed` and `generateAudio` belong to Vertex AI and are refused by this API:
 *   Veo always makes sound here, and takes no seed.
 * - The answer is an operation, `models/{model}/operations/{id}`: its name holds slashes and is the video id,
 *   polled as path segments (`GET /{name}`) until `done`. There is no progress and no queue state. Done, it holds
 *   `response.generateVideoResponse.generatedSamples[].video.uri`, or `raiMediaFilteredCount` and
 *   `raiMediaFilteredReasons` (the safety filter), or `error` ({code, message, status}).
 * - No cancel, list, remix or delete. `GET /models` lists models without durations, capabilities or prices, so
 *   this table is the catalogue; prices are per second, sound included (third-party quotes of Google's pricing page).
 */
const STATUS_WORDS: StatusWords = { running: 'in_progress', done: 'completed' };

interface VeoModel {
  id: string;
  name: string;
  resolutions: readonly string[];
  lastFrame: boolean;
  referenceImages: number;
  prices: PriceTier[];
  typicalRenderSeconds: number;
}

const GUIDE = 'https://ai.google.dev/gemini-api/docs/video';
const PRICING = 'https://ai.google.dev/gemini-api/docs/pricing';
const read = '2026-12-07';
const flat = (hd: number, uhd?: number): PriceTier[] => [
  { usd_per_second: hd, resolution: '720p', source: PRICING, read },
  { usd_per_second: hd, resolution: '1080p', source: PRICING, read },
  ...(uhd === undefined ? [] : [{ usd_per_second: uhd, resolution: '4K', source: PRICING, read }]),
];

export const VEO_MODELS: readonly VeoModel[] = [
  {
    id: 'veo-3.1-generate-preview',
    name: 'Veo 3.1',
    resolutions: ['720p', '1080p', '4K'],
    lastFrame: true,
    referenceImages: 3,
    prices: flat(0.4, 0.6),
    typicalRenderSeconds: 90,
  },
  {
    id: 'veo-3.1-fast-generate-preview',
    name: 'Veo 3.1 Fast',
    resolutions: ['720p', '1080p', '4K'],
    lastFrame: true,
    // The guide confirms reference images for Veo 3.1 only.
    referenceImages: 0,
    prices: flat(0.15, 0.35),
    typicalRenderSeconds: 60,
  },
  {
    id: 'veo-3.0-generate-001',
    name: 'Veo 3',
    resolutions: ['720p', '1080p'],
    lastFrame: false,
    referenceImages: 0,
    prices: flat(0.4),
    typicalRenderSeconds: 90,
  },
  {
    id: 'veo-3.0-fast-generate-001',
    name: 'Veo 3 Fast',
    resolutions: ['720p', '1080p'],
    lastFrame: false,
    referenceImages: 0,
    prices: flat(0.15),
    typicalRenderSeconds: 60,
  },
];

function capabilitiesOf(model: VeoModel): ModelCapabilities {
  return {
    seconds: ['4', '6', '8'],
    default_seconds: '8',
    aspect_ratios: ['16:9', '9:16'],
    resolutions: model.resolutions,
    input_reference: 'optional',
    last_frame: model.lastFrame,
    reference_images: model.referenceImages,
    audio: 'always',
    seed: false,
    negative_prompt: true,
    remix: false,
  };
}

/** google.rpc.Code names, for an operation's `error.code` (a number in the LRO's status). */
const RPC_CODES: Readonly<Record<number, string>> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
};

/** An operation name as Google makes them; anything else (a `..`, an escape) is no job of this API. */
const OPERATION = /^models\/[A-Za-z0-9._-]+\/operations\/[A-Za-z0-9_-]+$/;

export const geminiDialect: Dialect = {
  name: 'gemini',
  summary: "Google's Gemini API (Veo through predictLongRunning)",
  hosts: ['generativelanguage.googleapis.com'],
  defaultBaseURL: 'https://generativelanguage.googleapis.com/v1beta',
  keyVariable: 'GEMINI_API_KEY',
  auth: (key) => ({ Authorization: null, 'x-goog-api-key': key }),
  statusWords: STATUS_WORDS,
  profile: () => ({
    label: 'the Gemini API',
    defaultModel: 'veo-3.1-fast-generate-preview',
    controls: ['input_reference', 'last_frame', 'reference_images', 'negative_prompt', 'aspect_ratio', 'resolution', 'provider_options'],
    variants: ['video'],
    reportsCapabilities: true,
    listsEveryModel: true,
    lastFrameNeedsFirst: true,
    controlHints: {
      generate_audio: 'Veo makes sound with every video at the Gemini API.',
      seed: 'The Gemini API takes no seed (Vertex AI does).',
      provider_options: 'They go into Veo\'s parameters, e.g. {"personGeneration":"allow_adult","enhancePrompt":true}.',
    },
  }),

  async create(api, params, options) {
    const model = params.model ?? api.defaultModel;
    if (!VEO_MODELS.some((candidate) => candidate.id === model)) {
      throw providerRefused(
        'model_not_found',
        { model, provider: 'the Gemini API', known: VEO_MODELS.map((candidate) => candidate.id), sent: false },
        { field: 'model' },
      );
    }
    const answer = jsonObject(
      await api.client.post(`/models/${model}:predictLongRunning`, { body: predictRequest(params), ...api.write(options) }),
      'an operation',
    );
    if (typeof answer.name !== 'string' || !OPERATION.test(answer.name)) {
      throw providerFault({ problem: 'no_id', what: 'an operation', provider: 'The Gemini API' });
    }
    const size = params.aspectRatio && params.resolution ? (sizeFor(params.aspectRatio, params.resolution) ?? '') : '';
    return operationVideo(answer, { model, prompt: params.prompt, size, seconds: params.seconds ?? '8', created_at: nowSeconds() });
  },

  async retrieve(api, held, options) {
    return operationVideo(await poll(api, held, options), held.last);
  },

  async content(api, held, _variant, options) {
    let uri = videoUri(held.last);
    if (uri === undefined) {
      const video = operationVideo(await poll(api, held, options), held.last);
      uri = videoUri(video);
      if (uri === undefined)
        throw notFound({ reason: 'no_asset', video_id: held.id, provider: 'the Gemini API', job_status: video.status });
    }
    // The engine sends the key only when the URI is on the API's own origin.
    return api.content(uri, options);
  },

  async models() {
    return VEO_MODELS.map((model): ReportedModel => ({
      id: model.id,
      name: model.name,
      capabilities: capabilitiesOf(model),
      prices: model.prices,
      typicalRenderSeconds: model.typicalRenderSeconds,
      reference: GUIDE,
    }));
  },

  explain(failure) {
    if (failure.status === 400 && /API key not valid/i.test(failure.message ?? ''))
      return { hint: 'Check GEMINI_API_KEY: Google did not accept it.' };
    return undefined;
  },

  async checkKey(api, options) {
    const answer = jsonObject(await api.client.get('/models', { ...api.read(options), query: { pageSize: '1000' } }), 'a model list');
    const listed = Array.isArray(answer.models) ? (answer.models as { name?: unknown }[]) : [];
    const veo = listed.filter((model) => typeof model.name === 'string' && model.name.startsWith('models/veo-')).length;
    return `the key is accepted; ${veo} Veo model(s) listed`;
  },
};

/** The request body: the prompt and images as instances, the rest as parameters (the caller's extras among them). */
function predictRequest(params: CreateVideoParams): Record<string, unknown> {
  const instance: Record<string, unknown> = { prompt: params.prompt };
  if (params.inputReference) instance.image = image(params.inputReference);
  if (params.lastFrame) instance.lastFrame = image(params.lastFrame);
  if (params.referenceImages?.length) {
    instance.referenceImages = params.referenceImages.map((reference) => ({ image: image(reference), referenceType: 'asset' }));
  }
  const parameters: Record<string, unknown> = {};
  if (params.seconds !== undefined) parameters.durationSeconds = Number(params.seconds);
  if (params.aspectRatio !== undefined) parameters.aspectRatio = params.aspectRatio;
  if (params.resolution !== undefined) parameters.resolution = normaliseResolution(params.resolution).toLowerCase();
  if (params.negativePrompt !== undefined) parameters.negativePrompt = params.negativePrompt;
  const needsEight = parameters.resolution === '1080p' || parameters.resolution === '4k' || instance.referenceImages !== undefined;
  if (needsEight && parameters.durationSeconds !== undefined && parameters.durationSeconds !== 8) {
    throw invalidInput('seconds', { rule: 'eight_seconds', allowed: ['8'], sent: false });
  }
  // provider_options are Veo parameters this server does not model (personGeneration, enhancePrompt): beside ours.
  return { instances: [instance], parameters: withProviderOptions(parameters, params) };
}

function image(upload: ReferenceImageUpload): { bytesBase64Encoded: string; mimeType: string } {
  return { bytesBase64Encoded: Buffer.from(upload.bytes).toString('base64'), mimeType: upload.mimeType };
}

async function poll(api: DialectApi, held: JobRef, options: Parameters<Dialect['retrieve']>[2]): Promise<Record<string, unknown>> {
  if (!OPERATION.test(held.id)) {
    throw notAnId(held.id, 'the Gemini API', 'models/<model>/operations/<id>');
  }
  // The name's slashes are path segments: never escaped.
  return jsonObject(await api.client.get(`/${held.id}`, api.read(options)), 'an operation');
}

/** An operation as a Video: running, done with a video, filtered by the safety system, or failed. */
function operationVideo(raw: Record<string, unknown>, known: Partial<Video> | undefined): Video {
  const done = raw.done === true;
  const video = toVideo({ id: raw.name, status: done ? 'done' : 'running' }, STATUS_WORDS, known);
  const out: Video = { ...video };
  if (!done) return out;
  out.completed_at ??= nowSeconds();
  const error = raw.error as { code?: unknown; message?: unknown; status?: unknown } | undefined;
  if (error && typeof error === 'object') {
    return {
      ...out,
      status: 'failed',
      progress: 0,
      error: {
        code: typeof error.status === 'string' ? error.status : (RPC_CODES[Number(error.code)] ?? 'error'),
        message: typeof error.message === 'string' ? error.message : '',
      },
    };
  }
  const response = (raw.response as { generateVideoResponse?: Record<string, unknown> } | undefined)?.generateVideoResponse ?? {};
  const samples = Array.isArray(response.generatedSamples) ? (response.generatedSamples as { video?: { uri?: unknown } }[]) : [];
  const uri = samples.map((sample) => sample.video?.uri).find((value): value is string => typeof value === 'string' && value !== '');
  if (uri === undefined) {
    const filtered = Number(response.raiMediaFilteredCount ?? 0);
    const reasons = Array.isArray(response.raiMediaFilteredReasons)
      ? response.raiMediaFilteredReasons.filter((r) => typeof r === 'string')
      : [];
    return {
      ...out,
      status: 'failed',
      progress: 0,
      error:
        filtered > 0 || reasons.length > 0
          ? { code: 'content_filtered', message: reasons.join(' ') || "Google's safety filter removed the video." }
          : { code: 'no_video', message: 'The operation finished without a video.' },
    };
  }
  return { ...out, video_uri: uri };
}

function videoUri(video: Partial<Video> | undefined): string | undefined {
  return typeof video?.video_uri === 'string' ? video.video_uri : undefined;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

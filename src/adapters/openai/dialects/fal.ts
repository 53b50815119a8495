import type { ModelCapabilities, PriceTier } from '../../../domain/controls';
import { controlsBut, sizeFor } from '../../../domain/controls';
import { invalidInput, notAnId, notFound, providerFault, providerRefused } from '../../../domain/errors';
import type { CancelOutcome, CreateVideoParams, JobRef, ReportedModel } from '../../../domain/ports';
import type { Video } from '../../../domain/video';
import { dataUrl, withProviderOptions, type Dialect, type DialectApi } from '../dialect';
import { errorBodyOf } from '../provider-fetch';
import { jsonObject, toVideo, type StatusWords } from '../wire';

/**
 * fal's queue API (https://queue.fal.run), read from fal's docs: the queue reference
 * (https://fal.ai/docs/api-reference/inference-api and its OpenAPI `queue.json`), the queue guide
 * (https://docs.fal.ai/model-endpoints/queue), the cancel page (https://fal.ai/docs/inference-api/queue/cancel),
 * the result page (https://fal.ai/docs/inference-api/queue/result), the error pages
 * (https://fal.ai/docs/documentation/model-apis/errors, …/request-errors), each model's `llms.txt`, and the input
 * types fal's JS client generates (fal-ai/fal-js `libs/client/src/types/endpoints.ts` @ 381105e1); shared/gateways/fal.md
 * has every fact with its source.
 *
 * - `Authorization: Key <FAL_KEY>`, never `Bearer`. Submit is `POST /{owner}/{app}[/{path}]` with the model's own
 *   input as the body; the answer names `status_url`, `response_url` and `cancel_url`, which use `owner/app` only.
 *   This server's video id is `{owner}/{app}/requests/{request_id}`: the path those URLs share, so a job can be
 *   followed by its id alone (another process, another replica), and the URLs fal named are used when they are on
 *   the queue's own origin.
 * - Statuses `IN_QUEUE` (with `queue_position`), `IN_PROGRESS` (with `logs` when asked, `?logs=1`), `COMPLETED`.
 *   There is no progress percentage, and no failed state: a failed request is COMPLETED and its result is the
 *   model's error (`{"detail": [{loc, msg, type}]}`; a content filter is 422 `content_policy_violation`).
 * - The result is `{"video": {"url", "content_type", "file_name", "file_size"}}`, the URL on fal's CDN
 *   (`*.fal.media`): public, so it is fetched without the key. Results are kept an hour (6 minutes from 10 KB).
 * - Cancel is `PUT cancel_url`: `OK` (removed from the queue: it never ran, so nothing is billed),
 *   `CANCELLATION_REQUESTED` (running: the model decides whether it stops, and it may still be billed),
 *   `ALREADY_COMPLETED`, `NOT_FOUND`. No list, remix or delete.
 * - Every endpoint has its own field names (Veo's durations carry an `s`, Kling's first frame is
 *   `start_image_url`): each model below maps its own, never a family's. Images go as data URIs (fal: "some models
 *   also accept data URIs"); the queue lists no models, durations or prices, so this table is the catalogue.
 */
const STATUS_WORDS: StatusWords = {
  in_queue: 'queued',
  in_progress: 'in_progress',
  completed: 'completed',
  failed: 'failed',
  canceled: 'failed',
  cancelled: 'failed',
};

/** One fal endpoint: its own field names and values, what it costs, and where that was read. */
interface FalEndpoint {
  id: string;
  name: string;
  /** The first frame's field, and whether the endpoint needs it. */
  first?: { field: string; required: boolean };
  last?: { field: string; required: boolean };
  /** The durations, in the domain's words (seconds), and how the endpoint spells them. */
  seconds: readonly string[];
  defaultSeconds: string;
  spellSeconds: (seconds: string) => string;
  aspectRatios?: readonly string[];
  resolutions?: readonly string[];
  audio: boolean;
  seed: boolean;
  negativePrompt: boolean;
  prices: PriceTier[];
  typicalRenderSeconds: number;
  source: string;
}

const VEO_SECONDS = ['4', '6', '8'] as const;
const withS = (seconds: string) => `${seconds}s`;
const plain = (seconds: string) => seconds;
const read = '2026-12-07';

/** Veo 3.1 at fal: 0.20/s silent, 0.40/s with sound at 720p and 1080p; 4K 0.40 and 0.60 (fal's model page). */
function veoPrices(source: string, [silent, sound, silent4k, sound4k]: readonly number[]): PriceTier[] {
  return [
    ...['720p', '1080p'].flatMap((resolution) => [
      { usd_per_second: silent!, resolution, audio: false, source, read },
      { usd_per_second: sound!, resolution, audio: true, source, read },
    ]),
    { usd_per_second: silent4k!, resolution: '4K', audio: false, source, read },
    { usd_per_second: sound4k!, resolution: '4K', audio: true, source, read },
  ];
}

const VEO = 'https://fal.ai/models/fal-ai/veo3.1/llms.txt';
const VEO_FAST_FLF = 'https://fal.ai/models/fal-ai/veo3.1/fast/first-last-frame-to-video/llms.txt';
const KLING = 'https://fal.ai/models/fal-ai/kling-video/v3/pro/image-to-video/llms.txt';
const SEEDANCE = 'https://fal.ai/models/bytedance/seedance-2.0/image-to-video';

const veo = {
  seconds: VEO_SECONDS,
  defaultSeconds: '8',
  spellSeconds: withS,
  resolutions: ['720p', '1080p', '4K'],
  audio: true,
  seed: true,
  negativePrompt: true,
  typicalRenderSeconds: 90,
} as const;

export const FAL_ENDPOINTS: readonly FalEndpoint[] = [
  {
    ...veo,
    id: 'fal-ai/veo3.1',
    name: 'Veo 3.1 (text to video)',
    aspectRatios: ['16:9', '9:16'],
    prices: veoPrices(VEO, [0.2, 0.4, 0.4, 0.6]),
    source: VEO,
  },
  {
    ...veo,
    id: 'fal-ai/veo3.1/image-to-video',
    name: 'Veo 3.1 (image to video)',
    first: { field: 'image_url', required: true },
    aspectRatios: ['16:9', '9:16'],
    prices: veoPrices(VEO, [0.2, 0.4, 0.4, 0.6]),
    source: VEO,
  },
  {
    ...veo,
    id: 'fal-ai/veo3.1/first-last-frame-to-video',
    name: 'Veo 3.1 (first and last frame)',
    first: { field: 'first_frame_url', required: true },
    last: { field: 'last_frame_url', required: true },
    aspectRatios: ['16:9', '9:16'],
    // A third party's figures (shared/gateways/fal.md): 4K doubles the base.
    prices: veoPrices(VEO, [0.2, 0.4, 0.4, 0.8]),
    source: VEO,
  },
  {
    ...veo,
    id: 'fal-ai/veo3.1/fast/first-last-frame-to-video',
    name: 'Veo 3.1 Fast (first and last frame)',
    first: { field: 'first_frame_url', required: true },
    last: { field: 'last_frame_url', required: true },
    aspectRatios: ['16:9', '9:16'],
    prices: veoPrices(VEO_FAST_FLF, [0.1, 0.15, 0.3, 0.35]),
    typicalRenderSeconds: 60,
    source: VEO_FAST_FLF,
  },
  {
    id: 'fal-ai/kling-video/v3/pro/image-to-video',
    name: 'Kling 3 Pro (image to video)',
    first: { field: 'start_image_url', required: true },
    last: { field: 'end_image_url', required: false },
    seconds: ['3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15'],
    defaultSeconds: '5',
    spellSeconds: plain,
    // "Determined by the start image": no aspect ratio or resolution field.
    aspectRatios: [],
    resolutions: [],
    audio: true,
    seed: false,
    negativePrompt: true,
    // The llms.txt's figures, the dearer of fal's two pages (an estimate may be high, never low).
    prices: [
      { usd_per_second: 0.224, audio: false, source: KLING, read },
      { usd_per_second: 0.336, audio: true, source: KLING, read },
    ],
    typicalRenderSeconds: 120,
    source: KLING,
  },
  {
    id: 'bytedance/seedance-2.0/image-to-video',
    name: 'Seedance 2.0 (image to video)',
    first: { field: 'image_url', required: true },
    last: { field: 'end_image_url', required: false },
    seconds: ['4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15'],
    defaultSeconds: '5',
    spellSeconds: plain,
    aspectRatios: ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'],
    resolutions: ['480p', '720p', '1080p'],
    audio: true,
    seed: false,
    negativePrompt: false,
    // $0.014 per 1000 tokens, tokens = w × h × seconds × 24 / 1024: sound costs the same.
    prices: [
      { usd_per_second: 0.1361, resolution: '480p', source: SEEDANCE, read },
      { usd_per_second: 0.3024, resolution: '720p', source: SEEDANCE, read },
      { usd_per_second: 0.6804, resolution: '1080p', source: SEEDANCE, read },
    ],
    typicalRenderSeconds: 90,
    source: SEEDANCE,
  },
];

/** What the models tool shows of an endpoint, in the domain's words. */
function capabilitiesOf(endpoint: FalEndpoint): ModelCapabilities {
  return {
    seconds: endpoint.seconds,
    default_seconds: endpoint.defaultSeconds,
    ...(endpoint.aspectRatios ? { aspect_ratios: endpoint.aspectRatios } : {}),
    ...(endpoint.resolutions ? { resolutions: endpoint.resolutions } : {}),
    input_reference: endpoint.first ? (endpoint.first.required ? 'required' : 'optional') : 'unsupported',
    last_frame: endpoint.last !== undefined,
    reference_images: 0,
    audio: endpoint.audio ? 'optional' : 'never',
    seed: endpoint.seed,
    negative_prompt: endpoint.negativePrompt,
    remix: false,
  };
}

function endpointOf(model: string): FalEndpoint {
  const endpoint = FAL_ENDPOINTS.find((candidate) => candidate.id === model);
  if (!endpoint) {
    throw providerRefused(
      'model_not_found',
      { model, provider: 'fal', known: FAL_ENDPOINTS.map((candidate) => candidate.id), sent: false },
      { field: 'model' },
    );
  }
  return endpoint;
}

export const falDialect: Dialect = {
  name: 'fal',
  summary: "fal's queue API (Veo, Kling, Seedance)",
  hosts: ['fal.run', 'falrun.com'],
  defaultBaseURL: 'https://queue.fal.run',
  keyVariable: 'FAL_KEY',
  auth: (key) => ({ Authorization: `Key ${key}` }),
  statusWords: STATUS_WORDS,
  profile: () => ({
    label: 'fal',
    defaultModel: 'fal-ai/veo3.1',
    controls: controlsBut('reference_images'),
    variants: ['video'],
    reportsCapabilities: true,
    listsEveryModel: true,
  }),

  async create(api, params, options) {
    const model = params.model ?? api.defaultModel;
    const endpoint = endpointOf(model);
    const body = falInput(endpoint, params);
    const answer = jsonObject(
      await api.client.post(`/${model}`, { body: withProviderOptions(body, params), ...api.write(options) }),
      'a queued request',
    );
    const requestId = typeof answer.request_id === 'string' ? answer.request_id : '';
    if (!/^[A-Za-z0-9-]{1,100}$/.test(requestId)) {
      throw providerFault({ problem: 'no_id', what: 'a submit answer', provider: 'fal' });
    }
    const size =
      params.size ?? (params.aspectRatio && params.resolution ? sizeFor(params.aspectRatio, params.resolution) : undefined) ?? '';
    return falVideo(`${appOf(model)}/requests/${requestId}`, answer, {
      model,
      prompt: params.prompt,
      size,
      seconds: params.seconds ?? endpoint.defaultSeconds,
      created_at: nowSeconds(),
    });
  },

  async retrieve(api, held, options) {
    const urls = queueUrls(api, held);
    const status = jsonObject(await api.client.get(urls.status, { ...api.read(options), query: { logs: '1' } }), 'a request status');
    const video = falVideo(held.id, status, held.last);
    if (video.status !== 'completed') return video;
    // COMPLETED says only that the request ended: its result says whether it made a video.
    return finished(video, await result(api, urls.response, options));
  },

  async content(api, held, _variant, options) {
    let url = videoUrl(held.last);
    if (url === undefined) {
      const outcome = await result(api, queueUrls(api, held).response, options);
      if ('error' in outcome) {
        throw notFound({ reason: 'no_asset', video_id: held.id, provider: 'fal', provider_message: outcome.error.message });
      }
      url = outcome.url;
    }
    // fal's CDN is another origin: the key stays with the queue (the engine sends it only to the API's origin).
    return api.content(url, options);
  },

  async cancel(api, held, options): Promise<CancelOutcome> {
    const urls = queueUrls(api, held);
    let answer: Record<string, unknown>;
    try {
      answer = jsonObject(await api.client.put(urls.cancel, api.write(options)), 'a cancel answer');
    } catch (error) {
      const body = refusal(error);
      if (body?.status === 400 && (body.json as { status?: unknown } | undefined)?.status === 'ALREADY_COMPLETED') {
        throw invalidInput('video_id', { rule: 'job_finished', video_id: held.id, provider_status: 'ALREADY_COMPLETED' });
      }
      throw error;
    }
    const word = typeof answer.status === 'string' ? answer.status : 'OK';
    if (word === 'NOT_FOUND') throw notFound({ reason: 'at_provider', subject: `Video ${held.id}`, provider: 'fal' });
    return { id: held.id, outcome: word === 'CANCELLATION_REQUESTED' ? 'requested' : 'cancelled', providerStatus: word };
  },

  async models() {
    // The queue lists no models: this table is what the dialect knows (no request, so it never fails).
    return FAL_ENDPOINTS.map((endpoint): ReportedModel => ({
      id: endpoint.id,
      name: endpoint.name,
      capabilities: capabilitiesOf(endpoint),
      prices: endpoint.prices,
      typicalRenderSeconds: endpoint.typicalRenderSeconds,
      reference: endpoint.source,
    }));
  },

  explain(failure) {
    if (failure.code === 'content_policy_violation') {
      return { hint: "fal's content checker flagged the request; the same input fails the same way, so change the prompt or images." };
    }
    return undefined;
  },

  async checkKey() {
    // Every queue route but submit is about a request; submit costs money. The key is checked by the first create.
    return 'fal has no free request that checks a key; the key is sent with the first create';
  },
};

/** The model's own input: each control under the endpoint's field name, refused here when the endpoint needs it. */
function falInput(endpoint: FalEndpoint, params: CreateVideoParams): Record<string, unknown> {
  const body: Record<string, unknown> = { prompt: params.prompt };
  const frame = (slot: FalEndpoint['first'], image: CreateVideoParams['inputReference'], control: string) => {
    if (!slot) return;
    if (image) body[slot.field] = dataUrl(image);
    else if (slot.required) {
      throw invalidInput(control, { rule: 'required', model: endpoint.id, sent: false });
    }
  };
  frame(endpoint.first, params.inputReference, 'input_reference');
  frame(endpoint.last, params.lastFrame, 'last_frame');
  if (params.seconds !== undefined) body.duration = endpoint.spellSeconds(String(params.seconds));
  if (params.aspectRatio !== undefined) body.aspect_ratio = params.aspectRatio;
  if (params.resolution !== undefined) body.resolution = params.resolution.toLowerCase();
  if (params.generateAudio !== undefined) body.generate_audio = params.generateAudio;
  if (params.seed !== undefined) body.seed = params.seed;
  if (params.negativePrompt !== undefined) body.negative_prompt = params.negativePrompt;
  return body;
}

/** `fal-ai/veo3.1/first-last-frame-to-video` → `fal-ai/veo3.1`: status, result and cancel URLs use the app only. */
function appOf(model: string): string {
  return model.split('/').slice(0, 2).join('/');
}

/** The queue URLs of a held job: the ones fal named when they are on the queue's origin, else made from the id. */
function queueUrls(api: DialectApi, held: JobRef): { status: string; response: string; cancel: string } {
  const match = /^([A-Za-z0-9._-]+\/[A-Za-z0-9._-]+)\/requests\/([A-Za-z0-9-]+)$/.exec(held.id);
  if (!match) {
    throw notAnId(held.id, 'fal', 'owner/app/requests/<id>');
  }
  const base = `${api.baseURL.href.replace(/\/$/, '')}/${match[1]}/requests/${match[2]}`;
  const named = (field: string, fallback: string) => {
    const value = held.last?.[field];
    if (typeof value !== 'string') return fallback;
    try {
      const url = new URL(value);
      return url.origin === api.baseURL.origin && url.pathname.includes(`/requests/${match[2]}`) ? url.href : fallback;
    } catch {
      return fallback;
    }
  };
  return {
    status: named('status_url', `${base}/status`),
    response: named('response_url', base),
    cancel: named('cancel_url', `${base}/cancel`),
  };
}

/** A queue answer as a Video: the queue position and the latest log line in `provider_status`. */
function falVideo(id: string, raw: Record<string, unknown>, known: Partial<Video> | undefined): Video {
  const word = typeof raw.status === 'string' ? raw.status : 'IN_QUEUE';
  const logs = Array.isArray(raw.logs)
    ? raw.logs.filter((entry): entry is { message: string } => typeof (entry as { message?: unknown })?.message === 'string')
    : [];
  const position = typeof raw.queue_position === 'number' ? raw.queue_position : undefined;
  const said =
    position !== undefined
      ? `${word}, position ${position}`
      : word === 'IN_PROGRESS' && logs.length > 0
        ? `${word}: ${logs.at(-1)!.message.slice(0, 200)}`
        : word;
  const urls = Object.fromEntries(
    ['status_url', 'response_url', 'cancel_url'].flatMap((field) => (typeof raw[field] === 'string' ? [[field, raw[field]]] : [])),
  );
  const video = toVideo({ ...urls, id, status: word }, STATUS_WORDS, known);
  const out: Video = { ...video, ...(video.provider_status === undefined ? {} : { provider_status: said }) };
  if (position !== undefined) out.queue_position = position;
  if (logs.length > 0) out.logs = logs.slice(-5).map((entry) => entry.message.slice(0, 500));
  if (out.status === 'completed' && out.completed_at === null) out.completed_at = nowSeconds();
  return out;
}

type Outcome = { url: string; output: Record<string, unknown> } | { error: { code: string; message: string } };

/** The result of a finished request: the video's URL, or the model's error in its own words. */
async function result(api: DialectApi, url: string, options: Parameters<Dialect['retrieve']>[2]): Promise<Outcome> {
  let raw: unknown;
  try {
    raw = await api.client.get(url, api.read(options));
  } catch (error) {
    const failed = refusal(error);
    // The result of a finished request that is an error (the model's 4xx or 5xx, with fal's `detail`) is final: the job
    // failed. Auth, a missing request, a rate limit or an answer without fal's shape is about this fetch: tried again.
    const said = failed?.json && typeof failed.json === 'object' && 'detail' in failed.json;
    if (failed && said && failed.status >= 400 && ![401, 403, 404, 408, 429].includes(failed.status)) {
      return { error: modelError(failed.json, failed.status) };
    }
    throw error;
  }
  const output = jsonObject(raw, 'a result');
  const found = videoUrl({ output });
  if (found === undefined) return { error: { code: 'no_video', message: 'fal finished the request without a video in its result' } };
  return { url: found, output };
}

/** An SDK error's status and JSON body (as our fetch kept it), when the API answered at all. */
function refusal(error: unknown): { status: number; json: unknown } | undefined {
  const { status, headers } = error as { status?: unknown; headers?: unknown };
  if (typeof status !== 'number') return undefined;
  const text = errorBodyOf(headers);
  try {
    return { status, json: text === undefined ? undefined : (JSON.parse(text) as unknown) };
  } catch {
    return { status, json: undefined };
  }
}

/** The model's error as `{code, message}`: the `type` of its first `detail`, and every `msg`. */
function modelError(body: unknown, status: number): { code: string; message: string } {
  const detail = body && typeof body === 'object' ? (body as { detail?: unknown }).detail : undefined;
  if (Array.isArray(detail)) {
    const items = detail.filter((item): item is { msg?: unknown; type?: unknown } => item !== null && typeof item === 'object');
    const message = items
      .map((item) => (typeof item.msg === 'string' ? item.msg : ''))
      .filter(Boolean)
      .join('; ');
    const code = typeof items[0]?.type === 'string' ? items[0].type : `http_${status}`;
    return { code, message: message || `the model refused the request (HTTP ${status})` };
  }
  if (typeof detail === 'string') return { code: `http_${status}`, message: detail };
  return { code: `http_${status}`, message: `the model refused the request (HTTP ${status})` };
}

function finished(video: Video, outcome: Outcome): Video {
  if ('error' in outcome) return { ...video, status: 'failed', error: outcome.error };
  return { ...video, output: outcome.output, progress: 100 };
}

function videoUrl(video: Partial<Video> | undefined): string | undefined {
  const output = video?.output as { video?: { url?: unknown } } | undefined;
  const url = output?.video?.url;
  return typeof url === 'string' && url !== '' ? url : undefined;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

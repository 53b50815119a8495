import type OpenAI from 'openai';
import { DEFAULT_VIDEO_MODEL, VIDEO_VARIANTS, withHeldId, type Video } from '../../../domain/video';
import { withProviderOptions, type Dialect } from '../dialect';
import { jsonObject, toDeleteResponse, toVideo, toVideoPage, type StatusWords } from '../wire';
import { providerFault } from '../../../domain/errors';

/**
 * The official `/v1/videos` shape (spec/openai-videos-openapi.yaml), through the SDK's `videos`
 * resource: create as multipart (`input_reference` a file), remix as JSON, `variant` on `/content`.
 * Served after OpenAI's own API by LiteLLM and Bifrost (behind `/openai/v1`), whose quirks are kept
 * here, with their sources:
 *
 * - LiteLLM 1.82.1 (`litellm/proxy/video_endpoints/endpoints.py`, `litellm/types/videos/utils.py`,
 *   `litellm/llms/openai/videos/transformation.py`): ids are `video_` + base64 of
 *   `litellm:custom_llm_provider:{p};model_id:{m};video_id:{upstream}`. Create fills `model_id`, so its
 *   id routes to the deployment; retrieve and remix answers re-encode the id with an empty `model_id`,
 *   which LiteLLM routes to its default provider. The held id is therefore always the one to use
 *   (the application keeps it), and a remix answer's id gets its source's `model_id` back here.
 *   Status `processing` (Gemini/Vertex routes); listing needs `custom_llm_provider`; no delete route
 *   (405); `variant` is dropped (a thumbnail request returns the MP4).
 * - Bifrost (`transports/bifrost-http/integrations/openai.go`, `core/schemas/videos.go`): ids are
 *   `<escaped id>:<provider>`; unsupported operations answer 400 `unsupported_operation`.
 */
const STATUS_WORDS: StatusWords = {
  // Words gateways of this shape use besides the spec's four.
  processing: 'in_progress',
  pending: 'queued',
  running: 'in_progress',
  in_queue: 'queued',
  succeeded: 'completed',
  success: 'completed',
  cancelled: 'failed',
  canceled: 'failed',
  error: 'failed',
  expired: 'failed',
};

type SdkCreate = OpenAI.Videos.VideoCreateParams;

export const openaiDialect: Dialect = {
  name: 'openai',
  summary: 'the official /v1/videos shape (LiteLLM, Bifrost behind /openai/v1)',
  statusWords: STATUS_WORDS,
  profile: () => ({
    label: 'the provider',
    defaultModel: DEFAULT_VIDEO_MODEL,
    controls: ['input_reference', 'provider_options'],
    variants: VIDEO_VARIANTS,
  }),

  async create(api, params, options) {
    const body: Record<string, unknown> = { prompt: params.prompt };
    if (params.model !== undefined) body.model = params.model;
    // The SDK's types list Sora's values only; gateways take others, and the wire carries any string.
    if (params.seconds !== undefined) body.seconds = params.seconds;
    if (params.size !== undefined) body.size = params.size;
    if (params.inputReference) {
      const { bytes, mimeType, filename } = params.inputReference;
      body.input_reference = await api.sdk.toFile(bytes, filename, { type: mimeType });
    }
    const request = withProviderOptions(body, params) as unknown as SdkCreate;
    // Never retried: a retry after a lost response could start a second paid job.
    return toVideo(await api.client.videos.create(request, api.write(options)), STATUS_WORDS, known(params));
  },

  async retrieve(api, job, options) {
    return toVideo(await api.client.videos.retrieve(job.id, api.read(options)), STATUS_WORDS, job.last);
  },

  async remix(api, source, params, options) {
    const body = withProviderOptions({ prompt: params.prompt }, params) as { prompt: string };
    const answer = toVideo(await api.client.videos.remix(source.id, body, api.write(options)), STATUS_WORDS, {
      model: source.last?.model,
      size: source.last?.size,
      seconds: source.last?.seconds,
      prompt: params.prompt,
      remixed_from_video_id: source.id,
    });
    // A remix is of the video the caller holds: gateways name its upstream id instead (LiteLLM does).
    const remixOf = { ...answer, remixed_from_video_id: source.id };
    const repaired = liteLlmRemixId(answer.id, source.id);
    return repaired === undefined ? remixOf : withHeldId(remixOf, repaired);
  },

  async list(api, query, options) {
    // The raw body keeps every field of the page (the SDK's page object drops `first_id`).
    const response = await api.client.videos.list(query, api.read(options)).asResponse();
    return toVideoPage(await parseBody(response), STATUS_WORDS);
  },

  async delete(api, job, options) {
    return toDeleteResponse(await api.client.videos.delete(job.id, api.read(options)), job.id);
  },

  async content(api, job, variant, options) {
    const { signal, stall } = api.stallable(options);
    const response = await api.client.videos.downloadContent(job.id, { variant }, { ...api.read(options), signal });
    return api.stream(response, stall);
  },

  async models(api, options) {
    const response = await api.client.models.list(api.read(options)).asResponse();
    return modelIds(await parseBody(response));
  },

  explain(failure, operation, videoId) {
    const said = failure.message ?? '';
    if (operation === 'list' && /custom_llm_provider|LLM Provider NOT provided/i.test(said)) {
      return {
        hint: 'LiteLLM lists videos only when told which provider to ask: send custom_llm_provider (openai, azure, gemini, vertex_ai or runwayml) as a query parameter.',
        setting: 'extraQuery',
      };
    }
    if (operation === 'list' && /^litellm\.APIConnectionError/.test(said)) {
      return {
        hint: 'LiteLLM sends a listing to its default provider, not to the deployments of its model_list, so it lists only when it serves a single model (litellm --model …).',
      };
    }
    if (/^litellm\.APIConnectionError/.test(said) && /cannot connect to host/i.test(said)) {
      // LiteLLM routes an id by the model inside it: one it did not make has none, and cannot be its video.
      if (videoId !== undefined && decodeLiteLlmId(videoId) === undefined) {
        return { notFound: true, hint: 'This is not an id LiteLLM made (its ids are video_ and base64): use the id create returned.' };
      }
      return { hint: 'LiteLLM could not route this video to a deployment and tried its default provider instead.' };
    }
    if (/validation errors? for VideoObject/.test(said) && (operation === 'retrieve' || operation === 'download')) {
      return {
        notFound: true,
        hint: "LiteLLM could not read its upstream's answer for this id, which it does when the video does not exist there.",
      };
    }
    if (/video_id must be in id:provider format/.test(said)) {
      return { notFound: true, hint: 'Bifrost ids end in ":<provider>" (task_1:runway): use the id create returned.' };
    }
    if (said === 'No connected db.') {
      return { hint: 'LiteLLM accepts only its master key when it runs without a database: use that key, or connect LiteLLM to one.' };
    }
    return undefined;
  },
};

/** What a create answer may leave out, from the request that made it. */
function known(params: { prompt: string; model?: string; seconds?: string; size?: string }): Partial<Video> {
  return { prompt: params.prompt, model: params.model, seconds: params.seconds, size: params.size };
}

const LITELLM_PREFIX = 'litellm:custom_llm_provider:';

/** A LiteLLM id's parts, or undefined when the id is not LiteLLM's. */
function decodeLiteLlmId(id: string): { provider: string; modelId: string; videoId: string } | undefined {
  if (!id.startsWith('video_')) return undefined;
  const decoded = Buffer.from(id.slice('video_'.length), 'base64').toString('utf8');
  const match = /^litellm:custom_llm_provider:([^;]*);model_id:([^;]*);video_id:(.+)$/s.exec(decoded);
  return match ? { provider: match[1]!, modelId: match[2]!, videoId: match[3]! } : undefined;
}

/**
 * LiteLLM answers a remix with an id whose `model_id` is empty, which it then routes to its default
 * provider (`Cannot connect to host api.openai.com:443` behind a model_list). The remix runs on its
 * source's deployment, so the source's `model_id` is put back; any other id is left alone.
 */
export function liteLlmRemixId(answerId: string, sourceId: string): string | undefined {
  const answer = decodeLiteLlmId(answerId);
  const source = decodeLiteLlmId(sourceId);
  if (!answer || !source || answer.modelId !== '' || source.modelId === '') return undefined;
  const repaired = `${LITELLM_PREFIX}${answer.provider};model_id:${source.modelId};video_id:${answer.videoId}`;
  return `video_${Buffer.from(repaired, 'utf8').toString('base64')}`;
}

/** The model ids of a `GET /models` answer (`{ data: [{ id }] }`), ignoring entries without one. */
export function modelIds(raw: unknown): { id: string }[] {
  const { data } = jsonObject(raw, 'a model list');
  if (!Array.isArray(data)) throw providerFault({ problem: 'no_data_array', what: 'model list' });
  return data.flatMap((item: unknown) =>
    item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string' ? [{ id: (item as { id: string }).id }] : [],
  );
}

/** A raw response's body: JSON when it parses, else its text (which the wire checks then refuse). */
export async function parseBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

import { toDeleteResponse, toVideo, toVideoPage, type StatusWords } from '../wire';
import { dataUrl, withProviderOptions, type Dialect } from '../dialect';
import { modelIds, parseBody } from './openai';

/**
 * Bifrost's unified `/v1/videos` routes (the gateway's own API, beside its OpenAI-compatible
 * `/openai/v1`, which the `openai` dialect speaks), read from maximhq/bifrost:
 * `transports/bifrost-http/handlers/inference.go` (routes, JSON decoding), `core/schemas/videos.go`
 * (fields, answers), `core/schemas/bifrost.go` (errors), `core/providers/gemini/videos.go` and
 * `core/providers/openai/videos.go` (what reaches each provider), and
 * https://docs.getbifrost.ai/api-reference/videos. What it does that the OpenAI shape cannot:
 *
 * - JSON bodies only: `model` as `provider/model`; `input_reference` a data URL (a plain URL is
 *   dropped by the OpenAI and Gemini providers); `seconds` a string; and `negative_prompt`, `seed`
 *   and `audio`, which reach Veo (`negativePrompt`, `seed`, `generateAudio`). Other keys pass on as
 *   provider extras (`provider_options`).
 * - Ids are `<escaped id>:<provider>`, kept whole (a colon is a legal path character).
 * - Listing needs `?provider=`: it lists the default model's provider. Statuses are the spec's four.
 * - `/content` serves the video; Gemini and Runway ignore `variant`, so only the video is offered.
 * - An operation a provider lacks is 400 `unsupported_operation`; errors are Bifrost's own envelope
 *   (`{is_bifrost_error, status_code, error: {message, code}}`), whose `error` the engine reads.
 */
const STATUS_WORDS: StatusWords = {};

/** A path segment for a Bifrost id: escaped, but with its `:provider` kept. */
function bifrostSegment(id: string): string {
  return encodeURIComponent(id).replace(/%3A/gi, ':');
}

export const bifrostDialect: Dialect = {
  name: 'bifrost',
  summary: "Bifrost's own /v1/videos (JSON, provider/model ids, negative prompt, seed and sound)",
  statusWords: STATUS_WORDS,
  profile: () => ({
    label: 'Bifrost',
    defaultModel: 'gemini/veo-3.1-generate-preview',
    controls: ['input_reference', 'negative_prompt', 'seed', 'generate_audio', 'provider_options'],
    variants: ['video'],
  }),

  async create(api, params, options) {
    const body: Record<string, unknown> = { prompt: params.prompt };
    if (params.model !== undefined) body.model = params.model;
    if (params.seconds !== undefined) body.seconds = String(params.seconds);
    if (params.size !== undefined) body.size = params.size;
    if (params.inputReference) body.input_reference = dataUrl(params.inputReference);
    if (params.negativePrompt !== undefined) body.negative_prompt = params.negativePrompt;
    if (params.seed !== undefined) body.seed = params.seed;
    if (params.generateAudio !== undefined) body.audio = params.generateAudio;
    // Never retried: a retry after a lost response could start a second paid job.
    const answer = await api.client.post('/videos', { body: withProviderOptions(body, params), ...api.write(options) });
    return toVideo(answer, STATUS_WORDS, { prompt: params.prompt, model: params.model, size: params.size, seconds: params.seconds });
  },

  async retrieve(api, job, options) {
    return toVideo(await api.client.get(`/videos/${bifrostSegment(job.id)}`, api.read(options)), STATUS_WORDS, job.last);
  },

  async remix(api, source, params, options) {
    const body = withProviderOptions({ prompt: params.prompt }, params);
    const answer = await api.client.post(`/videos/${bifrostSegment(source.id)}/remix`, { body, ...api.write(options) });
    return toVideo(answer, STATUS_WORDS, { ...source.last, prompt: params.prompt, remixed_from_video_id: source.id });
  },

  async list(api, query, options) {
    // Bifrost lists one provider's videos at a time: the default model's.
    const provider = api.defaultModel.split('/')[0]!;
    const response = await api.client.get('/videos', { ...api.read(options), query: { ...query, provider } }).asResponse();
    return toVideoPage(await parseBody(response), STATUS_WORDS);
  },

  async delete(api, job, options) {
    return toDeleteResponse(await api.client.delete(`/videos/${bifrostSegment(job.id)}`, api.read(options)), job.id);
  },

  async content(api, job, _variant, options) {
    return api.content(`${api.baseURL.pathname.replace(/\/$/, '')}/videos/${bifrostSegment(job.id)}/content`, options, {
      variant: 'video',
    });
  },

  async models(api, options) {
    return modelIds(await parseBody(await api.client.get('/models', api.read(options)).asResponse()));
  },

  explain(failure) {
    if (failure.code === 'unsupported_operation') return { notOffered: true };
    if (/video_id must be in id:provider format/.test(failure.message ?? '')) {
      return { notFound: true, hint: 'Bifrost ids end in ":<provider>" (task_1:runway): use the id create returned.' };
    }
    return undefined;
  },
};

import { createHash } from 'node:crypto';
import { GatewayFake, json, text, type GatewayRequest, type Reply, type UpstreamJob } from './gateway-fake';

/**
 * LiteLLM proxy 1.82.1 in front of an OpenAI-shaped upstream, as it really answers. Built from its
 * source (BerriAI/litellm near v1.82.1, commit 0cc07bab): `litellm/proxy/video_endpoints/endpoints.py`
 * (routes), `litellm/types/videos/utils.py` (ids), `litellm/llms/openai/videos/transformation.py`
 * (answers), `litellm/proxy/route_llm_request.py` (routing), `litellm/proxy/auth/user_api_key_auth.py`
 * and `litellm/proxy/_types.py` (auth and error bodies), and from a run of 1.82.1 on loopback
 * (shared/facts.md, 2026-12-01). What it does that a kind fake would not:
 *
 * - Ids are `video_` + base64 of `litellm:custom_llm_provider:openai;model_id:{m};video_id:{upstream}`.
 *   Create fills `model_id` (the deployment's model without its `openai/` prefix); retrieve and
 *   remix answers re-encode the id with an EMPTY `model_id`. Behind a `model_list`, an id with an
 *   empty (or unknown) `model_id` is routed to the default `https://api.openai.com/v1`, which is
 *   unreachable here: 500 `litellm.APIConnectionError: openai - Cannot connect to host …`.
 * - An upstream error on retrieve comes back as a 500 too (pydantic fails on the error body); on
 *   `/content` the upstream's bytes are served as `video/mp4` whatever they are (inferred from the
 *   transformation, which returns the body without a status check).
 * - There is no DELETE route: FastAPI's 405 `{"detail":"Method Not Allowed"}`; unknown paths 404
 *   `{"detail":"Not Found"}`.
 * - `/content` drops `variant`: a thumbnail request returns the MP4, labelled `video/mp4`, buffered.
 * - List needs `custom_llm_provider` (header, query or body) or answers 400 "LLM Provider NOT
 *   provided"; it carries no model, so behind a `model_list` it goes to the default provider (500),
 *   and it drops `limit`, `after` and `order`; its ids carry each item's model as `model_id`.
 * - Answers have `prompt: null`, an added `usage` (`{duration_seconds}` on create and remix, null on
 *   retrieve), and the requested model name.
 * - Errors are `{"error":{"message","type","param","code":"<status as a string>"}}`; a key other than
 *   the master key, with no database, is 400 `No connected db.`.
 * - Remix takes JSON only (a multipart body is a bare 500) and forwards only `prompt`.
 *
 * `mode: 'single_model'` is `litellm --model openai/sora-2 --api_base …`: every id goes to that
 * upstream, so everything works but delete and variants.
 */
export interface LiteLlmOptions {
  mode?: 'model_list' | 'single_model';
  /** The model_list's model names (each `openai/<name>` at the upstream). */
  models?: readonly string[];
  /** The proxy's master key (default: a fixed test key). */
  masterKey?: string;
}

const PREFIX = 'litellm:custom_llm_provider:';
const DEFAULT_UNREACHABLE =
  'litellm.APIConnectionError: openai - Cannot connect to host api.openai.com:443 ssl:default [Name or service not known]';

export class LiteLlmFake extends GatewayFake {
  protected readonly basePath = '/v1';
  readonly keys: readonly string[];
  readonly mode: 'model_list' | 'single_model';
  readonly models: readonly string[];

  constructor(options: LiteLlmOptions = {}) {
    super();
    this.mode = options.mode ?? 'model_list';
    this.keys = [options.masterKey ?? 'sk-litellm-master-0123456789abcdef', 'sk-some-virtual-key-without-a-db'];
    this.models = options.models ?? ['sora-2', 'sora-2-pro', 'gemini/veo-3.1-generate-preview'];
  }

  static start(options: LiteLlmOptions = {}): Promise<LiteLlmFake> {
    return new LiteLlmFake(options).listen();
  }

  /** LiteLLM's id for an upstream job, as its encoder writes it. */
  static encode(upstreamId: string, modelId: string): string {
    return `video_${Buffer.from(`${PREFIX}openai;model_id:${modelId};video_id:${upstreamId}`).toString('base64')}`;
  }

  static decode(id: string): { provider: string; modelId: string; videoId: string } | undefined {
    if (!id.startsWith('video_')) return undefined;
    const decoded = Buffer.from(id.slice('video_'.length), 'base64').toString('utf8');
    const match = /^litellm:custom_llm_provider:([^;]*);model_id:([^;]*);video_id:(.*)$/s.exec(decoded);
    return match ? { provider: match[1]!, modelId: match[2]!, videoId: match[3]! } : undefined;
  }

  protected route(request: GatewayRequest): Reply {
    const path = request.rawPath.replace(/^\/v1(?=\/)/, '');
    const one = /^\/videos\/([^/]+)(\/content|\/remix)?$/.exec(path);
    const known = path === '/videos' || path === '/models' || one !== null;
    if (!known) return json(404, { detail: 'Not Found' });
    // FastAPI matches the route and method before any dependency runs: a DELETE never reaches auth.
    if (one && !one[2] && request.method === 'DELETE') return json(405, { detail: 'Method Not Allowed' });
    const refused = this.authenticate(request);
    if (refused) return refused;
    const id = one ? decodeURIComponent(one[1]!) : undefined;
    if (path === '/models' && request.method === 'GET') return this.listModels();
    if (path === '/videos' && request.method === 'POST') return this.create(request);
    if (path === '/videos' && request.method === 'GET') return this.list(request);
    if (one && !one[2] && request.method === 'GET') return this.retrieve(id!);
    if (one && one[2] === '/content' && request.method === 'GET') return this.download(id!);
    if (one && one[2] === '/remix' && request.method === 'POST') return this.remix(id!, request);
    return json(405, { detail: 'Method Not Allowed' });
  }

  /** The master key passes; without a database, any other key is "No connected db." (UAK). */
  private authenticate(request: GatewayRequest): Reply | undefined {
    const header = (request.headers['x-litellm-api-key'] as string | undefined) ?? request.headers.authorization;
    if (!header) return error(401, 'Authentication Error, No api key passed in.', 'auth_error', 'None');
    const key = header.replace(/^Bearer\s+/i, '');
    if (key === this.keys[0]) return undefined;
    return error(400, 'No connected db.', 'no_db_connection', null);
  }

  private listModels(): Reply {
    return json(200, {
      object: 'list',
      data: this.models.map((id) => ({ id, object: 'model', created: 1_677_610_602, owned_by: 'openai' })),
    });
  }

  private create(request: GatewayRequest): Reply {
    const body = request.form ?? request.json ?? {};
    const model = text(body.model, '');
    if (this.mode === 'model_list' && !this.models.includes(model)) {
      return error(
        400,
        `/v1/videos: Invalid model name passed in model=${model}. Call \`/v1/models\` to view available models for your key.`,
        'None',
        'None',
      );
    }
    const seconds = text(body.seconds, '4');
    const job = this.startJob({
      id: this.upstreamId(),
      model,
      prompt: text(body.prompt, ''),
      size: text(body.size, '720x1280'),
      seconds,
      request: { ...body, ...(request.files.input_reference ? { input_reference: request.files.input_reference } : {}) },
    });
    return json(
      200,
      this.videoObject(job, LiteLlmFake.encode(job.id, this.deploymentModel(model)), { duration_seconds: Number(seconds) }, model),
    );
  }

  /** Where an id is routed: its deployment's upstream, or (behind a model_list, for an empty or unknown model_id) the unreachable default. */
  private upstreamJob(id: string): UpstreamJob | Reply {
    const decoded = LiteLlmFake.decode(id);
    if (this.mode === 'model_list') {
      const modelId = decoded?.modelId ?? '';
      const routed = modelId !== '' && this.models.some((name) => this.deploymentModel(name) === modelId);
      if (!routed) return error(500, DEFAULT_UNREACHABLE, null, null);
    }
    const job = this.jobs.get(decoded?.videoId ?? id);
    // LiteLLM reads the upstream's 404 body as a video and fails validating it.
    if (!job) return error(500, 'litellm.APIConnectionError: openai - 3 validation errors for VideoObject', null, null);
    return job;
  }

  private retrieve(id: string): Reply {
    const job = this.upstreamJob(id);
    if (!isJob(job)) return job;
    this.advance(job);
    return json(200, this.videoObject(job, LiteLlmFake.encode(job.id, ''), null, job.model));
  }

  private download(id: string): Reply {
    const job = this.upstreamJob(id);
    if (!isJob(job)) return job;
    const headers = { 'content-disposition': `attachment; filename=video_${id}.mp4` };
    if (job.status !== 'completed') {
      // The upstream's refusal, passed on as if it were the video.
      const refusal = JSON.stringify({
        error: { message: 'Video is not ready yet.', type: 'invalid_request_error', code: 'video_not_ready' },
      });
      return { status: 200, type: 'video/mp4', body: refusal, headers };
    }
    return {
      status: 200,
      type: 'video/mp4',
      body: this.content.bytes,
      headers: { ...headers, 'content-length': String(this.content.bytes.length) },
    };
  }

  private remix(id: string, request: GatewayRequest): Reply {
    if (!request.json) return { status: 500, type: 'text/plain; charset=utf-8', body: 'Internal Server Error' };
    const source = this.upstreamJob(id);
    if (!isJob(source)) return source;
    if (source.status !== 'completed') {
      return error(500, `litellm.APIConnectionError: openai - Video ${source.id} is not completed and cannot be remixed.`, null, null);
    }
    const job = this.startJob({
      id: this.upstreamId(),
      model: source.model,
      prompt: text(request.json.prompt, ''),
      size: source.size,
      seconds: source.seconds,
      remixedFrom: source.id,
      request: { prompt: request.json.prompt },
    });
    return json(200, this.videoObject(job, LiteLlmFake.encode(job.id, ''), { duration_seconds: Number(job.seconds) }, source.model));
  }

  private list(request: GatewayRequest): Reply {
    const provider =
      (request.headers['custom-llm-provider'] as string | undefined) ??
      request.query.get('custom_llm_provider') ??
      (typeof request.json?.custom_llm_provider === 'string' ? request.json.custom_llm_provider : undefined);
    if (!provider) {
      return error(
        400,
        "litellm.BadRequestError: LLM Provider NOT provided. Pass in the LLM provider you are trying to call. You passed model=\n Pass model as E.g. For 'Huggingface' inference endpoints pass in `completion(model='huggingface/starcoder',..)` Learn more: https://docs.litellm.ai/docs/providers",
        null,
        null,
      );
    }
    if (this.mode === 'model_list') return error(500, DEFAULT_UNREACHABLE, null, null);
    // limit, after and order are dropped: the upstream's first page, newest first.
    const data = [...this.jobs.values()]
      .reverse()
      .slice(0, 20)
      .map((job) => ({ ...this.upstreamObject(job), id: LiteLlmFake.encode(job.id, job.model) }));
    return json(200, {
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: this.jobs.size > 20,
    });
  }

  private serial = 0;

  /** An OpenAI-style upstream id (`video_` and 32 hex digits). */
  private upstreamId(): string {
    this.serial += 1;
    return `video_${createHash('sha1').update(`litellm-${this.serial}`).digest('hex').slice(0, 32)}`;
  }

  private deploymentModel(name: string): string {
    return name.replace(/^openai\//, '');
  }

  private upstreamObject(job: UpstreamJob) {
    return {
      id: job.id,
      object: 'video',
      model: job.model,
      status: job.status,
      progress: job.progress,
      created_at: job.createdAt,
      completed_at: job.status === 'completed' ? job.createdAt + 60 : null,
      expires_at: job.status === 'completed' ? job.createdAt + 3660 : null,
      prompt: job.prompt,
      size: job.size,
      seconds: job.seconds,
      remixed_from_video_id: job.remixedFrom,
      error: job.status === 'failed' ? { code: 'moderation_blocked', message: 'Your request was blocked by moderation.' } : null,
    };
  }

  /** The VideoObject LiteLLM answers with: no prompt, its own id, its `usage`. */
  private videoObject(job: UpstreamJob, id: string, usage: Record<string, number> | null, model: string) {
    return { ...this.upstreamObject(job), id, model, prompt: null, usage };
  }
}

function isJob(value: UpstreamJob | Reply): value is UpstreamJob {
  return 'polls' in value;
}

/** LiteLLM's error envelope: the status as a string code; `type` and `param` null or the string "None". */
function error(status: number, message: string, type: string | null, param: string | null): Reply {
  return json(status, { error: { message, type, param, code: String(status) } });
}

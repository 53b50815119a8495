import { randomBytes, randomUUID } from 'node:crypto';
import { loopbackCertificate } from '../tls';
import { GatewayFake, json, type GatewayRequest, type Reply } from './gateway-fake';

/**
 * fal's queue API, from fal's docs (shared/gateways/fal.md has each fact with its source): the queue reference
 * (https://fal.ai/docs/api-reference/inference-api, its OpenAPI `queue.json`), the queue guide
 * (https://docs.fal.ai/model-endpoints/queue), the cancel and result pages
 * (https://fal.ai/docs/inference-api/queue/cancel, …/result), the error pages
 * (https://fal.ai/docs/documentation/model-apis/errors, …/request-errors), each model's `llms.txt`, and the input
 * types of fal's JS client (fal-ai/fal-js `libs/client/src/types/endpoints.ts` @ 381105e1). Unkind where fal is, or
 * may be:
 *
 * - `Authorization: Key <key>` only (a `Bearer` is 401). Submit is `POST /{owner}/{app}[/{path}]` with the model's
 *   own input; each endpoint here checks its input strictly (an unknown field, a duration or aspect ratio it does not
 *   take, a missing frame: 422 `{"detail": [{loc, msg, type}]}`), which fal's docs leave open (pydantic may drop
 *   extras): the unkind reading.
 * - The submit answer names `status_url`, `response_url` and `cancel_url` under `owner/app` only; a request id under
 *   another app is 404.
 * - Status is 202 `IN_QUEUE` with `queue_position` (counting down), then 202 `IN_PROGRESS` with `logs` (when
 *   `?logs=1`), then 200 `COMPLETED`: no percentage, and no failed state. A failed request is COMPLETED and its
 *   result is the model's error: a `[filtered]` prompt is 422 `content_policy_violation`, a `[fail]` prompt a 500
 *   `generation_error`. A result asked for too early is 400.
 * - The result names the video on a CDN: another origin, over https, that must get no key (a request that carries
 *   one is refused and recorded).
 * - Cancel: `OK` (200) while queued (the request then completes with a "cancelled" error), `CANCELLATION_REQUESTED`
 *   (202) while running (the model here ignores it and finishes), `ALREADY_COMPLETED` (400), `NOT_FOUND` (404).
 * - `rateLimit` answers the next submits 429 with `Retry-After` (the queue's "over your concurrency limit").
 */
interface FalFakeEndpoint {
  id: string;
  fields: readonly string[];
  required: readonly string[];
  durations: readonly string[];
  aspectRatios?: readonly string[];
  resolutions?: readonly string[];
}

const VEO_FIELDS = [
  'prompt',
  'duration',
  'aspect_ratio',
  'resolution',
  'generate_audio',
  'seed',
  'negative_prompt',
  'auto_fix',
  'safety_tolerance',
];
const VEO_DURATIONS = ['4s', '6s', '8s'];

export const FAL_FAKE_ENDPOINTS: readonly FalFakeEndpoint[] = [
  {
    id: 'fal-ai/veo3.1',
    fields: VEO_FIELDS,
    required: ['prompt'],
    durations: VEO_DURATIONS,
    aspectRatios: ['16:9', '9:16'],
    resolutions: ['720p', '1080p', '4k'],
  },
  {
    id: 'fal-ai/veo3.1/image-to-video',
    fields: [...VEO_FIELDS, 'image_url'],
    required: ['prompt', 'image_url'],
    durations: VEO_DURATIONS,
    aspectRatios: ['auto', '16:9', '9:16'],
    resolutions: ['720p', '1080p', '4k'],
  },
  {
    id: 'fal-ai/veo3.1/first-last-frame-to-video',
    fields: [...VEO_FIELDS, 'first_frame_url', 'last_frame_url'],
    required: ['prompt', 'first_frame_url', 'last_frame_url'],
    durations: VEO_DURATIONS,
    aspectRatios: ['auto', '16:9', '9:16'],
    resolutions: ['720p', '1080p', '4k'],
  },
  {
    id: 'fal-ai/veo3.1/fast/first-last-frame-to-video',
    fields: [...VEO_FIELDS, 'first_frame_url', 'last_frame_url'],
    required: ['prompt', 'first_frame_url', 'last_frame_url'],
    durations: VEO_DURATIONS,
    aspectRatios: ['auto', '16:9', '9:16'],
    resolutions: ['720p', '1080p', '4k'],
  },
  {
    id: 'fal-ai/kling-video/v3/pro/image-to-video',
    fields: [
      'prompt',
      'multi_prompt',
      'start_image_url',
      'end_image_url',
      'duration',
      'generate_audio',
      'negative_prompt',
      'cfg_scale',
      'elements',
      'shot_type',
      'voice_ids',
    ],
    required: ['start_image_url'],
    durations: ['3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15'],
  },
  {
    id: 'bytedance/seedance-2.0/image-to-video',
    fields: [
      'prompt',
      'image_url',
      'end_image_url',
      'duration',
      'aspect_ratio',
      'resolution',
      'generate_audio',
      'bitrate_mode',
      'end_user_id',
    ],
    required: ['prompt', 'image_url'],
    durations: ['auto', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15'],
    aspectRatios: ['auto', '21:9', '16:9', '4:3', '1:1', '3:4', '9:16'],
    resolutions: ['480p', '720p', '1080p'],
  },
];

interface FalJob {
  requestId: string;
  app: string;
  endpoint: string;
  input: Record<string, unknown>;
  state: 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED';
  polls: number;
  cancelled: boolean;
  cancelRequested: boolean;
  file: string;
}

export class FalFake extends GatewayFake {
  protected readonly basePath = '';
  readonly keys = ['5f1b6a0e-3c1d-4e8a-9b2f-7a6d5c4b3a21:0123456789abcdef0123456789abcdef', 'other-key-id:other-secret'];
  /** Submits answered 429 before the queue takes one again. */
  rateLimit = 0;
  /** Status checks a job spends in the queue, and then running, before it completes. */
  queuedPolls = 1;
  runningPolls = 1;
  readonly falJobs = new Map<string, FalJob>();

  private constructor(readonly cdn: FalCdnFake) {
    super();
  }

  /** `cdnTls: false` serves the CDN over http (in-process tests, which cannot trust the loopback certificate). */
  static async start(options: { cdnTls?: boolean } = {}): Promise<FalFake> {
    const cdn = await FalCdnFake.start(options.cdnTls ?? true);
    const fake = new FalFake(cdn);
    cdn.content = fake.content;
    return fake.listen();
  }

  override async close(): Promise<void> {
    await Promise.all([super.close(), this.cdn.close()]);
  }

  /** The submits received for one endpoint, as their bodies. */
  submitted(endpoint: string): Record<string, unknown>[] {
    return this.received('POST', new RegExp(`^/${endpoint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)).map((request) => request.json ?? {});
  }

  protected route(request: GatewayRequest): Reply {
    const key = /^Key (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (key === undefined || !this.keys.includes(key)) {
      return json(401, { detail: key === undefined ? 'Missing authorization header' : 'Invalid key' });
    }
    const path = request.path.replace(/^\//, '');
    const queued = /^([^/]+\/[^/]+)\/requests\/([^/]+)(\/status|\/cancel)?$/.exec(path);
    if (queued) return this.aboutRequest(request, queued[1]!, queued[2]!, queued[3]);
    if (request.method === 'POST') return this.submit(request, path);
    return json(404, { detail: 'Not Found' });
  }

  private submit(request: GatewayRequest, endpointId: string): Reply {
    const endpoint = FAL_FAKE_ENDPOINTS.find((candidate) => candidate.id === endpointId);
    if (!endpoint) return json(404, { detail: `Application '${endpointId}' not found` });
    if (this.rateLimit > 0) {
      this.rateLimit -= 1;
      return json(429, { detail: 'Concurrent request limit reached', error_type: 'rate_limited' }, { 'retry-after': '2' });
    }
    const input = request.json;
    if (!input || !request.contentType.startsWith('application/json')) {
      return json(422, { detail: [{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' }] });
    }
    const problems: { loc: string[]; msg: string; type: string }[] = [];
    for (const field of Object.keys(input)) {
      if (!endpoint.fields.includes(field))
        problems.push({ loc: ['body', field], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' });
    }
    for (const field of endpoint.required) {
      if (input[field] === undefined) problems.push({ loc: ['body', field], msg: 'Field required', type: 'missing' });
    }
    const oneOf = (field: string, allowed: readonly string[] | undefined) => {
      const value = input[field];
      if (value !== undefined && (allowed === undefined || !allowed.includes(value as string))) {
        problems.push({
          loc: ['body', field],
          msg: `Input should be ${allowed ? allowed.map((item) => `'${item}'`).join(', ') : 'absent'}`,
          type: 'literal_error',
        });
      }
    };
    oneOf('duration', endpoint.durations);
    if (endpoint.fields.includes('aspect_ratio')) oneOf('aspect_ratio', endpoint.aspectRatios);
    if (endpoint.fields.includes('resolution')) oneOf('resolution', endpoint.resolutions);
    for (const field of ['image_url', 'first_frame_url', 'last_frame_url', 'start_image_url', 'end_image_url']) {
      const value = input[field];
      if (value !== undefined && (typeof value !== 'string' || !/^(https:\/\/|data:image\/(png|jpeg|webp);base64,)/.test(value))) {
        problems.push({ loc: ['body', field], msg: 'Input should be a valid URL or data URI', type: 'url_parsing' });
      }
    }
    if (input.seed !== undefined && !Number.isInteger(input.seed))
      problems.push({ loc: ['body', 'seed'], msg: 'Input should be a valid integer', type: 'int_type' });
    if (problems.length > 0) return json(422, { detail: problems });
    const requestId = randomUUID();
    const app = endpointId.split('/').slice(0, 2).join('/');
    const job: FalJob = {
      requestId,
      app,
      endpoint: endpointId,
      input,
      state: 'IN_QUEUE',
      polls: 0,
      cancelled: false,
      cancelRequested: false,
      file: `${randomBytes(8).toString('hex')}/output.mp4`,
    };
    this.falJobs.set(requestId, job);
    const base = `${this.origin}/${app}/requests/${requestId}`;
    return json(200, {
      request_id: requestId,
      status: 'IN_QUEUE',
      queue_position: this.queuedPolls,
      response_url: base,
      status_url: `${base}/status`,
      cancel_url: `${base}/cancel`,
    });
  }

  private aboutRequest(request: GatewayRequest, app: string, requestId: string, what: string | undefined): Reply {
    const job = this.falJobs.get(requestId);
    if (!job || job.app !== app) {
      return what === '/cancel' ? json(404, { status: 'NOT_FOUND' }) : json(404, { detail: `Request ${requestId} not found` });
    }
    if (what === '/status' && request.method === 'GET') return this.status(job, request.query.get('logs') === '1');
    if (what === '/cancel' && request.method === 'PUT') return this.cancel(job);
    if (what === undefined && request.method === 'GET') return this.result(job);
    return json(405, { detail: 'Method Not Allowed' });
  }

  private status(job: FalJob, logs: boolean): Reply {
    if (job.state !== 'COMPLETED' && !job.input.prompt?.toString().includes('[stuck]')) {
      job.polls += 1;
      if (job.polls > this.queuedPolls + this.runningPolls) job.state = 'COMPLETED';
      else if (job.polls > this.queuedPolls) job.state = 'IN_PROGRESS';
    }
    const lines = [
      { message: 'Starting generation', level: 'INFO', source: 'user', timestamp: '2026-12-07T10:00:00Z' },
      { message: 'Rendering frames 96/192', level: 'INFO', source: 'user', timestamp: '2026-12-07T10:00:30Z' },
    ];
    if (job.state === 'IN_QUEUE') {
      return json(202, { status: 'IN_QUEUE', queue_position: Math.max(0, this.queuedPolls - job.polls), response_url: this.base(job) });
    }
    if (job.state === 'IN_PROGRESS') return json(202, { status: 'IN_PROGRESS', logs: logs ? lines : null, response_url: this.base(job) });
    return json(200, { status: 'COMPLETED', logs: logs ? lines : null, metrics: { inference_time: 41.2 }, response_url: this.base(job) });
  }

  private result(job: FalJob): Reply {
    if (job.state !== 'COMPLETED') return json(400, { detail: 'Request is still in progress' });
    if (job.cancelled) return json(400, { detail: 'Request was cancelled' });
    const prompt = typeof job.input.prompt === 'string' ? job.input.prompt : '';
    if (prompt.includes('[filtered]')) {
      return json(422, {
        detail: [
          {
            loc: ['body', 'prompt'],
            msg: 'The content was flagged by a content checker.',
            type: 'content_policy_violation',
            url: 'https://docs.fal.ai/errors#content_policy_violation',
            ctx: { categories: ['violence'] },
          },
        ],
      });
    }
    if (prompt.includes('[fail]')) {
      return json(500, { detail: [{ loc: ['body'], msg: 'The video could not be generated.', type: 'generation_error' }] });
    }
    const bytes = this.content.bytes;
    return json(200, {
      video: { url: `${this.cdn.origin}/files/${job.file}`, content_type: 'video/mp4', file_name: 'output.mp4', file_size: bytes.length },
    });
  }

  private cancel(job: FalJob): Reply {
    if (job.state === 'COMPLETED') return json(400, { status: 'ALREADY_COMPLETED' });
    if (job.state === 'IN_QUEUE') {
      job.cancelled = true;
      job.state = 'COMPLETED';
      return json(200, { status: 'OK' });
    }
    job.cancelRequested = true;
    return json(202, { status: 'CANCELLATION_REQUESTED' });
  }

  private base(job: FalJob): string {
    return `${this.origin}/${job.app}/requests/${job.requestId}`;
  }
}

/** fal's CDN (`v3.fal.media`): public files on another origin, over https, that must never see the key. */
export class FalCdnFake extends GatewayFake {
  protected readonly basePath = '';
  readonly keys = [] as const;
  /** Requests that arrived carrying a credential (none should). */
  readonly withCredentials: GatewayRequest[] = [];

  static async start(tls: boolean): Promise<FalCdnFake> {
    if (!tls) return new FalCdnFake().listen();
    const { key, cert } = loopbackCertificate();
    return new FalCdnFake().listen({ key, cert });
  }

  protected route(request: GatewayRequest): Reply {
    if (request.headers.authorization || request.headers.cookie || request.headers['x-goog-api-key']) {
      this.withCredentials.push(request);
      return json(400, { detail: 'Credentials are not accepted here' });
    }
    if (!/^\/files\/[0-9a-f]{16}\/output\.mp4$/.test(request.path)) return { status: 404, type: 'text/plain', body: 'Not Found' };
    return { status: 200, type: 'video/mp4', body: this.content.bytes, headers: { 'content-length': String(this.content.bytes.length) } };
  }
}

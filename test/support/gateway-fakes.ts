import { readBody } from './http';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mp4 } from './media-fixtures';

/**
 * Loopback fakes of the gateways that still serve `/v1/videos` after OpenAI's own API was retired,
 * each following its documented dialect (read 2026-11-27; docs/providers.md keeps the details):
 *
 * - LiteLLM proxy, https://docs.litellm.ai/docs/videos: `Authorization: Bearer` or `x-litellm-api-key`;
 *   ids are `video_` + standard base64 of `litellm:custom_llm_provider:…;model_id:…;video_id:…` (so
 *   they hold `+ / =`) and are tied to the key that made them (another key gets 403); status
 *   `processing` while rendering; list needs `?custom_llm_provider=` or a `custom-llm-provider`
 *   header; remix and delete on the openai route; an extra `usage` object.
 * - Bifrost, https://docs.getbifrost.ai/providers/supported-providers/runway: ids are
 *   `<url-escaped id>:<provider>` (`task_1:runway`); Runway needs `input_reference`, takes 5 or 10
 *   seconds, offers no list and no remix, and delete cancels.
 * - LLM Gateway, https://docs.llmgateway.io/features/video-generation: JSON bodies only (no
 *   multipart), `seconds` a required number, Veo 3.1 up to 3840x2160; statuses queued, in_progress,
 *   completed, failed, canceled, expired; no list, remix or delete; ids like `v_123`.
 */
export type DialectName = 'litellm' | 'bifrost' | 'llmgateway';

export interface GatewayRequest {
  method: string;
  path: string;
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  contentType: string;
  json?: Record<string, unknown>;
  form?: Record<string, string>;
  files: Record<string, { bytes: Buffer; type: string }>;
}

interface Job {
  video: Record<string, unknown> & { id: string; status: string; progress: number };
  polls: number;
  owner: string;
}

export class GatewayFake {
  readonly requests: GatewayRequest[] = [];
  readonly jobs = new Map<string, Job>();
  /** Retrieves until a job completes. */
  pollsToComplete = 2;
  content = { bytes: mp4(), type: 'video/mp4' };
  /** Reply to an otherwise valid request with this body instead (for misbehaviour tests). */
  override: ((request: GatewayRequest) => { status: number; body: string; type: string } | undefined) | undefined;
  private counter = 0;

  private constructor(
    readonly dialect: DialectName,
    private readonly server: Server,
    /** Keys this gateway accepts; the first is the one tests give the server. */
    readonly keys: string[],
  ) {}

  static async start(dialect: DialectName, key?: string): Promise<GatewayFake> {
    // eslint-disable-next-line prefer-const -- assigned once the server that refers to it exists
    let fake: GatewayFake | undefined;
    const server = createServer((req, res) => {
      fake!.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: String(error) } }));
      });
    });
    fake = new GatewayFake(dialect, server, [key ?? `${dialect}-key-0123456789abcdef`, `${dialect}-other-team-key-0000`]);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseURL(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  get apiKey(): string {
    return this.keys[0]!;
  }

  count(method: string, pattern: RegExp): number {
    return this.requests.filter((request) => request.method === method && pattern.test(request.path)).length;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private newId(model: string): string {
    this.counter += 1;
    if (this.dialect === 'litellm') {
      // Padded so that '+', '/' and '=' all occur, as real LiteLLM ids do.
      const inner = `litellm:custom_llm_provider:gemini;model_id:${model};video_id:op?>~?${this.counter}>>?`;
      return `video_${Buffer.from(inner).toString('base64')}`;
    }
    if (this.dialect === 'bifrost') return `task_${this.counter}:runway`;
    return `v_${this.counter}`;
  }

  private key(req: IncomingMessage): string | undefined {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (this.dialect === 'litellm') return bearer ?? (req.headers['x-litellm-api-key'] as string | undefined);
    return bearer;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    const request: GatewayRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      rawPath: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      contentType,
      files: {},
    };
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
      request.form = {};
      for (const [name, value] of form.entries()) {
        if (typeof value === 'string') request.form[name] = value;
        else request.files[name] = { bytes: Buffer.from(await value.arrayBuffer()), type: value.type };
      }
    } else if (raw.length > 0) {
      request.json = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    }
    this.requests.push(request);
    const key = this.key(req);
    if (!key || !this.keys.includes(key))
      return send(res, 401, { error: { message: 'Authentication Error, invalid api key', type: 'auth_error', code: '401' } });
    const override = this.override?.(request);
    if (override) {
      res.writeHead(override.status, { 'content-type': override.type });
      res.end(override.body);
      return;
    }
    const path = url.pathname.replace(/^\/v1/, '');
    const segment = /^\/videos\/([^/]+)(\/content|\/remix)?$/.exec(path);
    const id = segment ? decodeURIComponent(segment[1]!) : undefined;
    if (path === '/models' && request.method === 'GET') return this.models(res);
    if (path === '/videos' && request.method === 'POST') return this.create(request, key, res);
    if (path === '/videos' && request.method === 'GET') return this.list(request, key, res);
    const job = id === undefined ? undefined : this.jobs.get(id);
    if (segment && !job) return send(res, 404, { error: { message: `video ${id} not found`, code: 'not_found' } });
    if (job && job.owner !== key)
      return send(res, 403, { error: { message: 'User does not have access to this video (FORBIDDEN)', code: '403' } });
    if (job && !segment![2] && request.method === 'GET') return this.retrieve(job, res);
    if (job && segment![2] === '/content' && request.method === 'GET') return this.download(job, res);
    if (job && segment![2] === '/remix' && request.method === 'POST') return this.remix(job, request, key, res);
    if (job && !segment![2] && request.method === 'DELETE') return this.remove(job, res);
    return send(res, 404, { error: { message: `Unknown route ${request.method} ${url.pathname}` } });
  }

  private models(res: ServerResponse): void {
    const ids = {
      litellm: ['gemini/veo-3.1-generate-preview', 'sora-2', 'team-video-model'],
      bifrost: ['openai/sora-2', 'gemini/veo-3.1-generate-preview'],
      llmgateway: ['veo-3.1-generate-preview', 'seedance-2-0', 'kling-v3-0'],
    }[this.dialect];
    send(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1, owned_by: this.dialect })) });
  }

  private create(request: GatewayRequest, owner: string, res: ServerResponse): void {
    let fields: { prompt?: unknown; model?: unknown; seconds?: unknown; size?: unknown };
    if (this.dialect === 'llmgateway') {
      if (!request.json)
        return send(res, 400, { error: { message: 'multipart uploads are not supported; send JSON', code: 'invalid_request' } });
      fields = request.json;
      if (typeof fields.seconds !== 'number')
        return send(res, 400, { error: { message: '`seconds` must be a number', code: 'invalid_request' } });
    } else {
      fields = request.form ?? request.json ?? {};
    }
    const model = text(fields.model, this.dialect === 'llmgateway' ? 'veo-3.1-generate-preview' : 'sora-2');
    if (this.dialect === 'bifrost' && model.startsWith('runway/')) {
      if (model === 'runway/gen4_turbo' && !request.files.input_reference)
        return send(res, 400, { error: { message: 'runway: input_reference is required', code: 'invalid_request' } });
      if (!['5', '10'].includes(String(fields.seconds)))
        return send(res, 400, { error: { message: 'runway: seconds must be 5 or 10', code: 'invalid_request' } });
    }
    const job: Job = {
      video: {
        id: this.newId(model),
        object: 'video',
        model,
        status: 'queued',
        progress: 0,
        created_at: 1_764_000_000 + this.counter,
        completed_at: null,
        expires_at: null,
        prompt: text(fields.prompt, ''),
        size: text(fields.size, '1280x720'),
        seconds: text(fields.seconds, '8'),
        ...(this.dialect === 'litellm' ? { usage: { duration_seconds: Number(fields.seconds ?? 8) } } : {}),
        ...(this.dialect === 'bifrost' ? { extra_fields: { provider: 'runway', latency: 412 } } : {}),
      },
      polls: 0,
      owner,
    };
    this.jobs.set(job.video.id, job);
    send(res, 200, job.video);
  }

  private retrieve(job: Job, res: ServerResponse): void {
    if (job.video.status !== 'completed' && job.video.status !== 'failed' && job.video.status !== 'cancelled') {
      job.polls += 1;
      const working = this.dialect === 'litellm' ? 'processing' : 'in_progress';
      if (job.polls >= this.pollsToComplete) Object.assign(job.video, { status: 'completed', progress: 100, completed_at: 1_764_000_100 });
      else Object.assign(job.video, { status: working, progress: Math.floor((100 * job.polls) / this.pollsToComplete) });
    }
    send(res, 200, job.video);
  }

  private download(job: Job, res: ServerResponse): void {
    if (job.video.status !== 'completed') return send(res, 400, { error: { message: 'video is not ready', code: 'not_ready' } });
    res.writeHead(200, { 'content-type': this.content.type, 'content-length': String(this.content.bytes.length) });
    res.end(this.content.bytes);
  }

  private list(request: GatewayRequest, owner: string, res: ServerResponse): void {
    if (this.dialect !== 'litellm') return send(res, 404, { error: { message: 'listing videos is not supported', code: 'not_supported' } });
    const hint = request.query.get('custom_llm_provider') ?? request.headers['custom-llm-provider'];
    if (!hint) {
      return send(res, 400, {
        error: {
          message: 'custom_llm_provider is required for listing videos: pass ?custom_llm_provider= or a custom-llm-provider header',
          code: '400',
        },
      });
    }
    const all = [...this.jobs.values()].filter((job) => job.owner === owner).map((job) => job.video);
    if (request.query.get('order') !== 'asc') all.reverse();
    const after = request.query.get('after');
    const start = after ? all.findIndex((video) => video.id === after) + 1 : 0;
    const limit = Number(request.query.get('limit') ?? 20);
    const data = all.slice(start, start + limit);
    send(res, 200, {
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: start + limit < all.length,
    });
  }

  private remix(source: Job, request: GatewayRequest, owner: string, res: ServerResponse): void {
    if (this.dialect !== 'litellm')
      return send(res, 404, { error: { message: 'remix is not supported for this provider', code: 'not_supported' } });
    const job: Job = {
      video: {
        ...source.video,
        id: this.newId(String(source.video.model)),
        status: 'queued',
        progress: 0,
        completed_at: null,
        prompt: text(request.json?.prompt, ''),
        remixed_from_video_id: source.video.id,
      },
      polls: 0,
      owner,
    };
    this.jobs.set(job.video.id, job);
    send(res, 200, job.video);
  }

  private remove(job: Job, res: ServerResponse): void {
    if (this.dialect === 'llmgateway') return send(res, 404, { error: { message: 'delete is not supported', code: 'not_supported' } });
    this.jobs.delete(job.video.id);
    send(res, 200, { id: job.video.id, object: 'video.deleted', deleted: true });
  }
}

/** A field as text: strings and numbers as they are, anything else the fallback. */
function text(value: unknown, fallback: string): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

import { readBody } from './http';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { validateRequest, validateResponse } from '../../src/apps/simulator-http/openapi-validator';
import { jpeg, mp4, webp } from './sample-files';

/**
 * A loopback provider that speaks OpenAI's `/v1/videos` spec: every request it receives is validated
 * against the official OpenAPI description (violations are recorded, and answered with 400), every
 * JSON it sends is validated too. Tests steer it with `intercept` to misbehave on command.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> | undefined;
  files: Record<string, { bytes: Buffer; type: string; name: string }>;
}

export type Cut = 'truncate-with-length' | 'truncate-without-length' | 'stall-after-headers' | 'stall-mid-body' | 'gzip';
/**
 * A body cut after `at` bytes in a given framing: `length` (content-length says more), `chunked`
 * (the chunked stream breaks off), `close` (no length, no chunks: the body is what arrives before the
 * connection closes, so only the bytes themselves can show it is incomplete). Or other bytes served
 * in place of the asset.
 */
export type ContentFault = { framing: 'length' | 'chunked' | 'close'; at: number } | { serve: { bytes: Buffer; type: string } };

export interface FakeReply {
  status?: number;
  json?: unknown;
  headers?: Record<string, string>;
  /** Destroy the socket without any answer. */
  reset?: boolean;
  /** Send this text as the body, as it is (not JSON-encoded). */
  raw?: string;
  /** Stream these bytes as the body, as they come (an endless generator never ends it); stopped when the client goes. */
  stream?: () => AsyncIterable<Buffer>;
}

export interface FakeJob {
  video: Record<string, unknown> & { id: string; status: string; progress: number };
  pollsLeft: number;
  startedAt?: number;
  failWith?: { code: string; message: string };
  reference?: { bytes: Buffer; type: string; name: string };
}

export interface FakeServerOptions {
  apiKey?: string;
  /** Retrieves until a job completes. */
  pollsToComplete?: number;
  /** When set, jobs render in wall-clock time instead: this many ms from creation to completion. */
  renderMs?: number;
  content?: Partial<Record<'video' | 'thumbnail' | 'spritesheet', { bytes: Buffer; type: string }>>;
}

/** Small but structurally whole media, as the server verifies what it saves. */
const DEFAULT_CONTENT = {
  video: { bytes: mp4(), type: 'video/mp4' },
  thumbnail: { bytes: webp(64, 36), type: 'image/webp' },
  spritesheet: { bytes: jpeg(64, 36), type: 'image/jpeg' },
};

/** A video object as the spec's `/videos` routes answer it, queued, with these fields over the defaults. */
export function specVideo(fields: Record<string, unknown> & { id: string }): FakeJob['video'] {
  return {
    object: 'video',
    model: 'sora-2',
    status: 'queued',
    progress: 0,
    created_at: 1,
    completed_at: null,
    expires_at: null,
    prompt: 'p',
    size: '720x1280',
    seconds: '4',
    remixed_from_video_id: null,
    error: null,
    ...fields,
  };
}

export class FakeVideosServer {
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  readonly jobs = new Map<string, FakeJob>();
  /** Return a reply to override the normal handling of a request. */
  intercept: ((request: RecordedRequest) => FakeReply | undefined) | undefined;
  /** How the next content downloads misbehave (consumed one per download). */
  readonly cuts: Cut[] = [];
  /** Faults for the content downloads of one job, consumed one per download. */
  readonly faults = new Map<string, ContentFault[]>();
  /** Content responses the client closed before they were finished. */
  abandonedDownloads = 0;
  content: Record<'video' | 'thumbnail' | 'spritesheet', { bytes: Buffer; type: string }>;
  pollsToComplete: number;
  renderMs: number | undefined;
  private counter = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly apiKey: string,
    options: FakeServerOptions,
  ) {
    this.pollsToComplete = options.pollsToComplete ?? 2;
    this.renderMs = options.renderMs;
    this.content = { ...DEFAULT_CONTENT, ...options.content };
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: FakeServerOptions = {}): Promise<FakeVideosServer> {
    // eslint-disable-next-line prefer-const -- assigned once the server that refers to it exists
    let fake: FakeVideosServer | undefined;
    const server = createServer((req, res) => {
      fake!.handle(req, res).catch((error: unknown) => {
        fake!.violations.push(`fake server crashed: ${String(error)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    fake = new FakeVideosServer(server, options.apiKey ?? 'sk-test-fake-key-0123456789', options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseURL(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Resolves once `predicate` holds for the recorded requests: tests wait for events, never for time. */
  /** Resolves once `count` content responses were closed by the client before they were finished. */
  waitForAbandoned(count: number): Promise<void> {
    return this.waitFor(() => this.abandonedDownloads >= count);
  }

  waitFor(predicate: (requests: readonly RecordedRequest[]) => boolean): Promise<void> {
    if (predicate(this.requests)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  private readonly waiters: { predicate: (requests: readonly RecordedRequest[]) => boolean; resolve: () => void }[] = [];

  private notifyWaiters(): void {
    for (const waiter of [...this.waiters]) {
      if (!waiter.predicate(this.requests)) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  count(method: string, pathPattern: RegExp): number {
    return this.requests.filter((request) => request.method === method && pathPattern.test(request.path)).length;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Adds a job directly, e.g. an already completed one. */
  addJob(overrides: Partial<FakeJob['video']> = {}, pollsLeft = 0): FakeJob {
    const job: FakeJob = {
      video: this.newVideo({
        prompt: 'seeded',
        status: pollsLeft === 0 ? 'completed' : 'queued',
        progress: pollsLeft === 0 ? 100 : 0,
        ...overrides,
      }),
      pollsLeft,
    };
    this.jobs.set(job.video.id, job);
    return job;
  }

  private newVideo(fields: Record<string, unknown>): FakeJob['video'] {
    this.counter += 1;
    return specVideo({
      id: `video_${String(this.counter).padStart(4, '0')}`,
      created_at: 1_760_000_000 + this.counter,
      prompt: null,
      ...fields,
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: undefined,
      files: {},
    };
    const contentType = req.headers['content-type'] ?? '';
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
      record.body = {};
      for (const [key, value] of form.entries()) {
        if (typeof value === 'string') record.body[key] = value;
        else {
          record.files[key] = { bytes: Buffer.from(await value.arrayBuffer()), type: value.type, name: value.name };
          record.body[key] = 'binary';
        }
      }
    } else if (raw.length > 0) {
      record.body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    }
    this.requests.push(record);
    // After the answer is decided below; a waiter sees the request once it is recorded.
    setImmediate(() => this.notifyWaiters());

    const route = matchRoute(record.method, url.pathname);
    if (!route)
      return this.reply(res, 404, {
        error: { message: `Unknown path ${url.pathname}`, type: 'invalid_request_error', param: null, code: null },
      });
    const problems = validateRequest(record.method, route.specPath, {
      query: url.searchParams,
      pathParams: route.params,
      contentType,
      body: record.body,
    });
    if (problems.length > 0) {
      this.violations.push(...problems.map((problem) => `${record.method} ${url.pathname}: ${problem}`));
      return this.reply(res, 400, {
        error: { message: problems.join('; '), type: 'invalid_request_error', param: null, code: 'spec_violation' },
      });
    }
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      const presented = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      return this.reply(res, 401, {
        error: {
          message: `Incorrect API key provided: ${presented.slice(0, 5)}*****${presented.slice(-4)}. You can find your API key in your account settings.`,
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    }
    const override = this.intercept?.(record);
    if (override) {
      if (override.reset) {
        req.socket.destroy();
        return;
      }
      if (override.raw !== undefined) {
        res.writeHead(override.status ?? 200, { 'content-type': 'application/json', ...override.headers });
        res.end(override.raw);
        return;
      }
      if (override.stream) {
        res.writeHead(override.status ?? 200, { 'content-type': 'video/mp4', ...override.headers });
        let gone = false;
        res.once('close', () => (gone = true));
        for await (const chunk of override.stream()) {
          if (gone) break;
          // Backpressure: the next chunk waits for the client to take this one.
          if (!res.write(chunk)) {
            // Whichever comes first; the other listener is removed, so a long stream does not pile them up.
            await new Promise<void>((resolve) => {
              const done = () => {
                res.off('drain', done);
                res.off('close', done);
                resolve();
              };
              res.once('drain', done).once('close', done);
            });
          }
        }
        if (!gone) res.end();
        return;
      }
      return this.reply(res, override.status ?? 200, override.json ?? {}, override.headers);
    }
    await this.route(route.name, route.params, record, res);
  }

  private async route(name: string, params: Record<string, string>, record: RecordedRequest, res: ServerResponse): Promise<void> {
    const missing = () =>
      this.reply(res, 404, {
        error: { message: `Video ${params.video_id} not found`, type: 'invalid_request_error', param: null, code: 'not_found' },
      });
    switch (name) {
      case 'create': {
        const body = record.body ?? {};
        const job: FakeJob = {
          video: this.newVideo({
            prompt: body.prompt,
            model: body.model ?? 'sora-2',
            size: body.size ?? '720x1280',
            seconds: body.seconds ?? '4',
          }),
          pollsLeft: this.pollsToComplete,
          startedAt: Date.now(),
          reference: record.files.input_reference,
        };
        if (String(body.prompt).includes('[fail]'))
          job.failWith = { code: 'moderation_blocked', message: 'The prompt was blocked by moderation.' };
        this.jobs.set(job.video.id, job);
        return this.video(res, job);
      }
      case 'list': {
        const order = record.query.get('order') ?? 'desc';
        const limit = Number(record.query.get('limit') ?? 20);
        let all = [...this.jobs.values()].map((job) => job.video).sort((a, b) => (a.created_at as number) - (b.created_at as number));
        if (order === 'desc') all = all.reverse();
        const after = record.query.get('after');
        const start = after ? all.findIndex((video) => video.id === after) + 1 : 0;
        const data = all.slice(start, start + limit);
        return this.reply(
          res,
          200,
          { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: start + limit < all.length },
          undefined,
          'VideoListResource',
        );
      }
      case 'retrieve': {
        const job = this.jobs.get(params.video_id!);
        if (!job) return missing();
        this.advance(job);
        return this.video(res, job);
      }
      case 'delete': {
        if (!this.jobs.delete(params.video_id!)) return missing();
        return this.reply(res, 200, { object: 'video.deleted', deleted: true, id: params.video_id }, undefined, 'DeletedVideoResource');
      }
      case 'remix': {
        const source = this.jobs.get(params.video_id!);
        if (!source) return missing();
        const job: FakeJob = {
          video: this.newVideo({
            prompt: record.body?.prompt,
            size: source.video.size,
            seconds: source.video.seconds,
            remixed_from_video_id: source.video.id,
          }),
          pollsLeft: this.pollsToComplete,
          startedAt: Date.now(),
        };
        this.jobs.set(job.video.id, job);
        return this.video(res, job);
      }
      case 'content': {
        const job = this.jobs.get(params.video_id!);
        if (!job) return missing();
        if (job.video.status !== 'completed') {
          return this.reply(res, 400, {
            error: { message: 'Video is not ready yet.', type: 'invalid_request_error', param: null, code: 'video_not_ready' },
          });
        }
        const variant = (record.query.get('variant') ?? 'video') as 'video' | 'thumbnail' | 'spritesheet';
        const fault = this.faults.get(job.video.id)?.shift();
        if (fault) return this.sendFault(res, this.content[variant], fault);
        return this.sendContent(res, this.content[variant]);
      }
    }
  }

  private advance(job: FakeJob): void {
    if (job.video.status === 'completed' || job.video.status === 'failed') return;
    // '[hold]' in the prompt: the job runs, reporting no progress, until the test ends.
    if (String(job.video.prompt).includes('[hold]')) {
      Object.assign(job.video, { status: 'in_progress', progress: 0 });
      return;
    }
    if (this.renderMs !== undefined) {
      const fraction = (Date.now() - (job.startedAt ?? Date.now())) / this.renderMs;
      job.pollsLeft = fraction >= 1 ? 1 : Number.POSITIVE_INFINITY;
      if (fraction < 1) {
        Object.assign(job.video, { status: 'in_progress', progress: Math.floor(100 * fraction) });
        return;
      }
    }
    job.pollsLeft -= 1;
    if (job.pollsLeft <= 0) {
      if (job.failWith) Object.assign(job.video, { status: 'failed', error: job.failWith });
      else
        Object.assign(job.video, {
          status: 'completed',
          progress: 100,
          completed_at: (job.video.created_at as number) + 60,
          expires_at: (job.video.created_at as number) + 86_460,
        });
    } else {
      const done = this.pollsToComplete - job.pollsLeft;
      Object.assign(job.video, { status: 'in_progress', progress: Math.floor((100 * done) / this.pollsToComplete) });
    }
  }

  private video(res: ServerResponse, job: FakeJob): void {
    this.reply(res, 200, job.video, undefined, 'VideoResource');
  }

  private sendFault(res: ServerResponse, asset: { bytes: Buffer; type: string }, fault: ContentFault): void {
    if ('serve' in fault) {
      res.writeHead(200, { 'content-type': fault.serve.type, 'content-length': String(fault.serve.bytes.length) });
      res.end(fault.serve.bytes);
      return;
    }
    const part = asset.bytes.subarray(0, fault.at);
    const socket = res.socket!;
    if (fault.framing === 'close') {
      // Written by hand: Node's server would add chunked framing, which shows the cut by itself.
      res.detachSocket(socket);
      socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: ${asset.type}\r\nconnection: close\r\n\r\n`), part]));
      return;
    }
    res.writeHead(200, {
      'content-type': asset.type,
      ...(fault.framing === 'length' ? { 'content-length': String(asset.bytes.length) } : {}),
    });
    res.write(part, () => socket.destroy());
  }

  private sendContent(res: ServerResponse, asset: { bytes: Buffer; type: string }): void {
    const cut = this.cuts.shift();
    const half = asset.bytes.subarray(0, Math.floor(asset.bytes.length / 2));
    if (cut === 'gzip') {
      const compressed = gzipSync(asset.bytes);
      res.writeHead(200, { 'content-type': asset.type, 'content-encoding': 'gzip', 'content-length': String(compressed.length) });
      res.end(compressed);
      return;
    }
    if (cut === 'truncate-without-length') {
      res.writeHead(200, { 'content-type': asset.type });
      res.write(half, () => res.socket?.destroy());
      return;
    }
    res.writeHead(200, { 'content-type': asset.type, 'content-length': String(asset.bytes.length) });
    res.on('close', () => {
      if (!res.writableFinished && cut !== 'truncate-with-length') this.abandonedDownloads += 1;
      this.notifyWaiters();
    });
    if (cut === 'truncate-with-length') res.write(half, () => res.socket?.destroy());
    else if (cut === 'stall-after-headers') res.flushHeaders();
    else if (cut === 'stall-mid-body') res.write(half);
    else res.end(asset.bytes);
  }

  private reply(res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}, schema?: string): void {
    if (schema && status === 200) this.violations.push(...validateResponse(schema, json));
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(json));
  }
}

function matchRoute(method: string, pathname: string): { name: string; specPath: string; params: Record<string, string> } | undefined {
  const path = pathname.replace(/^\/v1/, '');
  let match: RegExpExecArray | null;
  if (path === '/videos' && method === 'POST') return { name: 'create', specPath: '/videos', params: {} };
  if (path === '/videos' && method === 'GET') return { name: 'list', specPath: '/videos', params: {} };
  if ((match = /^\/videos\/([^/]+)\/remix$/.exec(path)) && method === 'POST')
    return { name: 'remix', specPath: '/videos/{video_id}/remix', params: { video_id: decodeURIComponent(match[1]!) } };
  if ((match = /^\/videos\/([^/]+)\/content$/.exec(path)) && method === 'GET')
    return { name: 'content', specPath: '/videos/{video_id}/content', params: { video_id: decodeURIComponent(match[1]!) } };
  if ((match = /^\/videos\/([^/]+)$/.exec(path))) {
    const params = { video_id: decodeURIComponent(match[1]!) };
    if (method === 'GET') return { name: 'retrieve', specPath: '/videos/{video_id}', params };
    if (method === 'DELETE') return { name: 'delete', specPath: '/videos/{video_id}', params };
  }
  return undefined;
}

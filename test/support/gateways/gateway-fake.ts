import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readBody } from '../http';
import { mp4 } from '../sample-files';

/**
 * What every gateway fake shares: a loopback server that records each request as it arrived
 * (parsed JSON or multipart, files kept), a store of upstream jobs that complete after a few status
 * checks, and hooks for tests (an override reply, the bytes served). The gateways' own behaviour,
 * quirks included, lives in one file each beside this one, with its sources.
 */
export interface GatewayRequest {
  method: string;
  /** The path with percent-escapes decoded once. */
  path: string;
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  contentType: string;
  json?: Record<string, unknown>;
  form?: Record<string, string>;
  files: Record<string, { bytes: Buffer; type: string; name: string }>;
  /** The body was not parseable as its content type said. */
  unparseable?: boolean;
}

export interface Reply {
  status: number;
  body: string | Buffer;
  type: string;
  headers?: Record<string, string>;
}

/** A job as the upstream behind the gateway keeps it. */
export interface UpstreamJob {
  id: string;
  model: string;
  prompt: string;
  size: string;
  seconds: string;
  status: 'queued' | 'in_progress' | 'completed' | 'failed';
  progress: number;
  polls: number;
  createdAt: number;
  remixedFrom: string | null;
  /** What the create asked for, as the gateway read it. */
  request: Record<string, unknown>;
  owner?: string;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(body),
  type: 'application/json',
  headers,
});

export abstract class GatewayFake {
  readonly requests: GatewayRequest[] = [];
  readonly jobs = new Map<string, UpstreamJob>();
  /** Status checks until a job completes. */
  pollsToComplete = 2;
  content = { bytes: mp4(), type: 'video/mp4' };
  /** Reply to a request with this instead of the gateway's own answer (misbehaviour tests). */
  override: ((request: GatewayRequest) => Reply | undefined) | undefined;
  private counter = 0;
  private server: Server | undefined;
  private secure = false;
  private readonly waiters: { predicate: () => boolean; resolve: () => void }[] = [];

  /** The path the OpenAI SDK is pointed at (OPENAI_BASE_URL is the origin plus this). */
  protected abstract readonly basePath: string;
  /** Keys the gateway accepts: the first is the one tests give the server. */
  abstract readonly keys: readonly string[];
  protected abstract route(request: GatewayRequest): Promise<Reply> | Reply;

  async listen(tls?: { key: string; cert: string }): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake crashed: ${String(error)}`);
      });
    };
    this.secure = tls !== undefined;
    this.server = tls ? createHttpsServer(tls, handler) : createServer(handler);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get origin(): string {
    const port = (this.server!.address() as AddressInfo).port;
    return `${this.secure ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  get baseURL(): string {
    return `${this.origin}${this.basePath}`;
  }

  get apiKey(): string {
    return this.keys[0]!;
  }

  count(method: string, pattern: RegExp): number {
    return this.requests.filter((request) => request.method === method && pattern.test(request.path)).length;
  }

  /** The requests a route received (by method and a pattern on the path). */
  received(method: string, pattern: RegExp): GatewayRequest[] {
    return this.requests.filter((request) => request.method === method && pattern.test(request.path));
  }

  /** Resolves once `predicate` holds: tests wait for events, never for time. */
  waitFor(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  close(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Starts an upstream job. */
  protected startJob(
    fields: Pick<UpstreamJob, 'model' | 'prompt' | 'size' | 'seconds' | 'request'> & Partial<UpstreamJob>,
    prefix = 'video_',
  ): UpstreamJob {
    this.counter += 1;
    const job: UpstreamJob = {
      id: `${prefix}${String(this.counter).padStart(4, '0')}`,
      status: 'queued',
      progress: 0,
      polls: 0,
      createdAt: 1_764_000_000 + this.counter,
      remixedFrom: null,
      ...fields,
    };
    this.jobs.set(job.id, job);
    return job;
  }

  /** A status check moves a job on: upstreams here render as they are asked. */
  protected advance(job: UpstreamJob): UpstreamJob {
    if (job.status === 'completed' || job.status === 'failed') return job;
    job.polls += 1;
    if (job.prompt.includes('[fail]') && job.polls >= 1) {
      Object.assign(job, { status: 'failed', progress: 50 });
    } else if (job.polls >= this.pollsToComplete) {
      Object.assign(job, { status: 'completed', progress: 100 });
    } else {
      Object.assign(job, { status: 'in_progress', progress: Math.floor((100 * job.polls) / this.pollsToComplete) });
    }
    return job;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    const request: GatewayRequest = {
      method: req.method ?? 'GET',
      path: safeDecode(url.pathname),
      rawPath: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      contentType,
      files: {},
    };
    if (contentType.startsWith('multipart/form-data')) {
      try {
        const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
        request.form = {};
        for (const [name, value] of form.entries()) {
          if (typeof value === 'string') request.form[name] = value;
          else request.files[name] = { bytes: Buffer.from(await value.arrayBuffer()), type: value.type, name: value.name };
        }
      } catch {
        request.unparseable = true;
      }
    } else if (raw.length > 0) {
      try {
        request.json = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        request.unparseable = true;
      }
    }
    this.requests.push(request);
    const reply = this.override?.(request) ?? (await this.route(request));
    res.writeHead(reply.status, { 'content-type': reply.type, ...reply.headers });
    res.end(reply.body);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** A field as text: strings and numbers as they are, anything else the fallback. */
export function text(value: unknown, fallback: string): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}

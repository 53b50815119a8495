import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { isDomainError, providerRefused } from '../../domain/errors';
import { IMAGE_MIME_TYPES, type ImageMimeType } from '../../domain/media';
import type { CreateVideoParams, Logger, VideoProvider } from '../../domain/ports';
import type { VideoVariant } from '../../domain/video';
import { HostGuard } from '../host-guard';
import { describeError, GENERIC } from '../../mcp/error-words';
import { validateRequest, validateResponse } from './openapi-validator';

export interface SimulatorHttpOptions {
  host: string;
  port: number;
  /** When set, requests must carry exactly this bearer token; otherwise any token, or none, is accepted. */
  apiKey?: string;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

class BodyTooLarge extends Error {}

/** A 400 as the API would send it. */
function simulatorRejection(apiMessage: string): Error {
  return providerRefused('bad_request', { status: 400, provider: 'the simulator', provider_message: apiMessage });
}

interface Route {
  name: 'create' | 'list' | 'retrieve' | 'delete' | 'remix' | 'content';
  specPath: string;
  params: Record<string, string>;
}

/**
 * The simulator behind OpenAI's `/v1/videos` HTTP API, on loopback: any OpenAI-SDK program can point
 * OPENAI_BASE_URL at it. Requests and responses are validated against the official spec; failures
 * use OpenAI's error shape.
 */
export class SimulatorHttpServer {
  private constructor(
    private readonly server: Server,
    readonly baseURL: string,
  ) {}

  static async start(provider: VideoProvider, logger: Logger, options: SimulatorHttpOptions): Promise<SimulatorHttpServer> {
    const hosts = new HostGuard({ listenHost: options.host });
    const server = createServer((req, res) => {
      // DNS rebinding: only requests naming this address or a loopback name, and not from a browser page elsewhere.
      const refusal = hosts.refusal(req);
      if (refusal) return sendError(res, refusal.status, refusal.message, 'invalid_request_error', 'forbidden_host');
      handle(provider, logger, options, req, res).catch((error: unknown) => {
        logger.log('error', 'simulator HTTP face: unexpected error', { error });
        if (!res.headersSent) sendError(res, 500, 'Internal simulator error.', 'server_error');
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, resolve);
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return new SimulatorHttpServer(server, `http://${host}:${address.port}/v1`);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function handle(
  provider: VideoProvider,
  logger: Logger,
  options: SimulatorHttpOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  logger.log('debug', `simulator: ${req.method} ${url.pathname}${url.search}`);
  const route = matchRoute(req.method ?? 'GET', url.pathname);
  if (!route) return sendError(res, 404, `Unknown request URL: ${req.method} ${url.pathname}.`, 'invalid_request_error', 'unknown_url');
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (options.apiKey !== undefined && token !== options.apiKey) {
    return sendError(res, 401, 'Incorrect or missing API key (simulator).', 'invalid_request_error', 'invalid_api_key');
  }
  const signal = abortOnClose(req, res);
  try {
    const { body, file } = await readBody(req);
    const problems = validateRequest(req.method ?? 'GET', route.specPath, {
      query: url.searchParams,
      pathParams: route.params,
      contentType: req.headers['content-type'],
      body,
    });
    if (problems.length > 0) return sendError(res, 400, problems.join('; '), 'invalid_request_error', 'invalid_request');
    await dispatch(provider, route, url.searchParams, body ?? {}, file, res, signal);
  } catch (error) {
    if (error instanceof BodyTooLarge) return sendError(res, 413, error.message, 'invalid_request_error', 'request_too_large');
    const said = isDomainError(error) && error.code === 'bad_request' ? error.details?.provider_message : undefined;
    if (typeof said === 'string') return sendError(res, 400, said, 'invalid_request_error');
    if (isDomainError(error) && error.code === 'not_found') {
      return sendError(res, 404, describeError(error, GENERIC), 'invalid_request_error', 'not_found');
    }
    if (isDomainError(error) && error.code === 'cancelled') return;
    throw error;
  }
}

async function dispatch(
  provider: VideoProvider,
  route: Route,
  query: URLSearchParams,
  body: Record<string, unknown>,
  file: CreateVideoParams['inputReference'],
  res: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  const id = route.params.video_id!;
  switch (route.name) {
    case 'create': {
      if (body.input_reference !== undefined && !file) {
        throw simulatorRejection('The simulator accepts input_reference as an uploaded file only (not image_url or file_id).');
      }
      const params: CreateVideoParams = { prompt: String(body.prompt) };
      if (typeof body.model === 'string') params.model = body.model;
      if (typeof body.seconds === 'string') params.seconds = body.seconds;
      if (typeof body.size === 'string') params.size = body.size;
      if (file) params.inputReference = file;
      return sendJson(res, 'VideoResource', await provider.create(params, { signal }));
    }
    case 'list': {
      const limit = query.get('limit');
      const order = query.get('order');
      return sendJson(
        res,
        'VideoListResource',
        await provider.list(
          {
            after: query.get('after') ?? undefined,
            limit: limit === null ? undefined : Number(limit),
            order: order === 'asc' || order === 'desc' ? order : undefined,
          },
          { signal },
        ),
      );
    }
    case 'retrieve':
      return sendJson(res, 'VideoResource', await provider.retrieve({ id }, { signal }));
    case 'delete':
      return sendJson(res, 'DeletedVideoResource', await provider.delete({ id }, { signal }));
    case 'remix':
      return sendJson(res, 'VideoResource', await provider.remix({ id }, { prompt: String(body.prompt) }, { signal }));
    case 'content': {
      const content = await provider.downloadContent({ id }, (query.get('variant') ?? 'video') as VideoVariant, { signal });
      const headers: Record<string, string> = { 'content-type': content.contentType };
      if (content.contentLength !== undefined) headers['content-length'] = String(content.contentLength);
      res.writeHead(200, headers);
      await pipeline(Readable.from(content.body), res).catch(() => res.destroy());
      return;
    }
  }
}

function matchRoute(method: string, pathname: string): Route | undefined {
  const path = pathname.replace(/^\/v1(?=\/)/, '');
  let match: RegExpExecArray | null;
  if (path === '/videos') {
    if (method === 'POST') return { name: 'create', specPath: '/videos', params: {} };
    if (method === 'GET') return { name: 'list', specPath: '/videos', params: {} };
  }
  if ((match = /^\/videos\/([^/]+)\/remix$/.exec(path)) && method === 'POST')
    return { name: 'remix', specPath: '/videos/{video_id}/remix', params: { video_id: decode(match[1]!) } };
  if ((match = /^\/videos\/([^/]+)\/content$/.exec(path)) && method === 'GET')
    return { name: 'content', specPath: '/videos/{video_id}/content', params: { video_id: decode(match[1]!) } };
  if ((match = /^\/videos\/([^/]+)$/.exec(path))) {
    if (method === 'GET') return { name: 'retrieve', specPath: '/videos/{video_id}', params: { video_id: decode(match[1]!) } };
    if (method === 'DELETE') return { name: 'delete', specPath: '/videos/{video_id}', params: { video_id: decode(match[1]!) } };
  }
  return undefined;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function readBody(
  req: IncomingMessage,
): Promise<{ body: Record<string, unknown> | undefined; file: CreateVideoParams['inputReference'] }> {
  const raw = await readRaw(req);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, file: undefined };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://simulator/', { method: 'POST', headers: { 'content-type': type }, body: raw })
      .formData()
      .catch(() => {
        throw simulatorRejection('The multipart body could not be parsed.');
      });
    const body: Record<string, unknown> = {};
    let file: CreateVideoParams['inputReference'];
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') body[key] = value;
      else {
        body[key] = 'binary';
        if (key === 'input_reference') {
          const mimeType = (IMAGE_MIME_TYPES as readonly string[]).includes(value.type) ? (value.type as ImageMimeType) : 'image/png';
          file = { bytes: new Uint8Array(await value.arrayBuffer()), mimeType, filename: value.name };
        }
      }
    }
    return { body, file };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, file: undefined };
  } catch {
    throw simulatorRejection('The request body is not valid JSON.');
  }
}

/** The whole body, or BodyTooLarge once it has all arrived (nothing past the limit is kept). */
function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () =>
      size > MAX_BODY_BYTES
        ? reject(new BodyTooLarge(`The request body is larger than ${MAX_BODY_BYTES} bytes.`))
        : resolve(Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}

function abortOnClose(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  req.on('aborted', () => controller.abort());
  return controller.signal;
}

function sendJson(res: ServerResponse, schema: string, value: object): void {
  const problems = validateResponse(schema, value);
  if (problems.length > 0) throw new Error(`simulator response violates the spec: ${problems.join('; ')}`);
  const text = JSON.stringify(value);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }).end(text);
}

function sendError(res: ServerResponse, status: number, message: string, type: string, code: string | null = null): void {
  const text = JSON.stringify({ error: { message, type, param: null, code } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }).end(text);
}

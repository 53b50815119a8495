import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, type AuthInfo } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { Sora2Server } from '../../composition/create-server';
import { HostGuard, listenAddress } from '../host-guard';
import type { Authenticator } from './authentication';

export interface HttpServeOptions {
  host: string;
  port: number;
  /** Who each request acts for: one shared token (or none, `--no-auth` on loopback), a users file, or OAuth. */
  authenticator: Authenticator;
  /** Host names (or host:port) a request's Host and Origin may name, besides the loopback names. */
  allowedHosts: readonly string[];
  /** Largest request body (a 20 MiB reference image as base64 fits). */
  maxBodyBytes: number;
  /** Request bodies read at once, at most; one more gets 503 (each may be up to `maxBodyBytes`, so this bounds memory). */
  maxRequestBodies: number;
}

/** The largest request body `sora2-mcp http` reads: a fixed limit, not a setting. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** A stream with nothing to say sends a comment this often, so proxies keep a wait of minutes open. */
const KEEP_ALIVE_MS = 15_000;

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

/**
 * `sora2-mcp http`: MCP over Streamable HTTP at /mcp, stateless. Each request is served by a fresh MCP server
 * (built from what the process made once), for 2026-07-28 clients and 2025-11-25 clients alike; nothing of a
 * client is kept between requests, so any replica behind any balancer answers any request. Every request is
 * checked in this order: path, Host and Origin against the allowlist (DNS rebinding, 403), the bearer token (401),
 * the body (413, 503). A client that goes away cancels its call (its stream closed is the 2026 cancellation).
 */
export async function startHttpServer(sora2: Sora2Server, options: HttpServeOptions): Promise<RunningHttpServer> {
  const handle = (responseMode: 'auto' | 'sse') => {
    // The user the request's token named (set below, never from a header) is who its server acts for.
    // The request's auth info also says which one tool it calls, if one (onlyToolCalled): its server needs only that one.
    const handler = createMcpHandler((ctx) => sora2.createMcpServer(userOf(ctx.authInfo), { calls: toolOf(ctx.authInfo) }), {
      responseMode,
      keepAliveMs: KEEP_ALIVE_MS,
      onerror: (error) => sora2.logger.log('debug', `http: ${error.message}`),
    });
    const node = toNodeHandler(handler, { onerror: (error) => sora2.logger.log('error', `http: unexpected error: ${error.message}`) });
    return { handler, node };
  };
  // A call that may take minutes (one that starts a job or writes a file) is a stream from its first byte, so the
  // keep-alive covers its wait, progress or not; anything else is a plain JSON answer unless it sends a notification.
  const quick = handle('auto');
  const long = handle('sse');
  const mayWait = new Set(sora2.toolNames({ readOnly: false }));
  const serveMcp = (req: IncomingMessage, res: ServerResponse, body?: unknown) => {
    const auth = (req as IncomingMessage & { auth?: AuthInfo }).auth;
    if (auth?.extra) auth.extra.calls = onlyToolCalled(body);
    return (callsToolIn(body, mayWait) ? long : quick).node(req, res, body);
  };
  /** Request bodies being read right now. */
  let readingBodies = 0;
  const inFlight = new LegacyCalls();
  const hosts = new HostGuard({ listenHost: options.host, allowed: options.allowedHosts, howToAllow: '--allowed-host' });
  const server: Server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      sora2.logger.log('error', `http: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) reply(res, 500, 'Internal server error.');
      else res.destroy();
    });
  });

  const metadata = options.authenticator.metadata;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refusal = hosts.refusal(req);
    if (metadata?.paths.includes(url.pathname)) {
      if (refusal) return reply(res, refusal.status, refusal.message);
      // RFC 9728: where a client learns which authorization server issues tokens for this resource. Public.
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' }).end(JSON.stringify(metadata.document));
      return;
    }
    if (url.pathname !== '/mcp') return reply(res, 404, 'Not found: the MCP endpoint is /mcp.');
    if (refusal) return reply(res, refusal.status, refusal.message);
    const verdict = await options.authenticator.authenticate(req);
    if ('refused' in verdict) {
      res.setHeader('WWW-Authenticate', verdict.challenge);
      return reply(res, 401, `Unauthorized: ${verdict.refused}.`);
    }
    (req as IncomingMessage & { auth?: AuthInfo }).auth = { token: '', clientId: verdict.user, scopes: [], extra: { user: verdict.user } };
    if (req.method !== 'POST') return serveMcp(req, res);
    if (readingBodies >= options.maxRequestBodies) {
      res.setHeader('Retry-After', '1');
      return reply(res, 503, `Busy: ${options.maxRequestBodies} request bodies are being read; try again shortly.`);
    }
    readingBodies += 1;
    const read = await readBody(req, options.maxBodyBytes).finally(() => (readingBodies -= 1));
    if (read === undefined) return reply(res, 413, `Request body over ${options.maxBodyBytes} bytes.`);
    let body: unknown;
    try {
      body = JSON.parse(read);
    } catch {
      return replyRpc(res, 400, -32700, 'Parse error: the body is not JSON.');
    }
    // A 2025 client cancels with a notification in a request of its own, which no per-request server can see:
    // it ends the call's response here instead, the way a 2026 client cancels (by closing the stream).
    inFlight.cancelNamedIn(body, req);
    const done = inFlight.track(body, req, res);
    try {
      return await serveMcp(req, res, body);
    } finally {
      done();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, listenAddress(options.host), () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/mcp`,
    close: async () => {
      await Promise.all([quick.handler.close(), long.handler.close()]).catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The calls in flight on this process, by caller and JSON-RPC id, so that a 2025 `notifications/cancelled` can end
 * the call it names. A caller is its Authorization header (one user's token); an id that more than one of a
 * caller's clients has in flight cancels nothing, rather than the wrong call. Behind a balancer, the notification
 * reaches the replica that runs the call only by chance: a 2025 client over HTTP should close the request instead.
 */
class LegacyCalls {
  private readonly calls = new Map<string, Set<ServerResponse>>();

  track(body: unknown, req: IncomingMessage, res: ServerResponse): () => void {
    // A 2026 client cancels by closing the stream: only the calls of 2025 clients need finding by id.
    if (header(req, 'mcp-protocol-version') === '2026-07-28') return () => undefined;
    const keys = messagesOf(body)
      .filter((message) => message.method === 'tools/call' && (typeof message.id === 'string' || typeof message.id === 'number'))
      .map((message) => this.key(req, message.id as string | number));
    if (keys.length === 0) return () => undefined;
    for (const key of keys) {
      let responses = this.calls.get(key);
      if (!responses) this.calls.set(key, (responses = new Set()));
      responses.add(res);
    }
    return () => {
      for (const key of keys) {
        const responses = this.calls.get(key);
        responses?.delete(res);
        if (responses?.size === 0) this.calls.delete(key);
      }
    };
  }

  cancelNamedIn(body: unknown, req: IncomingMessage): void {
    for (const message of messagesOf(body)) {
      if (message.method !== 'notifications/cancelled') continue;
      const id = (message.params as { requestId?: unknown } | undefined)?.requestId;
      if (typeof id !== 'string' && typeof id !== 'number') continue;
      const responses = this.calls.get(this.key(req, id));
      if (responses?.size === 1) for (const res of responses) res.destroy();
    }
  }

  private key(req: IncomingMessage, id: string | number): string {
    // The caller is the user the token named: one user's calls are never another's to cancel.
    return `${userOf((req as IncomingMessage & { auth?: AuthInfo }).auth) ?? ''}\n${typeof id} ${id}`;
  }
}

/** The tool a request calls when it is one tools/call and nothing else: its server needs only that tool. */
function onlyToolCalled(body: unknown): string | undefined {
  const messages = messagesOf(body);
  const name = (messages[0]?.params as { name?: unknown } | undefined)?.name;
  return messages.length === 1 && messages[0]!.method === 'tools/call' && typeof name === 'string' ? name : undefined;
}

/** Whether the body is (or holds) a `tools/call` of one of `tools`. */
function callsToolIn(body: unknown, tools: ReadonlySet<string>): boolean {
  return messagesOf(body).some(
    (message) => message.method === 'tools/call' && tools.has(String((message.params as { name?: unknown } | undefined)?.name)),
  );
}

function messagesOf(body: unknown): Record<string, unknown>[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.filter((message): message is Record<string, unknown> => typeof message === 'object' && message !== null);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The one tool the request calls, when it calls one and nothing else (set by serveMcp). */
function toolOf(auth: AuthInfo | undefined): string | undefined {
  const calls = auth?.extra?.calls;
  return typeof calls === 'string' ? calls : undefined;
}

/** The user the authenticator found for this request (undefined: the one user). */
function userOf(auth: AuthInfo | undefined): string | undefined {
  const user = auth?.extra?.user;
  return typeof user === 'string' ? user : undefined;
}

/** The body as text, or undefined when it is larger than `maxBytes` (the rest is drained, not kept). */
async function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  const declared = Number(header(req, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return undefined;
  }
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      req.resume();
      return undefined;
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
}

function replyRpc(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

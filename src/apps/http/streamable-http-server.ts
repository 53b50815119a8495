import { randomUUID, timingSafeEqual } from 'node:crypto';
import { ENV } from '../../config/variables';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, isJSONRPCRequest, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { Sora2Server } from '../../composition/create-server';
import { HostGuard, listenAddress } from '../host-guard';

export interface HttpServeOptions {
  host: string;
  port: number;
  /** Bearer token every request must carry; undefined only for `--no-auth` on loopback. */
  token: string | undefined;
  /** Host names (or host:port) a request's Host and Origin may name, besides the loopback names. */
  allowedHosts: readonly string[];
  /** Open sessions at most; a new one beyond it gets 503. */
  maxSessions: number;
  /** A session with nothing in flight for this long is closed. */
  idleMs: number;
  /** Largest request body (a 20 MiB reference image as base64 fits). */
  maxBodyBytes: number;
  /** Request bodies read at once, at most; one more gets 503 (each may be up to `maxBodyBytes`, so this bounds memory). */
  maxRequestBodies: number;
}

export const HTTP_DEFAULTS = { maxSessions: 64, idleMs: 30 * 60_000, maxBodyBytes: 32 * 1024 * 1024, maxRequestBodies: 8 } as const;

interface Session {
  sora2: Sora2Server;
  transport: StreamableHTTPServerTransport;
  lastActive: number;
  inFlight: number;
}

export interface RunningHttpServer {
  url: string;
  sessionCount(): number;
  close(): Promise<void>;
}

/**
 * `sora2-mcp http`: MCP over Streamable HTTP at /mcp, one server instance per session (its own
 * progress, cancellation and logging level; no notification crosses sessions). Every request is
 * checked in this order: path, Host and Origin against the allowlist (DNS rebinding, 403), the
 * bearer token (401), the session. Jobs live at the provider and files in the store, so any
 * instance, behind any balancer, can answer for any job.
 */
export async function startHttpServer(newServer: () => Sora2Server, options: HttpServeOptions): Promise<RunningHttpServer> {
  const sessions = new Map<string, Session>();
  /** Sessions being opened (their initialize not answered yet): they count against --max-sessions too. */
  let opening = 0;
  /** Request bodies being read right now. */
  let readingBodies = 0;
  const hosts = new HostGuard({ listenHost: options.host, allowed: options.allowedHosts, howToAllow: '--allowed-host' });
  const server: Server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      process.stderr.write(`sora2-mcp http: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!res.headersSent) reply(res, 500, 'Internal server error.');
      else res.destroy();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/mcp') return reply(res, 404, 'Not found: the MCP endpoint is /mcp.');
    const refusal = hosts.refusal(req);
    if (refusal) return reply(res, refusal.status, refusal.message);
    if (options.token !== undefined && !hasToken(req, options.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="sora2-mcp"');
      return reply(res, 401, `Unauthorized: send Authorization: Bearer <token> (${ENV.httpToken.name}).`);
    }
    const sessionId = header(req, 'mcp-session-id');
    let body: unknown;
    if (req.method === 'POST') {
      if (readingBodies >= options.maxRequestBodies) {
        res.setHeader('Retry-After', '1');
        return reply(res, 503, `Busy: ${options.maxRequestBodies} request bodies are being read; try again shortly.`);
      }
      readingBodies += 1;
      const read = await readBody(req, options.maxBodyBytes).finally(() => (readingBodies -= 1));
      if (read === undefined) return reply(res, 413, `Request body over ${options.maxBodyBytes} bytes.`);
      try {
        body = JSON.parse(read);
      } catch {
        return replyRpc(res, 400, -32700, 'Parse error: the body is not JSON.');
      }
    }
    let session = sessionId ? sessions.get(sessionId) : undefined;
    if (sessionId && !session) return replyRpc(res, 404, -32001, 'Session not found: initialize a new session.');
    if (!session) {
      if (req.method !== 'POST' || !isInitialize(body)) {
        return replyRpc(res, 400, -32000, 'Bad request: no session; send initialize first, without Mcp-Session-Id.');
      }
      if (sessions.size + opening >= options.maxSessions) {
        res.setHeader('Retry-After', '30');
        return replyRpc(res, 503, -32000, `Too many sessions (${options.maxSessions}); close one or try again later.`);
      }
      opening += 1;
      try {
        session = await openSession();
      } finally {
        opening -= 1;
      }
    }
    session.lastActive = Date.now();
    const requestIds = requestIdsOf(body);
    // Only calls waiting for their answers keep a session busy: a GET stream held open (a stock SDK client holds
    // one for server notifications) does not, so an idle session still idles out.
    const busy = requestIds.length > 0;
    if (busy) session.inFlight += 1;
    const current = session;
    res.once('close', () => {
      if (busy) current.inFlight -= 1;
      current.lastActive = Date.now();
      // The client went away before its answer: cancel its work, as notifications/cancelled would.
      if (!res.writableEnded) for (const id of requestIds) cancel(current, id);
    });
    await session.transport.handleRequest(req, res, body);
  }

  async function openSession(): Promise<Session> {
    const sora2 = newServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, session);
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
        void sora2.close();
      },
    });
    const session: Session = { sora2, transport, lastActive: Date.now(), inFlight: 0 };
    await sora2.connect(transport);
    return session;
  }

  function cancel(session: Session, requestId: RequestId): void {
    const notice: JSONRPCMessage = {
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId, reason: 'the client disconnected' },
    };
    session.transport.onmessage?.(notice);
  }

  const reaper = setInterval(
    () => {
      const now = Date.now();
      for (const [id, session] of sessions) {
        if (session.inFlight === 0 && now - session.lastActive > options.idleMs) {
          sessions.delete(id);
          session.sora2.logger.log('info', `closed idle session ${id} (nothing for ${Math.round(options.idleMs / 1000)} s)`);
          void session.sora2.close();
        }
      }
    },
    Math.max(250, Math.min(60_000, Math.floor(options.idleMs / 4))),
  );
  reaper.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, listenAddress(options.host), () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/mcp`,
    sessionCount: () => sessions.size,
    close: async () => {
      clearInterval(reaper);
      await Promise.all([...sessions.values()].map((session) => session.sora2.close().catch(() => undefined)));
      sessions.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function hasToken(req: IncomingMessage, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
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

function isInitialize(body: unknown): boolean {
  return Array.isArray(body) ? body.some((message) => isInitializeRequest(message)) : isInitializeRequest(body);
}

function requestIdsOf(body: unknown): RequestId[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.filter((message) => isJSONRPCRequest(message)).map((message) => (message as { id: RequestId }).id);
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
}

function replyRpc(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { connectClient, type AnyClient } from './clients';
import { BUILT_SERVER, recordReceived, serverEnv, watchText } from './stdio-server';

export interface RunningHttp {
  url: string;
  port: number;
  child: ChildProcess;
  stderr: () => string;
  /** Resolves once stderr holds a match of `pattern`. */
  waitForStderr: (pattern: RegExp) => Promise<void>;
  close(): Promise<void>;
}

/** Runs `sora2-mcp http` from the built bin, resolving once it prints the URL it listens on. */
export function startBuiltHttp(args: string[], env: Record<string, string>): Promise<RunningHttp> {
  const child = spawn(process.execPath, [BUILT_SERVER, 'http', ...args], {
    env: serverEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  const stderr = watchText(child.stderr);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sora2-mcp http exited with ${code}: ${stderr.text()}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (!match) return;
      const url = match[1]!;
      resolve({
        url,
        port: Number(new URL(url).port),
        child,
        stderr: stderr.text,
        waitForStderr: stderr.waitFor,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** Runs the bin with arguments that should make it refuse to start; resolves with its exit code and stderr. */
export function refusedHttp(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BUILT_SERVER, 'http', ...args], {
    env: serverEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

/** An SDK client over Streamable HTTP, recording every message it receives. */
export async function httpClient(url: string, token?: string): Promise<{ client: Client; received: JSONRPCMessage[] }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: token ? { headers: { authorization: `Bearer ${token}` } } : undefined,
  });
  const client = new Client({ name: 'http-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, received: recordReceived(transport) };
}

/** A client of the given generation (2025-11-25: the v1 SDK; 2026-07-28: the v2 SDK pinned) over Streamable HTTP. */
export function clientOf(generation: '2025-11-25' | '2026-07-28', url: string, token?: string): Promise<AnyClient> {
  return connectClient(generation === '2025-11-25' ? 'v1' : 'v2-pinned', { http: { url, token } });
}

/**
 * A load balancer without stickiness, as unkind as one can be: each request goes to the next upstream in turn,
 * whatever it belongs to. The upstreams share nothing but the folder and the provider.
 */
export class RoundRobin {
  private next = 0;
  private readonly served: number[];

  private constructor(
    private readonly server: Server,
    private readonly upstreams: readonly string[],
    readonly url: string,
  ) {
    this.served = upstreams.map(() => 0);
  }

  static async start(upstreams: readonly string[]): Promise<RoundRobin> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const balancer = new RoundRobin(server, upstreams, `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => balancer.forward(req, res));
    return balancer;
  }

  /** How many requests each upstream was sent. */
  counts(): number[] {
    return [...this.served];
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const index = this.next++ % this.upstreams.length;
    this.served[index]! += 1;
    const target = new URL(this.upstreams[index]!);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: req.method,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

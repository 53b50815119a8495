import { spawn, type ChildProcess } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { BUILT_SERVER, recordReceived, SCRATCH_HOME, watchText } from './stdio-server';

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
    env: { PATH: process.env.PATH ?? '', HOME: SCRATCH_HOME, ...env },
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
            if (child.exitCode !== null) return done();
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
    env: { PATH: process.env.PATH ?? '', HOME: SCRATCH_HOME, ...env },
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

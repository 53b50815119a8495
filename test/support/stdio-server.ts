import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export const BUILT_SERVER = path.resolve(__dirname, '../../build/index.js');
/** A HOME for servers started without MEDIA_GEN_DIRS, so their default folder (~/Videos/sora2-mcp) is never the real one. */
export const SCRATCH_HOME = path.join(os.tmpdir(), 'sora2-mcp-test-home');

export interface RunningServer {
  client: Client;
  /** Every message the server sent, in arrival order (the SDK client may drop a progress update that arrives with its response). */
  received: JSONRPCMessage[];
  stderr: () => string;
  close(): Promise<void>;
}

/** Spawns the built server over stdio, as a user's MCP client would, with exactly `env` (plus PATH). */
export async function startBuiltServer(env: Record<string, string>): Promise<RunningServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BUILT_SERVER],
    env: { PATH: process.env.PATH ?? '', HOME: SCRATCH_HOME, ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'sora2-mcp-tests', version: '1.0.0' });
  await client.connect(transport);
  const received: JSONRPCMessage[] = [];
  const deliver = transport.onmessage!;
  transport.onmessage = (message) => {
    received.push(message);
    deliver(message);
  };
  return { client, received, stderr: () => stderr, close: () => client.close() };
}

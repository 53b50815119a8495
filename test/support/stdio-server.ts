import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const BUILT_SERVER = path.resolve(__dirname, '../../build/index.js');

export interface RunningServer {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

/** Spawns the built server over stdio, as a user's MCP client would, with exactly `env` (plus PATH). */
export async function startBuiltServer(env: Record<string, string>): Promise<RunningServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BUILT_SERVER],
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'sora2-mcp-tests', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

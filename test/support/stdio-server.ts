import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export const BUILT_SERVER = path.resolve(__dirname, '../../build/index.js');
/** A HOME for servers started without MEDIA_GEN_DIRS, so their default folder (~/Videos/sora2-mcp) is never the real one. */
export const SCRATCH_HOME = path.join(os.tmpdir(), 'sora2-mcp-test-home');

/** Data folders (the embedded ledger) of the servers this worker starts, removed when it exits. */
const DATA_PARENT = path.join(os.tmpdir(), `sora2-mcp-test-data-${process.pid}`);
process.once('exit', () => rmSync(DATA_PARENT, { recursive: true, force: true }));

/**
 * The environment a spawned server starts from: a scratch HOME (never the real folders) and a data folder of its own,
 * so no two servers share an embedded ledger (a budget is kept per day, across restarts) unless a test says so.
 */
export function serverEnv(env: Record<string, string> = {}): Record<string, string> {
  mkdirSync(DATA_PARENT, { recursive: true });
  return { PATH: process.env.PATH ?? '', HOME: SCRATCH_HOME, SORA2_MCP_DATA_DIR: mkdtempSync(path.join(DATA_PARENT, 'd-')), ...env };
}

export interface RunningServer {
  client: Client;
  /** Every message the server sent, in arrival order (the SDK client may drop a progress update that arrives with its response). */
  received: JSONRPCMessage[];
  stderr: () => string;
  /** Resolves once stderr holds a match of `pattern` (already, or when the line arrives): an event, not a time. */
  waitForStderr: (pattern: RegExp) => Promise<void>;
  close(): Promise<void>;
}

/** The text a stream has written, and a way to wait for a line in it. */
export function watchText(stream: Readable): { text: () => string; waitFor: (pattern: RegExp) => Promise<void> } {
  let text = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  return {
    text: () => text,
    waitFor: (pattern) => (pattern.test(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ pattern, resolve }))),
  };
}

/** Keeps every message a client transport delivers, in arrival order, and still delivers it. */
export function recordReceived(transport: Transport): JSONRPCMessage[] {
  const received: JSONRPCMessage[] = [];
  const deliver = transport.onmessage!;
  transport.onmessage = (message) => {
    received.push(message);
    deliver(message);
  };
  return received;
}

/** Spawns the built server over stdio, as a user's MCP client would, with exactly `env` (plus PATH). */
export async function startBuiltServer(env: Record<string, string>): Promise<RunningServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BUILT_SERVER],
    env: serverEnv(env),
    stderr: 'pipe',
  });
  const stderr = watchText(transport.stderr as Readable);
  const client = new Client({ name: 'sora2-mcp-tests', version: '1.0.0' });
  await client.connect(transport);
  const received = recordReceived(transport);
  return { client, received, stderr: stderr.text, waitForStderr: stderr.waitFor, close: () => client.close() };
}

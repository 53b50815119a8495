import { Client as ModernClient } from '@modelcontextprotocol/client';
import { StdioClientTransport as ModernStdio } from '@modelcontextprotocol/client/stdio';
import { StreamableHTTPClientTransport as ModernHttp } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as LegacyStdio } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as LegacyHttp } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Readable } from 'node:stream';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult, LoggingLevel, ReadResourceResult, Resource, Tool } from '@modelcontextprotocol/sdk/types.js';
import { watchText } from './stdio-server';

/**
 * Clients this project did not write, as users run them: the v1 SDK (`@modelcontextprotocol/sdk` 1.x, MCP
 * 2025-11-25, as VS Code and older hosts speak it) and the v2 SDK (`@modelcontextprotocol/client`) pinned to
 * 2026-07-28 or negotiating (`auto`), as Claude Code and Claude Desktop do.
 */
export type ClientKind = 'v1' | 'v2-pinned' | 'v2-auto';
export const CLIENT_KINDS: readonly ClientKind[] = ['v1', 'v2-pinned', 'v2-auto'];

export interface CallOptions {
  onprogress?: (progress: { progress: number; total?: number; message?: string }) => void;
  signal?: AbortSignal;
  timeout?: number;
  /** 2026-07-28 only: the log level this request asks for (the 2025 way is `setLoggingLevel`). */
  logLevel?: string;
}

/** The calls the tests make, the same for each kind (the two SDKs differ in their argument lists). */
export interface AnyClient {
  kind: ClientKind;
  /** The protocol generation the connection landed on. */
  era: 'legacy' | 'modern';
  callTool(params: { name: string; arguments?: Record<string, unknown> }, options?: CallOptions): Promise<CallToolResult>;
  listTools(): Promise<{ tools: Tool[]; ttlMs?: number; cacheScope?: string }>;
  listResources(): Promise<{ resources: Resource[]; ttlMs?: number; cacheScope?: string }>;
  readResource(uri: string): Promise<ReadResourceResult>;
  /** 2025-11-25 only: the session's log level (`logging/setLevel`). */
  setLoggingLevel(level: string): Promise<void>;
  /** Every `notifications/message` the server sent this client, in arrival order. */
  logs: { level: string; data: unknown }[];
  /** Over stdio: the server's stderr, and a way to wait for a line in it. */
  stderr?: { text: () => string; waitFor: (pattern: RegExp) => Promise<void> };
  close(): Promise<void>;
}

export type Endpoint =
  { stdio: { command: string; args: string[]; env: Record<string, string> } } | { http: { url: string; token?: string } };

export async function connectClient(kind: ClientKind, endpoint: Endpoint, capabilities: Record<string, unknown> = {}): Promise<AnyClient> {
  const info = { name: `sora2-mcp-test-${kind}`, version: '1.0.0' };
  const headers = 'http' in endpoint && endpoint.http.token ? { authorization: `Bearer ${endpoint.http.token}` } : undefined;
  const logs: AnyClient['logs'] = [];
  if (kind === 'v1') {
    const client = new LegacyClient(info, { capabilities });
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      logs.push(notification.params);
    });
    const transport =
      'stdio' in endpoint
        ? new LegacyStdio({ ...endpoint.stdio, stderr: 'pipe' })
        : new LegacyHttp(new URL(endpoint.http.url), { requestInit: headers ? { headers } : undefined });
    const stderr = transport instanceof LegacyStdio ? watchText(transport.stderr as Readable) : undefined;
    await client.connect(transport);
    return {
      kind,
      era: 'legacy',
      callTool: async (params, options) => (await client.callTool(params, undefined, options)) as CallToolResult,
      listTools: () => client.listTools(),
      listResources: () => client.listResources(),
      readResource: (uri) => client.readResource({ uri }),
      setLoggingLevel: async (level) => {
        await client.setLoggingLevel(level as LoggingLevel);
      },
      logs,
      stderr,
      close: () => client.close(),
    };
  }
  const mode = kind === 'v2-pinned' ? { pin: '2026-07-28' as const } : ('auto' as const);
  const client = new ModernClient(info, { capabilities, versionNegotiation: { mode } });
  client.setNotificationHandler('notifications/message', (notification) => {
    logs.push(notification.params);
  });
  const transport =
    'stdio' in endpoint
      ? new ModernStdio({ ...endpoint.stdio, stderr: 'pipe' })
      : new ModernHttp(new URL(endpoint.http.url), { requestInit: headers ? { headers } : undefined });
  const stderr = transport instanceof ModernStdio ? watchText(transport.stderr as Readable) : undefined;
  await client.connect(transport);
  return {
    kind,
    era: client.getProtocolEra() ?? 'legacy',
    callTool: async (params, options) => {
      const { logLevel, ...rest } = options ?? {};
      const meta = logLevel ? { _meta: { 'io.modelcontextprotocol/logLevel': logLevel } } : {};
      return (await client.callTool({ ...params, ...meta }, rest)) as unknown as CallToolResult;
    },
    listTools: async () => (await client.listTools()) as unknown as { tools: Tool[]; ttlMs?: number; cacheScope?: string },
    listResources: async () => await client.listResources(),
    readResource: async (uri) => await client.readResource({ uri }),
    setLoggingLevel: async (level) => {
      await client.setLoggingLevel(level as never);
    },
    logs,
    stderr,
    close: () => client.close(),
  };
}

import { AsyncLocalStorage } from 'node:async_hooks';
import {
  McpServer,
  type ClientCapabilities,
  type ListToolsResult,
  type LoggingLevel,
  type ServerContext,
  type Transport,
} from '@modelcontextprotocol/server';
import type { MediaCatalog } from './media-catalog';
import { DEFAULT_USER, type JobOwnership } from '../application/job-ownership';
import type { ProgressListener } from '../application/progress';
import type { LogLevel } from '../domain/ports';
import type { ExitGate } from './exit-gate';
import { ServerBytes } from './server-bytes';
import type { Presenter } from './presenter';
import { registerMediaResources } from './resources';
import { listedTool, registerTool, type CallWrapper, type ToolContext, type ToolDefinition } from './tools';
import { rendersApps, viewMeta, viewReadTool } from './video-view';

/** The server's icon (a play button on a frame), inline: no URL to fetch, nothing to host. */
const ICON =
  'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCA2NCA2NCI+PHJlY3QgeD0iNCIgeT0iMTIiIHdpZHRoPSI1NiIgaGVpZ2h0PSI0MCIgcng9IjYiIGZpbGw9IiMxZjI5MzciLz48cGF0aCBkPSJNMjYgMjJ2MjBsMTgtMTB6IiBmaWxsPSIjZjU5ZTBiIi8+PC9zdmc+';

/**
 * How long a client may keep each list (2026-07-28 `ttlMs`/`cacheScope`). The tools of a running server never
 * change and are the same for every caller; the models list follows the provider's, so a minute; the saved files
 * change with every download, so `resources/list` is not cached at all and is the caller's own.
 */
export const CACHE_HINTS = {
  'tools/list': { ttlMs: 3_600_000, cacheScope: 'public' },
  'server/discover': { ttlMs: 3_600_000, cacheScope: 'public' },
  'resources/templates/list': { ttlMs: 3_600_000, cacheScope: 'public' },
  'resources/list': { ttlMs: 0, cacheScope: 'private' },
  'resources/read': { ttlMs: 0, cacheScope: 'private' },
} as const;

export interface ServerIdentity {
  name: string;
  version: string;
}

/** What every MCP server this process builds is made of: made once, shared by each server built from it. */
export interface McpSurface {
  identity: ServerIdentity;
  instructions: string;
  tools: readonly ToolDefinition[];
  presenter: Presenter;
  catalog: MediaCatalog;
  /** Whose jobs and files a caller may see. */
  ownership: JobOwnership;
  gate: ExitGate;
  /** The level the environment set: what a 2025 client that never sent `logging/setLevel` is sent. */
  logLevel: () => LogLevel | 'silent';
  /** Tools as `tools/list` shows them, made at build time (build/tool-list.json); any tool missing is made on first use. */
  listed?: Readonly<Record<string, Record<string, unknown>>>;
  /**
   * Why this server cannot work (its configuration is invalid): every tool call is answered with it as an error, so a
   * client shows the sentence instead of "connection closed", and no file is listed.
   */
  refusal?: string;
}

/** Where a 2026-07-28 request's envelope declares the client's capabilities. */
const CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';

/** MCP names RFC 5424 levels; ours map onto them, and theirs onto ours. */
const MCP_LEVEL: Record<LogLevel, LoggingLevel> = { debug: 'debug', info: 'info', warn: 'warning', error: 'error' };
const OUR_LEVEL: Record<LoggingLevel, LogLevel> = {
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'error',
  alert: 'error',
  emergency: 'error',
};
const RANK: Record<LogLevel | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** The call a log line belongs to: where its notification goes, and at what level that client listens. */
interface RunningCall {
  log: ServerContext['mcpReq']['log'];
  /** Undefined on a 2026 request, whose own `logLevel` the SDK applies; a 2025 session's level otherwise. */
  threshold?: () => LogLevel | 'silent';
}

/**
 * Builds the MCP servers (SDK v2) of one sora2-mcp server: one per stdio connection, one per stateless HTTP
 * request. Everything costly (tools, their schemas, use cases, the container) is made once, outside; a server is
 * registrations only. Log lines reach the client whose call made them (an async context, not a shared channel),
 * so no notification crosses connections or requests.
 */
export class McpServers {
  private readonly calls = new AsyncLocalStorage<RunningCall>();
  /** Every tool a server registers: the tool set's, and the view's app-only reader. */
  private readonly tools: readonly ToolDefinition[];
  /** The `tools/list` answers, made on first use: for clients that render MCP Apps, and for the others. */
  private readonly lists = new Map<boolean, { tools: Record<string, unknown>[] }>();

  constructor(private readonly surface: McpSurface) {
    this.tools = [...surface.tools, viewReadTool(surface.catalog, surface.presenter, surface.ownership)];
  }

  /** Where the logger sends lines for MCP log notifications: the running call's client, if there is one. */
  readonly logSink = (level: LogLevel, message: string, data?: Record<string, unknown>): void => {
    const call = this.calls.getStore();
    if (!call) return;
    if (call.threshold && RANK[level] < RANK[call.threshold()]) return;
    call.log(MCP_LEVEL[level], data ? { message, ...data } : message, this.surface.identity.name).catch(() => undefined);
  };

  /** The level lines must reach for the sink to want them: any, while a call runs; none otherwise. */
  readonly logThreshold = (): LogLevel | 'silent' => (this.calls.getStore() ? 'debug' : 'silent');

  /**
   * A new MCP server with every tool and resource, whose every message leaves through the exit gate, acting for
   * `caller` (the user the HTTP request's token names; the one user of stdio).
   */
  create(caller: string = DEFAULT_USER, scope: ServerScope = {}): McpServer {
    const { identity, instructions, presenter, catalog, gate, ownership } = this.surface;
    const server = new GatedMcpServer(
      gate,
      {
        name: identity.name,
        version: identity.version,
        title: 'Sora2 MCP',
        icons: [{ src: ICON, mimeType: 'image/svg+xml', sizes: ['any'] }],
      },
      { capabilities: { logging: {} }, instructions, cacheHints: CACHE_HINTS },
    );
    // A 2025 client's logging/setLevel governs what it is sent, up to debug, whatever the environment's level.
    let sessionLevel: LogLevel | undefined;
    server.server.setRequestHandler('logging/setLevel', async (request) => {
      sessionLevel = OUR_LEVEL[request.params.level];
      return {};
    });
    const legacyThreshold = () => sessionLevel ?? this.surface.logLevel();
    const refusal = this.surface.refusal;
    const wrap: CallWrapper = async (ctx, call) => {
      if (refusal !== undefined) return { isError: true, content: [{ type: 'text', text: refusal }] };
      const context = { ...toolContext(ctx), caller };
      // A 2026 request carries its envelope; its logLevel (absent: no logs) is applied by the SDK.
      const running: RunningCall = { log: ctx.mcpReq.log, threshold: ctx.mcpReq.envelope ? undefined : legacyThreshold };
      try {
        return await this.calls.run(running, () => call(context));
      } catch (error) {
        return presenter.error(error);
      } finally {
        // Progress notifications go out before the response, never after it.
        await context.flush();
      }
    };
    // A server that answers one call of one tool (a stateless HTTP request) needs only that tool registered; a name
    // that is no tool's gets them all, so the SDK's own "unknown tool" answer is unchanged.
    const only = scope.calls === undefined ? undefined : this.tools.find((tool) => tool.name === scope.calls);
    for (const tool of only ? [only] : this.tools) registerTool(server, tool, viewMeta(tool), wrap);
    // The list a client sees depends only on whether it renders apps (the view's reader is for apps only): it is
    // made once for each, from the same definitions and cached schemas the registrations use.
    server.server.setRequestHandler('tools/list', (_request, ctx) => {
      const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
      const declared = (envelope?.[CLIENT_CAPABILITIES] as ClientCapabilities | undefined) ?? server.server.getClientCapabilities();
      return this.listFor(rendersApps(declared)) as ListToolsResult;
    });
    if (refusal === undefined) registerMediaResources(server, catalog, () => ownership.files(caller));
    return server;
  }

  private listFor(apps: boolean): { tools: Record<string, unknown>[] } {
    let list = this.lists.get(apps);
    if (!list) {
      const listed = this.surface.listed ?? {};
      list = {
        tools: this.tools.filter((tool) => apps || !tool.appOnly).map((tool) => listed[tool.name] ?? listedTool(tool, viewMeta(tool))),
      };
      this.lists.set(apps, list);
    }
    return list;
  }
}

/** What one server will be asked, when the caller knows: `calls`, the one tool a stateless HTTP request calls. */
export interface ServerScope {
  calls?: string;
}

/** An McpServer whose transport sends through the exit gate, whoever connects it (serveStdio, the HTTP handler, a test). */
class GatedMcpServer extends McpServer {
  constructor(
    private readonly gate: ExitGate,
    ...args: ConstructorParameters<typeof McpServer>
  ) {
    super(...args);
  }

  /** The bytes this server made: only they pass its gate whole (server-bytes.ts). */
  private readonly own = new ServerBytes();

  override connect(transport: Transport): Promise<void> {
    return super.connect(this.gate.guard(transport, this.own));
  }
}

function toolContext(ctx: ServerContext): ToolContext & { flush(): Promise<void> } {
  const token = ctx.mcpReq._meta?.progressToken;
  if (token === undefined) return { signal: ctx.mcpReq.signal, flush: async () => undefined };
  let sent: Promise<void> = Promise.resolve();
  const onProgress: ProgressListener = (update) => {
    // Chained, so notifications leave in the order they were made.
    sent = sent
      .then(() => ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, ...update } }))
      .catch(() => undefined);
  };
  return { signal: ctx.mcpReq.signal, onProgress, flush: () => sent };
}

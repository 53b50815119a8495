import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { McpServer, Transport } from '@modelcontextprotocol/server';
import { serveStdio, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import { RedactingLogger } from '../adapters/logging/redacting-logger';
import { SpendingLedger } from '../application/spending-ledger';
import {
  profileOf,
  type Clock,
  type JobRegistry,
  type ImageFetcher,
  type ImageProcessor,
  type LocalFileReader,
  type Logger,
  type MediaStore,
  type ProviderProfile,
  type VideoProvider,
} from '../domain/ports';
import { BoundedStdioTransport } from '../mcp/bounded-stdio-transport';
import { ExitGate } from '../mcp/exit-gate';
import { McpServers, type ServerScope } from '../mcp/server';
import { instructionsFor, listingFileName } from '../mcp/toolsets';
import { parseConfig, secretsOf, type AppConfig, type Environment } from './config';
import { buildContainer, override, resolve } from './container';
import { TOKENS } from './tokens';

/** The ports a caller may replace (a store of its own, a fake provider in a test). */
export interface Sora2Overrides {
  videoProvider?: VideoProvider;
  mediaStore?: MediaStore;
  /** Reads local reference images (default: files under MEDIA_GEN_DIRS). */
  localFileReader?: LocalFileReader;
  imageProcessor?: ImageProcessor;
  imageFetcher?: ImageFetcher;
  clock?: Clock;
  logger?: Logger;
  /** The spending ledger to share, when several servers in one process keep one budget. */
  spendingLedger?: SpendingLedger;
  /** The job registry (jobs, owners, the ledger's reservations): in place of the database the configuration names. */
  jobRegistry?: JobRegistry;
}

export interface Sora2ServerOptions {
  /** Environment variables to configure from (default: none, i.e. every default). Ignored with `config`. */
  env?: Environment;
  config?: AppConfig;
  overrides?: Sora2Overrides;
  /** More values to redact everywhere, besides those the configuration holds (the HTTP server's token). */
  secrets?: readonly string[];
  /**
   * The sentence for a configuration that could not be read: the server is built from the defaults, lists its tools, and
   * answers every call with this error (stdio clients show it; a process that exited would show "connection closed").
   */
  configurationError?: string;
}

export interface Sora2Server {
  /**
   * A new MCP server (SDK v2 `McpServer`) with every tool and resource, whose messages leave through the exit gate
   * (redacted and bounded). Cheap: what it is made of is built once. Give it to `serveStdio` or `createMcpHandler`
   * as their factory, which build one per connection or per request; both serve 2026-07-28 and 2025-11-25 clients.
   * `caller` is the user it acts for (HTTP: whom the request's token names); default: the one user, `default`.
   */
  createMcpServer(caller?: string, scope?: ServerScope): McpServer;
  /** The names of the tools a server offers, or of those with the given read-only hint. */
  toolNames(filter?: { readOnly: boolean }): string[];
  config: AppConfig;
  /** The provider this configuration chose (or the override): `doctor` and the simulator command use it. */
  videoProvider: VideoProvider;
  /** The store this configuration chose (or the override): `doctor` probes it. */
  mediaStore: MediaStore;
  logger: Logger;
  /** What this server has estimated it spent, against the caps of its configuration. */
  spendingLedger: SpendingLedger;
  /** The jobs, owners and reservations it shares with other replicas (opened on first use): `doctor` probes it. */
  jobRegistry: JobRegistry;
  /**
   * Serves MCP over stdio (or the transport given) until the client closes it: 2026-07-28 clients
   * (`server/discover`) and 2025-11-25 clients (`initialize`) alike. A line over the message cap is refused
   * without ending the connection.
   */
  serveStdio(transport?: Transport): StdioServerHandle;
  /** Connects one new MCP server to a transport, speaking 2025-11-25 (as `McpServer.connect` does): in-process clients and tests. */
  connect(transport: Transport): Promise<McpServer>;
  /** Closes what `serveStdio` and `connect` opened. */
  close(): Promise<void>;
}

/**
 * The tools as `tools/list` shows them for this provider, made by the build (scripts/build-tool-list.js), beside the
 * bundle (build/tool-list/) or one folder up from tsc's per-module output (build/composition/). Absent (the sources under
 * ts-jest, or a provider the build did not know), they are made from the definitions on first use.
 */
function prebuiltToolList(provider: ProviderProfile): Record<string, Record<string, unknown>> | undefined {
  const file = listingFileName(provider);
  for (const folder of [path.join(__dirname, 'tool-list'), path.join(__dirname, '..', 'tool-list')]) {
    try {
      return JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as Record<string, Record<string, unknown>>;
    } catch {
      // Not here; the next candidate, or none.
    }
  }
  return undefined;
}

export function packageVersion(): string {
  // build/composition/ and src/composition/ both sit two folders below package.json.
  return (require('../../package.json') as { version: string }).version;
}

/**
 * The one composition root: the bin, `doctor`, the simulator command, the tests and library users
 * all build the server here. Nothing starts until `serveStdio`, `connect` or a transport asks for a server.
 */
export function createSora2Server(options: Sora2ServerOptions = {}): Sora2Server {
  const env = options.env ?? {};
  const config = options.config ?? parseConfig(env);
  const secrets = [...new Set([...secretsOf(config, env), ...(options.secrets ?? [])])];
  const o = options.overrides ?? {};
  const replacements = [
    o.videoProvider && override(TOKENS.VideoProvider, () => o.videoProvider!),
    o.mediaStore && override(TOKENS.MediaStore, () => o.mediaStore!),
    o.localFileReader && override(TOKENS.LocalFileReader, () => o.localFileReader!),
    o.imageProcessor && override(TOKENS.ImageProcessor, () => o.imageProcessor!),
    o.imageFetcher && override(TOKENS.ImageFetcher, () => o.imageFetcher!),
    o.clock && override(TOKENS.Clock, () => o.clock!),
    // The caller's logger receives the lines, redacted, and MCP log notifications still go out.
    o.logger && override(TOKENS.Logger, () => new RedactingLogger(config.logLevel, secrets, o.logger)),
    o.spendingLedger && override(TOKENS.SpendingLedger, () => o.spendingLedger!),
    o.jobRegistry && override(TOKENS.JobRegistry, () => o.jobRegistry!),
  ].filter((entry) => entry !== undefined);
  const container = buildContainer(config, secrets, replacements);
  const logger = resolve(container, TOKENS.Logger);
  const app = resolve(container, TOKENS.Application);
  const servers = new McpServers({
    identity: { name: config.serverName, version: packageVersion() },
    instructions: options.configurationError ?? instructionsFor(config.toolset, app.offering),
    tools: app.tools,
    presenter: app.presenter,
    catalog: app.catalog,
    ownership: app.ownership,
    gate: new ExitGate(secrets),
    logLevel: () => config.logLevel,
    listed: prebuiltToolList(profileOf(resolve(container, TOKENS.VideoProvider))),
    refusal: options.configurationError,
  });
  logger.attach(servers.logSink, servers.logThreshold);
  const open: { close(): Promise<void> }[] = [];
  return {
    createMcpServer: (caller, scope) => servers.create(caller, scope),
    toolNames: (filter) =>
      app.tools.filter((tool) => filter === undefined || tool.annotations.readOnlyHint === filter.readOnly).map((tool) => tool.name),
    config,
    videoProvider: resolve(container, TOKENS.VideoProvider),
    mediaStore: resolve(container, TOKENS.MediaStore),
    logger,
    spendingLedger: resolve(container, TOKENS.SpendingLedger),
    jobRegistry: resolve(container, TOKENS.JobRegistry),
    serveStdio: (transport = new BoundedStdioTransport()) => {
      const handle = serveStdio(() => servers.create(), { transport });
      open.push(handle);
      return handle;
    },
    connect: async (transport) => {
      const server = servers.create();
      await server.connect(transport);
      open.push(server);
      return server;
    },
    close: async () => {
      await Promise.all(open.splice(0).map((item) => item.close().catch(() => undefined)));
      // The registry is ours to close only when the configuration opened it (a caller's own stays open).
      if (!o.jobRegistry)
        await resolve(container, TOKENS.JobRegistry)
          .close()
          .catch(() => undefined);
    },
  };
}

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ListResourceTemplatesRequestSchema, SetLevelRequestSchema, type LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import { RedactingLogger } from '../adapters/logging/redacting-logger';
import { SpendingLedger } from '../application/spending-ledger';
import type { Clock, ImageFetcher, ImageProcessor, LocalFileReader, Logger, LogLevel, MediaStore, VideoProvider } from '../domain/ports';
import { ExitGate } from '../mcp/exit-gate';
import { registerMediaResources } from '../mcp/resources';
import { createMcpServer } from '../mcp/server';
import { instructionsFor } from '../mcp/toolsets';
import { registerViewTools, rendersApps } from '../mcp/video-view';
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
  /** The spending ledger to share: servers in one process (the HTTP server's sessions) keep one budget. */
  spendingLedger?: SpendingLedger;
}

export interface Sora2ServerOptions {
  /** Environment variables to configure from (default: none, i.e. every default). Ignored with `config`. */
  env?: Environment;
  config?: AppConfig;
  overrides?: Sora2Overrides;
  /** More values to redact everywhere, besides those the configuration holds (the HTTP server's token). */
  secrets?: readonly string[];
}

export interface Sora2Server {
  /** The MCP server, with its tools and resources registered. */
  server: McpServer;
  config: AppConfig;
  /** The provider this configuration chose (or the override): `doctor` and the simulator command use it. */
  videoProvider: VideoProvider;
  /** The store this configuration chose (or the override): `doctor` probes it. */
  mediaStore: MediaStore;
  logger: Logger;
  /** What this server has estimated it spent, against the caps of its configuration. */
  spendingLedger: SpendingLedger;
  /** Connects a transport; everything sent through it passes the exit gate (redacted and bounded). */
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

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

export function packageVersion(): string {
  // build/composition/ and src/composition/ both sit two folders below package.json.
  return (require('../../package.json') as { version: string }).version;
}

/**
 * Servers that share what one process shares: the spending caps. The HTTP program makes one server per
 * session from it, and every session spends from the same budget.
 */
export function sora2ServerFactory(options: Sora2ServerOptions = {}): () => Sora2Server {
  const config = options.config ?? parseConfig(options.env ?? {});
  const spendingLedger =
    options.overrides?.spendingLedger ?? new SpendingLedger({ maxCostUsd: config.maxCostUsd, budgetUsd: config.budgetUsd });
  return () => createSora2Server({ ...options, config, overrides: { ...options.overrides, spendingLedger } });
}

/**
 * The one composition root: the bin, `doctor`, the simulator command, the tests and library users
 * all build the server here. Nothing starts until `connect`.
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
  ].filter((entry) => entry !== undefined);
  const container = buildContainer(config, secrets, replacements);
  const logger = resolve(container, TOKENS.Logger);
  const server = createMcpServer(
    { name: config.serverName, version: packageVersion() },
    resolve(container, TOKENS.Tools),
    resolve(container, TOKENS.Presenter),
    instructionsFor(config.toolset),
  );
  registerMediaResources(server, resolve(container, TOKENS.MediaCatalog));
  // Resources are listed one by one (no templates); some clients ask anyway.
  server.server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: [] }));
  // MCP log notifications start once the client has initialized; before that, stderr only.
  let initialized = false;
  server.server.oninitialized = () => {
    initialized = true;
    // The view's own media reader exists only for clients that render MCP Apps: others see the same tools as ever.
    if (rendersApps(server.server.getClientCapabilities())) {
      registerViewTools(server, resolve(container, TOKENS.MediaCatalog), resolve(container, TOKENS.Presenter));
    }
  };
  // The client's logging/setLevel governs what it is sent, up to debug, whatever the environment's level.
  let clientLevel: LogLevel | undefined;
  server.server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    clientLevel = OUR_LEVEL[request.params.level];
    return {};
  });
  logger.attach(
    (level, message, data) => {
      if (!initialized || !server.isConnected()) return;
      const params = { level: MCP_LEVEL[level], logger: config.serverName, data: data ? { message, ...data } : message };
      server.server.notification({ method: 'notifications/message', params }).catch(() => undefined);
    },
    () => clientLevel ?? config.logLevel,
  );
  const gate = new ExitGate(secrets);
  return {
    server,
    config,
    videoProvider: resolve(container, TOKENS.VideoProvider),
    mediaStore: resolve(container, TOKENS.MediaStore),
    logger,
    spendingLedger: resolve(container, TOKENS.SpendingLedger),
    connect: (transport) => server.connect(gate.guard(transport)),
    close: () => server.close(),
  };
}

import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import type { LogLevel } from '../domain/ports';
import { BoundedStdioTransport } from '../mcp/bounded-stdio-transport';
import { ExitGate } from '../mcp/exit-gate';
import { registerMediaResources } from '../mcp/resources';
import { createMcpServer } from '../mcp/server';
import { parseConfigOrReport, secretsOf, type Environment } from './config';
import { buildContainer, resolve } from './container';
import { TOKENS } from './tokens';

export function packageVersion(): string {
  // build/composition/main.js and src/composition/main.ts both sit two folders below package.json.
  return (require('../../package.json') as { version: string }).version;
}

/** MCP names RFC 5424 levels; ours map onto them. */
const MCP_LEVEL: Record<LogLevel, LoggingLevel> = { debug: 'debug', info: 'info', warn: 'warning', error: 'error' };

/** Starts the stdio MCP server. Returns the exit code to use if start-up fails. */
export async function main(env: Environment = process.env): Promise<number> {
  const config = parseConfigOrReport(env, true);
  if (!config) return 2;
  const container = buildContainer(config, secretsOf(config, env));
  const logger = resolve(container, TOKENS.Logger);
  process.on('unhandledRejection', (reason) => logger.log('error', 'unhandled rejection', { error: reason }));

  const server = createMcpServer(
    { name: config.serverName, version: packageVersion() },
    resolve(container, TOKENS.Tools),
    resolve(container, TOKENS.Presenter),
  );
  registerMediaResources(server, resolve(container, TOKENS.MediaCatalog));
  // MCP log notifications start once the client has initialized; before that, stderr only.
  let initialized = false;
  server.server.oninitialized = () => {
    initialized = true;
  };
  logger.attach((level, message, data) => {
    if (!initialized || !server.isConnected()) return;
    server
      .sendLoggingMessage({ level: MCP_LEVEL[level], logger: config.serverName, data: data ? { message, ...data } : message })
      .catch(() => undefined);
  });
  await server.connect(new ExitGate(secretsOf(config, env)).guard(new BoundedStdioTransport()));
  logger.log(
    'info',
    `${config.serverName} ${packageVersion()} ready: provider ${config.azureKeySet ? 'azure (rejecting)' : config.provider}, output folder ${config.roots[0]}`,
    {
      api_key: config.apiKeySource ? `set via ${config.apiKeySource}` : 'missing',
    },
  );
  return 0;
}

import { parseConfig, parseConfigOrError, type Environment } from '../../composition/config';
import { createSora2Server, packageVersion } from '../../composition/create-server';

/**
 * Starts the stdio MCP server on the environment the entry read. A configuration it cannot read does not end the process
 * (a client would show only "connection closed"): the server starts from the defaults, lists its tools, and answers every
 * call with the sentence that names the variable and the fix.
 */
export async function main(env: Environment): Promise<number> {
  const outcome = parseConfigOrError(env, true);
  if ('error' in outcome) {
    const sentence =
      `This server's configuration is invalid, so it cannot make videos: ${outcome.error.message.replace(/\.$/, '')}. Correct ${outcome.error.variable} ` +
      "in this server's environment (your MCP client's config for it), then restart the server; `sora2-mcp doctor` checks the " +
      'whole configuration. (code: configuration_error)';
    const broken = createSora2Server({ config: parseConfig({}), configurationError: sentence });
    broken.serveStdio();
    process.stdin.once('end', () => void broken.close());
    return 0;
  }
  const config = outcome.config;
  const sora2 = createSora2Server({ env, config });
  process.on('unhandledRejection', (reason) => sora2.logger.log('error', 'unhandled rejection', { error: reason }));
  sora2.serveStdio();
  // The client closed stdin: close what keeps the process alive (an open embedded ledger holds a timer), so it exits.
  process.stdin.once('end', () => void sora2.close());
  sora2.logger.log(
    'info',
    `${config.serverName} ${packageVersion()} ready: provider ${config.provider === 'azure' ? 'azure (rejecting)' : config.provider}, output folder ${config.roots[0]}`,
    // Only the OpenAI-compatible provider needs a key: the simulator and the Azure-rejecting one never do.
    config.provider === 'openai' ? { api_key: config.apiKeyVariable ? `set via ${config.apiKeyVariable}` : 'missing' } : undefined,
  );
  return 0;
}

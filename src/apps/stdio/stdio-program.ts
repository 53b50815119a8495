import { parseConfigOrReport, type Environment } from '../../composition/config';
import { createSora2Server, packageVersion } from '../../composition/create-server';

/** Starts the stdio MCP server on the environment the entry read. Returns the exit code to use if start-up fails. */
export async function main(env: Environment): Promise<number> {
  const config = parseConfigOrReport(env, true);
  if (!config) return 2;
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

import { parseConfigOrReport, type AppConfig, type Environment } from '../../composition/config';
import { createSora2Server } from '../../composition/create-server';
import { FlagError, parseFlags, SIMULATOR_FLAGS } from '../../config/flags';
import { ENV } from '../../config/variables';
import { usage } from '../help';
import { isLoopbackHost, listenAddress } from '../host-guard';
import { SimulatorHttpServer } from './simulator-http-server';

/** `sora2-mcp simulator`: the offline provider behind the /v1/videos HTTP API, until interrupted. */
export async function simulatorCommand(args: string[], env: Environment, out: (line: string) => void): Promise<number> {
  let flags;
  try {
    flags = parseFlags(SIMULATOR_FLAGS, args);
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    process.stderr.write(`sora2-mcp simulator: ${error.message} ${usage('simulator', SIMULATOR_FLAGS)}\n`);
    return 2;
  }
  const { port, host } = flags;
  const config = parseConfigOrReport(env);
  if (!config) return 2;
  const key = simulatorKey(config);
  if (!isLoopbackHost(host) && !key) {
    process.stderr.write(
      `sora2-mcp simulator: refusing to listen on ${host} without a key: anyone who can reach it could create jobs and fill ${config.roots[0]}. ` +
        `Set ${ENV.apiKey.name} (requests must then carry it) or listen on 127.0.0.1.\n`,
    );
    return 2;
  }
  const server = await startSimulatorServer(config, { host: listenAddress(host), port });
  out(`sora2-mcp simulator listening on ${server.baseURL}`);
  out(
    `Point any OpenAI SDK program at it: ${ENV.baseUrl.name}=${server.baseURL} ${ENV.openAiApiKey.name}=${key ? `<the value of ${ENV.apiKey.name}>` : 'sk-anything'}`,
  );
  out(`Jobs and media are kept under ${config.roots[0]}. Press Ctrl+C to stop.`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

/** Starts the simulator's HTTP face over the simulator provider the configuration describes. */
async function startSimulatorServer(config: AppConfig, listen: { host: string; port: number }): Promise<SimulatorHttpServer> {
  // The simulator is chosen explicitly here, whatever else the environment says.
  const sora2 = createSora2Server({ config: { ...config, provider: 'simulator' } });
  return SimulatorHttpServer.start(sora2.videoProvider, sora2.logger, { ...listen, apiKey: simulatorKey(config) });
}

/**
 * The key the simulator's HTTP face requires: the server's own key variable only (an OpenAI key in the
 * shell is most likely a real one, not meant for the simulator). Without it, any bearer token, or
 * none, is accepted.
 */
function simulatorKey(config: AppConfig): string | undefined {
  return config.apiKeyVariable === ENV.apiKey.name ? config.apiKey : undefined;
}

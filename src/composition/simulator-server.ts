import { SimulatorHttpServer } from '../adapters/simulator/http-face';
import type { AppConfig } from './config';
import { buildContainer, resolve } from './container';
import { TOKENS } from './tokens';

/** Starts the simulator's HTTP face with the simulator provider the configuration describes. */
export async function startSimulatorServer(
  config: AppConfig,
  secrets: readonly string[],
  listen: { host: string; port: number },
): Promise<SimulatorHttpServer> {
  const container = buildContainer({ ...config, provider: 'simulator', azureKeySet: false }, secrets);
  return SimulatorHttpServer.start(resolve(container, TOKENS.VideoProvider), resolve(container, TOKENS.Logger), {
    ...listen,
    apiKey: simulatorKey(config),
  });
}

/**
 * The key the simulator's HTTP face requires: SORA2_MCP_API_KEY only (an OPENAI_API_KEY in the
 * shell is most likely a real OpenAI key, not one meant for the simulator). Without it, any bearer
 * token is accepted.
 */
export function simulatorKey(config: AppConfig): string | undefined {
  return config.apiKeySource === 'SORA2_MCP_API_KEY' ? config.apiKey : undefined;
}

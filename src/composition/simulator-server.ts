import { SimulatorHttpServer } from '../adapters/simulator/http-face';
import type { AppConfig } from './config';
import { createSora2Server } from './create-server';

/** Starts the simulator's HTTP face with the simulator provider the configuration describes. */
export async function startSimulatorServer(config: AppConfig, listen: { host: string; port: number }): Promise<SimulatorHttpServer> {
  // The simulator is chosen explicitly here, whatever else the environment says.
  const sora2 = createSora2Server({ config: { ...config, provider: 'simulator' } });
  return SimulatorHttpServer.start(sora2.videoProvider, sora2.logger, {
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

import { SimulatorHttpServer } from '../adapters/simulator/http-face';
import type { AppConfig } from './config';
import { buildContainer, resolve } from './container';
import { TOKENS } from './tokens';

/** Starts the simulator's HTTP face with the simulator provider the configuration describes. */
export async function startSimulatorServer(config: AppConfig, secrets: readonly string[], listen: { host: string; port: number }): Promise<SimulatorHttpServer> {
  const container = buildContainer({ ...config, provider: 'simulator', azureKeySet: false }, secrets);
  // With a key configured, requests must carry it; without one, any bearer token is accepted.
  return SimulatorHttpServer.start(resolve(container, TOKENS.VideoProvider), resolve(container, TOKENS.Logger), { ...listen, apiKey: config.apiKey });
}

import { parseConfigOrReport, type AppConfig, type Environment } from '../../composition/config';
import { createSora2Server } from '../../composition/create-server';
import { isLoopbackHost, listenAddress } from '../host-guard';
import { SimulatorHttpServer } from './simulator-http-server';

/** `sora2-mcp simulator`: the offline provider behind the /v1/videos HTTP API, until interrupted. */
export async function simulatorCommand(args: string[], env: Environment, out: (line: string) => void): Promise<number> {
  let port = 8787;
  let host = '127.0.0.1';
  for (let i = 0; i < args.length; i += 1) {
    const value = args[i + 1];
    if (args[i] === '--port') {
      if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65535) {
        process.stderr.write(
          `sora2-mcp simulator: --port ${JSON.stringify(value ?? '')} is not a port number; use a whole number from 0 to 65535 (0 picks a free one).\n`,
        );
        return 2;
      }
      port = Number(value);
      i += 1;
    } else if (args[i] === '--host' && value !== undefined) {
      host = value;
      i += 1;
    } else {
      process.stderr.write(`sora2-mcp simulator: unexpected argument "${args[i]}". Use --port N and --host H.\n`);
      return 2;
    }
  }
  const config = parseConfigOrReport(env);
  if (!config) return 2;
  const key = simulatorKey(config);
  if (!isLoopbackHost(host) && !key) {
    process.stderr.write(
      `sora2-mcp simulator: refusing to listen on ${host} without a key: anyone who can reach it could create jobs and fill ${config.roots[0]}. ` +
        'Set SORA2_MCP_API_KEY (requests must then carry it) or listen on 127.0.0.1.\n',
    );
    return 2;
  }
  const server = await startSimulatorServer(config, { host: listenAddress(host), port });
  out(`sora2-mcp simulator listening on ${server.baseURL}`);
  out(
    `Point any OpenAI SDK program at it: OPENAI_BASE_URL=${server.baseURL} OPENAI_API_KEY=${key ? '<the value of SORA2_MCP_API_KEY>' : 'sk-anything'}`,
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
 * The key the simulator's HTTP face requires: SORA2_MCP_API_KEY only (an OPENAI_API_KEY in the
 * shell is most likely a real OpenAI key, not one meant for the simulator). Without it, any bearer
 * token, or none, is accepted.
 */
function simulatorKey(config: AppConfig): string | undefined {
  return config.apiKeySource === 'SORA2_MCP_API_KEY' ? config.apiKey : undefined;
}

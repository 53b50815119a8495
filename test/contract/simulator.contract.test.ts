import { OpenAiVideoProvider } from '../../src/adapters/openai/openai-video-provider';
import { SimulatorHttpServer } from '../../src/apps/simulator-http/simulator-http-server';
import { SimulatedVideoProvider } from '../../src/adapters/simulator/simulated-video-provider';
import { SystemClock } from '../../src/adapters/clock/system-clock';
import { FakeClock, silentLogger } from '../support/fakes';
import { tempFolder } from '../support/temp';
import { videoProviderContract } from '../../src/testing/video-provider-contract';
import { jestRunner } from '../support/jest-runner';

videoProviderContract(jestRunner, 'simulator, in process, on a fake clock', async () => {
  const folder = tempFolder();
  const clock = new FakeClock();
  const provider = new SimulatedVideoProvider({ folder: folder.path, baseRenderMs: 3000 }, clock, silentLogger);
  return {
    provider,
    tick: async () => {
      clock.time += 1000;
    },
    close: async () => folder.remove(),
  };
});

videoProviderContract(jestRunner, "OpenAI adapter through the SDK against the simulator's HTTP face", async () => {
  const folder = tempFolder();
  const simulator = new SimulatedVideoProvider({ folder: folder.path, baseRenderMs: 150 }, new SystemClock(), silentLogger);
  const http = await SimulatorHttpServer.start(simulator, silentLogger, { host: '127.0.0.1', port: 0 });
  const provider = new OpenAiVideoProvider({
    apiKey: 'sk-simulator',
    baseURL: http.baseURL,
    requestTimeoutMs: 10_000,
    downloadIdleTimeoutMs: 5000,
    readRetries: 0,
    logLevel: 'silent',
    logger: silentLogger,
  });
  return {
    provider,
    tick: () => new Promise((resolve) => setTimeout(resolve, 50)),
    close: async () => {
      await http.close();
      folder.remove();
    },
  };
});

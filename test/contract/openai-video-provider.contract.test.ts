import { OpenAiVideoProvider } from '../../src/adapters/openai/openai-video-provider';
import { FakeVideosServer } from '../support/fake-videos-server';
import { silentLogger } from '../support/fakes';
import { videoProviderContract } from '../../src/testing/video-provider-contract';
import { jestRunner } from '../support/jest-runner';

videoProviderContract(jestRunner, 'OpenAI adapter over the spec-validating loopback server', async () => {
  const server = await FakeVideosServer.start({ pollsToComplete: 2 });
  const provider = new OpenAiVideoProvider({
    apiKey: server.apiKey,
    baseURL: server.baseURL,
    requestTimeoutMs: 5000,
    downloadIdleTimeoutMs: 2000,
    readRetries: 0,
    logLevel: 'silent',
    logger: silentLogger,
  });
  return {
    provider,
    tick: async () => undefined,
    close: async () => {
      expect(server.violations).toEqual([]);
      await server.close();
    },
  };
});

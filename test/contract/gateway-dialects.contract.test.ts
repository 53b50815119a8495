import { OpenAiVideoProvider, type OpenAiVideoProviderOptions } from '../../src/adapters/openai/openai-video-provider';
import { GatewayFake, type DialectName } from '../support/gateway-fakes';
import { silentLogger } from '../support/fakes';
import { videoProviderContract, type ContractOptions } from '../../src/testing/video-provider-contract';
import { jestRunner } from '../support/jest-runner';

/** The OpenAI adapter, configured as the README's Providers section says, against each gateway dialect's fake. */
const setups: Record<DialectName, { adapter: Partial<OpenAiVideoProviderOptions>; contract: ContractOptions }> = {
  litellm: {
    adapter: { extraQuery: { custom_llm_provider: 'gemini' } },
    contract: {
      offers: { imageVariants: false, list: true },
      createParams: { model: 'gemini/veo-3.1-generate-preview', size: '1920x1080', seconds: '6' },
    },
  },
  bifrost: {
    adapter: {},
    contract: {
      offers: { imageVariants: false, list: false, remix: false },
      createParams: { model: 'runway/gen4_aleph', size: '1280x720', seconds: '10' },
    },
  },
  llmgateway: {
    adapter: { requestFormat: 'json' },
    contract: {
      offers: { imageVariants: false, list: false, remix: false, delete: false },
      createParams: { model: 'veo-3.1-generate-preview', size: '3840x2160', seconds: '10' },
    },
  },
};

for (const [dialect, setup] of Object.entries(setups) as [DialectName, (typeof setups)[DialectName]][]) {
  videoProviderContract(
    jestRunner,
    `OpenAI adapter over the ${dialect} dialect fake`,
    async () => {
      const gateway = await GatewayFake.start(dialect);
      const provider = new OpenAiVideoProvider({
        apiKey: gateway.apiKey,
        baseURL: gateway.baseURL,
        requestTimeoutMs: 5000,
        downloadIdleTimeoutMs: 2000,
        readRetries: 0,
        logLevel: 'silent',
        logger: silentLogger,
        ...setup.adapter,
      });
      return { provider, tick: async () => undefined, close: () => gateway.close() };
    },
    setup.contract,
  );
}

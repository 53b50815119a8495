import { DIALECTS, type DialectName } from '../../src/adapters/openai/dialects';
import { OpenAiVideoProvider } from '../../src/adapters/openai/openai-video-provider';
import { providerRedirectPolicy } from '../../src/adapters/http/redirect-policy';
import { videoProviderContract, type ContractOptions } from '../../src/testing/video-provider-contract';
import { silentLogger } from '../support/fakes';
import { BifrostFake } from '../support/gateways/bifrost';
import { FalFake } from '../support/gateways/fal';
import { GeminiFake } from '../support/gateways/gemini';
import type { GatewayFake } from '../support/gateways/gateway-fake';
import { LiteLlmFake } from '../support/gateways/litellm';
import { LlmGatewayFake } from '../support/gateways/llm-gateway';
import { OpenRouterFake } from '../support/gateways/openrouter';
import { jestRunner } from '../support/jest-runner';

/** A whole 1×1 PNG: a first frame Runway requires, as bytes. */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/**
 * The provider contract, once per dialect, each against the loopback fake of a gateway that speaks
 * it, configured as the README's Providers section says. A new dialect is one more line here.
 */
const setups: {
  name: string;
  dialect: DialectName;
  start: () => Promise<GatewayFake>;
  extraQuery?: Record<string, string>;
  /** Where the dialect's routes are, when not at the fake's base URL. */
  base?: (gateway: GatewayFake) => string;
  /** Where assets may be fetched from (default: the server's own policy, which wants https off the API's origin). */
  anyAssetOrigin?: boolean;
  contract: ContractOptions;
}[] = [
  {
    name: 'LiteLLM behind a model_list',
    dialect: 'openai',
    start: () => LiteLlmFake.start(),
    contract: {
      offers: { imageVariants: false, list: false, delete: false },
      gatewayLacks: { list: 'LiteLLM lists only its default provider', delete: 'LiteLLM has no delete route (405)' },
      createParams: { model: 'sora-2', size: '720x1280', seconds: '4' },
    },
  },
  {
    name: 'LiteLLM serving a single model',
    dialect: 'openai',
    start: () => LiteLlmFake.start({ mode: 'single_model' }),
    extraQuery: { custom_llm_provider: 'openai' },
    contract: {
      offers: { imageVariants: false, delete: false, list: false },
      gatewayLacks: { list: 'LiteLLM lists only its default provider', delete: 'LiteLLM has no delete route (405)' },
      createParams: { model: 'sora-2', size: '720x1280', seconds: '4' },
    },
  },
  {
    name: "Bifrost's Gemini (Veo) route",
    dialect: 'openai',
    start: () => BifrostFake.start(),
    contract: {
      offers: { imageVariants: false, list: false, remix: false, delete: false },
      gatewayLacks: { list: 'Bifrost lists no Gemini videos', remix: 'Gemini has no remix', delete: 'Gemini has no delete' },
      createParams: { model: 'gemini/veo-3.1-generate-preview', size: '1280x720', seconds: '8' },
    },
  },
  {
    name: "Bifrost's own routes, to Gemini (Veo)",
    dialect: 'bifrost',
    start: () => BifrostFake.start(),
    base: (gateway) => (gateway as BifrostFake).unifiedURL,
    contract: {
      offers: { imageVariants: false, list: false, remix: false, delete: false },
      gatewayLacks: { list: 'Bifrost lists no Gemini videos', remix: 'Gemini has no remix', delete: 'Gemini has no delete' },
      createParams: { model: 'gemini/veo-3.1-generate-preview', size: '1280x720', seconds: '8' },
    },
  },
  {
    name: "Bifrost's own routes, to Runway (whose delete cancels)",
    dialect: 'bifrost',
    start: () => BifrostFake.start(),
    base: (gateway) => (gateway as BifrostFake).unifiedURL,
    contract: {
      offers: { imageVariants: false, list: false, remix: false, delete: true },
      gatewayLacks: { list: 'Runway has no list', remix: 'Runway has no remix' },
      createParams: {
        model: 'runway/gen4_turbo',
        size: '1280x720',
        seconds: '5',
        inputReference: { bytes: PNG_1X1, mimeType: 'image/png', filename: 'first.png' },
      },
    },
  },
  {
    name: 'LLM Gateway',
    dialect: 'json',
    start: () => LlmGatewayFake.start(),
    contract: {
      offers: { imageVariants: false, list: false, remix: false, delete: false },
      createParams: { model: 'veo-3.1-generate-preview', size: '1920x1080', seconds: '8' },
    },
  },
  {
    name: 'OpenRouter',
    dialect: 'openrouter',
    start: () => OpenRouterFake.start(),
    contract: {
      offers: { imageVariants: false, list: false, remix: false, delete: false },
      createParams: { model: 'google/veo-3.1-fast', size: undefined, aspectRatio: '16:9', resolution: '720p', seconds: '4' },
    },
  },
  {
    name: "fal's queue API (Veo 3.1)",
    dialect: 'fal',
    start: () => FalFake.start({ cdnTls: false }),
    anyAssetOrigin: true,
    contract: {
      offers: { imageVariants: false, list: false, remix: false, delete: false, cancel: true },
      createParams: { model: 'fal-ai/veo3.1', size: undefined, aspectRatio: '16:9', resolution: '720p', seconds: '8' },
    },
  },
  {
    name: "Google's Gemini API (Veo 3.1 Fast)",
    dialect: 'gemini',
    start: () => GeminiFake.start(),
    contract: {
      offers: { imageVariants: false, list: false, remix: false, delete: false },
      createParams: { model: 'veo-3.1-fast-generate-preview', size: undefined, aspectRatio: '16:9', resolution: '720p', seconds: '8' },
    },
  },
];

for (const setup of setups) {
  videoProviderContract(
    jestRunner,
    `the ${setup.dialect} dialect against ${setup.name}`,
    async () => {
      const gateway = await setup.start();
      const baseURL = setup.base?.(gateway) ?? gateway.baseURL;
      const provider = new OpenAiVideoProvider({
        dialect: DIALECTS[setup.dialect],
        apiKey: gateway.apiKey,
        baseURL,
        requestTimeoutMs: 5000,
        downloadIdleTimeoutMs: 2000,
        readRetries: 0,
        logLevel: 'silent',
        logger: silentLogger,
        extraQuery: setup.extraQuery,
        checkTarget: setup.anyAssetOrigin ? async () => ({}) : providerRedirectPolicy(baseURL),
      });
      return { provider, tick: async () => undefined, requestsSent: () => gateway.requests.length, close: () => gateway.close() };
    },
    setup.contract,
  );
}

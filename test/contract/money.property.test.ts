import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import fc from 'fast-check';
import { inProcessClient } from '../support/mcp-servers';
import type { GatewayFake } from '../support/gateways/gateway-fake';
import { LiteLlmFake } from '../support/gateways/litellm';
import { LLM_GATEWAY_MODELS, LlmGatewayFake } from '../support/gateways/llm-gateway';
import { OPENROUTER_MODELS, OpenRouterFake } from '../support/gateways/openrouter';
import { tempFolder } from '../support/temp';

/*
 * Issue 29's promise, as a property over each dialect's request builder: under a cap, whatever the arguments (models,
 * lengths, sizes, resolutions, sound, and provider_options carrying any field at any depth), the provider never receives
 * a request dearer than the cap. The price of what was received is computed here from the gateway's own price table
 * (the fake's published SKUs, OpenAI's list prices for the Sora models), independently of the server's estimator; a
 * received body that carries a price-deciding field anywhere the dialect does not set one counts as over the cap.
 */

/** Field names a provider may read as the model, the length, the size, a count or sound (compared without case, - or _). */
const PRICE_WORDS = [
  'model',
  'seconds',
  'duration',
  'resolution',
  'size',
  'aspect_ratio',
  'n',
  'num_videos',
  'number_of_videos',
  'count',
  'generate_audio',
  'audio',
  'width',
  'height',
  'fps',
  'num_frames',
  'quality',
];
const normal = (key: string) => key.toLowerCase().replace(/[-_]/g, '');
const PRICE_KEYS = new Set(PRICE_WORDS.map(normal));

/** The paths of price-deciding keys in `value`, below its top level. */
function nestedPriceKeys(value: unknown, path: string[] = []): string[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => [
    ...(path.length > 0 && PRICE_KEYS.has(normal(key)) ? [[...path, key].join('.')] : []),
    ...nestedPriceKeys(item, [...path, key]),
  ]);
}

interface Dialect {
  name: string;
  env: Record<string, string>;
  start: () => Promise<GatewayFake>;
  models: string[];
  /** What the received request costs at this gateway, in dollars. */
  price: (body: Record<string, unknown>) => number;
  body: (gateway: GatewayFake) => Record<string, unknown> | undefined;
  /** Top-level fields this dialect sets itself (and prices): anything else top-level that decides a price is an escape. */
  own: string[];
  /** Lengths to try (some the models do not take), and whether its models take a sound switch. */
  seconds: number[];
  audio: boolean;
}

const lastPost = (gateway: GatewayFake) => gateway.received('POST', /\/videos$/).at(-1);
/** A received field as text (an object where text belongs reads as such, and then matches no price tier). */
const textOf = (value: unknown, fallback: string): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : value === undefined ? fallback : JSON.stringify(value);

const dialects: Dialect[] = [
  {
    name: 'openrouter',
    env: { SORA2_MCP_DIALECT: 'openrouter' },
    start: () => OpenRouterFake.start(),
    models: OPENROUTER_MODELS.filter((model) => !model.pricing_skus?.video_tokens).map((model) => model.id),
    price: (body) => {
      const model = OPENROUTER_MODELS.find((entry) => entry.id === body.model)!;
      const skus = model.pricing_skus ?? {};
      const resolution = textOf(body.resolution, model.supported_resolutions?.[0] ?? '720p').toLowerCase();
      const sound = body.generate_audio === false ? 'without_audio' : 'with_audio';
      const rate = Number(
        skus[`duration_seconds_${sound}_${resolution}`] ??
          skus[`per-video-second-${resolution}`] ??
          skus['per-video-second'] ??
          skus.duration_seconds,
      );
      return rate * Number(body.duration ?? model.supported_durations?.at(-1));
    },
    body: (gateway) => lastPost(gateway)?.json,
    own: ['model', 'duration', 'resolution', 'aspect_ratio', 'size', 'generate_audio'],
    seconds: [4, 5, 6, 8, 10],
    audio: true,
  },
  {
    name: 'json (LLM Gateway)',
    env: { SORA2_MCP_DIALECT: 'json' },
    start: () => LlmGatewayFake.start(),
    models: ['veo-3.1-generate-preview'],
    price: (body) => {
      const model = LLM_GATEWAY_MODELS.find((entry) => entry.id === body.model)!;
      const size = textOf(body.size, model.sizes[0]!);
      const short = Math.min(...size.split('x').map(Number));
      const tier = short >= 2160 ? '4k' : short >= 1080 ? '1080p' : '720p';
      const rate = Number(model.perSecond[`${tier}_${body.audio === false ? 'video' : 'audio'}`]);
      return rate * Number(body.seconds ?? Math.max(...model.seconds));
    },
    body: (gateway) => lastPost(gateway)?.json,
    own: ['model', 'seconds', 'size', 'audio'],
    seconds: [4, 5, 6, 8, 10],
    audio: true,
  },
  {
    name: 'openai (LiteLLM)',
    env: {},
    start: () => LiteLlmFake.start(),
    models: ['sora-2', 'sora-2-pro'],
    // OpenAI's list prices: sora-2 $0.10/s; sora-2-pro $0.30/s at 720p, $0.50/s above; a request without seconds is 4 s
    // and without size 720x1280 (the spec's defaults).
    price: (body) => {
      const size = textOf(body.size, '720x1280');
      const rate = body.model === 'sora-2' ? 0.1 : ['1280x720', '720x1280'].includes(size) ? 0.3 : 0.5;
      return rate * Number(body.seconds ?? 4);
    },
    body: (gateway) => {
      const sent = lastPost(gateway);
      return sent && { ...sent.form, ...(sent.json ?? {}) };
    },
    own: ['model', 'seconds', 'size'],
    seconds: [4, 8, 12, 16, 20, 6],
    audio: false,
  },
];

/** Anything a caller might try, valid or not: the server refuses what it cannot price; what it sends must fit. */
const sneaky = fc.oneof(
  fc.constant(undefined),
  fc.record({ metadata: fc.record({ team: fc.constant('video') }) }),
  fc.dictionary(
    fc.constantFrom(...PRICE_WORDS, 'provider', 'options', 'parameters', 'extra'),
    fc.oneof(
      fc.constantFrom(4, 20, '4K', '1920x1080', true, 8),
      fc.dictionary(fc.constantFrom(...PRICE_WORDS, 'parameters'), fc.constantFrom(4, 20, '4K', true, { n: 4 }), { maxKeys: 2 }),
    ),
    { minKeys: 1, maxKeys: 3 },
  ),
);

describe.each(dialects)('under a cap, the request $name receives', (dialect) => {
  it('is never dearer than the cap, whatever the arguments', async () => {
    const gateway = await dialect.start();
    const folder = tempFolder();
    const clients: { cap: number; client: Client; close: () => Promise<void> }[] = [];
    try {
      // One server per cap (a cap is configuration), each connected in process to the same gateway.
      for (const cap of [0.5, 1.2, 2, 3.2, 6]) {
        const { client, close } = await inProcessClient(gateway, folder.path, { SORA2_MCP_MAX_COST_USD: String(cap), ...dialect.env });
        clients.push({ cap, client, close });
      }
      // Geometry as a caller gives it: none, a size, or a resolution with an aspect ratio (giving both is refused).
      const geometry = fc.oneof(
        fc.constant({}),
        fc.record({ size: fc.constantFrom('1280x720', '1920x1080', '3840x2160', '1792x1024') }),
        fc.record(
          { resolution: fc.constantFrom('720p', '1080p', '4K'), aspect_ratio: fc.constantFrom('16:9', '9:16') },
          { requiredKeys: [] },
        ),
      );
      const args = fc
        .tuple(
          fc.record(
            {
              model: fc.constantFrom(...dialect.models),
              seconds: fc.constantFrom(...dialect.seconds),
              generate_audio: dialect.audio ? fc.boolean() : fc.constant(undefined),
              provider_options: sneaky,
            },
            { requiredKeys: ['model'] },
          ),
          geometry,
        )
        .map(([rest, shape]) => ({ ...rest, ...shape }));
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: clients.length - 1 }), args, async (which, given) => {
          const { cap, client } = clients[which]!;
          const before = gateway.received('POST', /\/videos$/).length;
          const call = Object.fromEntries(Object.entries({ prompt: 'a paper boat', ...given }).filter(([, value]) => value !== undefined));
          const result = await client.callTool({ name: 'openai-videos-create', arguments: call });
          const sent = gateway.received('POST', /\/videos$/).length > before ? dialect.body(gateway) : undefined;
          // Refused by our checks: nothing left. Refused by the provider (a length it does not take): what it received must still fit.
          if (result.isError && sent === undefined) return;
          if (!result.isError) accepted += 1;
          expect(sent).toBeDefined();
          expect({ escapes: nestedPriceKeys(sent) }).toEqual({ escapes: [] });
          for (const key of Object.keys(sent!)) if (PRICE_KEYS.has(normal(key))) expect(dialect.own).toContain(key);
          expect({ call, cost: dialect.price(sent!) }).toEqual({ call, cost: expect.toBeLessThanOrEqualTo(cap + 1e-9) });
        }),
        { numRuns: 120 },
      );
      // The property is not vacuous: some calls were sent.
      expect(accepted).toBeGreaterThan(5);
    } finally {
      for (const entry of clients) await entry.close();
      await gateway.close();
      folder.remove();
    }
  });
});

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Expect {
      toBeLessThanOrEqualTo(limit: number): unknown;
    }
  }
}

expect.extend({
  toBeLessThanOrEqualTo(received: number, limit: number) {
    return { pass: received <= limit, message: () => `expected ${received} to be at most ${limit}` };
  },
});

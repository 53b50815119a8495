import fc from 'fast-check';
import { inProcessClient } from '../support/mcp-servers';
import type { GatewayFake } from '../support/gateways/gateway-fake';
import { LiteLlmFake } from '../support/gateways/litellm';
import { LlmGatewayFake } from '../support/gateways/llm-gateway';
import { OpenRouterFake } from '../support/gateways/openrouter';
import { solid } from '../support/images';
import { tempFolder } from '../support/temp';

/**
 * Whatever controls a call is given, the request the provider receives holds the fields for them
 * and nothing the caller did not ask for, besides the defaults the README names (the model, and
 * the duration a provider requires). Each case runs the whole server in process against the fake.
 */
interface Dialect {
  name: string;
  env: Record<string, string>;
  start: () => Promise<GatewayFake>;
  model: string;
  /** The wire field each control becomes. */
  fields: Record<string, string>;
  /** What is always sent. */
  always: string[];
  /** Sent with a first or last frame when no geometry was asked for: the size the frame was fitted to (the README names it). */
  withFrames: string[];
  controls: fc.Arbitrary<Record<string, unknown>>;
  body: (gateway: GatewayFake) => Record<string, unknown>;
}

let frame = '';

const dialects: Dialect[] = [
  {
    name: 'openrouter',
    env: { SORA2_MCP_DIALECT: 'openrouter' },
    start: () => OpenRouterFake.start(),
    model: 'google/veo-3.1',
    fields: {
      seconds: 'duration',
      aspect_ratio: 'aspect_ratio',
      resolution: 'resolution',
      input_reference: 'frame_images',
      last_frame: 'frame_images',
      generate_audio: 'generate_audio',
      seed: 'seed',
      provider_options: 'provider',
    },
    always: ['model', 'prompt'],
    withFrames: ['aspect_ratio', 'resolution'],
    controls: fc.record(
      {
        seconds: fc.constantFrom(4, 6, 8),
        aspect_ratio: fc.constantFrom('16:9', '9:16'),
        resolution: fc.constantFrom('720p', '1080p'),
        input_reference: fc.constant('frame'),
        last_frame: fc.constant('frame'),
        generate_audio: fc.boolean(),
        seed: fc.nat(),
        provider_options: fc.constant({ provider: { options: { 'google-vertex': { parameters: { enhancePrompt: true } } } } }),
      },
      { requiredKeys: [] },
    ),
    body: (gateway) => gateway.received('POST', /\/videos$/).at(-1)!.json!,
  },
  {
    name: 'json (LLM Gateway)',
    env: { SORA2_MCP_DIALECT: 'json' },
    start: () => LlmGatewayFake.start(),
    model: 'veo-3.1-generate-preview',
    fields: {
      seconds: 'seconds',
      size: 'size',
      input_reference: 'image',
      last_frame: 'last_frame',
      generate_audio: 'audio',
      provider_options: 'metadata',
    },
    always: ['model', 'prompt', 'seconds'],
    withFrames: ['size'],
    controls: fc.record(
      {
        size: fc.constant('1280x720'),
        input_reference: fc.constant('frame'),
        last_frame: fc.constant('frame'),
        generate_audio: fc.boolean(),
        provider_options: fc.constant({ metadata: { team: 'video' } }),
      },
      { requiredKeys: [] },
    ),
    body: (gateway) => gateway.received('POST', /\/videos$/).at(-1)!.json!,
  },
  {
    name: 'openai (LiteLLM)',
    env: {},
    start: () => LiteLlmFake.start(),
    model: 'sora-2',
    fields: { seconds: 'seconds', size: 'size', input_reference: 'input_reference', provider_options: 'user' },
    always: ['model', 'prompt'],
    withFrames: ['size'],
    controls: fc.record(
      {
        seconds: fc.constantFrom('4', '8'),
        size: fc.constant('1280x720'),
        input_reference: fc.constant('frame'),
        provider_options: fc.constant({ user: 'team' }),
      },
      { requiredKeys: [] },
    ),
    body: (gateway) => {
      const sent = gateway.received('POST', /\/videos$/).at(-1)!;
      return { ...sent.form, ...sent.files };
    },
  },
];

beforeAll(async () => {
  frame = `data:image/png;base64,${(await solid(1280, 720)).toString('base64')}`;
});

describe.each(dialects)('the request $name receives', (dialect) => {
  it('holds a field for each control given, and no field nobody asked for', async () => {
    const gateway = await dialect.start();
    const folder = tempFolder();
    const { client, close } = await inProcessClient(gateway, folder.path, dialect.env);
    try {
      await fc.assert(
        fc.asyncProperty(dialect.controls, async (controls) => {
          const args: Record<string, unknown> = { prompt: 'p', model: dialect.model, input_reference_fit: 'stretch' };
          for (const [name, value] of Object.entries(controls)) args[name] = value === 'frame' ? frame : value;
          // A last frame goes with a first at LLM Gateway; the other combinations are the caller's.
          if (dialect.name.startsWith('json') && args.last_frame && !args.input_reference) delete args.last_frame;
          if (dialect.name.startsWith('json') && args.seconds === undefined) args.seconds = 8;
          const result = await client.callTool({ name: 'openai-videos-create', arguments: args });
          expect(result.isError).toBeFalsy();
          const sent = Object.keys(dialect.body(gateway));
          const asked = Object.keys(args).flatMap((name) => (dialect.fields[name] ? [dialect.fields[name]] : []));
          const framed = args.input_reference !== undefined || args.last_frame !== undefined ? dialect.withFrames : [];
          for (const field of sent) expect([...dialect.always, ...framed, ...asked]).toContain(field);
          for (const field of asked) expect(sent).toContain(field);
        }),
        { numRuns: 20 },
      );
    } finally {
      await close();
      await gateway.close();
      folder.remove();
    }
  });
});

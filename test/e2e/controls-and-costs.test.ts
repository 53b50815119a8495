import builtIn from '../../src/domain/model-catalog.json';
import type { GatewayFake } from '../support/gateways/gateway-fake';
import { serveGateway, type ToolResult } from '../support/gateways/serve-gateway';
import { LiteLlmFake } from '../support/gateways/litellm';
import { LlmGatewayFake } from '../support/gateways/llm-gateway';
import { OpenRouterFake } from '../support/gateways/openrouter';
import { solid } from '../support/images';
import { FakeVideosServer } from '../support/fake-videos-server';
import { startBuiltServer, type RunningServer } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

type Result = ToolResult;
const text = (result: Result): string => result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');

/** The built server against a gateway fake; `call` makes a video unless another tool is named. */
async function serve(gateway: GatewayFake, env: Record<string, string>) {
  const t = await serveGateway(gateway, env);
  return { ...t, call: (args: Record<string, unknown>, name = 'openai-videos-create') => t.call(name, args) };
}

const png = async (width: number, height: number, colour = '#336699') =>
  `data:image/png;base64,${(await solid(width, height, 'png', colour)).toString('base64')}`;

describe('each control reaches the provider under its own field name', () => {
  it('OpenRouter: first and last frame, sound, a seed, an aspect ratio and resolution, a duration, provider_options', async () => {
    const gateway = await OpenRouterFake.start();
    const t = await serve(gateway, { SORA2_MCP_DIALECT: 'openrouter' });
    try {
      const first = await png(1280, 720, '#112233');
      const last = await png(1280, 720, '#445566');
      const options = {
        provider: { options: { 'google-vertex': { parameters: { negativePrompt: 'blur', personGeneration: 'allow_adult' } } } },
      };
      const created = await t.call({
        prompt: 'A kite rises over the dunes',
        model: 'google/veo-3.1',
        seconds: 8,
        aspect_ratio: '16:9',
        resolution: '720p',
        input_reference: first,
        last_frame: last,
        generate_audio: true,
        seed: 42,
        provider_options: options,
      });
      expect(created.isError).toBeFalsy();
      const body = gateway.received('POST', /^\/api\/v1\/videos$/)[0]!.json!;
      expect(body).toEqual({
        model: 'google/veo-3.1',
        prompt: 'A kite rises over the dunes',
        duration: 8,
        aspect_ratio: '16:9',
        resolution: '720p',
        frame_images: [
          { type: 'image_url', image_url: { url: first }, frame_type: 'first_frame' },
          { type: 'image_url', image_url: { url: last }, frame_type: 'last_frame' },
        ],
        generate_audio: true,
        seed: 42,
        ...options,
      });
      // Sound, at 720p, for 8 s: the price OpenRouter lists, said before the job runs.
      expect(created.structuredContent).toMatchObject({ estimated_cost_usd: 3.2 });
      expect(text(created)).toMatch(/Estimated cost: \$3\.20 \(8 s at \$0\.4\/s, 720p, with sound\)/);

      const refs = [await png(512, 512), await png(640, 480)];
      const referenced = await t.call({
        prompt: 'The same character, walking',
        model: 'google/veo-3.1',
        seconds: 4,
        reference_images: refs,
      });
      expect(referenced.isError).toBeFalsy();
      expect(gateway.received('POST', /^\/api\/v1\/videos$/)[1]!.json!.input_references).toEqual(
        refs.map((url) => ({ type: 'image_url', image_url: { url } })),
      );
    } finally {
      await t.close();
    }
  });

  it('LLM Gateway: image, last_frame, reference_images, audio, and provider_options beside them', async () => {
    const gateway = await LlmGatewayFake.start();
    const t = await serve(gateway, { SORA2_MCP_DIALECT: 'json' });
    try {
      const first = await png(1280, 720);
      const last = await png(1280, 720, '#aa0000');
      const created = await t.call({
        prompt: 'Lanterns rise',
        model: 'veo-3.1-generate-preview',
        size: '1280x720',
        seconds: 8,
        input_reference: first,
        last_frame: last,
        generate_audio: false,
        provider_options: { metadata: { team: 'video' } },
      });
      expect(created.isError).toBeFalsy();
      expect(gateway.received('POST', /^\/v1\/videos$/)[0]!.json).toEqual({
        prompt: 'Lanterns rise',
        model: 'veo-3.1-generate-preview',
        seconds: 8,
        size: '1280x720',
        image: { image_url: first },
        last_frame: { image_url: last },
        audio: false,
        metadata: { team: 'video' },
      });
      const refs = [await png(256, 256)];
      expect(
        (await t.call({ prompt: 'Same hero', model: 'veo-3.1-generate-preview', seconds: 8, reference_images: refs })).isError,
      ).toBeFalsy();
      expect(gateway.received('POST', /^\/v1\/videos$/)[1]!.json!.reference_images).toEqual([{ image_url: refs[0] }]);
    } finally {
      await t.close();
    }
  });

  it('the OpenAI shape (LiteLLM): the first frame as a file, an aspect ratio with a resolution as a size, provider_options as fields', async () => {
    const gateway = await LiteLlmFake.start();
    const t = await serve(gateway, {});
    try {
      const created = await t.call({
        prompt: 'A fox in the snow',
        model: 'sora-2',
        aspect_ratio: '16:9',
        resolution: '720p',
        seconds: 4,
        input_reference: await png(1280, 720),
        provider_options: { user: 'team-a' },
      });
      expect(created.isError).toBeFalsy();
      const sent = gateway.received('POST', /^\/v1\/videos$/)[0]!;
      expect(sent.form).toEqual({ prompt: 'A fox in the snow', model: 'sora-2', seconds: '4', size: '1280x720', user: 'team-a' });
      expect(sent.files.input_reference).toMatchObject({ type: 'image/png' });
    } finally {
      await t.close();
    }
  });
});

describe('what cannot be sent is refused before anything is sent, saying why', () => {
  let openrouter: Awaited<ReturnType<typeof serve>>;
  let gateway: OpenRouterFake;
  beforeAll(async () => {
    gateway = await OpenRouterFake.start();
    openrouter = await serve(gateway, { SORA2_MCP_DIALECT: 'openrouter' });
  });
  afterAll(async () => openrouter.close());

  const submits = () => gateway.received('POST', /^\/api\/v1\/videos$/).length;

  it.each([
    [
      'a control the dialect has no field for',
      { model: 'google/veo-3.1', negative_prompt: 'blur' },
      /OpenRouter has no field for negative_prompt[\s\S]*provider_options/,
    ],
    [
      'a last frame the model does not take',
      { model: 'kwaivgi/kling-v3.0-std', seconds: 5, last_frame: 'data:image/png;base64,AAAA' },
      /Model kwaivgi\/kling-v3\.0-std takes no last_frame/,
    ],
    [
      'a duration the model does not take',
      { model: 'google/veo-3.1', seconds: 7 },
      /seconds 7 is not offered by model google\/veo-3\.1; it takes 4, 6, 8/,
    ],
    [
      'a resolution the model does not take',
      { model: 'google/veo-3.1-fast', resolution: '4K', aspect_ratio: '16:9' },
      /resolution 4K is not offered by model google\/veo-3\.1-fast; it takes 720p, 1080p/,
    ],
    [
      'sound a model cannot make',
      { model: 'kwaivgi/kling-v3.0-std', seconds: 5, generate_audio: true },
      /Model kwaivgi\/kling-v3\.0-std generates no sound/,
    ],
    [
      'provider_options over a field the server sets',
      { model: 'google/veo-3.1', seconds: 4, provider_options: { prompt: 'another prompt' } },
      /provider_options: "prompt" is a field this call already sets/,
    ],
    [
      'provider_options carrying a field that decides the price',
      { model: 'google/veo-3.1', seconds: 4, provider_options: { duration: 8 } },
      /provider_options may not set "duration": it decides what the job costs/,
    ],
    [
      'references together with frames, which OpenRouter would drop',
      {
        model: 'google/veo-3.1',
        seconds: 4,
        input_reference: 'data:image/png;base64,AAAA',
        reference_images: ['data:image/png;base64,AAAA'],
      },
      /cannot combine reference images with a first or last frame/,
    ],
    ['a mistyped model', { model: 'google/veo-3.1-fsat' }, /no model google\/veo-3\.1-fsat is known; did you mean google\/veo-3\.1-fast\?/],
    [
      'both a size and an aspect ratio',
      { model: 'google/veo-3.1', size: '1280x720', aspect_ratio: '16:9' },
      /give either size or aspect_ratio with resolution, not both/,
    ],
  ])('%s', async (_case, args, words) => {
    const before = submits();
    const result = await openrouter.call({ prompt: 'x', ...args });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(words);
    expect(text(result)).toMatch(/\(code: [a-z_]+\)$/);
    expect(submits()).toBe(before);
  });

  it('a model the catalog knows, named or the default: the default model is checked like any other', async () => {
    const liteLlm = await serve(await LiteLlmFake.start(), {});
    try {
      for (const args of [
        { seconds: 5 },
        { size: '1234x567' },
        { model: 'sora-2', seconds: 5 },
        { last_frame: 'data:image/png;base64,AAAA' },
      ]) {
        const result = await liteLlm.call({ prompt: 'x', ...args });
        expect(result.isError).toBe(true);
        expect(text(result)).toMatch(/sora-2|has no field for last_frame/);
      }
    } finally {
      await liteLlm.close();
    }
  });
});

describe('spending caps', () => {
  const price = (builtIn.models.find((model) => model.id === 'sora-2') as { prices?: { usd_per_second: number }[] }).prices![0]!
    .usd_per_second;
  let server: RunningServer;
  let folder: ReturnType<typeof tempFolder>;
  const call = async (args: Record<string, unknown>) =>
    (await server.client.callTool({ name: 'openai-videos-create', arguments: { prompt: 'a boat', ...args } })) as Result;
  const listed = async () =>
    ((await server.client.callTool({ name: 'openai-videos-list', arguments: {} })) as Result).structuredContent!.data as unknown[];
  const start = async (env: Record<string, string>) => {
    folder = tempFolder();
    server = await startBuiltServer({
      SORA2_MCP_PROVIDER: 'simulator',
      MEDIA_GEN_DIRS: folder.path,
      SORA2_MCP_SIMULATOR_RENDER_MS: '200',
      ...env,
    });
  };
  afterEach(async () => {
    await server.close();
    folder.remove();
  });

  it("states each job's estimate, price × seconds of a catalogued model, before and without a cap", async () => {
    await start({});
    const created = await call({ model: 'sora-2', seconds: 8 });
    expect(created.structuredContent!.estimated_cost_usd).toBeCloseTo(price * 8, 5);
    expect(text(created)).toContain(`Estimated cost: $${(price * 8).toFixed(2)}`);
  });

  it('refuses one call over SORA2_MCP_MAX_COST_USD, naming the estimate and the cap', async () => {
    await start({ SORA2_MCP_MAX_COST_USD: String(price * 5) });
    const over = await call({ model: 'sora-2', seconds: 8 });
    expect(over.isError).toBe(true);
    expect(text(over)).toContain(
      `This job's estimate of $${(price * 8).toFixed(2)} is over the $${(price * 5).toFixed(2)} cap on one call (SORA2_MCP_MAX_COST_USD), so nothing was sent.`,
    );
    expect(text(over)).toContain('(code: over_budget)');
    expect((await call({ model: 'sora-2', seconds: 4 })).isError).toBeFalsy();
    expect(await listed()).toHaveLength(1);
  });

  it('refuses the call that would take the sum of the estimates over SORA2_MCP_BUDGET_USD, and keeps what was spent across a restart', async () => {
    // The embedded ledger (PGlite) in a data folder of the test's own, as a person running one server has it.
    const data = tempFolder();
    try {
      await start({ SORA2_MCP_BUDGET_USD: String(price * 10), SORA2_MCP_DATA_DIR: data.path });
      const first = await call({ model: 'sora-2', seconds: 4 });
      expect(first.isError).toBeFalsy();
      expect(first.structuredContent!.budget).toEqual({
        period: 'day',
        user: { budget_usd: price * 10, spent_usd: expect.closeTo(price * 4, 6), left_usd: expect.closeTo(price * 6, 6) },
      });
      expect(text(first)).toContain(`Budget left this day (UTC): $${(price * 6).toFixed(2)} of your $${(price * 10).toFixed(2)}.`);
      expect((await call({ model: 'sora-2', seconds: 4 })).isError).toBeFalsy();
      const third = await call({ model: 'sora-2', seconds: 4 });
      expect(third.isError).toBe(true);
      expect(text(third)).toMatch(
        /would bring your spending this day \(UTC\) over your \$[\d.]+ budget \(SORA2_MCP_BUDGET_USD; \$[\d.]+ spent so far, \$[\d.]+ left\), so nothing was sent/,
      );
      expect(await listed()).toHaveLength(2);
      // A restart (same data folder) remembers the day's spending: the models tool says what is left, a create is refused.
      await server.close();
      server = await startBuiltServer({
        SORA2_MCP_PROVIDER: 'simulator',
        MEDIA_GEN_DIRS: folder.path,
        SORA2_MCP_SIMULATOR_RENDER_MS: '200',
        SORA2_MCP_BUDGET_USD: String(price * 10),
        SORA2_MCP_DATA_DIR: data.path,
      });
      const models = (await server.client.callTool({ name: 'openai-videos-models', arguments: { model: 'sora-2' } })) as Result;
      expect(models.structuredContent!.budget).toMatchObject({ user: { left_usd: expect.closeTo(price * 2, 6) } });
      expect((await call({ model: 'sora-2', seconds: 4 })).isError).toBe(true);
    } finally {
      data.remove();
    }
  });

  it('keeps one budget for two local servers on one data folder, which take the embedded ledger in turn', async () => {
    const data = tempFolder();
    folder = tempFolder();
    const env = {
      SORA2_MCP_PROVIDER: 'simulator',
      MEDIA_GEN_DIRS: folder.path,
      SORA2_MCP_SIMULATOR_RENDER_MS: '200',
      SORA2_MCP_BUDGET_USD: String(price * 8),
      SORA2_MCP_DATA_DIR: data.path,
    };
    // Two clients of one person, each with its own stdio server, as Claude Desktop and Claude Code run them.
    server = await startBuiltServer(env);
    const other = await startBuiltServer(env);
    try {
      expect((await call({ model: 'sora-2', seconds: 4 })).isError).toBeFalsy();
      const second = (await other.client.callTool({
        name: 'openai-videos-create',
        arguments: { prompt: 'a boat', model: 'sora-2', seconds: 4 },
      })) as Result;
      expect(second.isError).toBeFalsy();
      expect(second.structuredContent!.budget).toMatchObject({ user: { left_usd: expect.closeTo(0, 6) } });
      const third = await call({ model: 'sora-2', seconds: 4 });
      expect(third.isError).toBe(true);
      expect(text(third)).toContain('(code: over_budget)');
    } finally {
      await other.close();
      data.remove();
    }
    // Each hand-over waits for the other server to let go of the embedded database (idle for 3 s) and opens it anew.
  }, 90_000);

  it('prices a remix like a create: one that would go over SORA2_MCP_BUDGET_USD is refused and starts nothing', async () => {
    await start({ SORA2_MCP_BUDGET_USD: String(price * 10) });
    const source = await call({ model: 'sora-2', seconds: 8, wait_for_completion: true, download_variants: [] });
    expect(source.structuredContent).toMatchObject({ status: 'completed' });
    const remix = (await server.client.callTool({
      name: 'openai-videos-remix',
      arguments: { video_id: source.structuredContent!.id, prompt: 'at dusk' },
    })) as Result;
    expect(remix.isError).toBe(true);
    expect(text(remix)).toContain('(code: over_budget)');
    expect(await listed()).toHaveLength(1);
  });

  it('refuses a model with no known price while a cap is set, saying how to give one', async () => {
    await start({ SORA2_MCP_BUDGET_USD: '50' });
    const unknown = await call({ model: 'house/video-model', size: '1280x720', seconds: 4 });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toContain('No price is known for model house/video-model');
    expect(text(unknown)).toContain('SORA2_MCP_MODELS');
  });
});

describe('remix is checked like a create', () => {
  it('without a key, refuses a remix, naming the variable to set, before any request reaches the provider', async () => {
    const provider = await FakeVideosServer.start();
    const job = provider.addJob();
    const folder = tempFolder();
    const server = await startBuiltServer({
      OPENAI_BASE_URL: provider.baseURL,
      MEDIA_GEN_DIRS: folder.path,
      SORA2_MCP_API_KEY: '',
    });
    try {
      const remix = (await server.client.callTool({
        name: 'openai-videos-remix',
        arguments: { video_id: job.video.id, prompt: 'at dusk' },
      })) as Result;
      expect(remix.isError).toBe(true);
      expect(text(remix)).toMatch(/SORA2_MCP_API_KEY/);
      expect(provider.requests).toEqual([]);
    } finally {
      await server.close();
      await provider.close();
      folder.remove();
    }
  });
});

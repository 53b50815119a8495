import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BifrostFake } from '../support/gateways/bifrost';
import { LiteLlmFake } from '../support/gateways/litellm';
import { LlmGatewayFake } from '../support/gateways/llm-gateway';
import { OpenRouterFake } from '../support/gateways/openrouter';
import { solid } from '../support/images';
import { serveGateway, type ToolResult } from '../support/gateways/serve-gateway';
import { startBuiltServer } from '../support/stdio-server';
import { loopbackCertificate } from '../support/tls';

type Result = ToolResult;
const text = (result: Result): string => result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
const links = (result: Result) => result.content.filter((block) => block.type === 'resource_link') as { uri: string; name: string }[];
/** Characters no portable file name may hold. */
// eslint-disable-next-line no-control-regex -- control characters are what must not appear
const UNPORTABLE = /[/\\:*?"<>|\u0000-\u001f]/;
const ALL_VARIANTS = ['video', 'thumbnail', 'spritesheet'];

/** The tools are not listed, and a client that calls one anyway is refused without a request to the gateway. */
async function expectNoTools(t: Awaited<ReturnType<typeof serveGateway>>, names: string[]): Promise<void> {
  const listed = (await t.server.client.listTools()).tools.map((tool) => tool.name);
  for (const name of names) expect(listed).not.toContain(name);
  const before = t.gateway.requests.length;
  for (const name of names) {
    const answer = await t.call(name, { video_id: 'abc', prompt: 'x' }).then(
      (result) => (result.isError ? text(result) : 'answered'),
      (error: Error) => error.message,
    );
    expect(answer).toMatch(/not found|unknown tool/i);
  }
  expect(t.gateway.requests.length).toBe(before);
}

describe('LiteLLM 1.82.1 behind a model_list, set up as the README says', () => {
  let t: Awaited<ReturnType<typeof serveGateway<LiteLlmFake>>>;
  beforeAll(async () => {
    t = await serveGateway(await LiteLlmFake.start());
  });
  afterAll(async () => t.close());

  it('creates, waits with every poll on the id create returned, and saves the video; the variants it drops are reported, not retried', async () => {
    const created = await t.call('openai-videos-create', {
      prompt: 'A glacier calving at sunrise',
      model: 'sora-2',
      size: '1280x720',
      seconds: 4,
      wait_for_completion: true,
      poll_interval_ms: 100,
      download_variants: ALL_VARIANTS,
    });
    expect(created.isError).toBeFalsy();
    const id = created.structuredContent!.id as string;
    // The held id routes to its deployment; LiteLLM's later answers carry one that would not.
    expect(LiteLlmFake.decode(id)).toMatchObject({ modelId: 'sora-2' });
    expect(created.structuredContent).toMatchObject({ status: 'completed', provider_id: expect.stringMatching(/^video_/) });
    expect(LiteLlmFake.decode(created.structuredContent!.provider_id as string)).toMatchObject({ modelId: '' });
    const polls = t.gateway.received('GET', /^\/v1\/videos\/[^/]+$/);
    expect(polls.length).toBeGreaterThan(0);
    expect(new Set(polls.map((request) => request.path))).toEqual(new Set([`/v1/videos/${id}`]));
    // The video is saved; LiteLLM serves it for the thumbnail and the spritesheet too, which is said once each.
    const saved = links(created);
    expect(saved.map((link) => link.name)).toEqual([expect.stringMatching(/_video\.mp4$/)]);
    expect(readFileSync(fileURLToPath(saved[0]!.uri)).equals(t.gateway.content.bytes)).toBe(true);
    expect(text(created)).toMatch(/The thumbnail was not saved: the provider served an MP4 video when asked for the thumbnail/);
    expect(text(created)).toMatch(/The spritesheet was not saved: the provider served an MP4 video when asked for the spritesheet/);
    expect(t.gateway.received('GET', /\/content$/)).toHaveLength(3);
    expect(readdirSync(t.folder.path).every((name) => !UNPORTABLE.test(name))).toBe(true);

    const again = await t.call('openai-videos-retrieve', { video_id: id });
    expect(again.structuredContent).toMatchObject({ id, status: 'completed' });
    expect((await t.call('openai-videos-download-content', { video_id: id })).isError).toBeFalsy();
  });

  it('remixes and follows the remix, although LiteLLM answers it with an id it cannot route', async () => {
    const source = await t.call('openai-videos-create', {
      prompt: 'A kite',
      model: 'sora-2',
      wait_for_completion: true,
      poll_interval_ms: 100,
    });
    const remix = await t.call('openai-videos-remix', {
      video_id: source.structuredContent!.id,
      prompt: 'at dusk',
      wait_for_completion: true,
      poll_interval_ms: 100,
    });
    expect(remix.isError).toBeFalsy();
    expect(remix.structuredContent).toMatchObject({ status: 'completed', remixed_from_video_id: source.structuredContent!.id });
    expect(LiteLlmFake.decode(remix.structuredContent!.id as string)).toMatchObject({ modelId: 'sora-2' });
  });

  it('says, quoting LiteLLM, what it cannot serve: listing, deleting, a key it does not know, a model outside its model_list', async () => {
    const list = await t.call('openai-videos-list', {});
    expect(list.isError).toBe(true);
    expect(text(list)).toContain('LLM Provider NOT provided');
    expect(text(list)).toContain('SORA2_MCP_EXTRA_QUERY');

    const id = (await t.call('openai-videos-create', { prompt: 'x', model: 'sora-2' })).structuredContent!.id as string;
    const deleted = await t.call('openai-videos-delete', { video_id: id });
    expect(deleted.isError).toBe(true);
    expect(text(deleted)).toMatch(/does not offer deleting videos: it answered \(405: "Method Not Allowed"\)\. \(code: not_offered\)/);

    const unknown = await t.call('openai-videos-create', { prompt: 'x', model: 'wan-ai/wan-2.6-t2v', size: '832x480', seconds: 5 });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(
      /does not serve model wan-ai\/wan-2\.6-t2v \(400: "\/v1\/videos: Invalid model name passed in model=wan-ai\/wan-2\.6-t2v/,
    );
    expect(text(unknown)).toContain('openai-videos-models');
    expect(text(unknown)).not.toContain('2026-09-24');
    expect(text(unknown)).not.toMatch(/\(400 400/);
  });

  it('quotes "No connected db." for a key other than the master key', async () => {
    const stranger = await serveGateway(await LiteLlmFake.start(), {});
    try {
      const server = await startBuiltServer({
        OPENAI_BASE_URL: stranger.gateway.baseURL,
        SORA2_MCP_API_KEY: stranger.gateway.keys[1]!,
        MEDIA_GEN_DIRS: stranger.folder.path,
      });
      const result = (await server.client.callTool({ name: 'openai-videos-retrieve', arguments: { video_id: 'video_x' } })) as Result;
      await server.close();
      expect(result.isError).toBe(true);
      expect(text(result)).toContain('"No connected db."');
      expect(text(result)).toContain('master key');
    } finally {
      await stranger.close();
    }
  });
});

describe('LiteLLM serving a single model (litellm --model openai/sora-2)', () => {
  it('lists with the provider hint the README names, and keeps the hint out of redaction', async () => {
    const t = await serveGateway(await LiteLlmFake.start({ mode: 'single_model' }), {
      SORA2_MCP_EXTRA_QUERY: '{"custom_llm_provider":"openai"}',
    });
    try {
      const created = await t.call('openai-videos-create', {
        prompt: 'x',
        model: 'sora-2',
        wait_for_completion: true,
        poll_interval_ms: 100,
      });
      const page = await t.call('openai-videos-list', { limit: 10 });
      expect(page.isError).toBeFalsy();
      // Its list ids are encoded once more (with the item's model); the upstream video is the same one.
      const listed = (page.structuredContent!.data as { id: string }[]).map((video) => LiteLlmFake.decode(video.id)?.videoId);
      expect(listed).toContain(LiteLlmFake.decode(created.structuredContent!.id as string)!.videoId);
      expect(t.gateway.received('GET', /^\/v1\/videos$/).every((request) => request.query.get('custom_llm_provider') === 'openai')).toBe(
        true,
      );
    } finally {
      await t.close();
    }
  });
});

describe("Bifrost's OpenAI-compatible routes (/openai/v1), set up as the README says", () => {
  let t: Awaited<ReturnType<typeof serveGateway<BifrostFake>>>;
  beforeAll(async () => {
    t = await serveGateway(await BifrostFake.start());
  });
  afterAll(async () => t.close());

  it('makes a Veo video through its Gemini route, saves it under a portable name, and says what Gemini lacks', async () => {
    const created = await t.call('openai-videos-create', {
      prompt: 'Waves on basalt',
      model: 'gemini/veo-3.1-generate-preview',
      size: '1280x720',
      seconds: 8,
      wait_for_completion: true,
      poll_interval_ms: 100,
      download_variants: ALL_VARIANTS,
    });
    expect(created.isError).toBeFalsy();
    const id = created.structuredContent!.id as string;
    expect(id).toMatch(/^models%2Fveo-3\.1-generate-preview%2Foperations%2F\d+:gemini$/);
    expect(links(created).map((link) => link.name)).toEqual([expect.stringMatching(/^models_2Fveo.*_video\.mp4$/)]);
    expect(links(created)[0]!.name).not.toMatch(UNPORTABLE);
    expect(text(created)).toMatch(/The thumbnail was not saved: the provider served an MP4 video/);
    const sent = t.gateway.received('POST', /^\/openai\/v1\/videos$/)[0]!;
    expect(sent.form).toMatchObject({ model: 'gemini/veo-3.1-generate-preview', size: '1280x720', seconds: '8' });

    expect((await t.call('openai-videos-retrieve', { video_id: id })).structuredContent).toMatchObject({ id, status: 'completed' });
    // The catalog knows Veo takes no remix: refused before anything is sent.
    const before = t.gateway.requests.length;
    const remix = await t.call('openai-videos-remix', { video_id: id, prompt: 'at night' });
    expect(text(remix)).toMatch(/Model gemini\/veo-3\.1-generate-preview cannot be remixed/);
    expect(t.gateway.requests.length).toBe(before + 1); // the source's state, read to price the remix
    expect(t.gateway.received('POST', /\/remix$/)).toHaveLength(0);
    const deleted = await t.call('openai-videos-delete', { video_id: id });
    expect(text(deleted)).toMatch(/does not offer deleting videos/);
    const list = await t.call('openai-videos-list', {});
    expect(list.isError).toBe(true);
    expect(text(list)).toContain('provider is required for listing videos');
  });

  it('refuses a Runway model that needs a first frame without one, and makes it with one', async () => {
    const before = t.gateway.requests.length;
    const refused = await t.call('openai-videos-create', { prompt: 'waves', model: 'runwayml/gen4_turbo', size: '1280x720', seconds: 5 });
    expect(text(refused)).toContain('Model runwayml/gen4_turbo needs a first-frame image');
    expect(t.gateway.requests.length).toBe(before);
    const image = `data:image/png;base64,${(await solid(1280, 720)).toString('base64')}`;
    const created = await t.call('openai-videos-create', {
      prompt: 'waves',
      model: 'runway/gen4_turbo',
      size: '1280x720',
      seconds: 5,
      input_reference: image,
      wait_for_completion: true,
      poll_interval_ms: 100,
    });
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent!.id).toMatch(/^task-\d+:runway$/);
    expect(links(created)[0]!.name).toMatch(/^task-\d+_runway-[0-9a-f]{16}\.mp4$/);
    const remix = await t.call('openai-videos-remix', { video_id: created.structuredContent!.id, prompt: 'at night' });
    expect(text(remix)).toMatch(
      /does not offer remixing videos: it answered \(400 unsupported_operation: "video_remix is not supported by runway provider"\)/,
    );
    // Runway's delete cancels; Bifrost offers it there.
    expect((await t.call('openai-videos-delete', { video_id: created.structuredContent!.id })).structuredContent).toMatchObject({
      deleted: true,
    });
  });
});

describe("Bifrost's own routes (/v1, the bifrost dialect), set up as the README says", () => {
  let t: Awaited<ReturnType<typeof serveGateway<BifrostFake>>>;
  beforeAll(async () => {
    const gateway = await BifrostFake.start();
    t = await serveGateway(gateway, { OPENAI_BASE_URL: gateway.unifiedURL, SORA2_MCP_DIALECT: 'bifrost' });
  });
  afterAll(async () => t.close());

  it('carries a negative prompt, a seed and sound to Veo, which the OpenAI shape cannot, and saves the video', async () => {
    const frame = `data:image/png;base64,${(await solid(1280, 720)).toString('base64')}`;
    // Veo on Vertex (the catalog knows Veo on the Gemini API as taking no seed, and refuses one for it).
    const created = await t.call('openai-videos-create', {
      prompt: 'a lighthouse at dawn',
      model: 'vertex/veo-3.1-generate-preview',
      seconds: 8,
      size: '1280x720',
      input_reference: frame,
      negative_prompt: 'no birds',
      seed: 42,
      generate_audio: false,
      wait_for_completion: true,
    });
    expect(text(created)).not.toMatch(/code: /);
    const sent = t.gateway.received('POST', /^\/v1\/videos$/).at(-1)!.json!;
    expect(sent).toMatchObject({
      model: 'vertex/veo-3.1-generate-preview',
      seconds: '8',
      negative_prompt: 'no birds',
      seed: 42,
      audio: false,
    });
    expect(sent.input_reference).toMatch(/^data:image\/png;base64,/);
    const job = [...t.gateway.jobs.values()].at(-1)!;
    expect(job.request.upstream).toMatchObject({
      negativePrompt: 'no birds',
      seed: 42,
      generateAudio: false,
      image: { mimeType: 'image/png' },
    });
    expect(links(created).map((link) => link.name)).toEqual([expect.stringMatching(/\.mp4$/)]);
    // Every poll names the id as Bifrost made it, `:provider` and all.
    const id = created.structuredContent!.id as string;
    expect(id).toMatch(/:vertex$/);
    expect(t.gateway.received('GET', /^\/v1\/videos\/[^/]+$/).every((request) => request.rawPath.endsWith(':vertex'))).toBe(true);
  });

  it('says what Bifrost does not offer for Gemini: no remix, listing or delete', async () => {
    const listed = await t.call('openai-videos-list', {});
    expect(listed.isError).toBe(true);
    expect(text(listed)).toMatch(/Bifrost does not offer listing videos/);
  });
});

describe('LLM Gateway (json dialect), set up as the README says', () => {
  let t: Awaited<ReturnType<typeof serveGateway<LlmGatewayFake>>>;
  beforeAll(async () => {
    t = await serveGateway(await LlmGatewayFake.start(), { SORA2_MCP_DIALECT: 'json' });
  });
  afterAll(async () => t.close());

  it('makes a 4K Veo video in JSON, saves it, and does not ask for variants it has none of', async () => {
    const created = await t.call('openai-videos-create', {
      prompt: 'A city at night',
      model: 'veo-3.1-generate-preview',
      size: '3840x2160',
      seconds: 8,
      wait_for_completion: true,
      poll_interval_ms: 100,
      download_variants: ALL_VARIANTS,
    });
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent).toMatchObject({
      status: 'completed',
      size: '3840x2160',
      seconds: '8',
      model: 'google-vertex/veo-3.1-generate-preview',
    });
    const sent = t.gateway.received('POST', /^\/v1\/videos$/)[0]!;
    expect(sent.contentType).toMatch(/^application\/json/);
    expect(sent.json).toMatchObject({ model: 'veo-3.1-generate-preview', size: '3840x2160', seconds: 8 });
    expect(links(created)).toHaveLength(1);
    expect(text(created)).toMatch(/The thumbnail was not saved: the provider serves only the video/i);
    expect(t.gateway.received('GET', /\/content$/)).toHaveLength(1);
    expect(typeof created.structuredContent!.cost_usd).toBe('number');
  });

  it('offers no remix, list or delete tool, and sends nothing for a call to one', async () => {
    await expectNoTools(t, ['openai-videos-remix', 'openai-videos-list', 'openai-videos-delete', 'remix_video', 'list_videos']);
  });

  it('still takes the old name of its dialect, SORA2_MCP_REQUEST_FORMAT=json', async () => {
    const old = await serveGateway(await LlmGatewayFake.start(), { SORA2_MCP_REQUEST_FORMAT: 'json' });
    try {
      const created = await old.call('openai-videos-create', { prompt: 'x', model: 'veo-3.1-generate-preview', seconds: 4 });
      expect(created.isError).toBeFalsy();
      expect(old.gateway.received('POST', /^\/v1\/videos$/)[0]!.json).toMatchObject({ seconds: 4 });
    } finally {
      await old.close();
    }
  });
});

describe.each(['relative', 'absolute'] as const)("OpenRouter's video API, its polling_url %s", (pollingUrl) => {
  let t: Awaited<ReturnType<typeof serveGateway<OpenRouterFake>>>;
  beforeAll(async () => {
    t = await serveGateway(await OpenRouterFake.start({ pollingUrl }), {
      SORA2_MCP_DIALECT: 'openrouter',
      NODE_EXTRA_CA_CERTS: loopbackCertificate().certFile,
    });
  });
  afterAll(async () => t.close());

  it('makes a video with a size, a duration and a first frame, follows it by its polling_url, saves it, and reports its price', async () => {
    const image = `data:image/png;base64,${(await solid(1280, 720)).toString('base64')}`;
    const created = await t.call('openai-videos-create', {
      prompt: 'A paper boat on a river',
      model: 'google/veo-3.1',
      size: '1280x720',
      seconds: 8,
      input_reference: image,
      wait_for_completion: true,
      poll_interval_ms: 200,
      download_variants: ALL_VARIANTS,
    });
    expect(created.isError).toBeFalsy();
    const sent = t.gateway.received('POST', /^\/api\/v1\/videos$/)[0]!.json!;
    // Veo at OpenRouter has no sizes: 1280x720 goes as its aspect ratio and resolution.
    expect(sent).toMatchObject({ model: 'google/veo-3.1', duration: 8, resolution: '720p', aspect_ratio: '16:9' });
    expect(sent).not.toHaveProperty('size');
    expect(sent.frame_images).toEqual([{ type: 'image_url', image_url: { url: image }, frame_type: 'first_frame' }]);
    const id = created.structuredContent!.id as string;
    // OpenRouter echoes no size: the job is the size that was asked for.
    expect(created.structuredContent).toMatchObject({
      status: 'completed',
      model: 'google/veo-3.1',
      seconds: '8',
      size: '1280x720',
      cost_usd: 3.2,
    });
    // The price per second from its models list, times eight seconds: what it cost.
    expect(created.structuredContent!.estimated_cost_usd).toBe(3.2);
    expect(text(created)).toContain('Estimated cost: $3.20');
    const polls = t.gateway.received('GET', /^\/api\/v1\/videos\/[^/]+$/).filter((request) => request.path !== '/api/v1/videos/models');
    expect(new Set(polls.map((request) => request.path))).toEqual(new Set([`/api/v1/videos/${id}`]));
    expect(links(created)).toHaveLength(1);
    expect(readFileSync(fileURLToPath(links(created)[0]!.uri)).equals(t.gateway.content.bytes)).toBe(true);
    expect(text(created)).toMatch(/The thumbnail was not saved: OpenRouter serves only the video/);
  });

  it('offers no remix, list, delete or cancel tool, and sends nothing for a call to one', async () => {
    await expectNoTools(t, ['openai-videos-remix', 'openai-videos-list', 'openai-videos-delete', 'openai-videos-cancel']);
  });

  it('reports a failed job with its status word and error', async () => {
    const failed = await t.call('openai-videos-create', {
      prompt: 'x [fail]',
      model: 'google/veo-3.1-fast',
      wait_for_completion: true,
      poll_interval_ms: 100,
    });
    expect(failed.isError).toBe(true);
    expect(text(failed)).toContain('Content policy violation');
  });
});

describe('OpenRouter: a storage host gets no credential', () => {
  it('saves the video from the signed storage URL alone, and the storage host never sees the key', async () => {
    const t = await serveGateway(await OpenRouterFake.start({ links: 'signed' }), {
      SORA2_MCP_DIALECT: 'openrouter',
      SORA2_MCP_EXTRA_HEADERS: '{"HTTP-Referer":"https://my.app.example","X-OpenRouter-Title":"my app"}',
      NODE_EXTRA_CA_CERTS: loopbackCertificate().certFile,
    });
    try {
      const created = await t.call('openai-videos-create', {
        prompt: 'x',
        model: 'google/veo-3.1-fast',
        seconds: 4,
        wait_for_completion: true,
        poll_interval_ms: 100,
      });
      expect(created.isError).toBeFalsy();
      expect(readFileSync(fileURLToPath(links(created)[0]!.uri)).equals(t.gateway.content.bytes)).toBe(true);
      expect(t.gateway.storage.requests).toHaveLength(1);
      expect(t.gateway.storage.withCredentials).toEqual([]);
      const headers = t.gateway.storage.requests[0]!.headers;
      expect(Object.keys(headers).filter((name) => /referer|openrouter|authorization|cookie/i.test(name))).toEqual([]);
      expect(t.gateway.received('GET', /\/content$/)).toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});

describe('the models tool against each gateway', () => {
  it('shows what OpenRouter reports each model takes and costs', async () => {
    const t = await serveGateway(await OpenRouterFake.start(), { SORA2_MCP_DIALECT: 'openrouter' });
    try {
      const models = await t.call('openai-videos-models', {});
      expect(models.isError).toBeFalsy();
      const rows = models.structuredContent!.data as Record<string, unknown>[];
      expect(rows.find((row) => row.id === 'google/veo-3.1')).toMatchObject({
        source: 'provider',
        seconds: ['4', '6', '8'],
        input_reference: 'optional',
        controls: {
          resolutions: ['720p', '1080p', '4K'],
          aspect_ratios: ['16:9', '9:16'],
          last_frame: true,
          generate_audio: 'optional',
          seed: true,
        },
        price_usd_per_second: 0.2,
        prices: expect.arrayContaining([expect.objectContaining({ usd_per_second: 0.4, resolution: '720p', audio: true })]),
      });
      // OpenRouter's list is the list: no catalog model it does not serve.
      expect(rows.map((row) => row.id)).not.toContain('sora-2');
      // Priced per video token: no price per second to show.
      expect(rows.find((row) => row.id === 'bytedance/seedance-2.0-fast')).toMatchObject({ price_usd_per_second: null });
    } finally {
      await t.close();
    }
  });

  it("shows LLM Gateway's sizes, sound and prices from its /v1/models", async () => {
    const t = await serveGateway(await LlmGatewayFake.start(), { SORA2_MCP_DIALECT: 'json' });
    try {
      const rows = (await t.call('openai-videos-models', {})).structuredContent!.data as Record<string, unknown>[];
      expect(rows.find((row) => row.id === 'kling-v3-0-turbo')).toMatchObject({
        controls: expect.objectContaining({ generate_audio: 'always' }),
      });
      expect(rows.find((row) => row.id === 'gpt-4o-mini')).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});

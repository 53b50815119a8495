import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { GatewayFake, type DialectName } from '../support/gateway-fakes';
import { solid } from '../support/images';
import { startBuiltServer, type RunningServer } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

type Result = CallToolResult & { structuredContent?: Record<string, unknown> };
const text = (result: Result): string => result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
/** Characters no portable file name may hold. */
// eslint-disable-next-line no-control-regex -- control characters are what must not appear
const UNPORTABLE = /[/\\:*?"<>|\u0000-\u001f]/;

/**
 * The README's Providers recipes, run as a new user would: the built server over stdio against a
 * loopback fake of each gateway's documented dialect, with only the variables the recipe sets.
 */
const recipes: Record<
  DialectName,
  { env: Record<string, string>; create: Record<string, unknown>; remix: boolean; list: boolean; delete: boolean }
> = {
  litellm: {
    env: { SORA2_MCP_EXTRA_QUERY: '{"custom_llm_provider":"gemini"}' },
    // Veo through LiteLLM: 1080p and 6 s, neither of which Sora 2 had.
    create: { model: 'gemini/veo-3.1-generate-preview', size: '1920x1080', seconds: 6 },
    remix: true,
    list: true,
    delete: true,
  },
  bifrost: {
    env: {},
    create: { model: 'runway/gen4_aleph', size: '1280x720', seconds: '10' },
    remix: false,
    list: false,
    delete: true,
  },
  llmgateway: {
    env: { SORA2_MCP_REQUEST_FORMAT: 'json' },
    create: { model: 'veo-3.1-generate-preview', size: '3840x2160', seconds: 10 },
    remix: false,
    list: false,
    delete: false,
  },
};

describe.each(Object.keys(recipes) as DialectName[])('the built server against the %s dialect', (dialect) => {
  const recipe = recipes[dialect];
  let gateway: GatewayFake;
  let folder: ReturnType<typeof tempFolder>;
  let server: RunningServer;
  const call = async (name: string, args: Record<string, unknown>): Promise<Result> =>
    (await server.client.callTool({ name, arguments: args })) as Result;

  beforeAll(async () => {
    gateway = await GatewayFake.start(dialect);
    folder = tempFolder();
    server = await startBuiltServer({
      OPENAI_BASE_URL: gateway.baseURL,
      SORA2_MCP_API_KEY: gateway.apiKey,
      MEDIA_GEN_DIRS: folder.path,
      ...recipe.env,
    });
  });
  afterAll(async () => {
    await server.close();
    await gateway.close();
    folder.remove();
  });

  it('creates with a size and duration Sora never had, waits, and saves the video under a portable name', async () => {
    const created = await call('openai-videos-create', {
      prompt: 'A glacier calving at sunrise',
      ...recipe.create,
      wait_for_completion: true,
      poll_interval_ms: 100,
    });
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent).toMatchObject({
      status: 'completed',
      size: recipe.create.size,
      seconds: String(recipe.create.seconds),
    });
    const link = created.content.find((block) => block.type === 'resource_link') as { uri: string; name: string };
    expect(readFileSync(fileURLToPath(link.uri)).equals(gateway.content.bytes)).toBe(true);
    expect(link.name).not.toMatch(UNPORTABLE);
    const sent = gateway.requests.find((request) => request.method === 'POST' && request.path === '/v1/videos')!;
    const body = sent.json ?? sent.form!;
    expect(body).toMatchObject({ model: recipe.create.model, size: recipe.create.size });
    // LLM Gateway takes JSON with seconds as a number; the others take the spec's multipart string.
    expect(body.seconds).toBe(dialect === 'llmgateway' ? Number(recipe.create.seconds) : String(recipe.create.seconds));

    const id = created.structuredContent!.id as string;
    const again = await call('openai-videos-retrieve', { video_id: id });
    expect(again.structuredContent).toMatchObject({ id, status: 'completed' });
    const saved = await call('openai-videos-download-content', { video_id: id });
    expect(saved.isError).toBeFalsy();
    expect(readdirSync(folder.path).every((name) => !UNPORTABLE.test(name))).toBe(true);

    if (recipe.remix) {
      const sora = await call('openai-videos-create', {
        prompt: 'A kite',
        model: 'sora-2',
        size: '1280x720',
        seconds: 4,
        wait_for_completion: true,
        poll_interval_ms: 100,
      });
      const remix = await call('openai-videos-remix', {
        video_id: sora.structuredContent!.id,
        prompt: 'at dusk',
        wait_for_completion: true,
        poll_interval_ms: 100,
      });
      expect(remix.isError).toBeFalsy();
      expect(remix.structuredContent).toMatchObject({ status: 'completed', remixed_from_video_id: sora.structuredContent!.id });
    }
    if (recipe.list) {
      const page = await call('openai-videos-list', { limit: 10 });
      expect(page.isError).toBeFalsy();
      expect((page.structuredContent!.data as { id: string }[]).map((video) => video.id)).toContain(id);
      expect(
        gateway.requests
          .filter((request) => request.method === 'GET' && request.path === '/v1/videos')
          .every((request) => request.query.get('custom_llm_provider') === 'gemini'),
      ).toBe(true);
    } else {
      const page = await call('openai-videos-list', {});
      expect(page.isError).toBe(true);
    }
    if (recipe.delete) {
      const deleted = await call('openai-videos-delete', { video_id: id });
      expect(deleted.structuredContent).toMatchObject({ id, deleted: true });
    }
  });

  it("refuses a catalogued model's invalid size and duration before any request, naming its valid values", async () => {
    const before = gateway.requests.length;
    const size = await call('openai-videos-create', {
      prompt: 'x',
      model: recipe.create.model,
      size: '1000x1000',
      seconds: recipe.create.seconds,
    });
    expect(size.isError).toBe(true);
    expect(text(size)).toMatch(new RegExp(`size 1000x1000 is not offered by model ${String(recipe.create.model)}; it takes .*1280x720`));
    const seconds = await call('openai-videos-create', { prompt: 'x', model: recipe.create.model, seconds: 7 });
    expect(seconds.isError).toBe(true);
    expect(text(seconds)).toContain('seconds 7 is not offered');
    expect(gateway.requests.length).toBe(before);
  });

  it('passes an unknown model through untouched, with its own size and duration', async () => {
    const created = await call('openai-videos-create', { prompt: 'x', model: 'wan-ai/wan-2.6-t2v', size: '832x480', seconds: 5 });
    expect(created.isError).toBeFalsy();
    const sent = gateway.requests.filter((request) => request.method === 'POST' && request.path === '/v1/videos').at(-1)!;
    expect(sent.json ?? sent.form).toMatchObject({ model: 'wan-ai/wan-2.6-t2v', size: '832x480' });
  });

  it('lists the catalog merged with the ids the gateway reports', async () => {
    const models = await call('openai-videos-models', {});
    expect(models.isError).toBeFalsy();
    const data = models.structuredContent!.data as { id: string; source: string; sizes: string[] | null; reported_by_provider: boolean }[];
    expect(data.find((model) => model.id === 'sora-2')).toMatchObject({ source: 'catalog', sizes: ['720x1280', '1280x720'] });
    const reported = data.filter((model) => model.reported_by_provider);
    expect(reported.length).toBeGreaterThan(0);
    if (dialect === 'litellm')
      expect(data.find((model) => model.id === 'team-video-model')).toMatchObject({ source: 'provider', sizes: null });
  });

  it('answers a 2xx HTML page with a clear provider error, and keeps serving', async () => {
    gateway.override = (request) =>
      request.method === 'GET' && request.path.startsWith('/v1/videos/')
        ? { status: 200, type: 'text/html', body: `<!DOCTYPE html><html><body>${'x'.repeat(100_000)}</body></html>` }
        : undefined;
    try {
      const result = await call('openai-videos-retrieve', { video_id: 'anything' });
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/answered with an HTML page \(\d+ characters\) where a video job \(a JSON object\) was expected/);
      expect(text(result).length).toBeLessThan(1000);
    } finally {
      gateway.override = undefined;
    }
    expect((await call('openai-videos-models', {})).isError).toBeFalsy();
  });
});

describe('gateway specifics', () => {
  it('LiteLLM: ids with + / = work in every tool; another key gets 403 explained; listing without the hint says how to fix it', async () => {
    const gateway = await GatewayFake.start('litellm');
    const folder = tempFolder();
    const owner = await startBuiltServer({
      OPENAI_BASE_URL: gateway.baseURL,
      SORA2_MCP_API_KEY: gateway.apiKey,
      MEDIA_GEN_DIRS: folder.path,
    });
    const stranger = await startBuiltServer({
      OPENAI_BASE_URL: gateway.baseURL,
      SORA2_MCP_API_KEY: gateway.keys[1]!,
      MEDIA_GEN_DIRS: folder.path,
    });
    try {
      const created = (await owner.client.callTool({
        name: 'openai-videos-create',
        arguments: { prompt: 'ids', model: 'sora-2', size: '720x1280' },
      })) as Result;
      const id = created.structuredContent!.id as string;
      for (const char of ['+', '/', '=']) expect(id).toContain(char);
      const status = (await owner.client.callTool({ name: 'openai-videos-retrieve', arguments: { video_id: id } })) as Result;
      expect(status.structuredContent).toMatchObject({ id, status: 'in_progress', provider_status: 'processing' });
      // The id travels as one path segment: its '/' is percent-encoded ('+' and '=' are legal in a segment).
      const { rawPath, path } = gateway.requests.at(-1)!;
      expect(rawPath).toMatch(/^\/v1\/videos\/[^/]+$/);
      expect(rawPath).toContain('%2F');
      expect(path).toBe(`/v1/videos/${id}`);

      const foreign = (await stranger.client.callTool({ name: 'openai-videos-retrieve', arguments: { video_id: id } })) as Result;
      expect(foreign.isError).toBe(true);
      expect(text(foreign)).toContain('made with this same key');

      const list = (await owner.client.callTool({ name: 'openai-videos-list', arguments: {} })) as Result;
      expect(list.isError).toBe(true);
      expect(text(list)).toContain('custom_llm_provider is required');
      expect(text(list)).toContain('SORA2_MCP_EXTRA_QUERY');
    } finally {
      await owner.close();
      await stranger.close();
      await gateway.close();
      folder.remove();
    }
  });

  it('Bifrost: a Runway model that needs a reference image is refused without one, and works with one', async () => {
    const gateway = await GatewayFake.start('bifrost');
    const folder = tempFolder();
    const server = await startBuiltServer({
      OPENAI_BASE_URL: gateway.baseURL,
      SORA2_MCP_API_KEY: gateway.apiKey,
      MEDIA_GEN_DIRS: folder.path,
    });
    try {
      const refused = (await server.client.callTool({
        name: 'openai-videos-create',
        arguments: { prompt: 'waves', model: 'runwayml/gen4_turbo', size: '1280x720', seconds: 5 },
      })) as Result;
      expect(refused.isError).toBe(true);
      expect(text(refused)).toContain('Model runwayml/gen4_turbo needs a reference image');
      expect(gateway.requests).toHaveLength(0);
      const image = `data:image/png;base64,${(await solid(1280, 720)).toString('base64')}`;
      const created = (await server.client.callTool({
        name: 'openai-videos-create',
        arguments: {
          prompt: 'waves',
          model: 'runway/gen4_turbo',
          size: '1280x720',
          seconds: 5,
          input_reference: image,
          wait_for_completion: true,
          poll_interval_ms: 100,
        },
      })) as Result;
      expect(created.isError).toBeFalsy();
      expect(created.structuredContent!.id).toMatch(/^task_\d+:runway$/);
      const link = created.content.find((block) => block.type === 'resource_link') as { name: string };
      expect(link.name).toMatch(/^task_\d+_runway-[0-9a-f]{16}\.mp4$/);
    } finally {
      await server.close();
      await gateway.close();
      folder.remove();
    }
  });
});

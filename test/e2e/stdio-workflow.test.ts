import { readFileSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { FakeVideosServer } from '../support/fake-videos-server';
import { spawn } from 'node:child_process';
import { BUILT_SERVER, startBuiltServer, type RunningServer } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

type Result = CallToolResult & { structuredContent?: Record<string, unknown> };

describe('the built server over stdio against a spec-speaking loopback provider', () => {
  let provider: FakeVideosServer;
  let folder: ReturnType<typeof tempFolder>;
  let server: RunningServer;

  beforeAll(async () => {
    provider = await FakeVideosServer.start({ pollsToComplete: 3 });
    folder = tempFolder();
    server = await startBuiltServer({ SORA2_MCP_API_KEY: provider.apiKey, OPENAI_BASE_URL: provider.baseURL, MEDIA_GEN_DIRS: folder.path });
  });
  afterAll(async () => {
    await server.close();
    await provider.close();
    folder.remove();
  });
  afterEach(() => {
    expect(provider.violations).toEqual([]);
  });

  const call = async (name: string, args: Record<string, unknown>): Promise<Result> =>
    (await server.client.callTool({ name, arguments: args })) as Result;
  const text = (result: Result): string => result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');

  it('lists the ten tools with schemas and annotations (snapshots: test/toolsnaps)', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'openai-videos-create',
      'openai-videos-remix',
      'openai-videos-retrieve',
      'openai-videos-list',
      'openai-videos-delete',
      'openai-videos-download-content',
      'openai-videos-models',
      // ffmpeg is on PATH here (ADR 0020).
      'openai-videos-sequence',
      'openai-videos-frame',
      'openai-videos-join',
    ]);
    for (const tool of tools) {
      expect(tool.outputSchema).toBeDefined();
      expect(tool.annotations).toBeDefined();
      expect(tool.title).toBeTruthy();
    }
  });

  it('runs the recommended workflow: create, retrieve until completed, download-content', async () => {
    const created = await call('openai-videos-create', { prompt: 'A paper boat on a rainy street', seconds: 8, size: '1280x720' });
    expect(created.isError).toBeFalsy();
    const id = created.structuredContent!.id as string;
    expect(created.structuredContent).toMatchObject({ status: 'queued', seconds: '8', size: '1280x720' });
    expect(JSON.parse(text(created).split('\n').at(-1)!)).toEqual(created.structuredContent);

    let status = '';
    for (let i = 0; i < 10 && status !== 'completed'; i += 1) {
      status = (await call('openai-videos-retrieve', { video_id: id })).structuredContent!.status as string;
    }
    expect(status).toBe('completed');

    const downloaded = await call('openai-videos-download-content', { video_id: id, file: 'boat/final.mp4' });
    expect(downloaded.isError).toBeFalsy();
    const link = downloaded.content[0] as { type: string; uri: string; mimeType: string; name: string; size: number };
    expect(link).toMatchObject({
      type: 'resource_link',
      mimeType: 'video/mp4',
      name: 'final.mp4',
      size: provider.content.video.bytes.length,
    });
    expect(readFileSync(fileURLToPath(link.uri)).equals(provider.content.video.bytes)).toBe(true);
    expect(fileURLToPath(link.uri)).toBe(`${folder.path}/boat/final.mp4`);
    expect(downloaded.structuredContent).toMatchObject({ id, status: 'completed' });
  });

  it('waits in one call with increasing progress, then saves every variant', async () => {
    const seen = server.received.length;
    const result = (await server.client.callTool(
      {
        name: 'openai-videos-create',
        arguments: {
          prompt: 'A lighthouse at dawn',
          wait_for_completion: true,
          poll_interval_ms: 100,
          download_variants: ['video', 'thumbnail', 'spritesheet'],
          file: 'lighthouse',
        },
      },
      undefined,
      { onprogress: () => undefined, resetTimeoutOnProgress: true },
    )) as Result;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 'completed' });
    const links = result.content.filter((block) => block.type === 'resource_link') as { name: string; mimeType: string }[];
    expect(links.map((link) => [link.name, link.mimeType])).toEqual([
      ['lighthouse_video.mp4', 'video/mp4'],
      ['lighthouse_thumbnail.webp', 'image/webp'],
      ['lighthouse_spritesheet.jpg', 'image/jpeg'],
    ]);
    // On the wire: every progress notification, in order, before the response.
    const wire = server.received.slice(seen);
    const responseAt = wire.findIndex((message) => 'result' in message);
    const progress = wire
      .map((message, index) => ({ message, index }))
      .filter(({ message }) => 'method' in message && message.method === 'notifications/progress')
      .map(({ message, index }) => ({ index, ...(message as unknown as { params: Progress }).params }));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.every((update) => update.index < responseAt)).toBe(true);
    for (let i = 1; i < progress.length; i += 1) expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);
    expect(progress.every((update) => update.total === 100 && typeof update.message === 'string')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ progress: 100, message: 'completed; saved 3 file(s)' });
    expect(progress.filter((update) => update.progress >= 100)).toHaveLength(1);
  });

  it('lists, remixes and deletes', async () => {
    const source = provider.addJob({ prompt: 'source' });
    const remix = await call('openai-videos-remix', { video_id: source.video.id, prompt: 'same, at night' });
    expect(remix.structuredContent).toMatchObject({ remixed_from_video_id: source.video.id });
    const page = await call('openai-videos-list', { limit: 2, order: 'desc' });
    expect(page.structuredContent).toMatchObject({ object: 'list', has_more: true });
    expect((page.structuredContent!.data as unknown[]).length).toBe(2);
    const deleted = await call('openai-videos-delete', { video_id: source.video.id });
    expect(deleted.structuredContent).toMatchObject({ id: source.video.id, deleted: true });
  });

  it('refuses bad input with the field and the fix, sending nothing', async () => {
    const before = provider.requests.length;
    // sora-2 is catalogued at 720p (OpenAI's guide): its 1080p is refused here, naming the valid sizes.
    const size = await call('openai-videos-create', { prompt: 'x', model: 'sora-2', size: '1920x1080' });
    expect(size.isError).toBe(true);
    expect(text(size)).toContain('size 1920x1080 is not offered by model sora-2; it takes 720x1280, 1280x720');
    expect(text(size)).toContain('Nothing was sent');
    const escape = await call('openai-videos-create', { prompt: 'x', wait_for_completion: true, file: '../../etc/evil' });
    expect(escape.isError).toBe(true);
    expect(text(escape)).toContain('MEDIA_GEN_DIRS');
    expect(escape.structuredContent).toBeUndefined();
    symlinkSync('/etc/hostname', `${folder.path}/linked.mp4`);
    const linked = await call('openai-videos-create', { prompt: 'x', wait_for_completion: true, file: 'linked.mp4' });
    expect(linked.isError).toBe(true);
    expect(text(linked)).toContain('outside the allowed folders');
    expect(provider.requests.length).toBe(before);
  });

  it('speaks of arguments its schema refuses in the same voice as every other error', async () => {
    const before = provider.requests.length;
    const missing = await call('openai-videos-create', {});
    expect(missing.isError).toBe(true);
    expect(missing.structuredContent).toBeUndefined();
    expect(text(missing)).toMatch(/^prompt is required: .+ Nothing was sent\. \(code: invalid_input\)$/);
    expect(text(missing)).not.toMatch(/MCP error|-32602|received undefined/);
    const wrongType = await call('openai-videos-list', { limit: 'ten' });
    expect(wrongType.isError).toBe(true);
    expect(text(wrongType)).toMatch(/^limit must be a number, not a string.*\(code: invalid_input\)$/);
    expect(provider.requests.length).toBe(before);
  });

  it('quotes the path it was given when refusing it, and names the allowed folders', async () => {
    const outside = tempFolder();
    try {
      symlinkSync(outside.path, `${folder.path}/elsewhere`);
      const result = await call('openai-videos-create', { prompt: 'x', wait_for_completion: true, file: 'elsewhere/out.mp4' });
      expect(result.isError).toBe(true);
      expect(text(result)).toContain('file: "elsewhere/out.mp4" is outside the allowed folders.');
      expect(text(result)).toContain(`The allowed folders (MEDIA_GEN_DIRS) are "${folder.path}"`);
    } finally {
      outside.remove();
    }
  });

  it('explains the retired Sora API when the provider says the model is gone', async () => {
    provider.intercept = (request) =>
      request.method === 'POST'
        ? {
            status: 404,
            json: {
              error: { message: 'The model `sora-2` does not exist', type: 'invalid_request_error', param: null, code: 'model_not_found' },
            },
          }
        : undefined;
    try {
      const result = await call('openai-videos-create', { prompt: 'x' });
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/retired its own Sora Videos API on 2026-09-24.*OPENAI_BASE_URL/);
    } finally {
      provider.intercept = undefined;
    }
  });

  it('lists the catalog when the provider has no /models, with advice that fits the models tool', async () => {
    // The spec's provider has no /models route: it answers 404.
    const result = await call('openai-videos-models', {});
    expect(result.isError).toBeFalsy();
    expect(text(result)).toMatch(/The provider does not offer a model list: it answered \(404: "[^"]+"\)\./);
    expect(text(result)).not.toMatch(/video_id|list tool/);
  });

  it('answers for one model when asked (a fraction of the whole list), and refuses an id it does not know, naming the known ones', async () => {
    const all = await call('openai-videos-models', {});
    const one = await call('openai-videos-models', { model: 'sora-2-pro' });
    expect(one.isError).toBeFalsy();
    expect((one.structuredContent!.data as { id: string }[]).map((entry) => entry.id)).toEqual(['sora-2-pro']);
    expect(JSON.stringify(one).length * 5).toBeLessThan(JSON.stringify(all).length);
    const unknown = await call('openai-videos-models', { model: 'sora-3' });
    expect(unknown.isError).toBe(true);
    expect(unknown.structuredContent).toBeUndefined();
    expect(text(unknown)).toMatch(
      /^model: no model sora-3 is in the catalog .*Known: sora-2, .*sora-2-pro.*Leave model out to list them all\./,
    );
    expect(text(unknown)).toContain("the provider's own list is not available");
  });

  it('logs to stderr only, never with the key', () => {
    expect(server.stderr()).toContain('ready');
    expect(server.stderr()).not.toContain(provider.apiKey);
  });

  it('says at its default level what a user needs: start-up, warnings and errors, never a line per provider request', () => {
    const lines = server.stderr().trim().split('\n');
    const info = lines.filter((line) => / info: /.test(line));
    expect(info.filter((line) => !line.includes(' ready: '))).toEqual([]);
    expect(lines.filter((line) => /openai sdk|succeeded|GET |POST /i.test(line))).toEqual([]);
    // The workflow above made dozens of provider requests.
    expect(provider.requests.length).toBeGreaterThan(10);
  });
});

describe('the built server without usable credentials', () => {
  let provider: FakeVideosServer;
  beforeAll(async () => {
    provider = await FakeVideosServer.start();
  });
  afterAll(async () => provider.close());

  it('starts without a key, lists its tools, and says which variable to set', async () => {
    const server = await startBuiltServer({ OPENAI_BASE_URL: provider.baseURL });
    try {
      expect((await server.client.listTools()).tools).toHaveLength(10);
      const result = (await server.client.callTool({ name: 'openai-videos-list', arguments: {} })) as Result;
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toContain('SORA2_MCP_API_KEY');
      expect(provider.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('with AZURE_OPENAI_API_KEY set, fails early with a clear message and sends no request', async () => {
    const server = await startBuiltServer({
      OPENAI_BASE_URL: provider.baseURL,
      SORA2_MCP_API_KEY: provider.apiKey,
      AZURE_OPENAI_API_KEY: 'azure-secret-value',
    });
    try {
      const result = (await server.client.callTool({ name: 'openai-videos-create', arguments: { prompt: 'x' } })) as Result;
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toMatch(/Azure OpenAI video support is not enabled/);
      expect(JSON.stringify(result.content)).not.toContain('azure-secret-value');
      expect(provider.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('keeps running with a bad configuration, saying it on stderr and in every tool result, and ends when the client closes', async () => {
    const child = spawn(process.execPath, [BUILT_SERVER], { env: { PATH: process.env.PATH ?? '', MEDIA_GEN_DIRS: 'relative/path' } });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const line = (message: unknown) => child.stdin.write(`${JSON.stringify(message)}\n`);
    line({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    line({ jsonrpc: '2.0', method: 'notifications/initialized' });
    line({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'openai-videos-models', arguments: {} } });
    await new Promise<void>((resolve) => {
      const check = () => (stdout.includes('"id":2') ? resolve() : undefined);
      child.stdout.on('data', check);
      check();
    });
    child.stdin.end();
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).toContain('configuration error: MEDIA_GEN_DIRS: "relative/path" is not an absolute path');
    const answer = JSON.parse(stdout.split('\n').find((text) => text.includes('"id":2'))!) as {
      result: { isError: boolean; content: { text: string }[] };
    };
    expect(answer.result.isError).toBe(true);
    expect(answer.result.content[0]!.text).toContain('MEDIA_GEN_DIRS: "relative/path" is not an absolute path');
  });
});

import { mp4 } from '../support/sample-files';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ResourceListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { FakeVideosServer } from '../support/fake-videos-server';
import { noisy, solid } from '../support/images';
import { startBuiltServer, type RunningServer } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

type Result = CallToolResult & { structuredContent?: Record<string, unknown> };

describe('tool sets', () => {
  let provider: FakeVideosServer;
  beforeAll(async () => {
    provider = await FakeVideosServer.start();
  });
  afterAll(async () => provider.close());

  it.each(['sora2', 'all'])('lists the %s tool set (snapshot)', async (toolset) => {
    const server = await startBuiltServer({
      SORA2_MCP_TOOLSET: toolset,
      OPENAI_BASE_URL: provider.baseURL,
      SORA2_MCP_API_KEY: provider.apiKey,
    });
    try {
      const { tools } = await server.client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(
        toolset === 'sora2'
          ? [
              'create_video',
              'get_video_status',
              'download_video',
              'list_videos',
              'delete_video',
              'remix_video',
              'list_models',
              'create_sequence',
            ]
          : expect.arrayContaining(['openai-videos-create', 'create_video', 'download_video']),
      );
      if (toolset === 'all') expect(tools).toHaveLength(18);
    } finally {
      await server.close();
    }
  });

  it('names the server after MCP_NAME', async () => {
    const server = await startBuiltServer({ MCP_NAME: 'my-videos' });
    try {
      expect(server.client.getServerVersion()).toMatchObject({ name: 'my-videos', version: require('../../package.json').version });
    } finally {
      await server.close();
    }
  });
});

describe('the sora2 tool set and media resources over stdio', () => {
  let provider: FakeVideosServer;
  let folder: ReturnType<typeof tempFolder>;
  let server: RunningServer;
  let listChanged = 0;
  /** Resolved at the next list_changed notification: the test waits for the event, not for time. */
  const changeWaiters: (() => void)[] = [];
  const nextChange = (since: number) =>
    listChanged > since ? Promise.resolve() : new Promise<void>((resolve) => changeWaiters.push(resolve));
  let thumbnail: Buffer;

  beforeAll(async () => {
    thumbnail = await solid(320, 180, 'webp');
    provider = await FakeVideosServer.start({ content: { thumbnail: { bytes: thumbnail, type: 'image/webp' } } });
    folder = tempFolder();
    server = await startBuiltServer({
      SORA2_MCP_TOOLSET: 'all',
      SORA2_MCP_API_KEY: provider.apiKey,
      OPENAI_BASE_URL: provider.baseURL,
      MEDIA_GEN_DIRS: folder.path,
    });
    server.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      listChanged += 1;
      for (const waiter of changeWaiters.splice(0)) waiter();
    });
  });
  afterAll(async () => {
    await server.close();
    await provider.close();
    folder.remove();
  });
  afterEach(() => expect(provider.violations).toEqual([]));

  const call = async (name: string, args: Record<string, unknown>) => (await server.client.callTool({ name, arguments: args })) as Result;

  it("speaks of its own tools in its messages (get_video_status, download_video), never the other set's", async () => {
    const result = await call('create_video', {
      prompt: 'slow [hold]',
      wait_for_completion: true,
      timeout_ms: 1000,
      poll_interval_ms: 100,
    });
    expect(result.isError).toBe(true);
    const message = JSON.stringify(result.content);
    expect(message).toContain('Check it later with get_video_status and save it with download_video');
    expect(message).not.toContain('openai-videos');
  });

  it("creates with the seed's defaults (1280x720, 8 seconds) and lists 10 by default", async () => {
    const created = await call('create_video', { prompt: 'seed defaults' });
    expect(created.structuredContent).toMatchObject({ status: 'queued', size: '1280x720', seconds: '8', model: 'sora-2' });
    await call('list_videos', {});
    expect(provider.requests.at(-1)!.query.get('limit')).toBe('10');
    expect(provider.requests.at(-1)!.query.get('order')).toBe('desc');
    const status = await call('get_video_status', { video_id: created.structuredContent!.id });
    expect(status.structuredContent).toMatchObject({ id: created.structuredContent!.id });
  });

  it('download_video writes the file and inlines the same bytes as base64 under the cap', async () => {
    const job = provider.addJob();
    const result = await call('download_video', { video_id: job.video.id });
    expect(result.isError).toBeFalsy();
    const value = result.structuredContent!;
    expect(value).toMatchObject({
      video_id: job.video.id,
      variant: 'video',
      inlined: true,
      mime_type: 'video/mp4',
      size_bytes: provider.content.video.bytes.length,
    });
    const onDisk = readFileSync(value.file as string);
    expect(Buffer.from(value.data_base64 as string, 'base64').equals(onDisk)).toBe(true);
    expect(onDisk.equals(provider.content.video.bytes)).toBe(true);
    expect(result.content[0]).toMatchObject({ type: 'resource_link', uri: value.uri });
  });

  it('download_video does not inline an asset above the cap, and says where the file is', async () => {
    const big = mp4(48 * 1024 + 1);
    provider.content.video = { bytes: big, type: 'video/mp4' };
    const job = provider.addJob();
    const result = await call('download_video', { video_id: job.video.id });
    const value = result.structuredContent!;
    expect(value.inlined).toBe(false);
    expect(value.data_base64).toBeUndefined();
    expect(value.note).toMatch(/above the 49152-byte inline limit.*use the file at/);
    expect(readFileSync(value.file as string).length).toBe(big.length);
  });

  it('download_video returns a thumbnail above the data_base64 cap as an image block, as the README says', async () => {
    const large = await noisy(480, 270);
    expect(large.length).toBeGreaterThan(48 * 1024);
    const saved = provider.content.thumbnail;
    provider.content.thumbnail = { bytes: large, type: 'image/webp' };
    try {
      const job = provider.addJob();
      const result = await call('download_video', { video_id: job.video.id, variant: 'thumbnail' });
      expect(result.structuredContent).toMatchObject({ inlined: false, mime_type: 'image/webp' });
      const image = result.content.find((block) => block.type === 'image') as { data: string } | undefined;
      expect(Buffer.from(image!.data, 'base64').equals(large)).toBe(true);
      expect(result.structuredContent!.note).toMatch(/comes back as an image block instead/);
    } finally {
      provider.content.thumbnail = saved;
    }
  });

  it('lists a file too large for resources/read as such, with where it is, and the note of download_video never points to that refusal', async () => {
    const large = mp4(2.6 * 1024 * 1024);
    const saved = provider.content.video;
    provider.content.video = { bytes: large, type: 'video/mp4' };
    try {
      const job = provider.addJob();
      const result = await call('download_video', { video_id: job.video.id });
      const value = result.structuredContent!;
      expect(value.note).toMatch(/too large for resources\/read/);
      expect(value.note).not.toContain(`resource ${String(value.uri)}`);
      const { resources } = await server.client.listResources();
      const listed = resources.find((resource) => resource.uri === value.uri)!;
      expect(listed.description).toContain(`Too large to read through MCP`);
      expect(listed.description).toContain(value.file as string);
      expect(listed._meta).toMatchObject({ 'io.github.sora2-mcp/readable': false });
      await expect(server.client.readResource({ uri: value.uri as string })).rejects.toThrow(/Open it directly at/);
      // What is listed as readable, is.
      for (const resource of resources.filter((item) => item._meta?.['io.github.sora2-mcp/readable'] === true)) {
        await expect(server.client.readResource({ uri: resource.uri })).resolves.toBeDefined();
      }
    } finally {
      provider.content.video = saved;
    }
  });

  it('returns a downloaded thumbnail as an image the model can see', async () => {
    const job = provider.addJob();
    const result = await call('openai-videos-download-content', { video_id: job.video.id, variant: 'thumbnail' });
    const image = result.content.find((block) => block.type === 'image') as { data: string; mimeType: string } | undefined;
    expect(image).toBeDefined();
    expect(image!.mimeType).toBe('image/webp');
    expect(Buffer.from(image!.data, 'base64').equals(thumbnail)).toBe(true);
    // download_video inlines the bytes once, in data_base64: no image block and no copy in the text.
    const inlined = await call('download_video', { video_id: job.video.id, variant: 'thumbnail' });
    const base64 = inlined.structuredContent!.data_base64 as string;
    expect(Buffer.from(base64, 'base64').equals(thumbnail)).toBe(true);
    expect(inlined.content.some((block) => block.type === 'image')).toBe(false);
    expect(JSON.stringify(inlined.content)).not.toContain(base64);
    expect(JSON.stringify(inlined.content)).toContain('base64 in structuredContent.data_base64');
    const video = await call('openai-videos-download-content', { video_id: job.video.id, variant: 'video', file: 'no-image' });
    expect(video.content.some((block) => block.type === 'image')).toBe(false);
  });

  it('lists written media as resources, reads them back, and announces changes', async () => {
    const before = listChanged;
    const job = provider.addJob();
    const result = await call('openai-videos-download-content', { video_id: job.video.id, variant: 'thumbnail', file: 'gallery/thumb' });
    const uri = (result.content[0] as { uri: string }).uri;
    const { resources } = await server.client.listResources();
    expect(resources[0]).toMatchObject({ uri, name: 'thumb.webp', mimeType: 'image/webp', size: thumbnail.length });
    const read = await server.client.readResource({ uri });
    expect(read.contents[0]).toMatchObject({ uri, mimeType: 'image/webp' });
    expect(Buffer.from((read.contents[0] as { blob: string }).blob, 'base64').equals(thumbnail)).toBe(true);
    await nextChange(before);
    expect(listChanged).toBeGreaterThan(before);
    expect(fileURLToPath(uri)).toBe(`${folder.path}/gallery/thumb.webp`);
  });

  it('lists what an earlier run saved: a fresh server over the same folder shows it and reads it back', async () => {
    const job = provider.addJob();
    const result = await call('openai-videos-download-content', { video_id: job.video.id, variant: 'thumbnail', file: 'earlier/run' });
    const uri = (result.content[0] as { uri: string }).uri;
    const fresh = await startBuiltServer({
      OPENAI_BASE_URL: provider.baseURL,
      SORA2_MCP_API_KEY: provider.apiKey,
      MEDIA_GEN_DIRS: folder.path,
    });
    try {
      const { resources } = await fresh.client.listResources();
      expect(resources.map((resource) => resource.uri)).toContain(uri);
      const read = await fresh.client.readResource({ uri });
      expect(Buffer.from((read.contents[0] as { blob: string }).blob, 'base64').equals(thumbnail)).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it('never serves hidden files or non-media as resources, even inside the roots', async () => {
    writeFileSync(`${folder.path}/.env`, 'SECRET=1');
    writeFileSync(`${folder.path}/notes.txt`, 'text');
    await expect(server.client.readResource({ uri: `file://${folder.path}/.env` })).rejects.toThrow(/No media file/);
    await expect(server.client.readResource({ uri: `file://${folder.path}/notes.txt` })).rejects.toThrow(/No media file/);
  });

  it('refuses to read anything outside the roots', async () => {
    await expect(server.client.readResource({ uri: 'file:///etc/passwd' })).rejects.toThrow(/No media file/);
    await expect(server.client.readResource({ uri: `file://${folder.path}/../../etc/hosts` })).rejects.toThrow(/No media file/);
  });
});

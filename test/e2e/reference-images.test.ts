import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FakeVideosServer } from '../support/fake-videos-server';
import { ImageHost } from '../support/image-host';
import { dimensions, HTML, pixel, rotatedJpeg, solid } from '../support/images';
import { startBuiltServer, type RunningServer } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

/** Every input_reference kind through the built server; assertions decode what the loopback API received. */
describe('input_reference end to end', () => {
  let provider: FakeVideosServer;
  let images: ImageHost;
  let folder: ReturnType<typeof tempFolder>;
  let server: RunningServer;

  beforeAll(async () => {
    provider = await FakeVideosServer.start();
    images = await ImageHost.start();
    folder = tempFolder();
    server = await startBuiltServer({
      SORA2_MCP_API_KEY: provider.apiKey,
      OPENAI_BASE_URL: provider.baseURL,
      MEDIA_GEN_DIRS: folder.path,
      MEDIA_GEN_URLS: images.origin,
    });
  });
  afterAll(async () => {
    await server.close();
    await Promise.all([provider.close(), images.close()]);
    folder.remove();
  });
  afterEach(() => expect(provider.violations).toEqual([]));

  async function create(args: Record<string, unknown>): Promise<CallToolResult> {
    return (await server.client.callTool({
      name: 'openai-videos-create',
      arguments: { prompt: 'reference test', ...args },
    })) as CallToolResult;
  }
  function lastUpload(): { bytes: Buffer; type: string } {
    const request = provider.requests.filter((r) => r.method === 'POST').at(-1)!;
    return request.files.input_reference!;
  }
  const text = (result: CallToolResult) => JSON.stringify(result.content);

  it('uploads a local file already at the video size byte for byte', async () => {
    const png = await solid(1280, 720, 'png');
    writeFileSync(path.join(folder.path, 'frame.png'), png);
    const result = await create({ input_reference: 'frame.png', size: '1280x720' });
    expect(result.isError).toBeFalsy();
    expect(lastUpload().type).toBe('image/png');
    expect(lastUpload().bytes.equals(png)).toBe(true);
  });

  it('trusts the bytes, not the name or the declared type: a PNG called .jpg in a data:image/jpeg URL is uploaded as PNG', async () => {
    const png = await solid(720, 1280, 'png');
    writeFileSync(path.join(folder.path, 'actually-png.jpg'), png);
    expect((await create({ input_reference: 'actually-png.jpg' })).isError).toBeFalsy();
    expect(lastUpload()).toMatchObject({ type: 'image/png' });
    expect((await create({ input_reference: `data:image/jpeg;base64,${png.toString('base64')}` })).isError).toBeFalsy();
    expect(lastUpload()).toMatchObject({ type: 'image/png' });
  });

  it('decodes a data URL with ;charset= to the exact source bytes (the "Unable to process image bytes" bug)', async () => {
    const jpeg = await solid(720, 1280, 'jpeg');
    const result = await create({ input_reference: `data:image/jpeg;charset=utf-8;base64,${jpeg.toString('base64')}` });
    expect(result.isError).toBeFalsy();
    expect(lastUpload()).toMatchObject({ type: 'image/jpeg' });
    expect(lastUpload().bytes.equals(jpeg)).toBe(true);
    expect(provider.requests.at(-1)!.body).toMatchObject({ size: '720x1280' });
  });

  it('accepts raw base64 WebP', async () => {
    const webp = await solid(1792, 1024, 'webp');
    expect((await create({ input_reference: webp.toString('base64'), model: 'sora-2-pro', size: '1792x1024' })).isError).toBeFalsy();
    expect(lastUpload().bytes.equals(webp)).toBe(true);
  });

  it('fetches an allowlisted URL and fits 4000×3000 to exactly 1280×720 with cover', async () => {
    images.serve('/big.jpg', await solid(4000, 3000, 'jpeg'), 'image/jpeg');
    const result = await create({ input_reference: `${images.origin}/big.jpg`, size: '1280x720', input_reference_fit: 'cover' });
    expect(result.isError).toBeFalsy();
    expect(await dimensions(lastUpload().bytes)).toEqual({ width: 1280, height: 720, format: 'png' });
    expect(lastUpload().type).toBe('image/png');
  });

  it.each(['contain', 'stretch'])('fits with %s to exactly the requested size', async (fit) => {
    writeFileSync(path.join(folder.path, 'square.png'), await solid(500, 500, 'png'));
    const result = await create({ input_reference: 'square.png', model: 'sora-2-pro', size: '1024x1792', input_reference_fit: fit });
    expect(result.isError).toBeFalsy();
    expect(await dimensions(lastUpload().bytes)).toMatchObject({ width: 1024, height: 1792 });
  });

  it('puts an EXIF-rotated photo upright', async () => {
    writeFileSync(path.join(folder.path, 'rotated.jpg'), await rotatedJpeg(1280, 720));
    const result = await create({ input_reference: 'rotated.jpg', size: '720x1280' });
    expect(result.isError).toBeFalsy();
    const upload = lastUpload().bytes;
    expect(await dimensions(upload)).toMatchObject({ width: 720, height: 1280 });
    expect((await pixel(upload, 360, 100))[0]).toBeGreaterThan(200);
  });

  it('with the default fit, refuses a mismatch naming both sizes and the fixes, and sends nothing', async () => {
    writeFileSync(path.join(folder.path, 'wrong.png'), await solid(1024, 1024, 'png'));
    const before = provider.requests.length;
    const result = await create({ input_reference: 'wrong.png', size: '1280x720' });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/1024x1024.*1280x720.*cover.*contain.*stretch.*openai-videos-models lists each model's sizes/);
    expect(provider.requests.length).toBe(before);
  });

  it("targets the default model's default size, 720x1280, when no size is given", async () => {
    writeFileSync(path.join(folder.path, 'landscape.png'), await solid(1280, 720, 'png'));
    const result = await create({ input_reference: 'landscape.png' });
    expect(text(result)).toMatch(/1280x720 but the video size is 720x1280 \(the default, as no size was given\)/);
  });

  it.each([
    ['no key', { SORA2_MCP_API_KEY: '' }],
    ['an Azure key', { AZURE_OPENAI_API_KEY: 'azure-key' }],
  ])('with %s, refuses before fetching a URL reference: the image host sees nothing', async (_name, overrides) => {
    images.serve('/ref.png', await solid(720, 1280, 'png'));
    const hits = images.hits.length;
    const other = await startBuiltServer({
      SORA2_MCP_API_KEY: provider.apiKey,
      OPENAI_BASE_URL: provider.baseURL,
      MEDIA_GEN_DIRS: folder.path,
      MEDIA_GEN_URLS: images.origin,
      ...overrides,
    });
    try {
      const result = (await other.client.callTool({
        name: 'openai-videos-create',
        arguments: { prompt: 'x', input_reference: `${images.origin}/ref.png` },
      })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(images.hits.length).toBe(hits);
    } finally {
      await other.close();
    }
  });

  it.each([
    ['"hello"', 'hello'],
    ['an HTML page served as image/png', 'URL:/page.png'],
    ['a file outside the roots', '/etc/hosts'],
    ['a metadata URL', 'http://169.254.169.254/latest/meta-data/'],
    ['a non-allowlisted URL', 'https://images.example/a.png'],
  ])('refuses %s and sends nothing', async (_name, input) => {
    images.serve('/page.png', HTML, 'image/png');
    const before = provider.requests.length;
    const result = await create({ input_reference: input.replace('URL:', images.origin) });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('input_reference');
    expect(provider.requests.length).toBe(before);
  });
});

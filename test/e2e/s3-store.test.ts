import { readdirSync } from 'node:fs';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mp4 } from '../support/sample-files';
import { FakeVideosServer } from '../support/fake-videos-server';
import { LoopbackS3, TEST_S3_CREDENTIALS } from '../support/s3-server';
import { startBuiltServer, type RunningServer } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

type Result = CallToolResult & { structuredContent?: Record<string, unknown> };
type Link = { type: 'resource_link'; uri: string; name: string; mimeType: string };

const VIDEO = mp4(20 * 1024 * 1024); // three multipart parts; half of it (where a stall cuts it) is more than one

describe('SORA2_MCP_STORE=s3://… over stdio, against a real S3 server on loopback', () => {
  let s3: LoopbackS3;
  let provider: FakeVideosServer;
  let folder: ReturnType<typeof tempFolder>;
  let server: RunningServer;
  beforeAll(async () => {
    s3 = await LoopbackS3.start();
    provider = await FakeVideosServer.start({ pollsToComplete: 1, content: { video: { bytes: VIDEO, type: 'video/mp4' } } });
    folder = tempFolder();
    server = await startBuiltServer({
      ...s3.env('team/'),
      SORA2_MCP_API_KEY: provider.apiKey,
      OPENAI_BASE_URL: provider.baseURL,
      MEDIA_GEN_DIRS: folder.path,
    });
  });
  afterAll(async () => {
    await server.close();
    await provider.close();
    await s3.close();
    folder.remove();
  });

  const create = async (args: Record<string, unknown>, signal?: AbortSignal): Promise<Result> =>
    (await server.client.callTool(
      { name: 'openai-videos-create', arguments: { prompt: 'a team video', wait_for_completion: true, poll_interval_ms: 100, ...args } },
      undefined,
      { signal },
    )) as Result;

  it('creates, waits and saves into the bucket; the presigned link, fetched with plain fetch, gives the bytes the provider sent', async () => {
    const result = await create({ download_variants: ['video', 'thumbnail'] });
    expect(result.isError).toBeFalsy();
    const links = result.content.filter((block) => block.type === 'resource_link') as Link[];
    expect(links.map((link) => link.mimeType)).toEqual(['video/mp4', 'image/webp']);
    const id = result.structuredContent!.id as string;
    expect(links[0]!.uri).toMatch(new RegExp(`^${s3.endpoint}/team-videos/team/${id}_video\\.mp4\\?.*X-Amz-Expires=3600`));
    const fetched = Buffer.from(await (await fetch(links[0]!.uri)).arrayBuffer());
    expect(fetched.equals(VIDEO)).toBe(true);
    expect(JSON.stringify(result.content)).toContain(`at s3://team-videos/team/${id}_video.mp4`);
    // Nothing went to the local folders (only the provider's media would, and it is not a file store).
    expect(readdirSync(folder.path).filter((name) => name.endsWith('.mp4'))).toEqual([]);
    // Resources come from the bucket: listed, and readable within the usual cap.
    const { resources } = await server.client.listResources();
    expect(resources.map((resource) => resource.name)).toEqual(expect.arrayContaining([`${id}_video.mp4`, `${id}_thumbnail.webp`]));
    const read = await server.client.readResource({ uri: links[1]!.uri });
    expect(Buffer.from((read.contents[0] as { blob: string }).blob, 'base64').equals(provider.content.thumbnail.bytes)).toBe(true);
    // The secret key signs links but never travels in any message.
    expect(JSON.stringify(server.received) + server.stderr()).not.toContain(TEST_S3_CREDENTIALS.secretAccessKey);
  });

  it('leaves no object and no multipart upload when every download attempt is cut', async () => {
    const before = (await server.client.listResources()).resources.length;
    const cut = { framing: 'length' as const, at: 10 * 1024 * 1024 };
    const known = new Set(provider.jobs.keys());
    const pending = create({ file: 'cut-take' });
    await provider.waitFor(() => provider.jobs.size > known.size);
    for (const job of provider.jobs.keys()) if (!known.has(job)) provider.faults.set(job, [cut, cut, cut]);
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/cut short/);
    expect((await server.client.listResources()).resources.length).toBe(before);
    expect(s3.openUploads()).toEqual([]);
  });

  it('leaves no object and no multipart upload when the client cancels mid-upload', async () => {
    const before = (await server.client.listResources()).resources.length;
    provider.cuts.push('stall-mid-body');
    const controller = new AbortController();
    const pending = create({ file: 'cancelled-take' }, controller.signal).catch((error: unknown) => error);
    // Half the video (6 MiB) arrives, then the provider stalls: cancel once the upload is open in the bucket.
    await s3.waitFor(() => s3.openUploads().length === 1);
    controller.abort();
    await pending;
    await s3.waitFor(() => s3.openUploads().length === 0);
    await provider.waitForAbandoned(1);
    expect((await server.client.listResources()).resources.length).toBe(before);
  });
});

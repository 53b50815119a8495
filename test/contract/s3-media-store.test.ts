import { PutObjectCommand, S3Client, HeadObjectCommand } from '@aws-sdk/client-s3';
import { S3MediaStore } from '../../src/adapters/s3/s3-media-store';
import type { MediaContent } from '../../src/domain/ports';
import { mediaStoreContract } from '../../src/testing/media-store-contract';
import { jestRunner } from '../support/jest-runner';
import { LoopbackS3 } from '../support/s3-server';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let s3: Promise<LoopbackS3> | undefined;
let prefixes = 0;
const server = () => (s3 ??= LoopbackS3.start());
afterAll(async () => (await s3)?.close());

async function storeAt(prefix: string, extra: { publicUrl?: string } = {}): Promise<S3MediaStore> {
  const s = await server();
  return new S3MediaStore({
    bucket: s.bucket,
    prefix,
    forcePathStyle: true,
    urlTtlSeconds: 3600,
    clientConfig: s.clientConfig(),
    ...extra,
  });
}

// Each case gets its own prefix in one bucket: an empty store, as the contract asks.
mediaStoreContract(jestRunner, 'S3MediaStore on a loopback S3 server', async () => {
  prefixes += 1;
  return { store: await storeAt(`contract-${prefixes}/`), close: async () => undefined };
});

const MiB = 1024 * 1024;

/** `total` bytes in 1 MiB chunks; `fail` makes it break (or `onChunk` act) after that many chunks. */
function big(total: number, options: { breakAfter?: number; onChunk?: (index: number) => Promise<void> | void } = {}): MediaContent {
  return {
    contentType: 'video/mp4',
    contentLength: total,
    body: (async function* () {
      for (let index = 0; index * MiB < total; index += 1) {
        if (options.breakAfter === index) throw new Error('socket hang up');
        await options.onChunk?.(index);
        yield Buffer.alloc(Math.min(MiB, total - index * MiB), index % 251);
      }
    })(),
  };
}

describe('S3MediaStore: what only a bucket can show', () => {
  it('streams a multi-part video, and its presigned link, fetched with plain fetch, gives the same bytes', async () => {
    const store = await storeAt('links/');
    const saved = await store.write(['video_big.mp4'], big(20 * MiB));
    expect(saved).toMatchObject({ name: 'video_big.mp4', sizeBytes: 20 * MiB, location: `s3://team-videos/links/video_big.mp4` });
    expect(saved.uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/team-videos\/links\/video_big\.mp4\?.*X-Amz-Signature=/);
    const response = await fetch(saved.uri);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBe(20 * MiB);
    expect(bytes[0]).toBe(0);
    expect(bytes[19 * MiB]).toBe(19);
    expect((await server()).openUploads()).toEqual([]);
  });

  it('leaves no object and no open multipart upload when the body is cut after several parts', async () => {
    const store = await storeAt('cut/');
    const s = await server();
    await expect(store.write(['cut.mp4'], big(40 * MiB, { breakAfter: 20 }))).rejects.toMatchObject({
      code: 'download_failed',
      retryable: true,
    });
    expect(await store.inspect('cut.mp4')).toBe('free');
    expect(s.openUploads()).toEqual([]);
  });

  it('stops when cancelled mid-upload, leaving no object and no open multipart upload', async () => {
    const store = await storeAt('cancel/');
    const s = await server();
    const controller = new AbortController();
    const content = big(40 * MiB, {
      onChunk: async (index) => {
        // Cancel once the multipart upload is open on the server, as a client going away mid-download would.
        if (index === 17) {
          await s.waitFor(() => s.openUploads().length > 0);
          controller.abort();
        }
      },
    });
    await expect(store.write(['gone.mp4'], content, { signal: controller.signal })).rejects.toMatchObject({
      code: 'cancelled',
    });
    expect(await store.inspect('gone.mp4')).toBe('free');
    expect(s.openUploads()).toEqual([]);
  });

  it('never replaces a key another writer created during the upload (conditional create), and keeps theirs', async () => {
    const store = await storeAt('race/');
    const s = await server();
    const other = new S3Client({ forcePathStyle: true, ...s.clientConfig() });
    const content = big(3 * MiB, {
      onChunk: async (index) => {
        if (index === 1) await other.send(new PutObjectCommand({ Bucket: s.bucket, Key: 'race/take.mp4', Body: 'theirs' }));
      },
    });
    await expect(store.write(['take.mp4'], content)).rejects.toMatchObject({ code: 'file_exists', field: 'file' });
    const head = await other.send(new HeadObjectCommand({ Bucket: s.bucket, Key: 'race/take.mp4' }));
    expect(head.ContentLength).toBe('theirs'.length);
    other.destroy();
  });

  it('lets a second server on the same bucket and prefix list, find and read what the first saved (team use)', async () => {
    const first = await storeAt('shared/');
    const second = await storeAt('shared/');
    const saved = await first.write(['video_team.mp4'], big(1000));
    const listed = await second.list(50);
    expect(listed.map((item) => item.name)).toContain('video_team.mp4');
    const again = await second.find(listed.find((item) => item.name === 'video_team.mp4')!.uri);
    expect(again).toMatchObject({ location: saved.location, sizeBytes: 1000, mimeType: 'video/mp4' });
    expect(await second.find(saved.uri)).toMatchObject({ location: saved.location });
  });

  it('links through a public URL instead of presigning when one is configured, and finds items by it', async () => {
    const store = await storeAt('public/', { publicUrl: 'https://cdn.example/videos' });
    const saved = await store.write(['clips/take one.mp4'], big(10));
    expect(saved.uri).toBe('https://cdn.example/videos/clips/take%20one.mp4');
    expect(await store.find(saved.uri)).toMatchObject({ name: 'take one.mp4', sizeBytes: 10 });
    expect(await store.find('https://cdn.example/videos/clips/..%2F..%2Fsecret.mp4')).toBeUndefined();
    expect(await store.find('https://elsewhere.example/videos/clips/take%20one.mp4')).toBeUndefined();
  });

  it('says which bucket a probe reached, and names the problem when the bucket is missing', async () => {
    expect(await (await storeAt('probe/')).probe()).toBe('s3://team-videos/probe/');
    const s = await server();
    const missing = new S3MediaStore({
      bucket: 'no-such-bucket',
      prefix: '',
      forcePathStyle: true,
      urlTtlSeconds: 60,
      clientConfig: s.clientConfig(),
    });
    // The MCP layer says what to check, from the reason (error-words.ts).
    await expect(missing.probe()).rejects.toMatchObject({ code: 'storage_failed', details: { reason: 'bucket_not_found', status: 404 } });
  });
});

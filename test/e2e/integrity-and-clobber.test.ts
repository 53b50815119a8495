import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FakeVideosServer } from '../support/fake-videos-server';
import { ImageHost } from '../support/image-host';
import { jpeg, mp4, webp } from '../support/sample-files';
import { startBuiltServer, type RunningServer } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

type Result = CallToolResult & { structuredContent?: Record<string, unknown> };
const text = (result: Result): string => result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
const visible = (folder: string) =>
  readdirSync(folder)
    .filter((name) => !name.startsWith('.'))
    .sort();

describe('saved files are whole, are what they claim, and never clobber (built server over stdio)', () => {
  let provider: FakeVideosServer;
  let folder: ReturnType<typeof tempFolder>;
  let server: RunningServer;
  const call = async (name: string, args: Record<string, unknown>): Promise<Result> =>
    (await server.client.callTool({ name, arguments: args })) as Result;

  beforeAll(async () => {
    provider = await FakeVideosServer.start();
    provider.content.video = { bytes: mp4(64 * 1024), type: 'video/mp4' };
    provider.content.thumbnail = { bytes: webp(320, 180), type: 'image/webp' };
    provider.content.spritesheet = { bytes: jpeg(640, 360), type: 'image/jpeg' };
    folder = tempFolder();
    server = await startBuiltServer({
      SORA2_MCP_API_KEY: provider.apiKey,
      OPENAI_BASE_URL: provider.baseURL,
      MEDIA_GEN_DIRS: folder.path,
      SORA2_MCP_LOG_LEVEL: 'error',
    });
  });
  afterAll(async () => {
    await server.close();
    await provider.close();
    folder.remove();
  });

  describe('a body cut in any framing, at any offset, is never saved', () => {
    const variants = ['video', 'thumbnail', 'spritesheet'] as const;
    const framings = ['length', 'chunked', 'close'] as const;
    const cases = variants.flatMap((variant) => framings.map((framing) => [variant, framing] as const));

    it.each(cases)('%s cut with %s framing: each attempt fails, no file remains, the error says so', async (variant, framing) => {
      const size = provider.content[variant].bytes.length;
      const offsets = [1, 7, Math.floor(size / 2), size - 1];
      // One job per offset, all at once: every attempt (three per download) is cut at that offset.
      const results = await Promise.all(
        offsets.map(async (at) => {
          const job = provider.addJob();
          provider.faults.set(job.video.id, [
            { framing, at },
            { framing, at },
            { framing, at },
          ]);
          const file = `cut/${variant}-${framing}-${at}`;
          return { at, file, result: await call('openai-videos-download-content', { video_id: job.video.id, variant, file }) };
        }),
      );
      for (const { result } of results) {
        expect(result.isError).toBe(true);
        expect(text(result)).toMatch(/cut short|not usable|cut off/);
      }
      const saved = readdirSync(folder.path).includes('cut') ? readdirSync(path.join(folder.path, 'cut')) : [];
      expect(saved.filter((name) => name.startsWith(`${variant}-${framing}-`))).toEqual([]);
    });

    it('retries a cut body and saves the whole file when a later attempt succeeds (close-delimited, the hardest case)', async () => {
      const job = provider.addJob();
      provider.faults.set(job.video.id, [{ framing: 'close', at: 1000 }]);
      const result = await call('openai-videos-download-content', { video_id: job.video.id, file: 'retried' });
      expect(result.isError).toBeFalsy();
      expect(readFileSync(path.join(folder.path, 'retried.mp4')).equals(provider.content.video.bytes)).toBe(true);
    });
  });

  it.each([
    [
      'an HTML error page served as the video',
      'video',
      { bytes: Buffer.from('<!DOCTYPE html><html><body>502 Bad Gateway</body></html>'), type: 'video/mp4' },
      /HTML/,
    ],
    [
      'an SVG with script served as the thumbnail',
      'thumbnail',
      { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), type: 'image/svg+xml' },
      /SVG|XML/,
    ],
    ['a JPEG served as the video', 'video', { bytes: jpeg(64, 36), type: 'video/mp4' }, /JPEG/],
    ['an MP4 served as the spritesheet', 'spritesheet', { bytes: mp4(), type: 'image/jpeg' }, /MP4/],
  ] as const)('refuses %s: never saved under a media name, never reported as saved', async (_name, variant, served, reason) => {
    const job = provider.addJob();
    provider.faults.set(job.video.id, [{ serve: served }, { serve: served }, { serve: served }]);
    const result = await call('openai-videos-download-content', {
      video_id: job.video.id,
      variant,
      file: `wrong-${variant}-${job.video.id}`,
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(reason);
    expect(visible(folder.path).filter((name) => name.startsWith('wrong-'))).toEqual([]);
  });

  it('names the file by its bytes: a WebP thumbnail the provider calls image/png is saved as .webp', async () => {
    const job = provider.addJob();
    provider.faults.set(job.video.id, [{ serve: { bytes: webp(32, 18), type: 'image/png' } }]);
    const result = await call('openai-videos-download-content', { video_id: job.video.id, variant: 'thumbnail', file: 'typed' });
    expect(result.content[0]).toMatchObject({ type: 'resource_link', name: 'typed.webp', mimeType: 'image/webp' });
  });

  describe('addresses and redirects, over stdio', () => {
    it('refuses reference URLs whose address is a disguised loopback (IPv4-compatible, NAT64, 6to4), with no hit', async () => {
      const target = await ImageHost.start();
      try {
        for (const host of ['[::7f00:1]', '[64:ff9b::7f00:1]', '[2002:7f00:1::1]']) {
          const result = await call('openai-videos-create', {
            prompt: 'x',
            input_reference: `http://${host}:${target.port}/a.png`,
            size: '1280x720',
          });
          expect(result.isError).toBe(true);
          expect(text(result)).toContain('url_refused');
        }
        expect(target.hits).toHaveLength(0);
      } finally {
        await target.close();
      }
    });

    it('never follows a content redirect to another origin over http; the target records no hit, nothing is saved', async () => {
      const target = await ImageHost.start();
      try {
        const job = provider.addJob();
        provider.intercept = (request) =>
          request.path.endsWith('/content') ? { status: 302, headers: { location: `${target.origin}/grab` }, json: {} } : undefined;
        const result = await call('openai-videos-download-content', { video_id: job.video.id, file: 'redirected' });
        expect(result.isError).toBe(true);
        expect(text(result)).toContain('only https redirects are followed');
        expect(target.hits).toHaveLength(0);
        expect(visible(folder.path).filter((name) => name.startsWith('redirected'))).toEqual([]);
      } finally {
        provider.intercept = undefined;
        await target.close();
      }
    });
  });

  describe("never clobbers a user's file", () => {
    it('refuses a file that exists, naming it and both ways out, and sends nothing', async () => {
      writeFileSync(path.join(folder.path, 'photo.jpg'), 'my holiday photo');
      writeFileSync(path.join(folder.path, 'clip.mp4'), 'my own clip');
      const job = provider.addJob();
      const before = provider.requests.length;
      for (const file of ['photo.jpg', 'clip']) {
        const result = await call('openai-videos-download-content', {
          video_id: job.video.id,
          variant: file === 'clip' ? 'video' : 'spritesheet',
          file,
        });
        expect(result.isError).toBe(true);
        expect(text(result)).toMatch(/already exists.*another file name.*leave file out.*overwrite: true/);
        expect(result.structuredContent).toBeUndefined();
      }
      const paid = await call('openai-videos-create', { prompt: 'x', wait_for_completion: true, poll_interval_ms: 100, file: 'clip' });
      expect(paid.isError).toBe(true);
      expect(text(paid)).toContain('already exists');
      expect(provider.requests.length).toBe(before);
      expect(readFileSync(path.join(folder.path, 'photo.jpg'), 'utf8')).toBe('my holiday photo');
      expect(readFileSync(path.join(folder.path, 'clip.mp4'), 'utf8')).toBe('my own clip');
    });

    it('replaces it only with overwrite: true', async () => {
      writeFileSync(path.join(folder.path, 'replace-me.mp4'), 'old');
      const job = provider.addJob();
      const result = await call('openai-videos-download-content', { video_id: job.video.id, file: 'replace-me', overwrite: true });
      expect(result.isError).toBeFalsy();
      expect(readFileSync(path.join(folder.path, 'replace-me.mp4')).equals(provider.content.video.bytes)).toBe(true);
    });

    it('keeps two files for two downloads of one video without a file name', async () => {
      const job = provider.addJob();
      const first = await call('openai-videos-download-content', { video_id: job.video.id });
      const second = await call('openai-videos-download-content', { video_id: job.video.id });
      const names = [first, second].map((result) => (result.content[0] as { name: string }).name);
      expect(names).toEqual([`${job.video.id}.mp4`, `${job.video.id}-2.mp4`]);
      const sora2 = await startBuiltServer({
        SORA2_MCP_API_KEY: provider.apiKey,
        OPENAI_BASE_URL: provider.baseURL,
        MEDIA_GEN_DIRS: folder.path,
        SORA2_MCP_TOOLSET: 'sora2',
      });
      try {
        const third = (await sora2.client.callTool({ name: 'download_video', arguments: { video_id: job.video.id } })) as Result;
        expect(third.structuredContent).toMatchObject({ file: path.join(folder.path, `${job.video.id}-3.mp4`) });
      } finally {
        await sora2.close();
      }
    });

    it('never writes through a link at the target, inside the root or out of it', async () => {
      writeFileSync(path.join(folder.path, 'precious.jpg'), 'precious');
      symlinkSync(path.join(folder.path, 'precious.jpg'), path.join(folder.path, 'alias.mp4'));
      const job = provider.addJob();
      const refused = await call('openai-videos-download-content', { video_id: job.video.id, file: 'alias' });
      expect(refused.isError).toBe(true);
      expect(readFileSync(path.join(folder.path, 'precious.jpg'), 'utf8')).toBe('precious');
      // With overwrite the link itself is replaced by the new file; its target is untouched.
      const replaced = await call('openai-videos-download-content', { video_id: job.video.id, file: 'alias', overwrite: true });
      expect(replaced.isError).toBeFalsy();
      expect(lstatSync(path.join(folder.path, 'alias.mp4')).isSymbolicLink()).toBe(false);
      expect(readFileSync(path.join(folder.path, 'precious.jpg'), 'utf8')).toBe('precious');
      expect(() => readlinkSync(path.join(folder.path, 'alias.mp4'))).toThrow();
      expect(fileURLToPath((replaced.content[0] as { uri: string }).uri)).toBe(path.join(folder.path, 'alias.mp4'));
    });

    it('refuses names with control or Windows-reserved characters, and hidden names, naming the problem', async () => {
      const job = provider.addJob();
      for (const [file, message] of [
        ['bad\nname', 'control character U+000A'],
        ['bad\u001b[31mname', 'control character U+001B'],
        ['what?', '"?"'],
        ['a:b', '":"'],
        ['.hidden', 'starts with a dot'],
      ]) {
        const result = await call('openai-videos-download-content', { video_id: job.video.id, file });
        expect(result.isError).toBe(true);
        expect(text(result)).toContain(message);
      }
    });

    it('answers a path of thousands of segments at once, and writes a deep but valid one', async () => {
      const job = provider.addJob();
      const deep = Array.from({ length: 2000 }, () => 'a').join('/');
      const refused = await call('openai-videos-download-content', { video_id: job.video.id, file: `${deep}/x` });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toContain('at most 1024 are accepted');
      const nested = Array.from({ length: 400 }, () => 'b').join('/');
      const saved = await call('openai-videos-download-content', { video_id: job.video.id, file: `${nested}/x` });
      expect(saved.isError).toBeFalsy();
      expect(readFileSync(path.join(folder.path, nested, 'x.mp4')).equals(provider.content.video.bytes)).toBe(true);
    });
  });
});

/** Mounting a small file system needs privileges a CI machine has (this project's does) and a laptop may not. */
function mountTmpfs(at: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a store that cannot take the file (built server over stdio)', () => {
  const small = tempFolder('sora2-mcp-full-');
  const mounted = mountTmpfs(small.path, '256k');
  let provider: FakeVideosServer;
  let server: RunningServer;
  beforeAll(async () => {
    if (!mounted) process.stderr.write('integrity-and-clobber: cannot mount a tmpfs here; the full-disk case is not run\n');
    provider = await FakeVideosServer.start();
    provider.content.video = { bytes: mp4(1024 * 1024), type: 'video/mp4' };
    server = await startBuiltServer({ SORA2_MCP_API_KEY: provider.apiKey, OPENAI_BASE_URL: provider.baseURL, MEDIA_GEN_DIRS: small.path });
  });
  afterAll(async () => {
    await server.close();
    await provider.close();
    if (mounted) execFileSync('umount', [small.path]);
    small.remove();
  });

  (mounted ? it : it.skip)('says a full disk once, as storage_failed, downloads once, and leaves nothing behind', async () => {
    const job = provider.addJob();
    const before = provider.count('GET', /\/content/);
    const result = (await server.client.callTool({
      name: 'openai-videos-download-content',
      arguments: { video_id: job.video.id },
    })) as Result;
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(
      /could not be written in ".*" \(ENOSPC\)\. Nothing was saved, and the download was not repeated: the disk is full/,
    );
    expect(text(result)).toMatch(/\(code: storage_failed\)$/);
    expect(text(result)).not.toMatch(/connection closed|cut short/);
    expect(provider.count('GET', /\/content/) - before).toBe(1);
    expect(readdirSync(small.path).filter((name) => name.endsWith('.part'))).toEqual([]);
  });
});

describe('downloads have an end (built server over stdio)', () => {
  const MiB = 1024 * 1024;
  let provider: FakeVideosServer;
  let folder: ReturnType<typeof tempFolder>;
  let server: RunningServer;
  beforeAll(async () => {
    provider = await FakeVideosServer.start();
    folder = tempFolder();
    server = await startBuiltServer({
      SORA2_MCP_API_KEY: provider.apiKey,
      OPENAI_BASE_URL: provider.baseURL,
      MEDIA_GEN_DIRS: folder.path,
      SORA2_MCP_MAX_DOWNLOAD_MB: '1',
      SORA2_MCP_DOWNLOAD_TIMEOUT_MS: '1500',
    });
  });
  afterAll(async () => {
    await server.close();
    await provider.close();
    folder.remove();
  });
  afterEach(() => (provider.intercept = undefined));

  const head = (mdat: Buffer) => Buffer.concat([ftypAndMoov(), mdat]);
  async function* endless(first: Buffer, chunk = Buffer.alloc(64 * 1024)): AsyncGenerator<Buffer> {
    yield first;
    for (;;) yield chunk;
  }
  const download = async (id: string) =>
    (await server.client.callTool({ name: 'openai-videos-download-content', arguments: { video_id: id } })) as Result;
  const leftovers = () => readdirSync(folder.path).filter((name) => name.endsWith('.part') || name.endsWith('.mp4'));

  it.each([
    ['a box that claims a terabyte', () => largeMdatHeader(2 ** 40), /'mdat' box claims \d+ bytes, more than the 1048576 accepted/],
    ['a last box "to the end" that never ends', () => openMdatHeader(), /larger than the 1\.0 MiB this server downloads/],
  ])('refuses %s, once, and leaves nothing behind', async (_name, mdat, words) => {
    const job = provider.addJob();
    const before = provider.count('GET', /\/content/);
    provider.intercept = (request) => (request.path.endsWith('/content') ? { stream: () => endless(head(mdat())) } : undefined);
    const result = await download(job.video.id);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(words);
    expect(text(result)).toContain('SORA2_MCP_MAX_DOWNLOAD_MB');
    expect(provider.count('GET', /\/content/) - before).toBe(1);
    expect(leftovers()).toEqual([]);
  });

  it('refuses a body announced larger than the cap before reading it', async () => {
    const job = provider.addJob();
    const big = mp4(2 * MiB);
    provider.intercept = (request) =>
      request.path.endsWith('/content')
        ? { stream: () => endless(big.subarray(0, 64 * 1024)), headers: { 'content-length': String(big.length) } }
        : undefined;
    const result = await download(job.video.id);
    expect(text(result)).toMatch(/larger than the 1\.0 MiB this server downloads \(the provider announced 2\.0 MiB\)/);
    expect(leftovers()).toEqual([]);
  });

  it('ends a download that trickles on past its deadline, saying so', async () => {
    const job = provider.addJob();
    async function* trickle(): AsyncGenerator<Buffer> {
      yield head(openMdatHeader());
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        yield Buffer.alloc(512);
      }
    }
    provider.intercept = (request) => (request.path.endsWith('/content') ? { stream: trickle } : undefined);
    const result = await download(job.video.id);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/did not finish downloading within 2 seconds; nothing was saved/);
    expect(leftovers()).toEqual([]);
  });
});

/** The ftyp and moov boxes of a small MP4, for fixtures that write their own mdat header. */
function ftypAndMoov(): Buffer {
  const whole = mp4(4096);
  let offset = 0;
  for (;;) {
    const size = whole.readUInt32BE(offset);
    if (whole.toString('latin1', offset + 4, offset + 8) === 'mdat') return whole.subarray(0, offset);
    offset += size;
  }
}

function largeMdatHeader(size: number): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(1, 0);
  header.write('mdat', 4, 'latin1');
  header.writeBigUInt64BE(BigInt(size), 8);
  return header;
}

function openMdatHeader(): Buffer {
  const header = Buffer.alloc(8);
  header.write('mdat', 4, 'latin1');
  return header;
}

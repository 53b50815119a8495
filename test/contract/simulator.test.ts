import { request as httpRequest } from 'node:http';
import { said } from '../support/refusals';
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { SimulatorHttpServer } from '../../src/apps/simulator-http/simulator-http-server';
import { SimulatedVideoProvider } from '../../src/adapters/simulator/simulated-video-provider';
import type { MediaContent } from '../../src/domain/ports';
import type { Video } from '../../src/domain/video';
import { FakeClock, silentLogger } from '../support/fakes';
import { solid } from '../support/images';
import { tempFolder } from '../support/temp';

/** The status of a GET sent byte for byte (so headers Node would merge or refuse can be sent). */
function rawStatus(port: number, headerLines: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(`GET /v1/videos HTTP/1.1\r\n${headerLines.join('\r\n')}\r\nConnection: close\r\n\r\n`),
    );
    let head = '';
    socket.on('data', (chunk: Buffer) => (head += chunk.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

async function bytesOf(content: MediaContent): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of content.body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('SimulatedVideoProvider', () => {
  let folder: ReturnType<typeof tempFolder>;
  let clock: FakeClock;
  let simulator: SimulatedVideoProvider;
  beforeEach(() => {
    folder = tempFolder();
    clock = new FakeClock();
    simulator = new SimulatedVideoProvider({ folder: folder.path, baseRenderMs: 4000 }, clock, silentLogger);
  });
  afterEach(() => folder.remove());

  async function runToEnd(video: Video, stepMs = 500): Promise<Video[]> {
    const states = [video];
    while (!['completed', 'failed'].includes(states.at(-1)!.status)) {
      clock.time += stepMs;
      states.push(await simulator.retrieve({ id: video.id }));
    }
    return states;
  }

  it('plays queued, then in_progress with rising progress, then completed, on the clock', async () => {
    const states = await runToEnd(await simulator.create({ prompt: 'lifecycle' }));
    expect(states[0]).toMatchObject({ status: 'queued', progress: 0, size: '720x1280', seconds: '4', model: 'sora-2' });
    const running = states.filter((state) => state.status === 'in_progress').map((state) => state.progress);
    expect(running.length).toBeGreaterThan(3);
    expect([...running].sort((a, b) => a - b)).toEqual(running);
    expect(states.at(-1)).toMatchObject({ status: 'completed', progress: 100 });
    expect(states.at(-1)!.expires_at).toBe(states.at(-1)!.completed_at! + 86_400);
  });

  it('takes longer for longer clips and pro models', async () => {
    const short = await runToEnd(await simulator.create({ prompt: 'short' }));
    const long = await runToEnd(await simulator.create({ prompt: 'long', seconds: '12', model: 'sora-2-pro' }));
    expect(long.length).toBeGreaterThan(short.length * 5);
  });

  it('fails a job whose prompt carries [fail], with a moderation-style error', async () => {
    const states = await runToEnd(await simulator.create({ prompt: 'a forbidden scene [fail]' }));
    expect(states.at(-1)).toMatchObject({ status: 'failed', error: { code: 'moderation_blocked' } });
  });

  it('renders [slow] jobs ten times slower', async () => {
    const normal = await runToEnd(await simulator.create({ prompt: 'normal' }));
    const slow = await runToEnd(await simulator.create({ prompt: 'a slow one [slow]' }));
    expect(slow.length).toBeGreaterThan(normal.length * 8);
  });

  it('checks a reference image as the API does', async () => {
    const reference = (bytes: Buffer, mimeType: 'image/png' | 'image/jpeg' = 'image/png') => ({ bytes, mimeType, filename: 'ref.png' });
    expect(await said(simulator.create({ prompt: 'x', size: '1280x720', inputReference: reference(await solid(720, 1280)) }))).toContain(
      'Inpaint image must match the requested width and height',
    );
    expect(await said(simulator.create({ prompt: 'x', inputReference: reference(Buffer.from('not an image')) }))).toContain(
      'Unable to process image bytes',
    );
    await expect(
      simulator.create({ prompt: 'x', size: '1280x720', inputReference: reference(await solid(1280, 720, 'jpeg'), 'image/jpeg') }),
    ).resolves.toMatchObject({ status: 'queued' });
  });

  it('refuses to remix or delete a job that is still rendering', async () => {
    const video = await simulator.create({ prompt: 'busy' });
    await expect(simulator.remix({ id: video.id }, { prompt: 'again' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(simulator.delete({ id: video.id })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(simulator.downloadContent({ id: video.id }, 'video')).rejects.toMatchObject({ code: 'bad_request' });
  });

  it("never lets a video id reach the filesystem unless it has the simulator's own format", async () => {
    writeFileSync(path.join(folder.path, '..', 'x.json'), '{}');
    for (const id of ['../x', 'video_../../x', '..%2fx'])
      await expect(simulator.retrieve({ id: id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps jobs and media across a restart', async () => {
    const [done] = (await runToEnd(await simulator.create({ prompt: 'persistent' }))).slice(-1);
    await bytesOf(await simulator.downloadContent({ id: done!.id }, 'thumbnail'));
    const restarted = new SimulatedVideoProvider({ folder: folder.path, baseRenderMs: 4000 }, clock, silentLogger);
    expect(await restarted.retrieve({ id: done!.id })).toMatchObject({ id: done!.id, status: 'completed' });
    expect((await restarted.list({})).data.map((video) => video.id)).toContain(done!.id);
  });

  it.each([
    ['720x1280', '4'],
    ['1792x1024', '8'],
    // Not a whole number of macroblocks: coded at 1920x1088 and cropped, as the catalog's sora-2-pro 1080p needs.
    ['1920x1080', '4'],
    ['1080x1920', '4'],
  ])('makes a playable MP4, a WebP thumbnail and a JPEG spritesheet at %s for %s s', async (size, seconds) => {
    const [done] = (await runToEnd(await simulator.create({ prompt: `media ${size}`, size: size, seconds: seconds }))).slice(-1);
    const mp4 = path.join(folder.path, 'check.mp4');
    writeFileSync(mp4, await bytesOf(await simulator.downloadContent({ id: done!.id }, 'video')));
    const probe = JSON.parse(
      execFileSync(
        'ffprobe',
        ['-v', 'error', '-show_entries', 'stream=codec_name,width,height,nb_frames:format=duration', '-of', 'json', mp4],
        { encoding: 'utf8' },
      ),
    ) as { streams: { codec_name: string; width: number; height: number; nb_frames: string }[]; format: { duration: string } };
    const [width, height] = size.split('x').map(Number);
    expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', width, height, nb_frames: String(Number(seconds) * 24) });
    expect(Number(probe.format.duration)).toBeCloseTo(Number(seconds), 1);
    execFileSync('ffmpeg', ['-v', 'error', '-xerror', '-i', mp4, '-f', 'null', '-']);

    const thumbnail = await sharp(await bytesOf(await simulator.downloadContent({ id: done!.id }, 'thumbnail'))).metadata();
    expect(thumbnail).toMatchObject({ format: 'webp', width, height });
    const sprites = await sharp(await bytesOf(await simulator.downloadContent({ id: done!.id }, 'spritesheet'))).metadata();
    expect(sprites.format).toBe('jpeg');
    expect(sprites.width).toBeGreaterThan(0);
  });

  /** Decodes frame `index` of an MP4 to raw RGB with ffmpeg (a real decoder). */
  function frameAt(mp4: string, index: number, width: number, height: number): Buffer {
    const rgb = execFileSync(
      'ffmpeg',
      ['-v', 'error', '-i', mp4, '-vf', `select=eq(n\\,${index})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(rgb.length).toBe(width * height * 3);
    return rgb;
  }
  const pixel = (rgb: Buffer, width: number, x: number, y: number) => [...rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];

  it('moves: the timecode runs and the marker sweeps along the bottom, decoded frame by frame, and the clip stays small', async () => {
    const done = (await runToEnd(await simulator.create({ prompt: 'watch it move', size: '720x1280', seconds: '4' }))).at(-1)!;
    const bytes = await bytesOf(await simulator.downloadContent({ id: done.id }, 'video'));
    const mp4 = path.join(folder.path, 'moving.mp4');
    writeFileSync(mp4, bytes);
    expect(bytes.length).toBeLessThan(3 * 1024 * 1024);
    const [first, middle, last] = [0, 48, 95].map((index) => frameAt(mp4, index, 720, 1280));
    // The marker (amber) sits at the left of its row at the start and at the right at the end.
    const markerRow = 1280 - 3 * 16 + 8;
    const amber = ([r, g, b]: number[]) => r! > 200 && g! > 120 && g! < 190 && b! < 60;
    expect(amber(pixel(first!, 720, 8, markerRow))).toBe(true);
    expect(amber(pixel(first!, 720, 720 - 8, markerRow))).toBe(false);
    expect(amber(pixel(last!, 720, 720 - 8, markerRow))).toBe(true);
    expect(amber(pixel(last!, 720, 8, markerRow))).toBe(false);
    // The timecode box (top right) differs from frame to frame; the picture elsewhere does not.
    const box = (rgb: Buffer) =>
      Buffer.concat(Array.from({ length: 32 }, (_, y) => rgb.subarray(((16 + y) * 720 + 720 - 144) * 3, ((16 + y) * 720 + 720 - 16) * 3)));
    expect(box(first!).equals(box(middle!))).toBe(false);
    expect(box(middle!).equals(box(last!))).toBe(false);
    expect(pixel(first!, 720, 360, 640)).toEqual(pixel(last!, 720, 360, 640));
  });

  it.each([
    ['1280x720', 720, 1280],
    ['720x1280', 1280, 720],
    ['1920x1080', 1080, 1920],
  ])('keeps every label clear of the marker at %s: nothing but the marker is drawn in its row', async (size, height, width) => {
    const id = (await runToEnd(await simulator.create({ prompt: 'labels stay readable', size, seconds: '4' }))).at(-1)!.id;
    const mp4 = path.join(folder.path, `labels-${size}.mp4`);
    writeFileSync(mp4, await bytesOf(await simulator.downloadContent({ id }, 'video')));
    const first = frameAt(mp4, 0, width, height);
    const markerTop = (Math.floor(height / 16) - 3) * 16;
    const bright: number[][] = [];
    // In the first frame the marker covers the row's first 32 columns; the rest of its row is background only.
    for (let y = markerTop; y < markerTop + 16; y += 1) {
      for (let x = 48; x < width; x += 1) {
        const [r, g, b] = pixel(first, width, x, y);
        if (r! > 120 && g! > 120 && b! > 120) bright.push([x, y]);
      }
    }
    expect(bright).toEqual([]);
  });

  it("keeps the spritesheet's time stamps off the card's SIMULATED label", async () => {
    const id = (await runToEnd(await simulator.create({ prompt: 'tiles', size: '1280x720', seconds: '4' }))).at(-1)!.id;
    const sheet = sharp(await bytesOf(await simulator.downloadContent({ id }, 'spritesheet')));
    const { width } = await sheet.metadata();
    expect(width).toBe(4 * 256);
    // The label is at the card's top left (8% in, 12% down): in every 256x144 tile the same pixels, stamped nowhere.
    const label = (tile: number) =>
      sheet
        .clone()
        .extract({ left: tile * 256 + 16, top: 8, width: 96, height: 16 })
        .greyscale()
        .raw()
        .toBuffer();
    const tiles = await Promise.all([0, 1, 2, 3].map(label));
    expect(Math.max(...tiles[0]!)).toBeGreaterThan(120);
    for (const tile of tiles.slice(1)) expect(tile.equals(tiles[0]!)).toBe(true);
  });

  it('shows the fitted reference image in the video and the thumbnail, so cover, contain and stretch can be seen', async () => {
    const reference = await sharp({ create: { width: 720, height: 1280, channels: 3, background: { r: 20, g: 200, b: 60 } } })
      .png()
      .toBuffer();
    const done = (
      await runToEnd(
        await simulator.create({
          prompt: 'over a reference',
          size: '720x1280',
          seconds: '4',
          inputReference: { bytes: reference, mimeType: 'image/png', filename: 'r.png' },
        }),
      )
    ).at(-1)!;
    const mp4 = path.join(folder.path, 'reference.mp4');
    writeFileSync(mp4, await bytesOf(await simulator.downloadContent({ id: done.id }, 'video')));
    const [r, g, b] = pixel(frameAt(mp4, 10, 720, 1280), 720, 360, 700);
    expect(g!).toBeGreaterThan(170);
    expect(r!).toBeLessThan(60);
    expect(b!).toBeLessThan(100);
    const thumbnail = await sharp(await bytesOf(await simulator.downloadContent({ id: done.id }, 'thumbnail')))
      .extract({ left: 360, top: 700, width: 1, height: 1 })
      .raw()
      .toBuffer();
    expect(thumbnail[1]).toBeGreaterThan(170);
  });

  it('draws the prompt on the thumbnail, so two videos look different', async () => {
    const a = (await runToEnd(await simulator.create({ prompt: 'a red fox in snow' }))).at(-1)!;
    const b = (await runToEnd(await simulator.create({ prompt: 'a lighthouse at dawn, waves crashing' }))).at(-1)!;
    const stats = async (id: string) => sharp(await bytesOf(await simulator.downloadContent({ id: id }, 'thumbnail'))).stats();
    const [sa, sb] = await Promise.all([stats(a.id), stats(b.id)]);
    expect(sa.channels.map((c) => Math.round(c.mean))).not.toEqual(sb.channels.map((c) => Math.round(c.mean)));
    // Text on the card: many bright pixels against a dark gradient.
    expect(sa.channels[0]!.max).toBeGreaterThan(240);
  });
});

describe("the simulator's HTTP face", () => {
  let folder: ReturnType<typeof tempFolder>;
  let http: SimulatorHttpServer;
  beforeEach(async () => {
    folder = tempFolder();
    http = await SimulatorHttpServer.start(
      new SimulatedVideoProvider({ folder: folder.path, baseRenderMs: 100 }, new FakeClock(), silentLogger),
      silentLogger,
      { host: '127.0.0.1', port: 0 },
    );
  });
  afterEach(async () => {
    await http.close();
    folder.remove();
  });

  const request = (pathname: string, init: RequestInit = {}) =>
    fetch(`${http.baseURL}${pathname}`, {
      ...init,
      headers: { authorization: 'Bearer sk-anything', 'content-type': 'application/json', ...init.headers },
    });

  it("answers requests that break the spec with 400 in OpenAI's error shape", async () => {
    const response = await request('/videos', { method: 'POST', body: JSON.stringify({ prompt: 'x', size: '1920x1080' }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('size') } });
    // An enum refusal names the values it takes, so the caller can fix the call.
    const seconds = await request('/videos', { method: 'POST', body: JSON.stringify({ prompt: 'x', seconds: '5' }) });
    expect(((await seconds.json()) as { error: { message: string } }).error.message).toMatch(/seconds.*allowed values: "4", "8", "12"/);
    const list = await request('/videos?limit=500');
    expect(list.status).toBe(400);
  });

  it('refuses a foreign Host and cross-origin browser requests (DNS rebinding), before anything else', async () => {
    const port = new URL(http.baseURL).port;
    const raw = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, path: '/v1/videos', method: 'GET', headers: { authorization: 'Bearer sk-anything', ...headers } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(await raw({ host: `evil.example:${port}` })).toBe(403);
    expect(await raw({ host: `127.0.0.1:${port}`, origin: 'http://evil.example' })).toBe(403);
    expect(await raw({ host: `localhost:${port}`, 'sec-fetch-site': 'cross-site' })).toBe(403);
    expect(await raw({ host: `127.0.0.1:${port}` })).toBe(200);
    expect(await raw({ host: `localhost:${port}`, origin: `http://localhost:${port}` })).toBe(200);
    // What a loopback reverse proxy forwards: its own port.
    expect(await raw({ host: '127.0.0.1:8443' })).toBe(200);
    expect(await raw({ host: 'localhost' })).toBe(200);
    expect(await raw({ host: `evil.example` })).toBe(403);
    // Two Host headers: a proxy and this server could each believe a different one.
    expect(await rawStatus(Number(port), ['Host: 127.0.0.1', 'Host: evil.example'])).toBe(400);
  });

  it('accepts any key, or none, when no key is configured, and answers unknown ids with 404', async () => {
    expect((await fetch(`${http.baseURL}/videos`)).status).toBe(200);
    expect((await fetch(`${http.baseURL}/videos`, { headers: { authorization: 'Bearer whatever' } })).status).toBe(200);
    const missing = await request('/videos/video_00000000000000000000000000000000');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it("answers unreadable and oversized bodies with 400 and 413 in OpenAI's error shape, never 500", async () => {
    const json = await request('/videos', { method: 'POST', body: '{not json' });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const multipart = await request('/videos', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: 'garbage',
    });
    expect(multipart.status).toBe(400);
    const huge = await request('/videos', { method: 'POST', body: Buffer.alloc(33 * 1024 * 1024, 32) });
    expect(huge.status).toBe(413);
  });

  it('refuses an unknown list cursor instead of starting over', async () => {
    const response = await request('/videos?after=video_00000000000000000000000000000000');
    expect(response.status).toBe(400);
  });

  it('requires the configured key when there is one', async () => {
    const keyed = await SimulatorHttpServer.start(
      new SimulatedVideoProvider({ folder: folder.path, baseRenderMs: 100 }, new FakeClock(), silentLogger),
      silentLogger,
      {
        host: '127.0.0.1',
        port: 0,
        apiKey: 'sk-right',
      },
    );
    try {
      const wrong = await fetch(`${keyed.baseURL}/videos`, { headers: { authorization: 'Bearer sk-wrong' } });
      expect(wrong.status).toBe(401);
      expect((await fetch(`${keyed.baseURL}/videos`)).status).toBe(401);
      const right = await fetch(`${keyed.baseURL}/videos`, { headers: { authorization: 'Bearer sk-right' } });
      expect(right.status).toBe(200);
    } finally {
      await keyed.close();
    }
  });

  it('creates through JSON as well as multipart', async () => {
    const response = await request('/videos', { method: 'POST', body: JSON.stringify({ prompt: 'json body', seconds: '8' }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ object: 'video', status: 'queued', seconds: '8' });
    expect(readdirSync(folder.path).filter((name) => name.endsWith('.json'))).toHaveLength(1);
  });
});

import { execFile } from 'node:child_process';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { FfmpegVideoEditor } from '../../src/adapters/ffmpeg/ffmpeg-video-editor';
import { locateFfmpeg } from '../../src/adapters/ffmpeg/locate-programs';
import { openInsideRoots } from '../../src/adapters/filesystem/containment';
import type { MediaContent } from '../../src/domain/ports';
import { tempFolder } from '../support/temp';

/*
 * The ffmpeg adapter (ADR 0020) against Debian's ffmpeg and real clips made by ffmpeg's own test sources: what it reads back,
 * the frames and joins it makes, and the limits it keeps (roots, playlists, the output cap, the deadline, cancellation).
 */

const run = promisify(execFile);
const located = locateFfmpeg(undefined, (process.env.PATH ?? '').split(':'));
if (!located.found) throw new Error(`the tests need ffmpeg: ${located.reason}`);
const programs = located.programs;

async function bytesOf(content: MediaContent): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of content.body) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

describe('FfmpegVideoEditor', () => {
  const folder = tempFolder();
  const clip = (name: string) => path.join(folder.path, name);
  const editor = (options: { maxOutputBytes?: number; deadlineMs?: number; ffmpeg?: string } = {}) =>
    new FfmpegVideoEditor({
      programs: { ...programs, ...(options.ffmpeg ? { ffmpeg: options.ffmpeg, ffprobe: options.ffmpeg } : {}) },
      openSource: (file, field) => openInsideRoots([folder.path], file, field),
      maxOutputBytes: options.maxOutputBytes ?? 64 * 1024 * 1024,
      deadlineMs: options.deadlineMs ?? 120_000,
      tempFolder: scratch.path,
      logger: { log: () => undefined },
    });
  const source = (name: string, field = 'source') => ({ path: clip(name), field });
  // Its private folders go in a scratch folder of this test's own, so other tests running at once cannot move the count.
  const scratch = tempFolder();
  const temporaryFolders = () => readdirSync(scratch.path).length;

  beforeAll(async () => {
    const make = (name: string, input: string, seconds: number, rate: number) =>
      run(programs.ffmpeg, [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        `${input}:rate=${rate}`,
        '-t',
        String(seconds),
        '-pix_fmt',
        'yuv420p',
        '-c:v',
        'libx264',
        clip(name),
      ]);
    await make('a.mp4', 'testsrc=size=320x240', 2, 24);
    await make('b.mp4', 'testsrc2=size=320x240', 3, 24);
    await make('wide.mp4', 'testsrc2=size=640x360', 1, 30);
  }, 60_000);
  afterAll(() => {
    folder.remove();
    scratch.remove();
  });

  it('reads back what a clip is', async () => {
    expect(await editor().probe(source('a.mp4'))).toEqual({ durationSeconds: 2, width: 320, height: 240, codec: 'h264', frameRate: 24 });
  });

  it("takes the first, the last and a timed frame as PNGs of the clip's size, each a different picture", async () => {
    const pictures: Buffer[] = [];
    for (const at of ['first', 'last', 1] as const) {
      const frame = await editor().frame(source('a.mp4'), at);
      expect(frame.content.contentType).toBe('image/png');
      const png = await bytesOf(frame.content);
      expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 320, height: 240 });
      pictures.push(await sharp(png).raw().toBuffer());
    }
    expect(pictures[0]!.equals(pictures[1]!)).toBe(false);
    expect(pictures[1]!.equals(pictures[2]!)).toBe(false);
    await expect(editor().frame(source('a.mp4'), 5)).rejects.toMatchObject({ code: 'invalid_input', field: 'at' });
  });

  it("joins matching clips by copying them, and differing ones by encoding once to the first one's geometry", async () => {
    const copied = await editor().join([source('a.mp4', 'sources[0]'), source('b.mp4', 'sources[1]')]);
    expect(copied.reencoded).toBe(false);
    writeFileSync(clip('copied.mp4'), await bytesOf(copied.content));
    expect(await editor().probe(source('copied.mp4'))).toMatchObject({ durationSeconds: 5, width: 320, height: 240 });

    const mixed = await editor().join([source('a.mp4', 'sources[0]'), source('wide.mp4', 'sources[1]')]);
    expect(mixed.reencoded).toBe(true);
    expect(mixed.sources.map((facts) => facts.width)).toEqual([320, 640]);
    writeFileSync(clip('mixed.mp4'), await bytesOf(mixed.content));
    const facts = await editor().probe(source('mixed.mp4'));
    expect(facts).toMatchObject({ width: 320, height: 240, frameRate: 24 });
    expect(Math.abs(facts.durationSeconds - 3)).toBeLessThanOrEqual(0.1);
  }, 60_000);

  it('reads only MP4 files inside the roots: no playlist, no link out, nothing outside', async () => {
    // A "video" that is an HLS playlist naming a clip outside the roots: ffmpeg left to guess the format reads that clip.
    const outside = tempFolder();
    try {
      await run(programs.ffmpeg, ['-v', 'error', '-i', clip('a.mp4'), '-c', 'copy', path.join(outside.path, 'secret.mp4')]);
      writeFileSync(
        clip('playlist.mp4'),
        `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nfile://${path.join(outside.path, 'secret.mp4')}\n#EXT-X-ENDLIST\n`,
      );
      await expect(editor().probe(source('playlist.mp4'))).rejects.toMatchObject({
        code: 'invalid_input',
        field: 'source',
        details: { rule: 'not_a_video' },
      });
      await expect(editor().join([source('a.mp4'), source('playlist.mp4', 'sources[1]')])).rejects.toMatchObject({ field: 'sources[1]' });
    } finally {
      outside.remove();
    }
    await expect(editor().probe({ path: '/etc/hostname', field: 'sources[1]' })).rejects.toMatchObject({
      code: 'path_outside_roots',
      field: 'sources[1]',
    });
  });

  it('refuses a result that reaches the output cap, and leaves no temporary files', async () => {
    const before = temporaryFolders();
    await expect(editor({ maxOutputBytes: 4096 }).join([source('a.mp4'), source('b.mp4')])).rejects.toMatchObject({
      code: 'edit_failed',
      details: { reason: 'over_cap' },
    });
    expect(temporaryFolders()).toBe(before);
  });

  it('stops a program at its deadline, and at once when the call is cancelled', async () => {
    // A stand-in "ffmpeg" that never ends on its own (a program file of the test's, run without a shell).
    const stuck = clip('stuck-ffmpeg');
    writeFileSync(stuck, `#!${process.execPath}\nsetInterval(() => {}, 1000);\n`);
    chmodSync(stuck, 0o755);
    const before = temporaryFolders();
    await expect(editor({ ffmpeg: stuck, deadlineMs: 300 }).probe(source('a.mp4'))).rejects.toMatchObject({
      code: 'edit_failed',
      details: { reason: 'deadline', step: 'probe' },
    });
    const controller = new AbortController();
    const framing = editor({ ffmpeg: stuck }).frame(source('a.mp4'), 'first', controller.signal);
    controller.abort();
    await expect(framing).rejects.toMatchObject({ code: 'cancelled' });
    expect(temporaryFolders()).toBe(before);
  });
});

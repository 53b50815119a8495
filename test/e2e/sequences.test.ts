import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startBuiltServer, type RunningServer } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

/*
 * Issue 33 through the built server over stdio, with the simulator (no key, no network) and Debian's ffmpeg: a sequence
 * of shots made frame to frame, priced as a whole, joined into one MP4 and resumable; the frame and join tools alone.
 */

// Each shot is a real render, download and decode: minutes under load, never a timed assertion.
jest.setTimeout(300_000);

type Result = CallToolResult & { structuredContent?: Record<string, unknown> };
const run = promisify(execFile);
const text = (result: Result) => result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
/** The state a sequence result carries, also when it is an error (its last text block is the JSON). */
const stateOf = (result: Result) =>
  (result.structuredContent ?? JSON.parse((result.content.at(-1) as { text: string }).text)) as {
    sequence_id: string;
    status: string;
    estimated_cost_usd: number | null;
    shots: {
      shot: number;
      video_id: string | null;
      status: string | null;
      file?: string;
      first_frame?: string;
      duration_seconds?: number;
    }[];
    file?: string;
    duration_seconds?: number;
    reencoded?: boolean;
  };

async function durationOf(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Number(stdout.trim());
}

/** One frame of a video as raw RGB, decoded by ffmpeg itself (not by the server under test). */
async function rgbFrame(file: string, which: 'first' | 'last'): Promise<Buffer> {
  const seek = which === 'last' ? ['-sseof', '-1'] : [];
  const args = [...seek, '-i', file, ...(which === 'last' ? ['-update', '1'] : ['-frames:v', '1']), '-f', 'rawvideo', '-pix_fmt', 'rgb24'];
  const { stdout } = await run('ffmpeg', ['-v', 'error', ...args, '-'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  // `-update` writes every frame of the last second to the pipe: the last frame is the last width × height × 3 bytes.
  const frameBytes = 1280 * 720 * 3;
  return stdout.subarray(stdout.length - frameBytes);
}

async function rgbImage(file: string): Promise<Buffer> {
  return sharp(file).removeAlpha().raw().toBuffer();
}

function meanDifference(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

describe('sequences, frames and joins (issue 33)', () => {
  let folder: ReturnType<typeof tempFolder>;
  let data: ReturnType<typeof tempFolder>;
  let server: RunningServer;
  /** A server process on the test's folder and ledger: a second one continues what the first began, as a replica would. */
  const start = () =>
    startBuiltServer({
      SORA2_MCP_PROVIDER: 'simulator',
      SORA2_MCP_SIMULATOR_RENDER_MS: '200',
      MEDIA_GEN_DIRS: folder.path,
      SORA2_MCP_MAX_COST_USD: '5',
      SORA2_MCP_DATA_DIR: data.path,
    });
  const simulatorFolder = () => path.join(folder.path, '.sora2-mcp-simulator');
  /** The jobs the simulator was asked to make (each is a .json file in its folder). */
  const jobsMade = () =>
    existsSync(simulatorFolder()) ? readdirSync(simulatorFolder()).filter((name) => name.endsWith('.json')).length : 0;
  const call = async (
    name: string,
    args: Record<string, unknown>,
    onprogress?: (message: string) => void,
    signal?: AbortSignal,
  ): Promise<Result> =>
    (await server.client.callTool({ name, arguments: args }, undefined, {
      onprogress: onprogress && ((progress) => onprogress(progress.message ?? '')),
      timeout: 600_000,
      signal,
    })) as Result;

  beforeEach(async () => {
    folder = tempFolder();
    data = tempFolder();
    server = await start();
  });
  afterEach(async () => {
    await server.close();
    folder.remove();
    data.remove();
  });

  const shots = [
    { prompt: 'A red kite rises over a beach' },
    { prompt: 'The kite loops in the wind' },
    { prompt: 'The kite lands on the sand' },
  ];

  it('makes three shots frame to frame, says the one price first, and joins them into one MP4 that lasts their sum', async () => {
    const messages: string[] = [];
    const result = await call(
      'openai-videos-sequence',
      { shots, seconds: 4, size: '1280x720', wait_for_completion: true, file: 'kite.mp4' },
      (message) => messages.push(message),
    );
    expect(text(result)).not.toMatch(/code: /);
    expect(result.isError).toBeFalsy();
    const state = stateOf(result);
    expect(state).toMatchObject({
      status: 'completed',
      estimated_cost_usd: 1.2,
      file: path.join(folder.path, 'kite.mp4'),
      reencoded: false,
    });
    expect(state.shots.map((shot) => shot.status)).toEqual(['completed', 'completed', 'completed']);
    expect(new Set(state.shots.map((shot) => shot.video_id)).size).toBe(3);
    expect(jobsMade()).toBe(3);

    // Shots 2 and 3 were created with the previous shot's last frame: the simulator keeps the reference it was sent.
    for (const index of [1, 2]) {
      const reference = await rgbImage(path.join(simulatorFolder(), `${state.shots[index]!.video_id}.reference`));
      const previous = state.shots[index - 1]!.file!;
      const last = meanDifference(reference, await rgbFrame(previous, 'last'));
      const first = meanDifference(reference, await rgbFrame(previous, 'first'));
      expect(last).toBeLessThan(1);
      // Not any frame of it: the simulator's marker and timecode move, so its first frame differs.
      expect(first).toBeGreaterThan(last);
      expect(state.shots[index]!.first_frame).toBe(path.join(folder.path, `kite-shot-${index + 1}-first-frame.png`));
    }
    expect(state.shots[0]!.first_frame).toBeUndefined();

    // One joined MP4 that lasts the sum of its shots and decodes to the end; each shot's file is kept too.
    const joined = state.file!;
    const durations = await Promise.all(state.shots.map((shot) => durationOf(shot.file!)));
    expect(Math.abs((await durationOf(joined)) - durations.reduce((a, b) => a + b, 0))).toBeLessThanOrEqual(0.1);
    expect(state.duration_seconds).toBeCloseTo(12, 1);
    await run('ffmpeg', ['-v', 'error', '-xerror', '-i', joined, '-f', 'null', '-']);
    expect(result.content.filter((block) => block.type === 'resource_link').map((block) => (block as { name: string }).name)).toEqual([
      'kite-shot-1.mp4',
      'kite-shot-2.mp4',
      'kite-shot-3.mp4',
      'kite.mp4',
    ]);
    // Progress across shots, and the price said before the first was sent.
    expect(messages.some((message) => message.startsWith('shot 2 of 3:'))).toBe(true);
    expect(messages.find((message) => message.startsWith('shot 1 of 3: started'))).toMatch(/estimated cost \$0\.40/);
    expect(messages.at(-1)).toMatch(/joined 3 shots into kite\.mp4/);
  });

  it('refuses a sequence whose total is over the cap on one call, with nothing sent or written', async () => {
    // Each 12 s shot is $1.20, under the $5 cap; five together are not.
    const result = await call('openai-videos-sequence', {
      shots: [...shots, { prompt: 'Night falls' }, { prompt: 'The end' }],
      seconds: 12,
      size: '1280x720',
      wait_for_completion: true,
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("This sequence's estimate of $6.00 (its 5 shots to make, together) is over the $5.00 cap on one call");
    expect(text(result)).toContain('code: over_budget');
    expect(result.structuredContent).toBeUndefined();
    expect(jobsMade()).toBe(0);
    expect(readdirSync(folder.path).filter((name) => !name.startsWith('.'))).toEqual([]);
  });

  it('stops at a failed shot with its state, and a call with sequence_id makes only the missing shot', async () => {
    const failing = [shots[0], shots[1], { prompt: 'The kite [fail] lands on the sand' }];
    const first = await call('openai-videos-sequence', { shots: failing, seconds: 4, size: '1280x720', wait_for_completion: true });
    expect(first.isError).toBe(true);
    const stopped = stateOf(first);
    expect(stopped.status).toBe('failed');
    expect(stopped.shots.map((shot) => shot.status)).toEqual(['completed', 'completed', 'failed']);
    expect(text(first)).toContain(`sequence_id "${stopped.sequence_id}"`);
    expect(jobsMade()).toBe(3);

    // The same call again follows the failed job (same key): nothing is made.
    const again = await call('openai-videos-sequence', { sequence_id: stopped.sequence_id, wait_for_completion: true });
    expect(again.isError).toBe(true);
    expect(jobsMade()).toBe(3);

    // Continued by another server process on the same ledger (a replica, or the next day's session).
    await server.close();
    server = await start();

    const fixed = await call('openai-videos-sequence', {
      sequence_id: stopped.sequence_id,
      shots,
      seconds: 4,
      size: '1280x720',
      wait_for_completion: true,
    });
    expect(text(fixed)).not.toMatch(/code: /);
    const done = stateOf(fixed);
    expect(done.status).toBe('completed');
    expect(done.estimated_cost_usd).toBe(0.4);
    expect(done.shots.slice(0, 2).map((shot) => shot.video_id)).toEqual(stopped.shots.slice(0, 2).map((shot) => shot.video_id));
    expect(done.shots[2]!.video_id).not.toBe(stopped.shots[2]!.video_id);
    expect(jobsMade()).toBe(4);
    expect(await durationOf(done.file!)).toBeCloseTo(12, 1);
  });

  it('stops when the call is cancelled, and the same idempotency_key continues it without making a shot twice', async () => {
    const controller = new AbortController();
    const messages: string[] = [];
    const args = { shots, seconds: 4, size: '1280x720', wait_for_completion: true, idempotency_key: 'kite-scene-1' };
    const cancelled = call(
      'openai-videos-sequence',
      args,
      (message) => {
        messages.push(message);
        // Cancelled while the second shot renders: its job exists, the third does not.
        if (/^shot 2 of 3: (queued|in_progress)/.test(message)) controller.abort();
      },
      controller.signal,
    );
    await expect(cancelled).rejects.toThrow();
    expect(messages[0]).toMatch(/^sequence seq_\w+: 3 of 3 shots to make, estimated \$1\.20$/);
    await server.client.ping();
    // Shot 2's job exists; on a slow machine the server may have gone on to shot 3 before the cancellation reached it.
    const before = jobsMade();
    expect(before).toBeGreaterThanOrEqual(2);

    const resumed = await call('openai-videos-sequence', args);
    expect(text(resumed)).not.toMatch(/code: /);
    const done = stateOf(resumed);
    expect(done.status).toBe('completed');
    expect(done.sequence_id).toBe(messages[0]!.split(' ')[1]!.replace(':', ''));
    // Only shots without a job were still to pay for; the others were followed by their keys, not made again.
    expect(done.estimated_cost_usd).toBeCloseTo(0.4 * (3 - before), 5);
    expect(jobsMade()).toBe(3);
  });

  it('advances a sequence without waiting, one call at a time, to the same end', async () => {
    let state = stateOf(await call('openai-videos-sequence', { shots: shots.slice(0, 2), seconds: 4, size: '1280x720' }));
    expect(state.status).toBe('running');
    expect(state.shots.map((shot) => shot.status)).toEqual(['queued', null]);
    // Each call goes as far as it can; the simulator finishes a shot in a fraction of a second, so a few calls do it all.
    for (let i = 0; i < 500 && state.status !== 'completed'; i += 1) {
      await server.client.ping();
      state = stateOf(await call('openai-videos-sequence', { sequence_id: state.sequence_id }));
      expect(state.status).not.toBe('failed');
    }
    expect(state.status).toBe('completed');
    expect(jobsMade()).toBe(2);
    expect(await durationOf(state.file!)).toBeCloseTo(8, 1);
  });

  it('refuses an unknown sequence id, one shot, and shots a model cannot start from a frame', async () => {
    const unknown = await call('openai-videos-sequence', { sequence_id: 'seq_nothing' });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toContain('sequence_id');
    const noFrames = await call('openai-videos-sequence', { shots, model: 'seedance-1-5-pro', seconds: 5, size: '1280x720' });
    expect(text(noFrames)).toMatch(
      /Model seedance-1-5-pro takes no first-frame image.*shot 2 starts from the previous shot's last frame\. Pick a model that takes one \(sora-2, .*\).*continuity to "none".*\(code: model_constraint\)/s,
    );
    const oneShot = await call('openai-videos-sequence', { shots: shots.slice(0, 1) });
    expect(text(oneShot)).toMatch(/shots needs at least 2 shots/);
    expect(jobsMade()).toBe(0);
  });

  it('extracts a frame and joins videos alone, and refuses paths outside the allowed folders', async () => {
    const a = stateOf(
      await call('openai-videos-sequence', {
        shots: shots.slice(0, 2),
        continuity: 'none',
        seconds: 4,
        size: '1280x720',
        wait_for_completion: true,
      }),
    );
    const [one, two] = a.shots.map((shot) => shot.file!);
    const frame = await call('openai-videos-frame', { source: one!, at: 2 });
    expect(frame.isError).toBeFalsy();
    expect(frame.structuredContent).toMatchObject({ object: 'video.frame', at: 2, source: { width: 1280, height: 720, codec: 'h264' } });
    const png = frame.structuredContent!.file as string;
    expect(path.dirname(png)).toBe(folder.path);
    expect((await sharp(png).metadata()).format).toBe('png');
    expect(frame.content.some((block) => block.type === 'image')).toBe(true);

    // A frame can start a shot: it is a PNG of the video's size.
    const last = await call('openai-videos-frame', { source: two!, file: 'ending' });
    expect(last.structuredContent).toMatchObject({ file: path.join(folder.path, 'ending.png'), at: 'last' });
    const again = await call('openai-videos-frame', { source: two!, file: 'ending.png' });
    expect(text(again)).toContain('code: file_exists');

    const joined = await call('openai-videos-join', { sources: [one!, two!, one!], file: 'three' });
    expect(joined.isError).toBeFalsy();
    expect(joined.structuredContent).toMatchObject({ object: 'video.join', reencoded: false, file: path.join(folder.path, 'three.mp4') });
    expect(await durationOf(path.join(folder.path, 'three.mp4'))).toBeCloseTo(12, 1);

    // Outside the roots, through a link, or not a video: refused, naming the field; nothing written.
    const outside = await call('openai-videos-join', { sources: [one!, '/etc/hostname'] });
    expect(text(outside)).toMatch(/sources\[1\].*outside the allowed folders.*code: path_outside_roots/s);
    symlinkSync('/etc/hostname', path.join(folder.path, 'link.mp4'));
    const linked = await call('openai-videos-frame', { source: 'link.mp4' });
    expect(text(linked)).toContain('code: path_outside_roots');
    writeFileSync(path.join(folder.path, 'notes.mp4'), '#EXTM3U\nhttp://169.254.169.254/latest/meta-data\n');
    const playlist = await call('openai-videos-frame', { source: 'notes.mp4' });
    expect(text(playlist)).toMatch(/source: .*notes\.mp4.* is not a video that can be read/);
    expect(text(playlist)).not.toMatch(/ffmpeg|ffprobe|Invalid data/);
    const written = readdirSync(folder.path)
      .filter((name) => !name.startsWith('.'))
      .sort();
    expect(written).toEqual(
      [
        a.file && path.basename(a.file),
        path.basename(one!),
        path.basename(two!),
        'ending.png',
        path.basename(png),
        'link.mp4',
        'notes.mp4',
        'three.mp4',
      ].sort(),
    );
    // A time after the end is refused with the clip's length.
    const late = await call('openai-videos-frame', { source: one!, at: 99 });
    expect(text(late)).toMatch(/at: 99 s is after the end of the 4 s video/);
    expect(readFileSync(one!).length).toBeGreaterThan(0);
  });
});

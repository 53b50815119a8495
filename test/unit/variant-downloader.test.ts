import { OutputNames } from '../../src/application/output-names';
import { MonotonicProgress, type ProgressUpdate } from '../../src/application/progress';
import { VariantDownloader, type DownloadLimits } from '../../src/application/variant-downloader';
import { CancelledError, downloadFailed, notFound, providerRefused } from '../../src/domain/errors';
import type { MediaContent, StoredMedia } from '../../src/domain/ports';
import type { VideoVariant } from '../../src/domain/video';
import { FakeClock, RecordingLogger } from '../support/fakes';
import { jpeg, mp4 } from '../support/sample-files';
import { MemoryMediaStore, ScriptedProvider } from '../support/in-memory-ports';
import { agentText } from '../support/refusals';

/**
 * The downloader in-process, over the scripted provider, the in-memory store and a fake clock: what it retries and how
 * long it waits, where it gives up, what it refuses before reading a byte, and what each failure says.
 */
const LIMITS: DownloadLimits = { maxBytes: 1024 * 1024, deadlineMs: 60_000 };

function content(
  bytes: Uint8Array,
  type: string,
  options: { length?: number; cutAfter?: boolean } = {},
): MediaContent & { cancelled: boolean } {
  const made = {
    contentType: type,
    ...(options.length === undefined ? {} : { contentLength: options.length }),
    cancelled: false,
    cancel() {
      made.cancelled = true;
    },
    body: (async function* () {
      yield bytes;
      if (options.cutAfter) throw new Error('socket hang up');
    })(),
  };
  return made;
}

describe('VariantDownloader', () => {
  let provider: ScriptedProvider;
  let store: MemoryMediaStore;
  let clock: FakeClock;
  let logger: RecordingLogger;
  let saved: StoredMedia[];
  let downloader: VariantDownloader;

  const run = async (variants: VideoVariant[], options: { signal?: AbortSignal; progress?: MonotonicProgress } = {}) =>
    downloader.download({
      job: { id: 'video_1' },
      variants,
      names: await new OutputNames(store, []).plan({ stem: 'video_1', variants, overwrite: false }),
      ...options,
    });

  beforeEach(() => {
    provider = new ScriptedProvider();
    store = new MemoryMediaStore();
    clock = new FakeClock();
    logger = new RecordingLogger();
    saved = [];
    downloader = new VariantDownloader(provider, store, clock, logger, LIMITS, (file) => saved.push(file));
  });

  it('saves each variant under its planned name and tells who listens', async () => {
    const outcome = await run(['video', 'thumbnail']);
    expect(outcome.problems).toEqual([]);
    expect(outcome.files.map((file) => file.name)).toEqual(['video_1_video.mp4', 'video_1_thumbnail.webp']);
    expect(saved.map((file) => file.name)).toEqual(['video_1_video.mp4', 'video_1_thumbnail.webp']);
    expect(clock.sleeps).toEqual([]);
  });

  it('tries a cut body again after 500 ms, then 1000 ms, and saves the third attempt', async () => {
    const video = mp4();
    const half = video.subarray(0, 40);
    provider.downloads = [
      content(half, 'video/mp4', { cutAfter: true }),
      downloadFailed({ reason: 'stalled', idle_ms: 10 }, { retryable: true }),
      content(video, 'video/mp4'),
    ];
    const outcome = await run(['video']);
    expect(outcome.files.map((file) => file.name)).toEqual(['video_1.mp4']);
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(provider.count('downloadContent')).toBe(3);
    expect(logger.lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
      expect.stringContaining('attempt 2 of 3 in 500 ms'),
      expect.stringContaining('attempt 3 of 3 in 1000 ms'),
    ]);
  });

  it('gives up after three attempts and says which asset of which video failed', async () => {
    provider.downloads = [1, 2, 3].map(() => downloadFailed({ reason: 'no_body' }, { retryable: true }));
    const outcome = await run(['video']);
    expect(provider.count('downloadContent')).toBe(3);
    expect(outcome.files).toEqual([]);
    const error = outcome.problems[0]!.error;
    expect(error.details).toMatchObject({ reason: 'no_body', variant: 'video', video_id: 'video_1' });
    expect(agentText(error)).toBe(
      'Downloading the video of video_1 failed: the provider sent no body; nothing was saved. Save it again with the download tool. (code: download_failed)',
    );
  });

  it('waits as long as a provider asks (up to a minute), and does not wait for more than that', async () => {
    provider.downloads = [providerRefused('rate_limited', { status: 429 }, { retryable: true, retryAfterMs: 60_000 })];
    await run(['video']);
    expect(clock.sleeps).toEqual([60_000]);
    clock.sleeps.length = 0;
    provider.downloads = [providerRefused('rate_limited', { status: 429 }, { retryable: true, retryAfterMs: 60_001 })];
    const outcome = await run(['video']);
    expect(clock.sleeps).toEqual([]);
    expect(outcome.problems[0]!.error.code).toBe('rate_limited');
  });

  it('never tries again what cannot change (a refusal, a file too large)', async () => {
    provider.downloads = [providerRefused('bad_request', { status: 400 })];
    expect((await run(['video'])).problems[0]!.error.code).toBe('bad_request');
    expect(provider.count('downloadContent')).toBe(1);
  });

  it('refuses an asset announced larger than the cap before reading a byte, and releases the connection', async () => {
    const announced = content(mp4(), 'video/mp4', { length: LIMITS.maxBytes + 1 });
    provider.downloads = [announced];
    const outcome = await run(['video']);
    expect(announced.cancelled).toBe(true);
    expect(provider.count('downloadContent')).toBe(1);
    expect(outcome.problems[0]!.error.details).toMatchObject({
      reason: 'over_cap',
      max_bytes: LIMITS.maxBytes,
      announced_bytes: LIMITS.maxBytes + 1,
    });
    expect(agentText(outcome.problems[0]!.error)).toContain(
      'is larger than the 1.0 MiB this server downloads (the provider announced 1.0 MiB)',
    );
    // Exactly the cap is allowed.
    provider.downloads = [content(mp4(), 'video/mp4', { length: LIMITS.maxBytes })];
    const atCap = await run(['video']);
    expect(atCap.problems).toEqual([]);
  });

  it('stops at the deadline of all attempts together, and says so (not as a cancellation)', async () => {
    downloader = new VariantDownloader(provider, store, clock, logger, { ...LIMITS, deadlineMs: 1200 });
    provider.downloads = [1, 2, 3].map(() => downloadFailed({ reason: 'stalled', idle_ms: 10 }, { retryable: true }));
    const outcome = await run(['video']);
    const error = outcome.problems[0]!.error;
    expect(error.details).toMatchObject({ reason: 'deadline', deadline_ms: 1200, variant: 'video' });
    expect(agentText(error)).toContain('did not finish downloading within 1 seconds; nothing was saved');
    expect(provider.count('downloadContent')).toBe(2);
  });

  it('says the deadline in minutes from two minutes up', async () => {
    downloader = new VariantDownloader(provider, store, clock, logger, { ...LIMITS, deadlineMs: 120_000 });
    provider.downloads = [providerRefused('rate_limited', { status: 429 }, { retryable: true, retryAfterMs: 60_000 })];
    provider.downloads.push(providerRefused('rate_limited', { status: 429 }, { retryable: true, retryAfterMs: 60_000 }));
    const outcome = await run(['video']);
    expect(agentText(outcome.problems[0]!.error)).toContain('within 2 minutes');
  });

  it('refuses a thumbnail the provider served as the video, and an image it has none of, as unavailable', async () => {
    provider.downloads = [
      content(mp4(), 'image/webp'),
      notFound({ reason: 'at_provider', subject: 'Video video_1', provider_message: 'no sprites' }),
    ];
    const outcome = await run(['thumbnail', 'spritesheet']);
    expect(outcome.problems.map((problem) => [problem.variant, problem.error.code, problem.error.details])).toEqual([
      ['thumbnail', 'variant_unavailable', { variant: 'thumbnail', reason: 'served_other', served: 'video/mp4' }],
      ['spritesheet', 'variant_unavailable', { variant: 'spritesheet', reason: 'not_found', provider_message: 'no sprites' }],
    ]);
    expect(provider.count('downloadContent')).toBe(2);
  });

  it('keeps a video the provider does not have as not found', async () => {
    provider.downloads = [notFound({ reason: 'at_provider', subject: 'Video video_1' })];
    expect((await run(['video'])).problems[0]!.error).toMatchObject({ code: 'not_found' });
  });

  it('tries a body that is not what it must be again (an HTML page for a video), and says what it was', async () => {
    const page = Buffer.from('<!DOCTYPE html><html><body>gateway error</body></html>');
    provider.downloads = [1, 2, 3].map(() => content(page, 'video/mp4'));
    const error = (await run(['video'])).problems[0]!.error;
    expect(provider.count('downloadContent')).toBe(3);
    expect(error.details).toMatchObject({ reason: 'not_usable', variant: 'video' });
    expect(agentText(error)).toMatch(/the video is not usable: .*HTML/);
  });

  it('saves the other variants when one fails, and fills the progress bar up to 99 in equal shares', async () => {
    const updates: ProgressUpdate[] = [];
    const progress = new MonotonicProgress((update) => updates.push(update));
    provider.downloads = [content(mp4(), 'video/mp4', { length: mp4().length }), providerRefused('bad_request', { status: 400 })];
    const outcome = await run(['video', 'thumbnail'], { progress });
    expect(outcome.files.map((file) => file.name)).toEqual(['video_1_video.mp4']);
    expect(outcome.problems.map((problem) => problem.variant)).toEqual(['thumbnail']);
    expect(updates.at(-1)?.progress).toBeCloseTo(49.5);
    expect(updates.at(-1)?.message).toMatch(/^downloading video: .* of /);
    expect(Math.max(...updates.map((update) => update.progress))).toBeLessThanOrEqual(99);
  });

  it('passes a cancellation through at once, trying nothing more', async () => {
    provider.downloads = [new CancelledError()];
    await expect(run(['video', 'thumbnail'])).rejects.toMatchObject({ code: 'cancelled' });
    expect(provider.count('downloadContent')).toBe(1);
    const controller = new AbortController();
    controller.abort();
    provider.downloads = [downloadFailed({ reason: 'no_body' }, { retryable: true })];
    await expect(run(['video'], { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('says an unforeseen failure as such, naming the asset', async () => {
    provider.downloads = [content(jpeg(4, 4), 'image/jpeg')];
    jest.spyOn(store, 'write').mockRejectedValueOnce(new TypeError('boom'));
    const error = (await run(['spritesheet'])).problems[0]!.error;
    expect(error.details).toMatchObject({ reason: 'unexpected', variant: 'spritesheet', video_id: 'video_1' });
    expect(agentText(error)).toBe('Downloading the spritesheet of video_1 failed unexpectedly. (code: download_failed)');
  });
});

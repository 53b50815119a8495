import { mp4 } from '../support/sample-files';
import { CreateVideo } from '../../src/application/use-cases/create-video';
import { DownloadContent } from '../../src/application/use-cases/download-content';
import { VariantDownloader } from '../../src/application/variant-downloader';
import { OutputNames } from '../../src/application/output-names';
import { JobFollower } from '../../src/application/job-follower';
import type { ReferenceImagePreparer } from '../../src/application/reference-image-preparer';
import { RemixVideo } from '../../src/application/use-cases/remix-video';
import { CompletionWaiter } from '../../src/application/completion-waiter';
import { DomainError } from '../../src/domain/errors';
import { FakeClock, silentLogger } from '../support/fakes';
import { agentText } from '../support/refusals';
import { MemoryMediaStore, ScriptedProvider } from '../support/in-memory-ports';
import { ModelDirectory } from '../../src/application/model-directory';
import { RequestPlanner } from '../../src/application/request-planner';
import { SpendingLedger } from '../../src/application/spending-ledger';
import { JobOwnership } from '../../src/application/job-ownership';
import { InMemoryJobRegistry } from '../../src/testing';
import { ModelCatalog } from '../../src/domain/model-catalog';

/** Generous limits: these tests are about what is saved, not about the caps (those have tests of their own). */
const LIMITS = { maxBytes: 64 * 1024 * 1024, deadlineMs: 600_000 };

describe('CreateVideo, RemixVideo and DownloadContent with fake ports', () => {
  let provider: ScriptedProvider;
  let store: MemoryMediaStore;
  let follower: JobFollower;
  let downloader: VariantDownloader;
  const references = { prepare: jest.fn() } as unknown as ReferenceImagePreparer;
  const follow = { waitForCompletion: true, timeoutMs: 60_000, pollIntervalMs: 1000, downloadVariants: ['video'] as const };
  const base = { prompt: 'a fox', inputReferenceFit: 'match' as const, inputReferenceBackground: 'blur' };

  let planner: RequestPlanner;
  const registry = new InMemoryJobRegistry();
  const ledger = new SpendingLedger({}, registry, new FakeClock());
  const ownership = new JobOwnership(registry, { enforced: false, recordsJobs: false });
  const createWith = (preparer: ReferenceImagePreparer) => new CreateVideo(provider, preparer, follower, planner, ledger, ownership);

  beforeEach(() => {
    provider = new ScriptedProvider();
    store = new MemoryMediaStore();
    downloader = new VariantDownloader(provider, store, new FakeClock(), silentLogger, LIMITS);
    follower = new JobFollower(new CompletionWaiter(provider, new FakeClock(), silentLogger), downloader, new OutputNames(store, []));
    planner = new RequestPlanner(provider, new ModelDirectory(provider, new ModelCatalog([]), new FakeClock()));
  });

  it('returns the queued job at once when not waiting', async () => {
    const result = await createWith(references).execute({ ...base, ...follow, waitForCompletion: false });
    expect(result.video?.status).toBe('queued');
    expect(result.files).toEqual([]);
    expect(provider.count('retrieve')).toBe(0);
  });

  it('waits, then saves each variant with a suffix when several are asked for', async () => {
    const result = await createWith(references).execute({
      ...base,
      ...follow,
      downloadVariants: ['video', 'thumbnail', 'spritesheet'],
      file: 'clip',
    });
    expect(result.failure).toBeUndefined();
    expect(result.video?.status).toBe('completed');
    expect(result.files.map((file) => file.location)).toEqual([
      'memory:/clip_video.mp4',
      'memory:/clip_thumbnail.webp',
      'memory:/clip_spritesheet.jpg',
    ]);
  });

  it('refuses a bad output path before anything is sent', async () => {
    await expect(createWith(references).execute({ ...base, ...follow, file: '../escape.mp4' })).rejects.toMatchObject({
      code: 'path_outside_roots',
    });
    expect(provider.calls).toEqual([]);
  });

  it('refuses file without waiting (nothing would be saved) before anything is sent', async () => {
    await expect(createWith(references).execute({ ...base, ...follow, waitForCompletion: false, file: 'clip' })).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'file',
      // The words (which argument to set, which tool to use) are the MCP layer's: here, a stable rule.
      details: { rule: 'file_needs_wait' },
    });
    expect(provider.calls).toEqual([]);
  });

  it('refuses a bad reference image before anything is sent', async () => {
    const refusing = {
      prepare: jest.fn().mockRejectedValue(new DomainError('reference_image_size_mismatch', 'wrong size')),
    } as unknown as ReferenceImagePreparer;
    await expect(createWith(refusing).execute({ ...base, ...follow, inputReference: 'ref.png' })).rejects.toMatchObject({
      code: 'reference_image_size_mismatch',
    });
    expect(provider.calls).toEqual([]);
  });

  it('reports a failed job as a failure carrying the job, with nothing downloaded', async () => {
    provider.retrieves = [{ status: 'failed', error: { code: 'moderation_blocked', message: 'no' } }];
    const result = await createWith(references).execute({ ...base, ...follow });
    expect(result.failure).toMatchObject({ code: 'job_failed' });
    expect(result.video?.status).toBe('failed');
    expect(provider.count('downloadContent')).toBe(0);
  });

  it('names the paid job when something fails after it was created', async () => {
    provider.retrieves = [new DomainError('authentication_failed', 'Authentication failed.')];
    const result = await createWith(references).execute({ ...base, ...follow });
    expect(result.failure).toMatchObject({ code: 'authentication_failed' });
    expect(agentText(result.failure)).toMatch(/The job itself was created: video video_1, last status queued \(0%\)\./);
    expect(result.failure?.details).toMatchObject({ created_video_id: 'video_1' });
    expect(provider.count('create')).toBe(1);
  });

  it('does not wait for a provider asking for a pause of a day before retrying a download', async () => {
    provider.downloads = [new DomainError('rate_limited', 'slow down', { retryable: true, retryAfterMs: 86_400_000 })];
    const result = await createWith(references).execute({ ...base, ...follow });
    expect(result.failure).toMatchObject({ code: 'rate_limited' });
    expect(provider.count('downloadContent')).toBe(1);
  });

  it('retries a download cut off mid-body without regenerating the video', async () => {
    provider.downloads = [new DomainError('download_failed', 'cut', { retryable: true })];
    const result = await createWith(references).execute({ ...base, ...follow });
    expect(result.files).toHaveLength(1);
    expect(provider.count('downloadContent')).toBe(2);
    expect(provider.count('create')).toBe(1);
  });

  it('saves every variant it can: a later variant that fails is reported, and the call still succeeds', async () => {
    provider.downloads = [
      {
        contentType: 'video/mp4',
        body: (async function* () {
          yield mp4();
        })(),
      },
      new DomainError('bad_request', 'no thumbnail'),
    ];
    const result = await createWith(references).execute({
      ...base,
      ...follow,
      downloadVariants: ['video', 'thumbnail'],
    });
    expect(result.files.map((file) => file.name)).toEqual(['video_1_video.mp4']);
    expect(result.failure).toBeUndefined();
    expect(result.problems).toEqual([{ variant: 'thumbnail', error: expect.objectContaining({ code: 'bad_request' }) }]);
  });

  it('is a failure only when nothing asked for could be saved', async () => {
    provider.downloads = [new DomainError('bad_request', 'no video'), new DomainError('bad_request', 'no thumbnail')];
    const result = await createWith(references).execute({ ...base, ...follow, downloadVariants: ['video', 'thumbnail'] });
    expect(result.files).toEqual([]);
    expect(result.failure).toMatchObject({ code: 'bad_request', message: 'no video' });
    expect(result.problems).toHaveLength(2);
  });

  it('remixes and follows the new job', async () => {
    const result = await new RemixVideo(provider, follower, planner, ledger, ownership).execute({
      videoId: 'video_1',
      prompt: 'at dusk',
      ...follow,
    });
    // The source is read first (its model and length price the remix), then the remix is asked for.
    expect(provider.calls.map((call) => call.method).slice(0, 2)).toEqual(['retrieve', 'remix']);
    expect(provider.calls[1]).toEqual({ method: 'remix', args: ['video_1', 'at dusk'] });
    expect(result.files[0]!.name).toBe('video_remix.mp4');
  });

  it('downloads one asset, then returns the job as retrieved after the download', async () => {
    const result = await new DownloadContent(provider, downloader, new OutputNames(store, []), ownership).execute({
      videoId: 'video_7',
      variant: 'thumbnail',
    });
    expect(result.files[0]).toMatchObject({ name: 'video_7.webp', mimeType: 'image/webp' });
    expect(provider.calls.map((call) => call.method)).toEqual(['downloadContent', 'retrieve']);
  });

  it('still reports a saved file when reading the job afterwards fails', async () => {
    provider.retrieves = [new DomainError('provider_unavailable', 'busy', { retryable: true })];
    const result = await new DownloadContent(provider, downloader, new OutputNames(store, []), ownership).execute({
      videoId: 'video_7',
      variant: 'video',
    });
    expect(result.files[0]).toMatchObject({ name: 'video_7.mp4' });
    expect(agentText(result.failure)).toMatch(/^Saved video_7\.mp4, but reading the job's status afterwards failed/);
    expect(result.video).toBeUndefined();
  });

  it('explains that a video still rendering cannot be downloaded yet', async () => {
    provider.downloads = [new DomainError('bad_request', 'Video is not ready yet.')];
    provider.retrieves = [{ status: 'in_progress', progress: 35 }];
    const result = await new DownloadContent(provider, downloader, new OutputNames(store, []), ownership).execute({
      videoId: 'video_7',
      variant: 'video',
    });
    expect(agentText(result.failure)).toMatch(/in_progress \(progress 35%\).*Wait until its status is completed/);
  });
});

describe('download progress', () => {
  it('reports a large download about once per percent, not once per chunk', async () => {
    const provider = new ScriptedProvider();
    // A whole MP4 of 1000 KiB, streamed in 1 KiB chunks.
    const video = mp4(1024 * 1000);
    provider.downloads = [
      {
        contentType: 'video/mp4',
        contentLength: video.length,
        body: (async function* () {
          for (let i = 0; i < 1000; i += 1) yield video.subarray(i * 1024, (i + 1) * 1024);
        })(),
      },
    ];
    const updates: number[] = [];
    const store = new MemoryMediaStore();
    await new DownloadContent(
      provider,
      new VariantDownloader(provider, store, new FakeClock(), silentLogger, LIMITS),
      new OutputNames(store, []),
      new JobOwnership(new InMemoryJobRegistry(), { enforced: false, recordsJobs: false }),
    ).execute({ videoId: 'video_1', variant: 'video' }, { onProgress: (update) => updates.push(update.progress) });
    expect(updates.length).toBeGreaterThan(50);
    expect(updates.length).toBeLessThanOrEqual(101);
    for (let i = 1; i < updates.length; i += 1) expect(updates[i]!).toBeGreaterThan(updates[i - 1]!);
  });
});

import { DownloadContent, type DownloadContentInput } from '../../src/application/use-cases/download-content';
import type { ProgressUpdate } from '../../src/application/progress';
import { CancelledError, DomainError } from '../../src/domain/errors';
import { mp4 } from '../support/sample-files';
import { agentText, refusalOf } from '../support/refusals';
import { useCaseHarness, type UseCaseOptions } from '../support/use-case-harness';

/*
 * The download tool's core: one asset of the caller's job saved under the naming policy (a caller's own name is never
 * clobbered unless it asks), then the job's state as it is now; a download that fails says why in the job's terms.
 */

const OLD = Uint8Array.from([1, 2, 3]);
const SECRET = 'sk-download-SECRET-1234567890';

function setup(options: UseCaseOptions = {}) {
  const harness = useCaseHarness(options);
  const download = new DownloadContent(harness.provider, harness.downloader, harness.names, harness.ownership);
  const updates: ProgressUpdate[] = [];
  const run = (input: Partial<DownloadContentInput> = {}, caller?: string) =>
    download.execute({ videoId: 'video_7', variant: 'video', ...input }, { caller, onProgress: (update) => updates.push(update) });
  const existing = (name: string) =>
    harness.store.write([name], {
      contentType: 'video/mp4',
      body: (async function* () {
        yield OLD;
      })(),
    });
  const bytesAt = (name: string) => harness.store.items.get(name)?.bytes;
  return { ...harness, download, run, updates, existing, bytesAt };
}

describe('DownloadContent', () => {
  it('saves the asset under the job’s name, says so at 100%, and returns the job as it is now', async () => {
    const { download, provider, updates, bytesAt } = setup();
    provider.retrieves = [{ id: 'upstream_7', status: 'completed', progress: 100 }];
    const signal = new AbortController().signal;
    const result = await download.execute(
      { videoId: 'video_7', variant: 'video' },
      { signal, onProgress: (update) => updates.push(update) },
    );
    expect(provider.calls).toEqual([
      { method: 'downloadContent', args: ['video_7', 'video'] },
      { method: 'retrieve', args: ['video_7', { signal }] },
    ]);
    expect(result.files).toEqual([expect.objectContaining({ name: 'video_7.mp4', mimeType: 'video/mp4' })]);
    expect(Buffer.from(bytesAt('video_7.mp4')!)).toEqual(Buffer.from(mp4()));
    // The caller keeps the id it holds, whatever id a gateway answers with.
    expect(result.video).toMatchObject({ id: 'video_7', provider_id: 'upstream_7', status: 'completed' });
    expect(result.failure).toBeUndefined();
    expect(updates.at(-1)).toEqual({ progress: 100, total: 100, message: 'saved video_7.mp4' });
  });

  it('never clobbers: a default name moves on, a caller’s taken name is refused before anything is downloaded', async () => {
    const { run, provider, existing, bytesAt } = setup();
    await existing('video_7.mp4');
    expect((await run()).files[0]!.name).toBe('video_7-2.mp4');
    expect(bytesAt('video_7.mp4')).toEqual(OLD);

    await existing('mine.mp4');
    const before = provider.count('downloadContent');
    await expect(refusalOf(run({ file: 'mine' }))).resolves.toMatchObject({ code: 'file_exists', details: { path: 'mine.mp4' } });
    expect(provider.count('downloadContent')).toBe(before);
    expect(bytesAt('mine.mp4')).toEqual(OLD);
  });

  it('replaces the caller’s file when asked to', async () => {
    const { run, existing, bytesAt } = setup();
    await existing('mine.mp4');
    const result = await run({ file: 'mine', overwrite: true });
    expect(result.files[0]!.name).toBe('mine.mp4');
    expect(Buffer.from(bytesAt('mine.mp4')!)).toEqual(Buffer.from(mp4()));
  });

  it('names a thumbnail after the job alone (one variant: no suffix), and hashes an id that carries a secret', async () => {
    const { run, store } = setup({ secrets: [SECRET] });
    await run({ variant: 'thumbnail' });
    await run({ videoId: `video_${SECRET}` });
    const names = [...store.items.keys()];
    expect(names[0]).toBe('video_7.webp');
    expect(names[1]).toMatch(/^video-[0-9a-f]{16}\.mp4$/);
  });

  it('refuses another user’s job exactly as an unknown one, downloading nothing; its owner gets it, recorded as hers', async () => {
    const { run, provider, ownedJob, ownership, registry } = setup({ team: true });
    await ownedJob('ana', 'video_7');
    await expect(refusalOf(run({}, 'bob'))).resolves.toMatchObject({ code: 'not_found', details: { reason: 'unknown_video' } });
    expect(provider.calls).toEqual([]);
    const result = await run({}, 'ana');
    expect([...(await ownership.files('ana'))!]).toEqual([result.files[0]!.uri]);
    expect(await registry.find('video_7')).toMatchObject({ video: expect.objectContaining({ status: 'completed' }) });
  });

  it('still reports the saved file when the registry cannot note it', async () => {
    const { run, registry, ownedJob } = setup({ team: true });
    await ownedJob('default', 'video_7');
    jest.spyOn(registry, 'update').mockRejectedValue(new Error('database gone'));
    const result = await run();
    expect(result.files[0]!.name).toBe('video_7.mp4');
    expect(result.video).toMatchObject({ status: 'completed' });
    expect(result.failure).toBeUndefined();
  });

  describe('a download that fails', () => {
    it('explains a job still rendering in its terms: not ready, its status and progress', async () => {
      const { download, provider } = setup();
      const cause = new DomainError('bad_request', 'Video is not ready yet.');
      provider.downloads = [cause];
      provider.retrieves = [{ id: 'upstream_7', status: 'in_progress', progress: 35 }];
      const signal = new AbortController().signal;
      const result = await download.execute({ videoId: 'video_7', variant: 'video' }, { signal });
      expect(provider.calls.at(-1)).toEqual({ method: 'retrieve', args: ['video_7', { signal }] });
      expect(result.files).toEqual([]);
      expect(result.video).toMatchObject({ id: 'video_7', status: 'in_progress' });
      expect(result.failure).toMatchObject({
        code: 'download_failed',
        details: { reason: 'not_ready', video_id: 'video_7', variant: 'video', status: 'in_progress', progress: 35 },
      });
      expect(result.failure!.cause).toMatchObject({ code: 'bad_request' });
    });

    it('passes on the provider’s own failure when the job is done', async () => {
      const { run, provider } = setup();
      provider.downloads = [new DomainError('bad_request', 'no such asset')];
      const result = await run({ variant: 'spritesheet' });
      expect(result.failure).toMatchObject({ code: 'bad_request', message: 'no such asset' });
      expect(result.video).toMatchObject({ status: 'completed' });
    });

    it('throws the download’s failure when the job cannot be read either', async () => {
      const { run, provider } = setup();
      provider.downloads = [new DomainError('bad_request', 'no such asset')];
      provider.retrieves = [new DomainError('not_found', 'gone')];
      await expect(run()).rejects.toMatchObject({ code: 'bad_request', message: 'no such asset' });
    });
  });

  describe('reading the job after the file is saved', () => {
    it('reports the saved file with why the job’s state is missing', async () => {
      const { run, provider } = setup();
      const busy = new DomainError('provider_unavailable', 'busy', { retryable: true });
      provider.retrieves = [busy];
      const result = await run();
      expect(result.files[0]!.name).toBe('video_7.mp4');
      expect(result.video).toBeUndefined();
      expect(result.failure).toMatchObject({
        code: 'provider_error',
        details: { problem: 'status_unread', saved: 'video_7.mp4', failure: busy },
      });
      expect(result.failure!.cause).toBe(busy);
    });

    it('reports an unforeseen failure as an internal one, never its own words', async () => {
      const { run, provider } = setup();
      const bug = new TypeError('x is undefined');
      jest.spyOn(provider, 'retrieve').mockRejectedValue(bug);
      const result = await run();
      expect(result.failure).toMatchObject({
        code: 'provider_error',
        details: { problem: 'status_unread', failure: expect.objectContaining({ code: 'internal_error' }) },
      });
      expect(agentText(result.failure)).not.toContain('x is undefined');
    });

    it('passes a cancellation on: nobody is left to tell', async () => {
      const { run, provider } = setup();
      const cancelled = new CancelledError();
      provider.retrieves = [cancelled];
      await expect(run()).rejects.toBe(cancelled);
    });
  });
});

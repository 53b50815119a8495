import { CompletionWaiter } from '../../src/application/completion-waiter';
import { finishedJob } from '../../src/application/finished-job';
import { JobFollower, type FollowOptions } from '../../src/application/job-follower';
import type { JobOwnership } from '../../src/application/job-ownership';
import type { VideoJobResult } from '../../src/application/job-result';
import { OutputNames } from '../../src/application/output-names';
import type { ProgressUpdate, RunOptions } from '../../src/application/progress';
import type { BudgetsLeft, CostEstimate, SpendingLedger } from '../../src/application/spending-ledger';
import { VariantDownloader } from '../../src/application/variant-downloader';
import { DomainError } from '../../src/domain/errors';
import type { StoredMedia } from '../../src/domain/ports';
import { FakeClock, silentLogger } from '../support/fakes';
import { MemoryMediaStore, ScriptedProvider, video } from '../support/in-memory-ports';
import { refusalOf } from '../support/refusals';
import { mp4 } from '../support/sample-files';

/*
 * What create and remix do once the provider has the job: the names planned before anything is paid for, the wait
 * (paced by the caller's options and the model's typical time), the downloads under the planned names, and a result
 * that names the paid job whenever something goes wrong after it exists. The provider and store are the in-memory ones;
 * the clock is fake, so every wait ends as soon as its fake time has passed.
 */

/** Generous limits: these tests are about what is saved, not about the caps. */
const LIMITS = { maxBytes: 64 * 1024 * 1024, deadlineMs: 600_000 };
const START = 1_700_000_000_000;

describe('JobFollower', () => {
  let provider: ScriptedProvider;
  let store: MemoryMediaStore;
  let clock: FakeClock;
  let follower: JobFollower;
  let updates: ProgressUpdate[];
  const onProgress = (update: ProgressUpdate) => updates.push(update);
  const wait: FollowOptions = { waitForCompletion: true, timeoutMs: 60_000, pollIntervalMs: 1000, downloadVariants: [] };
  const save: FollowOptions = { ...wait, downloadVariants: ['video'] };

  beforeEach(() => {
    provider = new ScriptedProvider();
    store = new MemoryMediaStore();
    clock = new FakeClock(START);
    updates = [];
    const downloader = new VariantDownloader(provider, store, clock, silentLogger, LIMITS);
    follower = new JobFollower(new CompletionWaiter(provider, clock, silentLogger, () => 0.5), downloader, new OutputNames(store, []));
  });

  /** Plans the names as the use case does, then follows `job`. */
  async function followSaving(job = video(), options = save, run: RunOptions = { onProgress }): Promise<VideoJobResult> {
    const names = await follower.checkOutput(options);
    return follower.follow(job, options, run, { names });
  }

  describe('checkOutput', () => {
    it('refuses a file for a call that does not wait (nothing would be saved)', async () => {
      await expect(refusalOf(follower.checkOutput({ ...save, waitForCompletion: false, file: 'clip' }))).resolves.toMatchObject({
        code: 'invalid_input',
        field: 'file',
        details: { rule: 'file_needs_wait' },
      });
    });

    it('plans nothing for a call that does not wait, or waits for no file', async () => {
      await expect(follower.checkOutput({ ...save, waitForCompletion: false })).resolves.toBeUndefined();
      await expect(follower.checkOutput({ ...wait, file: 'clip' })).resolves.toBeUndefined();
    });

    it("refuses a caller's name that is taken, unless asked to overwrite it", async () => {
      await store.write(['clip.mp4'], {
        contentType: 'video/mp4',
        body: (async function* () {
          yield mp4();
        })(),
      });
      await expect(refusalOf(follower.checkOutput({ ...save, file: 'clip' }))).resolves.toMatchObject({ code: 'file_exists' });
      const plan = await follower.checkOutput({ ...save, file: 'clip', overwrite: true });
      expect(plan?.replace).toBe(true);
    });

    it('never replaces by default', async () => {
      const plan = await follower.checkOutput({ ...save, file: 'clip' });
      expect(plan?.replace).toBe(false);
    });
  });

  describe('follow', () => {
    it('returns the job as it is when the call does not wait, without asking or reporting anything', async () => {
      const job = video();
      const result = await follower.follow(job, { ...save, waitForCompletion: false }, { onProgress });
      expect(result).toEqual({ video: job, files: [] });
      expect(provider.calls).toEqual([]);
      expect(updates).toEqual([]);
    });

    it('says what the job should cost before it waits, so a person watching can stop it in time', async () => {
      const estimate: CostEstimate = { usd: 0.4, model: 'sora-2' };
      await follower.follow(video(), wait, { onProgress }, { estimate });
      expect(updates[0]).toEqual({ progress: 0, total: 100, message: 'started video_1; estimated cost $0.40' });
    });

    it('says no cost when the price is unknown', async () => {
      await follower.follow(video(), wait, { onProgress }, { estimate: { usd: null, model: 'sora-2' } });
      await follower.follow(video(), wait, { onProgress });
      expect(updates.filter((update) => update.message.includes('cost'))).toEqual([]);
    });

    it('waits with the caller’s interval and ends at 100% when nothing is to be saved', async () => {
      provider.retrieves = [
        { status: 'in_progress', progress: 95 },
        { status: 'completed', progress: 100 },
      ];
      const result = await follower.follow(video(), { ...wait, pollIntervalMs: 1500 }, { onProgress });
      expect(result).toEqual({ video: expect.objectContaining({ status: 'completed' }), files: [] });
      expect(clock.sleeps).toEqual([1500, 1500]);
      // The render has the whole bar: its 95% is shown as such.
      expect(updates.map((update) => update.progress)).toEqual([0, 95, 100]);
      expect(updates.at(-1)?.message).toBe('completed 100% (3s elapsed)');
    });

    it('ends at 100% saying completed for a provider that reports no progress', async () => {
      provider.retrieves = [{ status: 'completed', progress: 0 }];
      await follower.follow(video(), wait, { onProgress });
      expect(updates.at(-1)).toEqual({ progress: 100, total: 100, message: 'completed' });
    });

    it("paces the checks by the model's typical render time when the caller gives no interval", async () => {
      provider.retrieves = [
        { status: 'in_progress', progress: 0 },
        { status: 'completed', progress: 100 },
      ];
      await follower.follow(video(), { ...wait, pollIntervalMs: undefined }, {}, { typicalRenderMs: 20_000 });
      // One early check to learn the pace, then one just after the typical time (the pause is cut into heartbeats).
      expect(provider.count('retrieve')).toBe(2);
      expect(clock.time - START).toBe(20_250);
    });

    it('gives up at the caller’s timeout with the job as last seen, and the timeout as the failure', async () => {
      provider.retrieves = [{ status: 'in_progress', progress: 42 }];
      const result = await follower.follow(video(), { ...save, timeoutMs: 5000 }, {}, {});
      expect(result.video).toMatchObject({ status: 'in_progress', progress: 42 });
      expect(result.files).toEqual([]);
      expect(result.failure).toMatchObject({ code: 'job_timeout', details: { timeout_ms: 5000 } });
      expect(provider.count('downloadContent')).toBe(0);
    });

    it('reports a failed job with its last state and nothing saved', async () => {
      provider.retrieves = [{ status: 'failed', progress: 30, error: { code: 'moderation_blocked', message: 'no' } }];
      const result = await followSaving();
      expect(result).toEqual({ video: expect.objectContaining({ status: 'failed' }), files: [], failure: expect.anything() });
      expect(result.failure).toMatchObject({ code: 'job_failed' });
    });

    it('names the paid job, as the caller had it, in an error that ended the wait', async () => {
      provider.retrieves = [new DomainError('authentication_failed', 'bad key')];
      const job = video({ id: 'video_paid', status: 'in_progress', progress: 12 });
      const result = await follower.follow(job, wait, {});
      expect(result.video).toBe(job);
      expect(result.files).toEqual([]);
      expect(result.failure).toMatchObject({
        code: 'authentication_failed',
        details: { created_video_id: 'video_paid', created_status: 'in_progress', created_progress: 12 },
      });
    });

    it('names the paid job in an error nobody foresaw, as an internal error', async () => {
      provider.retrieve = async () => {
        throw new TypeError('boom');
      };
      const result = await follower.follow(video(), wait, {});
      expect(result.failure).toMatchObject({ code: 'internal_error', details: { created_video_id: 'video_1' } });
    });

    it('passes a cancellation through untouched: the client has gone', async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await follower.follow(video(), wait, { signal: controller.signal }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'cancelled' });
      expect((error as DomainError).details).not.toHaveProperty('created_video_id');
      expect(provider.count('retrieve')).toBe(0);
    });

    it('saves under the default name from the job’s id, and ends at 100% saying what it saved', async () => {
      const result = await followSaving(video({ id: 'video_abc' }));
      expect(result.failure).toBeUndefined();
      expect(result.problems).toEqual([]);
      expect(result.files.map((file) => file.location)).toEqual(['memory:/video_abc.mp4']);
      expect(provider.calls.find((call) => call.method === 'downloadContent')?.args.slice(0, 2)).toEqual(['video_abc', 'video']);
      expect(updates.at(-1)).toEqual({ progress: 100, total: 100, message: 'completed; saved 1 file(s)' });
    });

    it('leaves the top of the bar to the downloads: the render fills at most 90%', async () => {
      provider.retrieves = [
        { status: 'in_progress', progress: 95 },
        { status: 'completed', progress: 100 },
      ];
      await followSaving();
      const render = updates.filter((update) => !update.message.startsWith('downloading') && !update.message.startsWith('completed;'));
      expect(Math.max(...render.map((update) => update.progress))).toBeLessThan(91);
      expect(updates.at(-1)).toMatchObject({ progress: 100, message: 'completed; saved 1 file(s)' });
    });

    it('stops a download the caller cancels, and says so rather than naming a failure', async () => {
      const controller = new AbortController();
      provider.downloadContent = async () => {
        controller.abort();
        throw new DomainError('cancelled', 'aborted');
      };
      await expect(followSaving(video(), save, { onProgress, signal: controller.signal })).rejects.toMatchObject({
        code: 'cancelled',
      });
    });

    it('refuses to save without the plan checkOutput made (a use case that skipped it is a bug)', async () => {
      await expect(follower.follow(video(), save, {}, {})).rejects.toThrow(/checkOutput/);
      expect(provider.count('downloadContent')).toBe(0);
    });

    it('is a failure naming the paid job when nothing asked for could be saved, and does not claim completion', async () => {
      provider.downloads = [new DomainError('bad_request', 'no video')];
      const result = await followSaving(video({ id: 'video_paid' }));
      expect(result.files).toEqual([]);
      expect(result.problems).toHaveLength(1);
      expect(result.failure).toMatchObject({
        code: 'bad_request',
        details: { created_video_id: 'video_paid', created_status: 'completed' },
      });
      expect(updates.some((update) => update.progress === 100)).toBe(false);
    });

    it('succeeds with what it saved when only some variants fail, listing those beside the files', async () => {
      provider.downloads = [new DomainError('bad_request', 'no video')];
      const result = await followSaving(video(), { ...save, downloadVariants: ['video', 'thumbnail'] });
      expect(result.failure).toBeUndefined();
      expect(result.files.map((file) => file.name)).toEqual(['video_1_thumbnail.webp']);
      expect(result.problems).toEqual([{ variant: 'video', error: expect.objectContaining({ code: 'bad_request' }) }]);
      expect(updates.at(-1)).toMatchObject({ progress: 100, message: 'completed; saved 1 file(s)' });
    });
  });
});

describe('finishedJob', () => {
  const started = video({ id: 'video_1', status: 'queued' });
  const estimate: CostEstimate = { usd: 0.4, model: 'sora-2' };
  const left: BudgetsLeft = { period: 'month', user: { budgetUsd: 10, spentUsd: 0.4, leftUsd: 9.6 } };
  const file = { uri: 'memory://sora2-mcp/video_1.mp4' } as StoredMedia;
  let settle: jest.Mock;
  let seen: jest.Mock;
  let books: { ledger: SpendingLedger; ownership: JobOwnership };

  beforeEach(() => {
    settle = jest.fn().mockResolvedValue(undefined);
    seen = jest.fn().mockResolvedValue(undefined);
    books = { ledger: { settle } as unknown as SpendingLedger, ownership: { seen } as unknown as JobOwnership };
  });

  it('settles the estimate against the latest state and records that state with the saved files', async () => {
    const done = video({ status: 'completed', progress: 100 });
    const result = await finishedJob(books, started, { video: done, files: [file] }, { estimate, left, waited: true });
    expect(settle).toHaveBeenCalledWith(done);
    expect(seen).toHaveBeenCalledWith(done, ['memory://sora2-mcp/video_1.mp4']);
    // A waited job may have a reported cost since: what the reservation left is not told.
    expect(result).toEqual({ video: done, files: [file], estimate });
  });

  it('records nothing more for a job that did not move (its first state was recorded when it started)', async () => {
    const result = await finishedJob(books, started, { video: started, files: [] }, { estimate, left, waited: false });
    expect(settle).toHaveBeenCalledWith(started);
    expect(seen).not.toHaveBeenCalled();
    // A call that did not wait says what the reservation left of each budget.
    expect(result).toEqual({ video: started, files: [], estimate, budget: left });
  });

  it('records the files of a job whose state could not be read again, under the state it started with', async () => {
    const failure = new DomainError('provider_unavailable', 'busy');
    const result = await finishedJob(books, started, { files: [file], failure }, { estimate, waited: true });
    expect(settle).toHaveBeenCalledWith(started);
    expect(seen).toHaveBeenCalledWith(started, ['memory://sora2-mcp/video_1.mp4']);
    expect(result).toEqual({ files: [file], failure, estimate });
  });

  it('leaves the result intact when the ledger or the registry fails', async () => {
    settle.mockRejectedValue(new Error('ledger down'));
    seen.mockRejectedValue(new Error('registry down'));
    const done = video({ status: 'completed', progress: 100 });
    await expect(finishedJob(books, started, { video: done, files: [] }, { estimate, waited: false })).resolves.toEqual({
      video: done,
      files: [],
      estimate,
    });
    expect(seen).toHaveBeenCalledTimes(1);
  });
});

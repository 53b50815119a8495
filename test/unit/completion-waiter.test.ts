import { CompletionWaiter, PROGRESS_HEARTBEAT_MS } from '../../src/application/completion-waiter';
import { MonotonicProgress, type ProgressUpdate } from '../../src/application/progress';
import { CancelledError, DomainError, isDomainError } from '../../src/domain/errors';
import type { CallOptions, JobRef } from '../../src/domain/ports';
import { FakeClock, RecordingLogger } from '../support/fakes';
import { agentText, refusalOf, saying } from '../support/refusals';
import { ScriptedProvider, video } from '../support/in-memory-ports';

/*
 * The waiter's pacing, deadline and progress, as a client of a long call sees them: how many status checks are made and
 * how far apart, what ends the wait, and what the progress bar says meanwhile. Time is a FakeClock: a check that takes
 * a while is one that sleeps on it, and every wait ends when the fake time says so.
 */

const START = 1_700_000_000_000;

describe('CompletionWaiter pacing and deadline', () => {
  let provider: ScriptedProvider;
  let clock: FakeClock;
  let logger: RecordingLogger;
  let waiter: CompletionWaiter;

  /** The waiter with a jitter that always draws `draw` (0: the shortest backoff; just under 1: the longest). */
  const withJitter = (draw: number) => new CompletionWaiter(provider, clock, logger, () => draw);

  beforeEach(() => {
    provider = new ScriptedProvider();
    clock = new FakeClock(START);
    logger = new RecordingLogger();
    waiter = withJitter(0.5);
  });

  /** Each status check takes `ms` of the clock's time once `from` checks have been made (the provider is slow to answer). */
  function slowChecks(ms: number, from = 0): void {
    const answer = provider.retrieve.bind(provider);
    let checks = 0;
    provider.retrieve = async (job: JobRef, options?: CallOptions) => {
      checks += 1;
      if (checks > from) await clock.sleep(ms, options?.signal);
      return answer(job, options);
    };
  }

  it('returns a job that was already completed without asking the provider', async () => {
    const done = await waiter.wait(video({ status: 'completed', progress: 100 }), { timeoutMs: 60_000 });
    expect(done.status).toBe('completed');
    expect(provider.count('retrieve')).toBe(0);
    expect(clock.sleeps).toEqual([]);
  });

  it('ends a job handed over already failed as a failure, without a check', async () => {
    const error = await refusalOf(waiter.wait(video({ status: 'failed', progress: 20 }), { timeoutMs: 60_000 }));
    expect(error).toMatchObject({ code: 'job_failed', details: { reason: 'failed', progress: 20 } });
    expect(provider.count('retrieve')).toBe(0);
  });

  it('asks for a single attempt per check, under a signal of its own', async () => {
    provider.retrieves = [
      { status: 'in_progress', progress: 30 },
      { status: 'completed', progress: 100 },
    ];
    await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 1000 });
    const checks = provider.calls.filter((call) => call.method === 'retrieve');
    // The waiter paces the retries itself; the signal is its deadline's (and the caller's).
    const second = checks[1]!.args[1] as CallOptions;
    expect(second.singleAttempt).toBe(true);
    expect(second.signal).toBeInstanceOf(AbortSignal);
    expect(second.signal?.aborted).toBe(false);
  });

  it('hands the provider the last answer it had, so an adapter can carry state from check to check', async () => {
    provider.retrieves = [
      { status: 'in_progress', progress: 30 },
      { status: 'completed', progress: 100 },
    ];
    const lasts: unknown[] = [];
    const answer = provider.retrieve.bind(provider);
    provider.retrieve = async (job: JobRef, options?: CallOptions) => {
      lasts.push(job.last?.progress);
      return answer(job, options);
    };
    await waiter.wait(video({ progress: 5 }), { timeoutMs: 60_000, pollIntervalMs: 1000 });
    expect(lasts).toEqual([5, 30]);
  });

  it('makes its last pause end at the deadline, checks there once more, then times out', async () => {
    provider.retrieves = [{ status: 'in_progress', progress: 42 }];
    const error = await refusalOf(waiter.wait(video(), { timeoutMs: 10_000, pollIntervalMs: 3000 }));
    expect(error).toMatchObject({ code: 'job_timeout', details: { reason: 'timeout', timeout_ms: 10_000, progress: 42 } });
    expect(clock.sleeps).toEqual([3000, 3000, 3000, 1000]);
    expect(provider.count('retrieve')).toBe(4);
  });

  it('times out right after the check that lands on the deadline, not one check later', async () => {
    provider.retrieves = [{ status: 'in_progress', progress: 42 }];
    await refusalOf(waiter.wait(video(), { timeoutMs: 10_000, pollIntervalMs: 2000 }));
    expect(clock.sleeps).toEqual([2000, 2000, 2000, 2000, 2000]);
    expect(provider.count('retrieve')).toBe(5);
  });

  it('without an interval, paces a job that reports no progress by the model’s typical render time', async () => {
    provider.retrieves = [
      { status: 'in_progress', progress: 0 },
      { status: 'completed', progress: 100 },
    ];
    await waiter.wait(video(), { timeoutMs: 120_000, typicalRenderMs: 20_000 });
    // One early check to learn the pace, then one just after the typical time.
    expect(clock.sleeps).toEqual([1000, 19_250]);
  });

  it('does not take a job handed over part-done to have moved when its first answer says the same', async () => {
    provider.retrieves = [
      { status: 'in_progress', progress: 50 },
      { status: 'completed', progress: 100 },
    ];
    await waiter.wait(video({ status: 'in_progress', progress: 50 }), { timeoutMs: 60_000 });
    // No movement since the handover: no pace to aim by, so the checks back off by the time waited (half of 1 s).
    expect(clock.sleeps).toEqual([1000, 500]);
  });

  describe('transient errors', () => {
    it('doubles the window its jitter draws from with each failure in a row, up to 30 s', async () => {
      const busy = () => new DomainError('provider_unavailable', '503', { retryable: true });
      provider.retrieves = [busy(), busy(), busy(), busy(), busy(), busy(), { status: 'in_progress', progress: 0 }, busy()];
      provider.retrieves.push({ status: 'completed', progress: 100 });
      await waiter.wait(video(), { timeoutMs: 600_000 });
      // Half-way draws: 1 s + half of (2, 4, 8, 16, 30, 30 s less 1 s); a good answer starts the count again.
      expect(clock.sleeps.slice(1, 7)).toEqual([1500, 2500, 4500, 8500, 15_500, 15_500]);
      expect(clock.sleeps.at(-1)).toBe(1500);
    });

    it('never backs off for less than the caller’s interval', async () => {
      provider.retrieves = [new DomainError('rate_limited', '429', { retryable: true }), { status: 'completed', progress: 100 }];
      await withJitter(0).wait(video(), { timeoutMs: 60_000, pollIntervalMs: 2000 });
      expect(clock.sleeps).toEqual([2000, 2000]);
    });

    it('draws the backoff after a failure from between the interval and twice it', async () => {
      provider.retrieves = [new DomainError('rate_limited', '429', { retryable: true }), { status: 'completed', progress: 100 }];
      await withJitter(0.999).wait(video(), { timeoutMs: 60_000, pollIntervalMs: 2000 });
      expect(clock.sleeps).toEqual([2000, 3998]);
    });

    it('stops the exponent growing after ten failures', async () => {
      const busy = () => new DomainError('provider_unavailable', '503', { retryable: true });
      provider.retrieves = [...Array.from({ length: 12 }, busy), { status: 'completed', progress: 100 }];
      await withJitter(0.5).wait(video(), { timeoutMs: 600_000, pollIntervalMs: 10 });
      // 10 ms + half of (10 ms × 2^n less 10 ms), n held at 10 from the tenth failure on.
      expect(clock.sleeps.slice(10)).toEqual([5125, 5125, 5125]);
    });

    it('waits at least as long as the provider’s retry-after', async () => {
      provider.retrieves = [
        new DomainError('rate_limited', '429', { retryable: true, retryAfterMs: 7000 }),
        { status: 'completed', progress: 100 },
      ];
      await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 2000 });
      expect(clock.sleeps).toEqual([2000, 7000]);
    });

    it('logs each failed check with the attempt, as a warning', async () => {
      provider.retrieves = [new DomainError('rate_limited', '429', { retryable: true }), { status: 'completed', progress: 100 }];
      await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 2000 });
      expect(logger.lines).toEqual([{ level: 'warn', message: expect.stringContaining('video_1') }]);
    });

    it('says on a timeout what the last check failed with', async () => {
      const busy = new DomainError('provider_unavailable', '503', { retryable: true });
      provider.retrieves = [{ status: 'in_progress', progress: 10 }, busy];
      const error = await refusalOf(waiter.wait(video(), { timeoutMs: 10_000, pollIntervalMs: 2000 }));
      expect(error).toMatchObject({ code: 'job_timeout', details: { last_failure: busy, progress: 10 } });
    });

    it('forgets a failed check once a later one succeeds', async () => {
      provider.retrieves = [new DomainError('provider_unavailable', '503', { retryable: true }), { status: 'in_progress', progress: 10 }];
      const error = await refusalOf(waiter.wait(video(), { timeoutMs: 10_000, pollIntervalMs: 2000 }));
      expect(error.code).toBe('job_timeout');
      expect(error.details).not.toHaveProperty('last_failure');
    });

    it('ends at once on an error it cannot tell is transient, as it was thrown', async () => {
      const bug = new TypeError('cannot read properties of undefined');
      provider.retrieves = [{ status: 'in_progress', progress: 10 }];
      provider.retrieve = async () => {
        throw bug;
      };
      await expect(waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 2000 })).rejects.toBe(bug);
      expect(clock.sleeps).toEqual([2000]);
    });
  });

  describe('the check that straddles the deadline', () => {
    // The wait's deadline is 10 s; the check that starts at 9 s is the slow one.
    it.each([
      { interval: 3000, takes: 3500, seen: true, why: 'a grace of the interval (3 s) lets a 3.5 s check finish' },
      { interval: 3000, takes: 4500, seen: false, why: 'a check longer than the interval’s grace is cut off' },
      { interval: 300, takes: 1500, seen: true, why: 'at least 1 s of grace, however fast the polling' },
      { interval: 300, takes: 2500, seen: false, why: 'fast polling gets no more than a second of it' },
    ])('$why', async ({ interval, takes, seen }) => {
      const checksBefore = 9000 / interval - 1;
      provider.retrieves = [...Array.from({ length: checksBefore }, () => ({ status: 'in_progress' as const, progress: 10 }))];
      provider.retrieves.push({ status: 'completed', progress: 100 });
      slowChecks(takes, checksBefore);
      const result = waiter.wait(video(), { timeoutMs: 10_000, pollIntervalMs: interval });
      if (seen) await expect(result).resolves.toMatchObject({ status: 'completed' });
      else await expect(result).rejects.toMatchObject({ code: 'job_timeout' });
    });

    it('without an interval, gives the last check up to 10 s', async () => {
      provider.retrieves = [
        { status: 'in_progress', progress: 0 },
        { status: 'completed', progress: 100 },
      ];
      slowChecks(9500, 1);
      await expect(waiter.wait(video(), { timeoutMs: 5000 })).resolves.toMatchObject({ status: 'completed' });
    });

    it('without an interval, cuts off a check that takes longer than 10 s past the deadline', async () => {
      provider.retrieves = [
        { status: 'in_progress', progress: 0 },
        { status: 'completed', progress: 100 },
      ];
      slowChecks(15_000, 1);
      const error = await refusalOf(waiter.wait(video(), { timeoutMs: 5000 }));
      expect(error).toMatchObject({ code: 'job_timeout', details: { timeout_ms: 5000 } });
    });
  });

  describe('cancellation', () => {
    it('ends with cancelled when the caller cancels during a check, and says once in the log that it stopped', async () => {
      const controller = new AbortController();
      provider.retrieves = [{ status: 'in_progress', progress: 10 }];
      provider.retrieve = async () => {
        controller.abort();
        throw new CancelledError();
      };
      const error = await refusalOf(waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 1000, signal: controller.signal }));
      expect(error.code).toBe('cancelled');
      expect(provider.calls).toEqual([]);
      expect(logger.lines).toEqual([{ level: 'info', message: expect.stringContaining('video_1') }]);
    });

    it('is not mistaken for the deadline when the caller cancels a check past it', async () => {
      const controller = new AbortController();
      provider.retrieves = [
        { status: 'in_progress', progress: 10 },
        { status: 'completed', progress: 100 },
      ];
      const answer = provider.retrieve.bind(provider);
      let checks = 0;
      provider.retrieve = async (job: JobRef, options?: CallOptions) => {
        checks += 1;
        if (checks === 2) {
          // The caller gives up while the check runs into the grace after the deadline.
          await clock.sleep(2000);
          controller.abort();
          throw new CancelledError();
        }
        return answer(job, options);
      };
      const error = await refusalOf(waiter.wait(video(), { timeoutMs: 2000, pollIntervalMs: 1000, signal: controller.signal }));
      expect(error.code).toBe('cancelled');
    });

    it('does not log a stop for a wait that ended any other way', async () => {
      provider.retrieves = [new DomainError('authentication_failed', 'bad key')];
      await refusalOf(waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 1000 }));
      provider.retrieves = [{ status: 'failed', progress: 10 }];
      await refusalOf(waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 1000 }));
      expect(logger.lines).toEqual([]);
    });
  });
});

describe('CompletionWaiter progress', () => {
  let provider: ScriptedProvider;
  let clock: FakeClock;
  let waiter: CompletionWaiter;
  let updates: ProgressUpdate[];
  let progress: MonotonicProgress;

  beforeEach(() => {
    provider = new ScriptedProvider();
    clock = new FakeClock(START);
    waiter = new CompletionWaiter(provider, clock, new RecordingLogger(), () => 0.5);
    updates = [];
    progress = new MonotonicProgress((update) => updates.push(update));
  });

  it('says the status, the percent, the time waited and the time the reported pace leaves', async () => {
    provider.retrieves = [
      { status: 'in_progress', progress: 40 },
      { status: 'completed', progress: 100 },
    ];
    await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 2000, progress });
    // 40% in 2 s: 3 s to go. A finished job has no time left to tell.
    expect(updates).toEqual([
      { progress: 0, total: 100, message: 'queued 0% (0s elapsed)' },
      { progress: 40, total: 100, message: 'in_progress 40% (2s elapsed, about 3s left)' },
      { progress: 100, total: 100, message: 'completed 100% (4s elapsed)' },
    ]);
  });

  it('names the provider’s own status word beside the status', async () => {
    provider.retrieves = [{ status: 'completed', provider_status: 'succeeded', progress: 100 }];
    await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 1000, progress });
    expect(updates.at(-1)?.message).toBe('completed (provider: succeeded) 100% (1s elapsed)');
  });

  it('leaves out a provider status that is not a word', async () => {
    provider.retrieves = [{ status: 'completed', provider_status: 7, progress: 100 }];
    await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 1000, progress });
    expect(updates.at(-1)?.message).toBe('completed 100% (1s elapsed)');
  });

  it('says a job is due, not a second away, once the provider’s expected time has come', async () => {
    provider.expectedRenderMs = () => 2000;
    provider.retrieves = [
      { status: 'in_progress', progress: 0 },
      { status: 'completed', progress: 100 },
    ];
    await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 2000, progress });
    expect(updates[1]?.message).toBe('in_progress, about 90% by the time taken (2s elapsed, due any moment)');
  });

  it('does not fill the bar by time for a provider that expects the job done at once', async () => {
    provider.expectedRenderMs = () => 0;
    provider.retrieves = [
      { status: 'in_progress', progress: 0 },
      { status: 'completed', progress: 100 },
    ];
    await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 4000, progress });
    // Nothing to measure the time against: the bar shows the reported 0% until the job completes.
    expect(updates.slice(0, -1).every((update) => update.progress < 1)).toBe(true);
    expect(updates.at(-1)?.progress).toBe(100);
  });

  it('keeps the render’s share of the bar below the ceiling it is given, so downloads have room above it', async () => {
    provider.retrieves = [
      { status: 'in_progress', progress: 95 },
      { status: 'completed', progress: 100 },
    ];
    await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 1000, progress, renderCeiling: 90 });
    expect(Math.max(...updates.map((update) => update.progress))).toBeLessThan(91);
    expect(updates.at(-1)?.message).toMatch(/^completed 100%/);
  });

  it('moves the bar by the time taken against the typical render time when the provider reports no progress, up to 90%', async () => {
    provider.retrieves = [
      { status: 'in_progress', progress: 0 },
      { status: 'in_progress', progress: 0 },
      { status: 'completed', progress: 100 },
    ];
    await waiter.wait(video(), { timeoutMs: 120_000, typicalRenderMs: 20_000, progress });
    expect(updates[0]).toEqual({ progress: 0, total: 100, message: 'queued 0% (0s elapsed, about 20s left)' });
    expect(updates[1]).toEqual({
      progress: 5,
      total: 100,
      message: 'in_progress, about 5% by the time taken (1s elapsed, about 19s left)',
    });
    // Heartbeats every 2 s move it on: 15% at 3 s, 25% at 5 s…
    expect(updates.slice(2, 4).map((update) => update.progress)).toEqual([15, 25]);
    // Past the typical time the bar stays at 90% and the job is due.
    const overdue = updates.find((update) => update.message.includes('due any moment'));
    expect(overdue).toMatchObject({ message: 'in_progress, about 90% by the time taken (20s elapsed, due any moment)' });
    expect(Math.max(...updates.slice(0, -1).map((update) => Math.floor(update.progress)))).toBe(90);
  });

  it('shows the reported percent when the provider reports one, however the time compares', async () => {
    // The provider expects 10 s; at 5 s it says 10%: the time taken is not put above a reported percent.
    provider.expectedRenderMs = () => 10_000;
    provider.retrieves = [
      { status: 'in_progress', progress: 10 },
      { status: 'completed', progress: 100 },
    ];
    await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 5000, progress });
    expect(updates.map((update) => update.message)).toEqual([
      'queued 0% (0s elapsed, about 10s left)',
      'queued, about 20% by the time taken (2s elapsed, about 8s left)',
      'queued, about 40% by the time taken (4s elapsed, about 6s left)',
      'in_progress 10% (5s elapsed, about 5s left)',
      'in_progress 10% (7s elapsed, about 3s left)',
      'in_progress 10% (9s elapsed, about 1s left)',
      'completed 100% (10s elapsed)',
    ]);
  });

  it('rounds the time left up to at least a second while the estimate is still ahead', async () => {
    provider.expectedRenderMs = () => 1200;
    provider.retrieves = [{ status: 'completed', progress: 100 }];
    await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 1000, progress });
    expect(updates.map((update) => update.message)).toEqual(['queued 0% (0s elapsed, about 1s left)', 'completed 100% (1s elapsed)']);
    provider.expectedRenderMs = () => 400;
    updates.length = 0;
    await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 1000, progress: new MonotonicProgress((u) => updates.push(u)) });
    expect(updates[0]?.message).toBe('queued 0% (0s elapsed, about 1s left)');
  });

  it(`sends a heartbeat every ${PROGRESS_HEARTBEAT_MS} ms between checks, and only then`, async () => {
    provider.retrieves = [{ status: 'completed', progress: 100 }];
    await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 7000, progress });
    expect(clock.sleeps).toEqual([2000, 2000, 2000, 1000]);
    expect(updates.map((update) => update.message)).toEqual([
      'queued 0% (0s elapsed)',
      'queued 0% (2s elapsed)',
      'queued 0% (4s elapsed)',
      'queued 0% (6s elapsed)',
      'completed 100% (7s elapsed)',
    ]);
  });

  it('sleeps a pause of exactly one heartbeat in one piece', async () => {
    provider.retrieves = [{ status: 'completed', progress: 100 }];
    await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 4000, progress });
    expect(clock.sleeps).toEqual([2000, 2000]);
  });

  it('sleeps in one piece when nobody listens for progress', async () => {
    provider.retrieves = [{ status: 'completed', progress: 100 }];
    await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 7000 });
    expect(clock.sleeps).toEqual([7000]);
  });

  it('stops the heartbeats as soon as the caller cancels', async () => {
    const controller = new AbortController();
    provider.retrieves = [{ status: 'completed', progress: 100 }];
    const error = waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 20_000, progress, signal: controller.signal });
    controller.abort();
    await expect(error).rejects.toMatchObject({ code: 'cancelled' });
    expect(provider.count('retrieve')).toBe(0);
    expect(updates).toHaveLength(1);
  });

  it('names the failed job in its error and leaves the bar where the job left it', async () => {
    provider.retrieves = [{ status: 'failed', progress: 30, error: { code: 'moderation_blocked', message: 'blocked' } }];
    const error = await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 1000, progress }).catch((e: unknown) => e);
    expect(isDomainError(error) && agentText(error)).toMatch(saying('job_failed', 'moderation_blocked'));
    expect(updates.at(-1)).toMatchObject({ progress: 30, message: 'failed 30% (1s elapsed)' });
  });
});

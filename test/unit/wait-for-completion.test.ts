import { MonotonicProgress, type ProgressUpdate } from '../../src/application/progress';
import { CompletionWaiter } from '../../src/application/completion-waiter';
import { DomainError, JobEndedError } from '../../src/domain/errors';
import { SystemClock } from '../../src/adapters/clock/system-clock';
import { FakeClock, RecordingLogger } from '../support/fakes';
import { agentText, saying } from '../support/refusals';
import { ScriptedProvider, video } from '../support/in-memory-ports';

describe('CompletionWaiter', () => {
  let provider: ScriptedProvider;
  let clock: FakeClock;
  let waiter: CompletionWaiter;
  const options = { timeoutMs: 60_000, pollIntervalMs: 2000 };

  beforeEach(() => {
    provider = new ScriptedProvider();
    clock = new FakeClock();
    waiter = new CompletionWaiter(provider, clock, new RecordingLogger(), () => 0.5);
  });

  it('checks at exactly the interval the caller gives', async () => {
    provider.retrieves = [
      { status: 'in_progress', progress: 10 },
      { status: 'in_progress', progress: 20 },
      { status: 'completed', progress: 100 },
    ];
    await waiter.wait(video(), { timeoutMs: 60_000, pollIntervalMs: 200 });
    expect(clock.sleeps).toEqual([200, 200, 200]);
  });

  it('without an interval, checks once early, then closes in on the completion the reported progress predicts', async () => {
    provider.retrieves = [
      { status: 'in_progress', progress: 10 },
      { status: 'completed', progress: 100 },
    ];
    const done = await waiter.wait(video(), { timeoutMs: 60_000 });
    expect(done.status).toBe('completed');
    // 10% after 1 s: about 9 s to go, but one reading may hide a wait in a queue, so the next check comes a quarter of the way on.
    expect(clock.sleeps).toEqual([1000, 2250]);
  });

  it('follows the id it was given, whatever id an answer carries (gateways re-encode them)', async () => {
    provider.retrieves = [
      { id: 'video_reencoded', status: 'in_progress', progress: 50 },
      { id: 'video_reencoded', status: 'completed', progress: 100 },
    ];
    const done = await waiter.wait(video({ id: 'video_held' }), options);
    expect(provider.calls.filter((call) => call.method === 'retrieve').map((call) => call.args[0])).toEqual(['video_held', 'video_held']);
    expect(done).toMatchObject({ id: 'video_held', provider_id: 'video_reencoded', status: 'completed' });
  });

  it("aims at the provider's own expectation of the render time", async () => {
    provider.expectedRenderMs = () => 3000;
    provider.retrieves = [{ status: 'completed', progress: 100 }];
    await waiter.wait(video(), { timeoutMs: 60_000 });
    expect(clock.sleeps).toEqual([3250]);
  });

  it('sends a progress update at least every 2 s between sparse checks, so a client timeout that resets on progress stays alive', async () => {
    provider.retrieves = [
      { status: 'in_progress', progress: 10 },
      { status: 'completed', progress: 100 },
    ];
    const updates: ProgressUpdate[] = [];
    await waiter.wait(video(), {
      timeoutMs: 60_000,
      pollIntervalMs: 20_000,
      progress: new MonotonicProgress((update) => updates.push(update)),
    });
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(2000);
    expect(updates.length).toBeGreaterThanOrEqual(10);
    expect(provider.count('retrieve')).toBe(2);
  });

  it('names a status word it does not know and keeps waiting', async () => {
    provider.retrieves = [{ status: 'in_progress', provider_status: 'thinking_hard', progress: 0 }];
    const updates: ProgressUpdate[] = [];
    const error = await waiter
      .wait(video(), { timeoutMs: 10_000, pollIntervalMs: 1000, progress: new MonotonicProgress((update) => updates.push(update)) })
      .catch((e: unknown) => e);
    expect(agentText(error)).toMatch(saying('job_timeout', 'in_progress (provider: thinking_hard)'));
    expect(updates.some((update) => update.message.includes('thinking_hard'))).toBe(true);
  });

  it('ends a failed job with its code, message and id', async () => {
    provider.retrieves = [{ status: 'failed', error: { code: 'moderation_blocked', message: 'blocked by moderation' } }];
    const error = await waiter.wait(video(), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobEndedError);
    expect(error).toMatchObject({ code: 'job_failed' });
    expect(agentText(error)).toEqual(expect.stringContaining('video_1'));
    expect(agentText(error)).toContain('moderation_blocked');
    expect(agentText(error)).toContain('at progress');
    expect(agentText(error)).toContain('blocked by moderation');
  });

  it.each(['cancelled', 'expired'])('ends at once on a provider\'s "%s" state instead of waiting for the deadline', async (status) => {
    // As a dialect reports it: the spec's word, and the provider's own beside it.
    provider.retrieves = [{ status: 'failed', provider_status: status, progress: 30 }];
    const error = await waiter.wait(video(), options).catch((e: unknown) => e);
    expect(agentText(error)).toMatch(saying('job_failed', `ended as "${status}"`));
    expect(provider.count('retrieve')).toBe(1);
  });

  it('times out with the id, last status and progress, and says how to follow up', async () => {
    provider.retrieves = [{ status: 'in_progress', progress: 42 }];
    const error = (await waiter.wait(video(), { timeoutMs: 10_000, pollIntervalMs: 3000 }).catch((e: unknown) => e)) as JobEndedError;
    expect(error.code).toBe('job_timeout');
    expect(agentText(error)).toContain('video_1');
    expect(agentText(error)).toContain('in_progress');
    expect(agentText(error)).toContain('42%');
    expect(agentText(error)).toContain('keeps running at the provider');
    expect(error.video.progress).toBe(42);
    expect(clock.time - 1_700_000_000_000).toBe(10_000);
  });

  it('keeps waiting through 429 and 5xx, honouring retry-after', async () => {
    provider.retrieves = [
      new DomainError('rate_limited', '429', { retryable: true, retryAfterMs: 7000 }),
      { status: 'in_progress', progress: 50 },
      new DomainError('provider_unavailable', '503', { retryable: true }),
      { status: 'completed', progress: 100 },
    ];
    const done = await waiter.wait(video(), options);
    expect(done.status).toBe('completed');
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(7000);
    expect(clock.sleeps[3]).toBeGreaterThan(2000);
  });

  it('ends at once on a non-retryable error', async () => {
    provider.retrieves = [new DomainError('authentication_failed', 'bad key')];
    await expect(waiter.wait(video(), options)).rejects.toMatchObject({ code: 'authentication_failed' });
    expect(provider.count('retrieve')).toBe(1);
  });

  it('stops polling as soon as it is cancelled', async () => {
    const controller = new AbortController();
    provider.retrieves = [{ status: 'in_progress', progress: 10 }];
    let polls = 0;
    const original = provider.retrieve.bind(provider);
    provider.retrieve = async (id, opts) => {
      polls += 1;
      if (polls === 2) controller.abort();
      return original(id, opts);
    };
    await expect(waiter.wait(video(), { ...options, signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect(polls).toBe(2);
  });

  it('bounds a status check that hangs by the deadline too, and asks for a single attempt', async () => {
    const hanging = new ScriptedProvider();
    const seen: unknown[] = [];
    hanging.retrieve = (_job, callOptions) => {
      seen.push(callOptions);
      return new Promise((_resolve, reject) =>
        callOptions?.signal?.addEventListener('abort', () => reject(new DomainError('cancelled', 'aborted'))),
      );
    };
    const realTime = new CompletionWaiter(hanging, new SystemClock(), new RecordingLogger());
    const error = await realTime
      .wait(video({ status: 'in_progress', progress: 10 }), { timeoutMs: 300, pollIntervalMs: 50 })
      .catch((e: unknown) => e);
    // Without the per-check deadline this never settles and the test times out.
    expect(error).toMatchObject({ code: 'job_timeout' });
    expect(seen[0]).toMatchObject({ singleAttempt: true });
  });

  it('sees a job that completes just before the deadline (the last check is not cut off)', async () => {
    const started = Date.now();
    const timed = new ScriptedProvider();
    timed.retrieve = async (job) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return video({
        id: job.id,
        ...(Date.now() - started >= 850 ? { status: 'completed', progress: 100 } : { status: 'in_progress', progress: 50 }),
      });
    };
    const realTime = new CompletionWaiter(timed, new SystemClock(), new RecordingLogger());
    await expect(realTime.wait(video({ status: 'in_progress' }), { timeoutMs: 1000, pollIntervalMs: 400 })).resolves.toMatchObject({
      status: 'completed',
    });
  });

  it('reports strictly increasing progress with a status message', async () => {
    provider.retrieves = [
      { status: 'in_progress', progress: 40 },
      { status: 'in_progress', progress: 20 },
      { status: 'in_progress', progress: 40 },
      { status: 'completed', progress: 100 },
    ];
    const updates: ProgressUpdate[] = [];
    await waiter.wait(video(), { ...options, progress: new MonotonicProgress((update) => updates.push(update)) });
    const values = updates.map((update) => update.progress);
    for (let i = 1; i < values.length; i += 1) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
    expect(updates.every((update) => update.total === 100)).toBe(true);
    expect(updates.at(-1)).toMatchObject({ progress: 100 });
    expect(updates[1]!.message).toMatch(/in_progress 40%/);
  });
});

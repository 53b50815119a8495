import { isDomainError, JobEndedError, type DomainError } from '../domain/errors';
import type { Clock, Logger, VideoProvider } from '../domain/ports';
import { asHeld, isFailed, isTerminal, wholePercent, type Video } from '../domain/video';
import { PollSchedule } from './poll-schedule';
import type { MonotonicProgress } from './progress';

export interface WaitOptions {
  timeoutMs: number;
  /** The caller's interval between status checks; undefined: the adaptive schedule. */
  pollIntervalMs?: number;
  signal?: AbortSignal;
  progress?: MonotonicProgress;
  /** Highest progress value reported while rendering; downloads use what is above it. */
  renderCeiling?: number;
  /** The model's typical render time (catalog), to pace the first checks. */
  typicalRenderMs?: number;
}

/** Between checks, a progress update at least this often keeps a client's progress-reset timeout alive. */
export const PROGRESS_HEARTBEAT_MS = 2000;

/** The pause after a failed check, without a caller's interval: the first, doubling with each failure up to the longest. */
const BACKOFF = { firstMs: 1000, longestMs: 30_000 };
/** At most this long may the status check that straddles the deadline still take (less for fast polling). */
const FINAL_CHECK_GRACE_MS = 10_000;

/**
 * Polls a job until it completes, fails, or the deadline passes. Transient provider errors (429,
 * 5xx, resets) back off with jitter and keep waiting; anything else ends the wait at once.
 */
export class CompletionWaiter {
  constructor(
    private readonly provider: VideoProvider,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly random: () => number = Math.random,
  ) {}

  async wait(initial: Video, options: WaitOptions): Promise<Video> {
    try {
      return await this.follow(initial, options);
    } catch (error) {
      // Said once, when the loop has ended: nothing more is sent for this job.
      if (isDomainError(error) && error.code === 'cancelled') {
        this.logger.log('info', `stopped following ${initial.id}: the call was cancelled`, { video_id: initial.id });
      }
      throw error;
    }
  }

  private async follow(initial: Video, options: WaitOptions): Promise<Video> {
    const started = this.clock.now();
    const deadline = started + options.timeoutMs;
    const ceiling = options.renderCeiling ?? 100;
    // Every check asks for the id the caller holds, never an id a later answer carries.
    const held = initial.id;
    const expectedMs = this.provider.expectedRenderMs?.(initial);
    const schedule = new PollSchedule(
      {
        intervalMs: options.pollIntervalMs,
        expectedAt: expectedMs === undefined ? undefined : started + expectedMs,
        typicalRenderMs: options.typicalRenderMs,
      },
      started,
      initial.progress,
    );
    let video = initial;
    let failures = 0;
    let lastFailure: DomainError | undefined;
    const report = (): void => {
      const now = this.clock.now();
      const elapsed = Math.round((now - started) / 1000);
      const pct = wholePercent(video.progress);
      // Between checks a client hears the time waited and what the estimate leaves, without asking the provider again.
      const end = isTerminal(video.status) ? undefined : schedule.expectedEnd(now);
      const left = end === undefined ? '' : end > now ? `, about ${Math.max(1, Math.round((end - now) / 1000))}s left` : ', due any moment';
      // A provider that reports no progress (fal, Gemini, OpenRouter) still moves the bar: by time, against the estimate.
      const byTime =
        pct === 0 && end !== undefined && end > started ? Math.min(90, Math.floor(((now - started) / (end - started)) * 100)) : 0;
      const shown = Math.max(pct, byTime);
      const said = byTime > pct ? `${describeStatus(video)}, about ${byTime}% by the time taken` : `${describeStatus(video)} ${pct}%`;
      options.progress?.report(Math.min(shown, ceiling), `${said} (${elapsed}s elapsed${left})`);
    };
    report();
    let delay = schedule.nextDelay(started);
    // One signal for the whole wait: it also cuts off a status check still running when time is up
    // (the last check gets a short grace, so a job that finished just before the deadline is seen).
    const grace = Math.min(FINAL_CHECK_GRACE_MS, Math.max(1000, options.pollIntervalMs ?? FINAL_CHECK_GRACE_MS));
    const signal = this.clock.timeout(options.timeoutMs + grace, options.signal);
    while (!isTerminal(video.status)) {
      const remaining = deadline - this.clock.now();
      if (remaining <= 0) throw timeoutError(video, options.timeoutMs, lastFailure);
      await this.pause(Math.min(delay, remaining), options, report);
      try {
        video = asHeld(await this.provider.retrieve({ id: held, last: video }, { signal, singleAttempt: true }), initial);
        failures = 0;
        lastFailure = undefined;
        const now = this.clock.now();
        schedule.observe(now, video.progress);
        delay = schedule.nextDelay(now);
      } catch (error) {
        // Aborted, but not by the caller: the deadline.
        if (signal.aborted && !options.signal?.aborted) throw timeoutError(video, options.timeoutMs, lastFailure);
        if (!isDomainError(error) || !error.retryable) throw error;
        failures += 1;
        lastFailure = error;
        delay = this.backoff(options.pollIntervalMs ?? BACKOFF.firstMs, failures, error.retryAfterMs);
        this.logger.log('warn', `polling ${held}: ${error.message}; retrying in ${delay} ms`, {
          video_id: held,
          attempt: failures,
          details: error.details,
        });
        continue;
      }
      report();
    }
    if (isFailed(video.status)) throw jobFailedError(video);
    return video;
  }

  /** Sleeps until the next check; when progress is wanted, reports it every heartbeat meanwhile. */
  private async pause(ms: number, options: WaitOptions, report: () => void): Promise<void> {
    if (!options.progress) return this.clock.sleep(ms, options.signal);
    let left = ms;
    while (left > PROGRESS_HEARTBEAT_MS) {
      await this.clock.sleep(PROGRESS_HEARTBEAT_MS, options.signal);
      left -= PROGRESS_HEARTBEAT_MS;
      report();
    }
    await this.clock.sleep(left, options.signal);
  }

  /** Exponential backoff with full jitter, never shorter than the poll interval or the provider's retry-after. */
  private backoff(base: number, failures: number, retryAfterMs: number | undefined): number {
    const exp = Math.min(BACKOFF.longestMs, base * 2 ** Math.min(failures, 10));
    const jittered = base + Math.floor(this.random() * Math.max(0, exp - base));
    return Math.max(jittered, retryAfterMs ?? 0);
  }
}

/** The status as reported, naming the provider's own word when it differs. */
function describeStatus(video: Video): string {
  const word = typeof video.provider_status === 'string' ? video.provider_status : undefined;
  return word === undefined ? video.status : `${video.status} (provider: ${word})`;
}

function timeoutError(video: Video, timeoutMs: number, lastFailure: DomainError | undefined): JobEndedError {
  return new JobEndedError(video, { reason: 'timeout', timeout_ms: timeoutMs, ...(lastFailure ? { last_failure: lastFailure } : {}) });
}

function jobFailedError(video: Video): JobEndedError {
  return new JobEndedError(video, { reason: 'failed' });
}

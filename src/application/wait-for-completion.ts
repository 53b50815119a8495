import { isDomainError, JobEndedError } from '../domain/errors';
import type { Clock, Logger, VideoProvider } from '../domain/ports';
import { isFailed, isTerminal, type Video } from '../domain/video';
import type { MonotonicProgress } from './progress';

export interface WaitOptions {
  timeoutMs: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
  progress?: MonotonicProgress;
  /** Highest progress value reported while rendering; downloads use what is above it. */
  renderCeiling?: number;
}

const MAX_BACKOFF_MS = 30_000;
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
    const started = this.clock.now();
    const deadline = started + options.timeoutMs;
    const ceiling = options.renderCeiling ?? 100;
    let video = initial;
    let failures = 0;
    let delay = options.pollIntervalMs;
    const report = (): void => {
      const elapsed = Math.round((this.clock.now() - started) / 1000);
      const pct = clampPercent(video.progress);
      options.progress?.report(Math.min(pct, ceiling), `${video.status} ${pct}% (${elapsed}s elapsed)`);
    };
    report();
    // One signal for the whole wait: it also cuts off a status check still running when time is up
    // (the last check gets a short grace, so a job that finished just before the deadline is seen).
    const grace = Math.min(FINAL_CHECK_GRACE_MS, Math.max(1000, options.pollIntervalMs));
    const deadlineReached = this.clock.timeout(options.timeoutMs + grace);
    const signal = options.signal ? AbortSignal.any([options.signal, deadlineReached]) : deadlineReached;
    while (!isTerminal(video.status)) {
      const remaining = deadline - this.clock.now();
      if (remaining <= 0) throw timeoutError(video, options.timeoutMs);
      await this.clock.sleep(Math.min(delay, remaining), options.signal);
      try {
        video = await this.provider.retrieve(video.id, { signal, singleAttempt: true });
        failures = 0;
        delay = options.pollIntervalMs;
      } catch (error) {
        if (deadlineReached.aborted && !options.signal?.aborted) throw timeoutError(video, options.timeoutMs);
        if (!isDomainError(error) || !error.retryable) throw error;
        failures += 1;
        delay = this.backoff(options.pollIntervalMs, failures, error.retryAfterMs);
        this.logger.log('warn', `polling ${video.id}: ${error.message}; retrying in ${delay} ms`, {
          video_id: video.id,
          attempt: failures,
        });
        continue;
      }
      report();
    }
    if (isFailed(video.status)) throw jobFailedError(video);
    return video;
  }

  /** Exponential backoff with full jitter, never shorter than the poll interval or the provider's retry-after. */
  private backoff(base: number, failures: number, retryAfterMs: number | undefined): number {
    const exp = Math.min(MAX_BACKOFF_MS, base * 2 ** Math.min(failures, 10));
    const jittered = base + Math.floor(this.random() * Math.max(0, exp - base));
    return Math.max(jittered, retryAfterMs ?? 0);
  }
}

function clampPercent(progress: number): number {
  return Number.isFinite(progress) ? Math.max(0, Math.min(100, Math.round(progress))) : 0;
}

function timeoutError(video: Video, timeoutMs: number): JobEndedError {
  return new JobEndedError(
    'job_timeout',
    `Video ${video.id} did not finish within ${timeoutMs} ms (last status: ${video.status}, progress ${clampPercent(video.progress)}%). ` +
      'The job keeps running at the provider: check it later with the retrieve tool and download it when it is completed, ' +
      'or call again with a larger timeout_ms.',
    video,
  );
}

function jobFailedError(video: Video): JobEndedError {
  const code = video.error?.code ?? video.status;
  const message = (video.error?.message ?? 'the provider gave no reason').replace(/[.\s]+$/, '');
  return new JobEndedError(
    'job_failed',
    `Video ${video.id} ${video.status === 'failed' ? 'failed' : `ended as "${video.status}"`} at progress ${clampPercent(video.progress)}% (code: ${code}): ${message}. Nothing was downloaded; adjust the prompt or inputs and create a new video.`,
    video,
  );
}

/**
 * When to check a job next. Gateways rate-limit, and a fixed 2 s poll costs about 60 status calls for
 * a 2-minute render. Instead: estimate when the job will finish from the progress it reports (its
 * rate between readings), else from the model's typical render time; close in on that moment (half
 * the remaining time while it is far, the moment itself when it is near), and back off as a job drags
 * on past every estimate. The first check comes early (at the floor) to learn the pace; the typical
 * time paces a job whose provider reports no progress. The caller's interval stays a floor.
 */
export interface PollScheduleOptions {
  /** The caller's `poll_interval_ms`: never poll more often than this. */
  floorMs: number;
  /** From the model catalog, when the model is known. */
  typicalRenderMs?: number;
}

/** Never wait longer than this between two checks, whatever the estimate. */
export const MAX_POLL_DELAY_MS = 60_000;
/** An estimate closer than this is aimed at directly (plus a small margin so the check lands after it). */
const AIM_DIRECTLY_WITHIN_MS = 30_000;
const LANDING_MARGIN_MS = 250;
/** Without reported progress the typical time is only a guess: never trust it for longer than this. */
const GUESS_CAP_MS = 10_000;
/** With no estimate at all (or past it), the next check comes after this share of the time waited so far. */
const DRAG_SHARE = 0.25;
const DRAG_CAP_MS = 15_000;

interface Reading {
  at: number;
  progress: number;
}

export class PollSchedule {
  private first: Reading | undefined;
  private last: Reading | undefined;
  private checks = 0;

  constructor(
    private readonly options: PollScheduleOptions,
    private readonly startedAt: number,
  ) {}

  /** Records what a status check said (progress 0–100). */
  observe(at: number, progress: number): void {
    if (at > this.startedAt) this.checks += 1;
    if (!Number.isFinite(progress) || progress <= 0) return;
    const reading = { at, progress: Math.min(progress, 100) };
    this.first ??= reading;
    if (!this.last || reading.progress >= this.last.progress) this.last = reading;
  }

  /** Milliseconds until the next check; `retryAfterMs` (a provider's request) is always honoured. */
  nextDelay(now: number, retryAfterMs = 0): number {
    const remaining = this.estimateRemaining(now);
    let delay: number;
    if (this.checks === 0 && !this.last) {
      // Check once early: the progress a provider reports is a better clock than any typical time.
      delay = 0;
    } else if (remaining === undefined || remaining <= 0) {
      // No estimate, or the job is past it: back off in proportion to how long it has taken.
      delay = Math.min(DRAG_CAP_MS, (now - this.startedAt) * DRAG_SHARE);
    } else if (!this.last) {
      // Only the typical time to go on: close in on it, in steps no longer than the cap.
      delay = Math.min(remaining / 2, GUESS_CAP_MS);
    } else if (remaining <= AIM_DIRECTLY_WITHIN_MS) {
      delay = remaining + LANDING_MARGIN_MS;
    } else {
      delay = remaining / 2;
    }
    return Math.round(Math.max(this.options.floorMs, retryAfterMs, Math.min(delay, MAX_POLL_DELAY_MS)));
  }

  /** Estimated time until completion, from the reported progress rate, else the typical render time. */
  private estimateRemaining(now: number): number | undefined {
    const { first, last } = this;
    if (first && last && last.progress >= 100) return 0;
    if (first && last && last.progress > first.progress && last.at > first.at) {
      const rate = (last.progress - first.progress) / (last.at - first.at);
      return (100 - last.progress) / rate - (now - last.at);
    }
    if (last && last.at > this.startedAt) {
      // One reading: assume the job has moved at a steady pace since we started waiting.
      const rate = last.progress / (last.at - this.startedAt);
      return (100 - last.progress) / rate - (now - last.at);
    }
    if (this.options.typicalRenderMs !== undefined) return this.options.typicalRenderMs - (now - this.startedAt);
    return undefined;
  }
}

/**
 * When to check a job next.
 *
 * A caller's `poll_interval_ms` is the interval between checks, as the seed says. Without one the
 * schedule adapts: gateways rate-limit, and a fixed 2 s poll costs about 60 status calls for a
 * 2-minute render. It estimates when the job will finish and closes in on that moment (half the
 * remaining time while it is far, the moment itself when it is near). The estimate comes from, in
 * order: the provider's own expectation (the simulator knows its render time), the progress the
 * provider reports (its rate since we started), the model's typical render time; without any, the
 * checks back off in proportion to the time waited.
 *
 * The estimate must not feed on itself. A provider whose progress moves only when it is asked looks
 * slower the less it is asked: such progress (the same step per check, however long the gap) is
 * recognised, and such a job is then checked at a steady pace; progress that contradicts its own
 * earlier rate (steps) is not trusted until it agrees again, and the schedule falls back to the
 * backoff, which depends only on the time waited.
 */
export interface PollScheduleOptions {
  /** The caller's `poll_interval_ms`: when given, exactly the interval between checks. */
  intervalMs?: number;
  /** When the provider expects the job to be done, in the clock's milliseconds, if it says. */
  expectedAt?: number;
  /** The model's typical render time (catalog), when known. */
  typicalRenderMs?: number;
}

/** Never wait longer than this between two checks, whatever the estimate. */
export const MAX_POLL_DELAY_MS = 60_000;
/** The shortest gap the adaptive schedule leaves between checks. */
export const MIN_POLL_DELAY_MS = 500;
/** The first check, when nothing says when the job will finish: early, to learn its pace. */
const FIRST_CHECK_MS = 1000;
/** An estimate closer than this is aimed at directly (plus a small margin so the check lands after it). */
const AIM_DIRECTLY_WITHIN_MS = 30_000;
const LANDING_MARGIN_MS = 250;
/** Without a usable estimate, the next check comes after this share of the time waited so far, up to the cap. */
const BACKOFF_SHARE = 0.5;
const BACKOFF_CAP_MS = 15_000;
/** Past every estimate, the job is checked again after this share of the time waited (it is nearly done). */
const OVERDUE_SHARE = 0.1;
/** Two rates agree when they are within this factor of each other. */
const AGREEMENT = 2;
/** A gap is long enough to judge a rate by when the job should have moved this many percent in it. */
const JUDGED_PERCENT = 3;
/** Progress that moves only when asked says nothing about time: such a job is checked at round one's steady pace. */
const POLL_DRIVEN_MS = 2000;

interface Reading {
  at: number;
  progress: number;
}

export class PollSchedule {
  private readonly readings: Reading[];
  /** Progress moves by one step per check, whatever the gap: it says nothing about time. */
  private pollDriven = false;

  constructor(
    private readonly options: PollScheduleOptions,
    private readonly startedAt: number,
    initialProgress = 0,
  ) {
    this.readings = [{ at: startedAt, progress: clampProgress(initialProgress) }];
  }

  /** Records what a status check said (progress 0–100). */
  observe(at: number, progress: number): void {
    const last = this.readings.at(-1)!;
    if (at <= last.at) return;
    this.readings.push({ at, progress: Math.max(last.progress, clampProgress(progress)) });
    this.pollDriven ||= this.looksPollDriven();
  }

  /** Milliseconds until the next check; `retryAfterMs` (a provider's request) is always honoured. */
  nextDelay(now: number, retryAfterMs = 0): number {
    const fixed = this.options.intervalMs;
    const delay = fixed !== undefined ? fixed : this.adaptiveDelay(now);
    return Math.round(Math.max(delay, retryAfterMs));
  }

  private adaptiveDelay(now: number): number {
    if (this.pollDriven) return POLL_DRIVEN_MS;
    const elapsed = now - this.startedAt;
    // Unless the provider said when, check once early: the progress it reports is a better clock than any typical time.
    const first = this.readings.length === 1 && this.options.expectedAt === undefined;
    const expected = first ? undefined : this.expectedAt(now);
    let delay: number;
    if (expected === undefined) {
      delay = first ? FIRST_CHECK_MS : Math.min(BACKOFF_CAP_MS, elapsed * BACKOFF_SHARE);
    } else {
      const remaining = expected - now;
      // Past the estimate: by the reported rate, one percent's worth of time more; without one, a share of the wait.
      const percentMs = this.fromProgress()?.percentMs;
      if (remaining <= 0)
        delay = Math.min(BACKOFF_CAP_MS, percentMs !== undefined ? percentMs + LANDING_MARGIN_MS : elapsed * OVERDUE_SHARE);
      else if (remaining <= AIM_DIRECTLY_WITHIN_MS) delay = remaining + LANDING_MARGIN_MS;
      else delay = remaining / 2;
    }
    return Math.max(MIN_POLL_DELAY_MS, Math.min(delay, MAX_POLL_DELAY_MS));
  }

  /** When the job should be done, from the best source that has something to say. */
  private expectedAt(now: number): number | undefined {
    const { expectedAt, typicalRenderMs } = this.options;
    if (expectedAt !== undefined && expectedAt > now) return expectedAt;
    const fromProgress = this.fromProgress()?.at;
    if (fromProgress !== undefined) return fromProgress;
    if (expectedAt !== undefined) return expectedAt;
    // The typical time guides the checks of a job that reports no progress at all.
    if (typicalRenderMs !== undefined && !this.moved()) return this.startedAt + typicalRenderMs;
    return undefined;
  }

  private moved(): boolean {
    return this.readings.at(-1)!.progress > this.readings[0]!.progress;
  }

  /** The completion the reported progress predicts, and how long a percent takes, when its rate can be trusted. */
  private fromProgress(): { at: number; percentMs: number } | undefined {
    if (this.pollDriven || !this.moved()) return undefined;
    const last = this.readings.at(-1)!;
    if (last.progress >= 100) return { at: last.at, percentMs: 0 };
    const first = this.readings[0]!;
    const rate = (last.progress - first.progress) / (last.at - first.at);
    // The rate must agree with itself: the two latest gaps long enough to show a few percent must move
    // alike (steps do not). Shorter gaps are not judged: a whole percent takes a while to change.
    const judged = this.intervalRates().filter((interval) => interval.ms * rate >= JUDGED_PERCENT);
    const latest = judged.at(-1);
    const before = judged.at(-2);
    if (
      latest &&
      before &&
      !(latest.rate > 0 && before.rate > 0 && latest.rate / before.rate <= AGREEMENT && before.rate / latest.rate <= AGREEMENT)
    ) {
      return undefined;
    }
    // Whole percents are rounded down: the job may be up to a percent further on. Aiming at that earlier
    // moment costs at most one more check (which then lands just after), never a late result.
    const ahead = Number.isInteger(last.progress) ? Math.min(1, 99.999 - last.progress) : 0;
    return { at: last.at + (100 - last.progress - Math.max(0, ahead)) / rate, percentMs: 1 / rate };
  }

  private intervalRates(): { rate: number; ms: number }[] {
    const rates: { rate: number; ms: number }[] = [];
    for (let i = 1; i < this.readings.length; i += 1) {
      const a = this.readings[i - 1]!;
      const b = this.readings[i]!;
      rates.push({ rate: (b.progress - a.progress) / (b.at - a.at), ms: b.at - a.at });
    }
    return rates;
  }

  /**
   * The same step of progress over two gaps of clearly different length: the provider moves when it
   * is asked, not as time passes (a linear one would move twice as far in twice the time).
   */
  private looksPollDriven(): boolean {
    const n = this.readings.length;
    if (n < 3) return false;
    const [a, b, c] = [this.readings[n - 3]!, this.readings[n - 2]!, this.readings[n - 1]!];
    const step1 = b.progress - a.progress;
    const step2 = c.progress - b.progress;
    const gap1 = b.at - a.at;
    const gap2 = c.at - b.at;
    if (step1 <= 0 || step2 <= 0) return false;
    const sameStep = Math.abs(step1 - step2) <= 0.25 * Math.max(step1, step2);
    const differentGap = gap1 / gap2 >= AGREEMENT || gap2 / gap1 >= AGREEMENT;
    return sameStep && differentGap;
  }
}

function clampProgress(progress: number): number {
  return Number.isFinite(progress) ? Math.max(0, Math.min(100, progress)) : 0;
}

/**
 * When to check a job next.
 *
 * A caller's `poll_interval_ms` is the interval between checks, as the seed says. Without one the
 * schedule adapts: gateways rate-limit, and a fixed 2 s poll costs about 60 status calls for a
 * 2-minute render. It keeps a window of moments when the job can finish and closes in on it (half
 * the remaining time while it is far; inside the window while it is wide; its end when it is
 * narrow, so the result is at most about 0.8 s late). See ADR 0007. The estimate comes from, in
 * order: the provider's own expectation (the simulator knows its render time), the progress the
 * provider reports (its pace since the job moved), the model's typical render time; without any, the
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
/** A window of possible completion times this narrow is aimed at its end: the result is at most this late. */
const NARROW_WINDOW_MS = 750;
/**
 * The end of a window already assumes the slowest pace the readings allow, and a reading's time is when
 * its answer arrived (after the provider measured): a few ms past it is enough.
 */
const WINDOW_END_MARGIN_MS = 50;
/** Without a usable estimate, the next check comes after this share of the time waited so far, up to the cap. */
const BACKOFF_SHARE = 0.5;
const BACKOFF_CAP_MS = 15_000;
/** Past every estimate, the job is checked again after this share of the time waited (it is nearly done). */
const OVERDUE_SHARE = 0.1;
/** Progress unchanged for this many percents' worth of time (plus the slack) has stalled: the checks back off. */
const STALL_PERCENTS = 3;
const STALL_SLACK_MS = 1000;
/** A stalled job is checked again after this share of the stall, at most this long apart: it may resume at any moment. */
const STALL_SHARE = 0.25;
const STALL_CAP_MS = 10_000;
/** After the first reading of a moving job, the next comes at most this many times the gap before it later. */
const PROVISIONAL_GAPS = 5;
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

interface CompletionWindow {
  earliest: number;
  latest: number;
  /** How long a percent takes at the reported rate, when there is one. */
  percentMs?: number;
  /** From one reading of a moving job (its real pace is not known yet): the gap in which it started. */
  provisional?: number;
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

  /**
   * When the job is expected to be done, by the best estimate there is (the provider's, the reported pace, the model's
   * typical time), for telling a waiting client how long is left; undefined when nothing says.
   */
  expectedEnd(now: number): number | undefined {
    const window = this.completionWindow(now);
    if (window !== undefined) return window.latest;
    const typical = this.options.typicalRenderMs;
    return typical === undefined ? undefined : this.startedAt + typical;
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
    const window = first ? undefined : this.completionWindow(now);
    let target: number;
    const stalled = this.stalledFor(now);
    if (window === undefined) {
      target = now + (first ? FIRST_CHECK_MS : Math.min(BACKOFF_CAP_MS, elapsed * BACKOFF_SHARE));
    } else if (window.percentMs !== undefined && stalled > STALL_PERCENTS * window.percentMs + STALL_SLACK_MS) {
      // Progress has stopped (at 99%, or at 100% but not yet completed): back off, as without any estimate.
      target = now + Math.max(STALL_SLACK_MS, Math.min(STALL_CAP_MS, stalled * STALL_SHARE));
    } else if (window.latest <= now) {
      // Past the estimate: by the reported rate, one percent's worth of time more; without one, a share of the wait.
      target =
        now + Math.min(BACKOFF_CAP_MS, window.percentMs !== undefined ? window.percentMs + LANDING_MARGIN_MS : elapsed * OVERDUE_SHARE);
    } else if (window.earliest - now > AIM_DIRECTLY_WITHIN_MS) {
      // Far off: close in, so that a job that speeds up is still seen soon after it ends.
      target = now + (window.earliest - now) / 2;
    } else if (window.provisional === undefined && window.latest - window.earliest <= NARROW_WINDOW_MS) {
      target = window.latest + (window.earliest === window.latest ? LANDING_MARGIN_MS : WINDOW_END_MARGIN_MS);
    } else {
      // Too wide to land close: the check that narrows it most (halfway, or just past the earliest moment).
      target = Math.max(window.earliest + NARROW_WINDOW_MS, now + (window.latest - now) / 2);
      // A pace read from one reading may hide a wait in a queue (the estimate is then late): the next
      // reading, a quarter of the way on but within a few such gaps, measures the real pace.
      const gap = window.provisional;
      // Never past the latest moment the reading allows, however long the job waited before it moved.
      if (gap !== undefined)
        target = Math.min(
          window.latest + LANDING_MARGIN_MS,
          now + Math.max(gap, Math.min((window.latest - now) / 4, PROVISIONAL_GAPS * gap)),
        );
    }
    return Math.max(MIN_POLL_DELAY_MS, Math.min(target - now, MAX_POLL_DELAY_MS));
  }

  /** When the job can be done at the earliest and at the latest, from the best source that has something to say. */
  private completionWindow(now: number): CompletionWindow | undefined {
    const { expectedAt, typicalRenderMs } = this.options;
    const point = (at: number): CompletionWindow => ({ earliest: at, latest: at });
    if (expectedAt !== undefined && expectedAt > now) return point(expectedAt);
    const fromProgress = this.fromProgress();
    if (fromProgress !== undefined) return fromProgress;
    if (expectedAt !== undefined) return point(expectedAt);
    // The typical time guides the checks of a job that reports no progress at all.
    if (typicalRenderMs !== undefined && !this.moved()) return point(this.startedAt + typicalRenderMs);
    return undefined;
  }

  private moved(): boolean {
    return this.readings.at(-1)!.progress > this.readings[0]!.progress;
  }

  /**
   * The completion window the reported progress allows, when its pace can be trusted.
   *
   * A whole percent `p` means anywhere from `p` to `p + 1`, and a job may sit in a queue before it
   * starts to move, so readings from before it moved understate its pace. Readings taken since it moved
   * are free of that wait; a single such reading gives only a provisional estimate. Progress that
   * speeds up is caught by the latest gap's pace, which can only bring the earliest moment forward.
   */
  private fromProgress(): CompletionWindow | undefined {
    if (this.pollDriven || !this.moved()) return undefined;
    const last = this.readings.at(-1)!;
    if (last.progress >= 100) return { earliest: last.at, latest: last.at, percentMs: 0 };
    const start = this.readings[0]!;
    // The job may have waited in a queue: the last reading before it moved is where its pace starts.
    const movingIndex = this.readings.findIndex((reading) => reading.progress > start.progress);
    const still = this.readings[movingIndex - 1]!;
    const moving = this.readings[movingIndex]!;
    const left = 100 - last.progress;
    const percentMs = (last.at - still.at) / (last.progress - still.progress);
    const plain = last.at + left * percentMs;
    if (moving === last) return { earliest: last.at, latest: plain, percentMs, provisional: last.at - still.at };
    const gaps = this.gapsSince(movingIndex).filter((gap) => gap.ms >= JUDGED_PERCENT * percentMs);
    // The pace must agree with itself: the two latest gaps long enough to show a few percent must move
    // alike (steps do not). Shorter gaps are not judged: a whole percent takes a while to change.
    // A judged gap without progress says the job has stopped or moves in steps: no pace to go by.
    const latest = gaps.at(-1);
    const before = gaps.at(-2);
    if (latest && latest.rate <= 0) return undefined;
    if (latest && before && !(before.rate > 0 && Math.max(latest.rate / before.rate, before.rate / latest.rate) <= AGREEMENT)) {
      return undefined;
    }
    // Each bound assumes the slowest (or fastest) advance the rounded readings allow.
    const slowest = (from: Reading) => last.progress - from.progress - rounding(from);
    const fastest = (from: Reading) => last.progress + rounding(last) - from.progress;
    const latestFrom = (from: Reading) => (slowest(from) > 0 ? last.at + (left * (last.at - from.at)) / slowest(from) : Infinity);
    const earliestFrom = (from: Reading) => last.at + (Math.max(0, left - rounding(last)) * (last.at - from.at)) / fastest(from);
    // Readings within a percent or so of each other give no bound yet, only the plain estimate.
    let latestAt = Math.min(latestFrom(still), latestFrom(moving));
    if (latestAt === Infinity) latestAt = plain;
    const recent = latest ? this.readings[latest.from]! : moving;
    const earliestAt = Math.min(earliestFrom(moving), earliestFrom(recent));
    return { earliest: Math.min(earliestAt, latestAt), latest: latestAt, percentMs };
  }

  /** How long the progress has read what it reads now (since the first reading that showed it). */
  private stalledFor(now: number): number {
    const last = this.readings.at(-1)!;
    let i = this.readings.length - 1;
    while (i > 0 && this.readings[i - 1]!.progress === last.progress) i -= 1;
    return i === 0 ? 0 : now - this.readings[i]!.at;
  }

  /** The gaps between readings from the given one on, with the pace in each. */
  private gapsSince(index: number): { from: number; rate: number; ms: number }[] {
    const gaps: { from: number; rate: number; ms: number }[] = [];
    for (let i = index + 1; i < this.readings.length; i += 1) {
      const a = this.readings[i - 1]!;
      const b = this.readings[i]!;
      gaps.push({ from: i - 1, rate: (b.progress - a.progress) / (b.at - a.at), ms: b.at - a.at });
    }
    return gaps;
  }

  /**
   * The same step of progress, three times running, over gaps of clearly different length: the
   * provider moves when it is asked, not as time passes (a steady one moves twice as far in twice the
   * time; one that slows down may match once, not twice).
   */
  private looksPollDriven(): boolean {
    const n = this.readings.length;
    if (n < 4) return false;
    const recent = this.readings.slice(n - 4);
    const steps = recent.slice(1).map((reading, i) => ({ step: reading.progress - recent[i]!.progress, gap: reading.at - recent[i]!.at }));
    // Steps of a percent or two are rounding, not a pattern.
    if (steps.some(({ step }) => step < JUDGED_PERCENT)) return false;
    const sizes = steps.map(({ step }) => step);
    const sameStep = Math.max(...sizes) - Math.min(...sizes) <= 0.25 * Math.max(...sizes);
    const differs = (x: { gap: number }, y: { gap: number }) => x.gap / y.gap >= AGREEMENT || y.gap / x.gap >= AGREEMENT;
    return sameStep && (differs(steps[0]!, steps[1]!) || differs(steps[1]!, steps[2]!));
  }
}

/** A whole percent is rounded down: the job may be up to a percent further on. */
function rounding(reading: Reading): number {
  return Number.isInteger(reading.progress) && reading.progress < 100 ? 1 : 0;
}

function clampProgress(progress: number): number {
  return Number.isFinite(progress) ? Math.max(0, Math.min(100, progress)) : 0;
}

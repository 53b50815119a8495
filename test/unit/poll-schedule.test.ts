import { MAX_POLL_DELAY_MS, MIN_POLL_DELAY_MS, PollSchedule, type PollScheduleOptions } from '../../src/application/poll-schedule';

type Progress = (now: number, checks: number) => number;

/** Linear progress in whole percents, as providers report it. */
const linear =
  (renderMs: number): Progress =>
  (now) =>
    now >= renderMs ? 100 : Math.floor((100 * now) / renderMs);

/**
 * Plays a job against a schedule: `progress` says what each check reports (100: done), and the
 * result counts the checks and how late the one that saw completion landed.
 */
function play(renderMs: number, options: PollScheduleOptions, progress: Progress = linear(renderMs), limit = 500) {
  const schedule = new PollSchedule(options, 0);
  let now = 0;
  const delays: number[] = [];
  for (let checks = 1; checks <= limit; checks += 1) {
    const delay = schedule.nextDelay(now);
    delays.push(delay);
    now += delay;
    const reported = progress(now, checks);
    if (reported >= 100) return { checks, lateMs: now - renderMs, doneAt: now, delays };
    schedule.observe(now, reported);
  }
  throw new Error(`not done after ${limit} checks`);
}

/** Round one's fixed 2 s polling: the checks it makes. */
const fixed = (renderMs: number) => Math.ceil(renderMs / 2000);

describe('PollSchedule', () => {
  it.each([20_000, 120_000])('for a %i ms job reporting progress: at most a third of the fixed 2 s checks, seen within 1 s', (renderMs) => {
    const { checks, lateMs } = play(renderMs, {});
    expect(checks).toBeLessThanOrEqual(fixed(renderMs) / 3);
    expect(lateMs).toBeLessThanOrEqual(1000);
  });

  it('stays on time when the job started a little after the wait did (its progress lags the estimate)', () => {
    const lag = 400;
    const { lateMs } = play(120_000 + lag, {}, (now, checks) => linear(120_000)(now - lag, checks));
    expect(lateMs).toBeLessThanOrEqual(1000);
  });

  // A job that sat in a queue reads 0% for a while: its first readings understate its pace, and an
  // estimate built on them alone ended such a 20 s job up to 30 s late.
  it.each([7000, 20_000, 45_000, 120_000].flatMap((renderMs) => [300, 700, 2500, 10_000].map((lag) => [renderMs, lag])))(
    'for a %i ms job that started %i ms into the wait: seen within 1 s, with no more checks than fixed polling past 20 s',
    (renderMs, lag) => {
      const { checks, lateMs } = play(renderMs + lag, {}, (now, checks) => (now < lag ? 0 : linear(renderMs)(now - lag, checks)));
      expect(lateMs).toBeLessThanOrEqual(1000);
      if (renderMs >= 20_000) expect(checks).toBeLessThanOrEqual(fixed(renderMs + lag));
    },
  );

  it('after a long queue, the next check never comes later than the first moving reading allows', () => {
    // Queued 60 s (0% through checks up to 15 s apart), then 10 s of rendering.
    const { lateMs } = play(70_000, {}, (now, checks) => (now < 60_000 ? 0 : linear(10_000)(now - 60_000, checks)));
    expect(lateMs).toBeLessThanOrEqual(2000);
  });

  it('backs off while progress stalls at 99%: far fewer checks than fixed polling, seen within about 10 s', () => {
    const doneMs = 420_000;
    const { checks, lateMs } = play(doneMs, {}, (now) => (now >= doneMs ? 100 : Math.min(99, Math.floor(now / 1200))));
    expect(checks).toBeLessThanOrEqual(fixed(doneMs) / 2);
    expect(lateMs).toBeLessThanOrEqual(10_250);
  });

  it('backs off while a job reads 100% for a minute before it says completed', () => {
    const schedule = new PollSchedule({}, 0);
    let now = 0;
    let checks = 0;
    while (now < 120_000) {
      now += schedule.nextDelay(now);
      checks += 1;
      schedule.observe(now, Math.min(100, Math.floor(now / 600)));
    }
    // Fixed 2 s polling: 60 checks; every 500 ms through the minute at 100%: about 120 more.
    expect(checks).toBeLessThanOrEqual(30);
    expect(now - 120_000).toBeLessThanOrEqual(10_250);
  });

  it('does not take a step from 0% to 50% for a pace: the end is seen within 10 s', () => {
    const steps: Progress = (now) => (now >= 60_000 ? 100 : now >= 30_000 ? 50 : 0);
    expect(play(60_000, {}, steps).lateMs).toBeLessThanOrEqual(10_000);
  });

  it('a job whose progress slows down towards the end is still seen within 1 s', () => {
    const easeOut: Progress = (now) => (now >= 45_000 ? 100 : Math.floor(100 * Math.sqrt(now / 45_000)));
    expect(play(45_000, {}, easeOut).lateMs).toBeLessThanOrEqual(1000);
  });

  it.each([3000, 7000, 45_000])('for a %i ms job reporting progress: seen within 1 s', (renderMs) => {
    expect(play(renderMs, {}).lateMs).toBeLessThanOrEqual(1000);
  });

  it("aims at the provider's own expectation: a 3 s job is one check, not a 2-minute render's", () => {
    const { checks, lateMs } = play(3000, { expectedAt: 3000, typicalRenderMs: 120_000 });
    expect(checks).toBe(1);
    expect(lateMs).toBeLessThanOrEqual(1000);
  });

  it('checks at exactly the interval a caller gives', () => {
    const { delays } = play(1000, { intervalMs: 200 });
    expect(new Set(delays)).toEqual(new Set([200]));
    const slow = play(20_000, { intervalMs: 10_000 }).delays;
    expect(new Set(slow)).toEqual(new Set([10_000]));
  });

  it("honours the provider's retry-after", () => {
    expect(new PollSchedule({ intervalMs: 100 }, 0).nextDelay(0, 7000)).toBe(7000);
    expect(new PollSchedule({}, 0).nextDelay(0, 7000)).toBe(7000);
  });

  it('does not feed on itself: progress that moves one step per check is not mistaken for a slow job', () => {
    // Ten checks finish this job, however far apart they are: the less it is asked, the slower it would look.
    const perCheck: Progress = (_now, checks) => Math.min(100, checks * 10);
    const { delays, doneAt } = play(Number.POSITIVE_INFINITY, {}, perCheck);
    expect(delays).toHaveLength(10);
    // Without the guard the gaps grow towards the one-minute cap and ten checks take many minutes.
    expect(Math.max(...delays)).toBeLessThanOrEqual(15_000);
    expect(doneAt).toBeLessThanOrEqual(60_000);
  });

  it('does not trust progress that jumps in steps, and still sees the end soon after', () => {
    // 0% for the first half, 50% for the second, then done: two readings that contradict each other's rate.
    const renderMs = 60_000;
    const steps: Progress = (now) => (now >= renderMs ? 100 : now >= renderMs / 2 ? 50 : 0);
    const { lateMs, checks } = play(renderMs, { typicalRenderMs: 60_000 }, steps);
    expect(lateMs).toBeLessThanOrEqual(15_000);
    expect(checks).toBeLessThanOrEqual(15);
  });

  it('without progress, closes in on the typical render time, then backs off as the job drags on, capped', () => {
    const noProgress: Progress = (now) => (now >= 90_000 ? 100 : 0);
    const { delays, lateMs } = play(90_000, { typicalRenderMs: 60_000 }, noProgress);
    expect(delays[0]).toBe(1000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(30_250);
    expect(lateMs).toBeLessThanOrEqual(15_000);
  });

  it('without anything to go on, backs off in proportion to the time waited, at most 15 s apart', () => {
    const { delays } = play(300_000, {}, (now) => (now >= 300_000 ? 100 : 0));
    expect(delays.slice(0, 3)).toEqual([1000, 500, 750]);
    expect(Math.max(...delays)).toBe(15_000);
  });
});

describe('PollSchedule: the values themselves (ADR 0007), pinned', () => {
  // [case, options, readings after the start at 0 (time, progress), now, a provider's retry-after, next delay, expected end]
  const CASES: [string, PollScheduleOptions, [number, number][], number, number | undefined, number, number | undefined][] = [
    ['the first check, when nothing says when: early, to learn the pace', {}, [], 0, undefined, 1000, undefined],
    ['no progress yet: half the time waited, never under 500 ms', {}, [[1000, 0]], 1000, undefined, 500, undefined],
    ['no progress after 40 s: half the wait, capped at 15 s', {}, [[40_000, 0]], 40_000, undefined, 15_000, undefined],
    ["the caller's interval, rounded to a whole ms", { intervalMs: 1234.6 }, [], 0, undefined, 1235, undefined],
    ["a provider's retry-after over the caller's interval", { intervalMs: 3000 }, [], 0, 5000, 5000, undefined],
    ["a provider's retry-after over the adaptive delay", {}, [], 0, 7000, 7000, undefined],
    ['the time the provider expects, aimed at with a 250 ms margin', { expectedAt: 10_000 }, [], 0, undefined, 10_250, 10_000],
    ['an expected end far off: halfway to it', { expectedAt: 100_000 }, [], 0, undefined, 50_000, 100_000],
    ['never more than a minute between checks', { expectedAt: 200_000 }, [], 0, undefined, 60_000, 200_000],
    ['past the expected end: a tenth of the time waited', { expectedAt: 10_000 }, [[20_000, 0]], 20_000, undefined, 2000, 10_000],
    ["a model's typical time: still one early check first", { typicalRenderMs: 60_000 }, [], 0, undefined, 1000, 60_000],
    ["then halfway to the typical time's end", { typicalRenderMs: 60_000 }, [[1000, 0]], 1000, undefined, 29_500, 60_000],
    [
      'one reading of a moving job: a provisional quarter of the way, within five of its gaps',
      {},
      [[10_000, 10]],
      10_000,
      undefined,
      22_500,
      100_000,
    ],
    [
      'two readings at a steady pace',
      {},
      [
        [10_000, 10],
        [20_000, 20],
      ],
      20_000,
      undefined,
      35_909,
      104_210.53,
    ],
    [
      'three readings at a steady pace',
      {},
      [
        [10_000, 10],
        [20_000, 20],
        [30_000, 30],
      ],
      30_000,
      undefined,
      31_364,
      102_413.79,
    ],
    [
      'near the end',
      {},
      [
        [10_000, 10],
        [20_000, 20],
        [90_000, 90],
      ],
      90_000,
      undefined,
      9623,
      100_112.36,
    ],
    [
      'a wait in a queue before it moved is not its pace',
      {},
      [
        [30_000, 0],
        [40_000, 10],
        [50_000, 20],
      ],
      50_000,
      undefined,
      35_909,
      134_210.53,
    ],
    [
      'a stalled job: no pace to go by, the backoff',
      {},
      [
        [10_000, 10],
        [20_000, 20],
        [30_000, 30],
        [60_000, 30],
      ],
      60_000,
      undefined,
      15_000,
      undefined,
    ],
    [
      'a jump that contradicts the pace is not trusted',
      {},
      [
        [10_000, 10],
        [20_000, 20],
        [30_000, 99],
      ],
      31_000,
      undefined,
      15_000,
      undefined,
    ],
    [
      'at 100%: check again at once',
      {},
      [
        [10_000, 50],
        [20_000, 100],
      ],
      20_000,
      undefined,
      500,
      20_000,
    ],
    [
      'a long gap that agrees with the pace narrows the window',
      {},
      [
        [10_000, 10],
        [20_000, 20],
        [60_000, 90],
      ],
      60_000,
      undefined,
      5820,
      66_329.11,
    ],
    [
      'progress that moves one step per check: a steady 2 s',
      {},
      [
        [1000, 5],
        [5000, 10],
        [6000, 15],
        [20_000, 20],
      ],
      20_000,
      undefined,
      2000,
      undefined,
    ],
    [
      'fractional progress is not rounded down',
      {},
      [
        [10_000, 10.5],
        [20_000, 20.5],
      ],
      20_000,
      undefined,
      39_750,
      99_500,
    ],
  ];

  it.each(CASES)('%s', (_case, options, readings, now, retryAfter, delay, end) => {
    const schedule = new PollSchedule(options, 0);
    for (const [at, progress] of readings) schedule.observe(at, progress);
    expect(schedule.nextDelay(now, retryAfter)).toBe(delay);
    const expected = schedule.expectedEnd(now);
    if (end === undefined) expect(expected).toBeUndefined();
    else expect(expected).toBeCloseTo(end, 1);
  });

  it('ignores a reading no later than the last, and progress that goes back', () => {
    const schedule = new PollSchedule({}, 0);
    schedule.observe(10_000, 10);
    schedule.observe(10_000, 50);
    schedule.observe(5000, 50);
    expect(schedule.expectedEnd(10_000)).toBe(100_000);
    // Read as no progress at all since the last reading (10%), long enough to say the job has stopped.
    schedule.observe(20_000, 5);
    expect(schedule.expectedEnd(20_000)).toBeUndefined();
    expect(MIN_POLL_DELAY_MS).toBe(500);
    expect(MAX_POLL_DELAY_MS).toBe(60_000);
  });
});

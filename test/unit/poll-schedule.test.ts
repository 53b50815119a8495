import { PollSchedule } from '../../src/application/poll-schedule';

/**
 * Plays a job that renders linearly from 0 to 100% in `renderMs` (progress reported as whole
 * percents, as providers do) against a schedule, and counts status checks and how late the check
 * that sees completion lands.
 */
function play(renderMs: number, floorMs: number, typicalRenderMs?: number, reportsProgress = true) {
  const schedule = new PollSchedule({ floorMs, typicalRenderMs }, 0);
  let now = 0;
  let checks = 0;
  schedule.observe(0, 0);
  for (;;) {
    now += schedule.nextDelay(now);
    checks += 1;
    const progress = now >= renderMs ? 100 : reportsProgress ? Math.floor((100 * now) / renderMs) : 0;
    if (progress >= 100) return { checks, lateMs: now - renderMs };
    schedule.observe(now, progress);
  }
}

/** The old behaviour: a check every `interval` ms. */
const fixed = (renderMs: number, interval = 2000) => Math.ceil(renderMs / interval);

describe('PollSchedule', () => {
  it.each([20_000, 120_000, 45_000, 7_000])(
    'for a %i ms job with progress: at most a third of the fixed 2 s checks, seen within 2 s',
    (renderMs) => {
      const { checks, lateMs } = play(renderMs, 2000);
      expect(checks).toBeLessThanOrEqual(Math.max(2, fixed(renderMs) / 3));
      expect(lateMs).toBeLessThanOrEqual(2000);
    },
  );

  it('never checks more often than the caller asked', () => {
    const schedule = new PollSchedule({ floorMs: 5000 }, 0);
    schedule.observe(1000, 99);
    expect(schedule.nextDelay(1000)).toBeGreaterThanOrEqual(5000);
  });

  it("honours the provider's retry-after", () => {
    const schedule = new PollSchedule({ floorMs: 100 }, 0);
    expect(schedule.nextDelay(0, 7000)).toBe(7000);
  });

  it('without progress, closes in on the typical render time, then backs off as the job drags on', () => {
    const schedule = new PollSchedule({ floorMs: 1000, typicalRenderMs: 60_000 }, 0);
    let now = schedule.nextDelay(0);
    expect(now).toBe(1000);
    const steps: { at: number; delay: number }[] = [];
    while (now < 200_000) {
      schedule.observe(now, 0);
      const delay = schedule.nextDelay(now);
      steps.push({ at: now, delay });
      now += delay;
    }
    // Before the typical time: steps of at most 10 s, shrinking as it nears; after it: growing again, capped.
    const before = steps.filter((step) => step.at < 60_000).map((step) => step.delay);
    const after = steps.filter((step) => step.at >= 60_000).map((step) => step.delay);
    expect(Math.max(...before)).toBeLessThanOrEqual(10_000);
    expect(before.at(-1)!).toBeLessThan(before[0]!);
    after.forEach((delay, i) => expect(delay).toBeGreaterThanOrEqual(after[i - 1] ?? 0));
    expect(Math.max(...after)).toBeLessThanOrEqual(15_000);
    expect(play(60_000, 1000, 60_000, false).lateMs).toBeLessThanOrEqual(15_000);
  });
});

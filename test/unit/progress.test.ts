import { MonotonicProgress, type ProgressUpdate } from '../../src/application/progress';

/*
 * MCP requires a call's progress to increase strictly; providers' numbers jump back and repeat. What a client receives
 * is each update the listener was given.
 */
describe('MonotonicProgress', () => {
  let updates: ProgressUpdate[];
  let progress: MonotonicProgress;

  beforeEach(() => {
    updates = [];
    progress = new MonotonicProgress((update) => updates.push(update));
  });

  it('passes rising progress on as it is, out of 100 unless told otherwise', () => {
    progress.report(0, 'queued');
    progress.report(12.5, 'rendering');
    expect(updates).toEqual([
      { progress: 0, total: 100, message: 'queued' },
      { progress: 12.5, total: 100, message: 'rendering' },
    ]);
  });

  it('counts against the total it is given', () => {
    progress.report(3, 'shot 3 of 5', 5);
    progress.report(7, 'shot 7 of 5', 5);
    expect(updates).toEqual([
      { progress: 3, total: 5, message: 'shot 3 of 5' },
      { progress: 5, total: 5, message: 'shot 7 of 5' },
    ]);
  });

  it('drops a repeat of the same value and message', () => {
    progress.report(40, 'in_progress 40%');
    progress.report(40, 'in_progress 40%');
    expect(updates).toHaveLength(1);
  });

  it('tells a rising value even when its message is unchanged', () => {
    progress.report(10, 'downloading');
    progress.report(20, 'downloading');
    expect(updates.map((update) => update.progress)).toEqual([10, 20]);
  });

  it('keeps a new message at the same value, nudged forward by a hundredth so the value still increases', () => {
    progress.report(40, 'in_progress 40% (2s elapsed)');
    progress.report(40, 'in_progress 40% (4s elapsed)');
    expect(updates.map((update) => update.progress)).toEqual([40, 40.01]);
    expect(updates[1]!.message).toBe('in_progress 40% (4s elapsed)');
  });

  it('holds a value that goes back where it was, and tells only a new message there', () => {
    progress.report(60, 'a');
    progress.report(20, 'a');
    progress.report(20, 'b');
    expect(updates.map((update) => [update.progress, update.message])).toEqual([
      [60, 'a'],
      [60.01, 'b'],
    ]);
  });

  it('never goes past the total, and says nothing more once there', () => {
    progress.report(99.995, 'almost');
    progress.report(150, 'over');
    progress.report(100, 'done');
    expect(updates.map((update) => update.progress)).toEqual([100, 100]);
    expect(updates.map((update) => update.message)).toEqual(['almost', 'over']);
  });

  it('rounds what it sends to two decimals, and compares against what it was given', () => {
    progress.report(10.123, 'a');
    progress.report(10.124, 'b');
    expect(updates.map((update) => update.progress)).toEqual([10.12, 10.12]);
  });

  it('knows how far it got, from 0 before anything was said', () => {
    expect(progress.current).toBe(0);
    progress.report(35, 'a');
    progress.report(20, 'b');
    expect(progress.current).toBe(35.01);
  });

  it('does nothing without a listener', () => {
    const silent = new MonotonicProgress(undefined);
    expect(() => silent.report(50, 'a')).not.toThrow();
    // Nothing was said, so a download that starts from here starts from 0.
    expect(silent.current).toBe(0);
  });
});

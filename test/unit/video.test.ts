import { video } from '../support/in-memory-ports';
import { asHeld, isFailed, isTerminal, parseSize, wholePercent, withHeldId } from '../../src/domain/video';

/** A job as the caller holds it: its id and the video it remixes stay what the caller was given. */
describe('withHeldId', () => {
  it('gives back the answer itself when it carries the held id: nothing is added', () => {
    const answer = video({ id: 'video_1', status: 'in_progress' });
    const held = withHeldId(answer, 'video_1');
    expect(held).toBe(answer);
    expect(held).not.toHaveProperty('provider_id');
  });

  it('keeps the held id and the provider id a gateway re-encoded it as', () => {
    const answer = video({ id: 'upstream_9', status: 'completed' });
    expect(withHeldId(answer, 'video_1')).toEqual({ ...answer, id: 'video_1', provider_id: 'upstream_9' });
  });
});

describe('asHeld', () => {
  it.each([
    // Held as a remix of `video_src`, answered in the gateway's upstream name for it: the held name stays.
    ['video_src', 'upstream_src', 'video_src'],
    ['video_src', null, 'video_src'],
    // Held as no remix: whatever the answer says is kept (the server does not invent a null).
    [null, 'upstream_src', 'upstream_src'],
    [null, null, null],
    ['video_src', 'video_src', 'video_src'],
  ])('held as a remix of %j, answered as of %j: a remix of %j', (heldSource, answeredSource, source) => {
    const held = video({ id: 'video_1', remixed_from_video_id: heldSource });
    const answer = video({ id: 'upstream_1', status: 'completed', remixed_from_video_id: answeredSource });
    expect(asHeld(answer, held)).toEqual({ ...answer, id: 'video_1', provider_id: 'upstream_1', remixed_from_video_id: source });
  });

  it('gives back the answer itself when it already says what the caller holds', () => {
    for (const source of [null, 'video_src']) {
      const held = video({ id: 'video_1', remixed_from_video_id: source });
      const answer = video({ id: 'video_1', status: 'completed', remixed_from_video_id: source });
      expect(asHeld(answer, held)).toBe(answer);
    }
  });

  it('with its own id, a differing remix source is replaced without touching the id', () => {
    const held = video({ id: 'video_1', remixed_from_video_id: 'video_src' });
    const answer = video({ id: 'video_1', remixed_from_video_id: 'upstream_src' });
    const out = asHeld(answer, held);
    expect(out).toEqual({ ...answer, remixed_from_video_id: 'video_src' });
    expect(out).not.toHaveProperty('provider_id');
  });
});

describe('job states', () => {
  it.each([
    ['queued', false, false],
    ['in_progress', false, false],
    ['completed', true, false],
    ['failed', true, true],
    ['cancelled', false, false],
  ])('%s: terminal %s, failed %s', (status, terminal, failed) => {
    expect({ terminal: isTerminal(status), failed: isFailed(status) }).toEqual({ terminal, failed });
  });
});

describe('parseSize and wholePercent', () => {
  it.each([
    ['720x1280', { width: 720, height: 1280 }],
    ['10x10', { width: 10, height: 10 }],
    ['9999x9999', { width: 9999, height: 9999 }],
    ['9x10', undefined],
    ['10000x10', undefined],
    ['0720x1280', undefined],
    ['720X1280', undefined],
    [' 720x1280', undefined],
  ])('reads %j as %j', (size, parsed) => {
    expect(parseSize(size)).toEqual(parsed);
  });

  it.each([
    [0, 0],
    [49.5, 50],
    [49.4, 49],
    [100, 100],
    [100.4, 100],
    [130, 100],
    [-5, 0],
    [Number.NaN, 0],
    [Infinity, 0],
  ])('shows progress %d as %d%%', (progress, percent) => {
    expect(wholePercent(progress)).toBe(percent);
  });
});

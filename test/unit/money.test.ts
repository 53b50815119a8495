import { priceTiers } from '../../src/adapters/openai/dialects/openrouter';
import { CancelledError, DomainError } from '../../src/domain/errors';
import { madeNoJob, priceDecidingFieldIn, priceOf } from '../../src/domain/money';

describe('the rules of money', () => {
  it('reads a price only as a finite positive number: null, "", false, [], an object, NaN, 0 or a negative are unknown, never free', () => {
    for (const value of [null, undefined, '', ' ', false, true, [], [1], {}, Number.NaN, Infinity, 0, '0', -1, '-1', '1e-3x', 'free'])
      expect({ value, price: priceOf(value) }).toEqual({ value, price: undefined });
    expect(priceOf(0.05)).toBe(0.05);
    expect(priceOf('0.126')).toBe(0.126);
    expect(priceOf(1e308)).toBe(1e308);
  });

  it('leaves out an OpenRouter price tier whose value is null, empty or false: the model has no price, so a cap refuses it', () => {
    expect(
      priceTiers({ 'per-video-second': null, 'per-video-second-1080p': '', duration_seconds_720p: false, duration_seconds: [] }),
    ).toEqual([]);
    expect(priceTiers({ 'per-video-second': '0.1' })).toEqual([{ usd_per_second: 0.1, source: expect.any(String) }]);
  });

  it('finds a price-deciding field in provider_options at any depth, in any spelling, and nothing in harmless ones', () => {
    expect(priceDecidingFieldIn({ seconds: '20' })).toBe('seconds');
    expect(priceDecidingFieldIn({ provider: { options: { vertex: { Resolution: '4K' } } } })).toBe('provider.options.vertex.Resolution');
    expect(priceDecidingFieldIn({ a: [{ 'num-videos': 2 }] })).toBe('a.0.num-videos');
    expect(priceDecidingFieldIn({ NumberOfVideos: 2 })).toBe('NumberOfVideos');
    expect(priceDecidingFieldIn({ user: 'team', metadata: { project: 'x' }, webhook_url: 'https://example.com' })).toBeUndefined();
    // Own keys only: a prototype's names are not the object's.
    expect(priceDecidingFieldIn(JSON.parse('{"__proto__": {"seconds": 20}}') as object)).toBe('__proto__.seconds');
  });

  it('gives a reservation back only when the provider certainly made no job', () => {
    const refused = new DomainError('bad_request', 'refused', { details: { status: 400 } });
    expect(madeNoJob(refused)).toBe(true);
    expect(madeNoJob(new DomainError('invalid_input', 'ours'))).toBe(true);
    expect(madeNoJob(new DomainError('rate_limited', '429', { details: { status: 429 }, retryable: true }))).toBe(true);
    expect(madeNoJob(new CancelledError())).toBe(false);
    expect(madeNoJob(new DomainError('provider_unavailable', 'timed out', { retryable: true }))).toBe(false);
    expect(madeNoJob(new DomainError('provider_error', 'no id in the answer'))).toBe(false);
    expect(madeNoJob(new DomainError('provider_unavailable', '503', { details: { status: 503 } }))).toBe(false);
    expect(madeNoJob(new Error('anything else'))).toBe(false);
  });
});

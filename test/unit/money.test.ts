import { priceTiers } from '../../src/adapters/openai/dialects/openrouter';
import { CancelledError, DomainError, isDomainError } from '../../src/domain/errors';
import { checkProviderOptions, estimateKept, madeNoJob, periodStart, priceDecidingFieldIn, priceOf } from '../../src/domain/money';

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

describe('the rules of money, value by value', () => {
  it.each([
    ['12', 12],
    ['5', 5],
    [' 5 ', 5],
    ['\t0.5\n', 0.5],
    ['10.25', 10.25],
    [1e3, 1000],
    // Only plain decimals: JavaScript would read these as numbers, a provider's price sheet does not mean them.
    ['0x10', undefined],
    ['+5', undefined],
    ['1e3', undefined],
    ['5.', undefined],
    ['.5', undefined],
    ['5 5', undefined],
    ['x12', undefined],
  ])('reads the price %j as %j', (value, price) => {
    expect(priceOf(value)).toBe(price);
  });

  it.each([
    [{ a: [{}, { seconds: 1 }] }, 'a.1.seconds'],
    [[{ x: 1 }, { fps: 2 }], '1.fps'],
    [{ user: 'x', seconds: 1 }, 'seconds'],
    [{ a: { b: 1 }, c: { Duration: 2 } }, 'c.Duration'],
    [{ a: [[], [{ n: 2 }]] }, 'a.1.0.n'],
    [{ a: [1, 'x', null], b: { c: [] } }, undefined],
    ['seconds', undefined],
    [null, undefined],
  ])('finds in %j the price-deciding field %j', (options, path) => {
    expect(priceDecidingFieldIn(options)).toBe(path);
  });

  it('refuses provider_options that decide the price, naming the field, and lets others pass', () => {
    expect(() => checkProviderOptions(undefined)).not.toThrow();
    expect(() => checkProviderOptions({ user: 'team', extra: { webhook: 'x' } })).not.toThrow();
    let refused: unknown;
    try {
      checkProviderOptions({ user: 'team', extra: { N: 2 } });
    } catch (error) {
      refused = error;
    }
    const { code, field, details } = refused as DomainError;
    expect({ code, field, details }).toEqual({
      code: 'invalid_input',
      field: 'provider_options',
      details: { rule: 'provider_options_price', key: 'extra.N' },
    });
  });

  it.each([
    [302, false],
    [399, false],
    [400, true],
    [404, true],
    [499, true],
    [500, false],
    [503, false],
    ['400', false],
    [undefined, false],
  ])('a provider answer with status %j made no job: %s', (status, made) => {
    expect(madeNoJob(new DomainError('bad_request', 'x', { details: { status } }))).toBe(made);
  });

  it('trusts only its own errors: another library error with a 400 or our code may hide a job', () => {
    expect(madeNoJob(Object.assign(new Error('sdk said 400'), { details: { status: 400 } }))).toBe(false);
    expect(madeNoJob({ code: 'invalid_input' })).toBe(false);
    expect(madeNoJob(null)).toBe(false);
  });

  it('marks a failed create as keeping its estimate, but passes a cancellation and foreign errors through untouched', () => {
    const timeout = new DomainError('provider_unavailable', 'timed out', { retryable: true, field: 'f', details: { status: 504 } });
    const kept = estimateKept(timeout) as DomainError;
    expect(isDomainError(kept)).toBe(true);
    expect({ code: kept.code, retryable: kept.retryable, field: kept.field, details: kept.details }).toEqual({
      code: 'provider_unavailable',
      retryable: true,
      field: 'f',
      details: { status: 504, estimate_kept: true },
    });
    const cancelled = new CancelledError();
    expect(estimateKept(cancelled)).toBe(cancelled);
    const foreign = new Error('boom');
    expect(estimateKept(foreign)).toBe(foreign);
    expect(estimateKept('text')).toBe('text');
  });

  it.each([
    ['1970-01-01T00:00:00Z', '1970-01-01'],
    ['2024-01-31T23:59:59.999Z', '2024-01-01'],
    ['2024-02-29T12:00:00Z', '2024-02-01'],
    ['2024-03-01T00:00:00Z', '2024-03-01'],
    ['2024-10-15T00:00:00Z', '2024-10-01'],
    ['2024-11-30T00:00:00Z', '2024-11-01'],
    ['2024-12-31T23:59:59Z', '2024-12-01'],
    ['2025-01-01T00:00:00Z', '2025-01-01'],
    ['2025-02-28T00:00:00Z', '2025-02-01'],
    // The last day of a 400-year cycle, and the days around it.
    ['2000-02-29T08:00:00Z', '2000-02-01'],
    ['2000-03-01T00:00:00Z', '2000-03-01'],
    ['1999-12-31T00:00:00Z', '1999-12-01'],
    ['2100-02-28T00:00:00Z', '2100-02-01'],
    ['2100-03-01T00:00:00Z', '2100-03-01'],
    ['1969-12-31T23:00:00Z', '1969-12-01'],
  ])('puts %s in the month from %s (UTC)', (now, start) => {
    expect(periodStart('month', Date.parse(now))).toBe(Date.parse(`${start}T00:00:00Z`));
  });

  it.each([
    ['day', '2024-02-29T23:59:59.999Z', '2024-02-29T00:00:00Z'],
    ['day', '2024-03-01T00:00:00Z', '2024-03-01T00:00:00Z'],
    ['all', '2024-03-01T00:00:00Z', '1970-01-01T00:00:00Z'],
  ] as const)('puts %s %s in the period from %s', (period, now, start) => {
    expect(periodStart(period, Date.parse(now))).toBe(Date.parse(start));
  });
});

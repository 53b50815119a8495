import { ModelDirectory, nearestModel, REPORT_WAIT_MS } from '../../src/application/model-directory';
import { DomainError } from '../../src/domain/errors';
import { ModelCatalog } from '../../src/domain/model-catalog';
import { OFFICIAL_PROFILE } from '../../src/domain/ports';
import { FakeClock } from '../support/fakes';
import { ScriptedProvider } from '../support/in-memory-ports';

/** What the directory says about a model, how long it keeps the provider's list, and how it shares one answer. */
const catalog = new ModelCatalog([
  {
    origin: 'catalog',
    entries: [
      {
        id: 'sora-2',
        aliases: ['sora2-alias'],
        seconds: ['4', '8'],
        prices: [{ usd_per_second: 0.1, source: 'https://example.test/prices', read: '2026-12-01' }],
        typical_render_seconds: 120,
        source: 'https://example.test/sora-2',
      },
    ],
  },
]);

function reporting(provider: ScriptedProvider): ScriptedProvider {
  Object.assign(provider, { profile: { ...OFFICIAL_PROFILE, reportsCapabilities: true } });
  return provider;
}

describe('ModelDirectory', () => {
  it("says the catalog's facts when the provider reports no capabilities, without asking it", async () => {
    const provider = new ScriptedProvider();
    const directory = new ModelDirectory(provider, catalog, new FakeClock());
    expect(await directory.facts('sora-2')).toEqual({
      id: 'sora-2',
      origin: 'catalog',
      capabilities: { seconds: ['4', '8'] },
      prices: [{ usd_per_second: 0.1, source: 'https://example.test/prices', read: '2026-12-01' }],
      reference: 'https://example.test/sora-2',
      typicalRenderMs: 120_000,
    });
    expect(await directory.knownIds()).toEqual(['sora-2', 'sora2-alias']);
    expect(provider.count('listModels')).toBe(0);
    expect(await directory.facts('unknown/model')).toEqual({
      id: 'unknown/model',
      origin: undefined,
      capabilities: {},
      prices: [],
      reference: undefined,
      typicalRenderMs: undefined,
    });
  });

  it("takes the provider's report over the catalog's where it reports capabilities", async () => {
    const provider = reporting(new ScriptedProvider());
    provider.listModels = async () => [
      {
        id: 'sora-2',
        capabilities: { seconds: ['12'] },
        prices: [{ usd_per_second: 0.2 }],
        typicalRenderSeconds: 30,
        reference: 'https://p.test',
      },
      { id: 'acme/x' },
    ];
    const directory = new ModelDirectory(provider, catalog, new FakeClock());
    expect(await directory.facts('sora-2')).toEqual({
      id: 'sora-2',
      origin: 'provider',
      capabilities: { seconds: ['12'] },
      prices: [{ usd_per_second: 0.2 }],
      reference: 'https://p.test',
      typicalRenderMs: 30_000,
    });
    // A report without capabilities or prices leaves the catalog's word.
    expect(await directory.facts('acme/x')).toMatchObject({ origin: undefined, capabilities: {}, prices: [] });
    expect(await directory.knownIds()).toEqual(['sora-2', 'sora2-alias', 'sora-2', 'acme/x']);
  });

  it('keeps the list ten minutes, shares it between callers, and asks again after', async () => {
    const provider = new ScriptedProvider();
    const clock = new FakeClock();
    const directory = new ModelDirectory(provider, catalog, clock);
    await Promise.all([directory.reported(), directory.reported()]);
    expect(provider.count('listModels')).toBe(1);
    clock.time += 10 * 60_000;
    await directory.reported();
    expect(provider.count('listModels')).toBe(1);
    clock.time += 1;
    expect(await directory.reported()).toEqual({ models: [{ id: 'sora-2' }] });
    expect(provider.count('listModels')).toBe(2);
  });

  it('does not keep a failed answer: the next call asks again', async () => {
    const provider = new ScriptedProvider();
    provider.models = new DomainError('provider_unavailable', 'down');
    const directory = new ModelDirectory(provider, catalog, new FakeClock());
    expect(await directory.reported()).toMatchObject({ error: { code: 'provider_unavailable' } });
    provider.models = ['sora-2'];
    expect(await directory.reported()).toEqual({ models: [{ id: 'sora-2' }] });
    expect(provider.count('listModels')).toBe(2);
  });

  it('answers a provider that cannot be used (no key) with why, asking nothing', async () => {
    const provider = new ScriptedProvider();
    provider.ready = new DomainError('missing_api_key', 'no key');
    const directory = new ModelDirectory(provider, catalog, new FakeClock());
    expect(await directory.reported()).toMatchObject({ error: { code: 'missing_api_key' } });
    expect(provider.count('listModels')).toBe(0);
  });

  it("ends one caller's wait when it is cancelled, and the list still comes for the others", async () => {
    const provider = new ScriptedProvider();
    let answer: (models: { id: string }[]) => void = () => undefined;
    provider.listModels = () => new Promise((resolve) => (answer = resolve));
    const directory = new ModelDirectory(provider, catalog, new FakeClock());
    const controller = new AbortController();
    const cancelled = directory.reported(controller.signal);
    const other = directory.reported();
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    answer([{ id: 'late' }]);
    expect(await other).toEqual({ models: [{ id: 'late' }] });
    const aborted = new AbortController();
    aborted.abort();
    await expect(directory.reported(aborted.signal)).rejects.toMatchObject({ code: 'cancelled' });
    // A caller cancelled while waiting for facts ends there; a list that only takes too long is left out.
    const stalled = reporting(new ScriptedProvider());
    stalled.listModels = () => new Promise(() => undefined);
    const clock = new FakeClock();
    const slow = new ModelDirectory(stalled, catalog, clock);
    const facts = slow.facts('sora-2');
    await clock.sleep(REPORT_WAIT_MS);
    expect(await facts).toMatchObject({ origin: 'catalog' });
    const gone = new AbortController();
    const waiting = slow.facts('sora-2', gone.signal);
    gone.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('says whether the provider lists every model it serves', () => {
    const provider = new ScriptedProvider();
    expect(new ModelDirectory(provider, catalog, new FakeClock()).listsEveryModel).toBe(false);
    Object.assign(provider, { profile: { ...OFFICIAL_PROFILE, listsEveryModel: true } });
    expect(new ModelDirectory(provider, catalog, new FakeClock()).listsEveryModel).toBe(true);
  });
});

describe('nearestModel, at its edges', () => {
  it('counts a swap of neighbours as one edit and allows two, not three', () => {
    expect(nearestModel('sroa-2', ['sora-2'])).toBe('sora-2');
    expect(nearestModel('sxrx-2', ['sora-2'])).toBe('sora-2');
    expect(nearestModel('xxxa-2', ['sora-2'])).toBeUndefined();
    expect(nearestModel('soraa-2x', ['sora-2'])).toBe('sora-2');
  });

  it('prefers the closest of several, and a four-letter id is long enough to guess', () => {
    expect(nearestModel('sora-2-prx', ['sora-2', 'sora-2-pro'])).toBe('sora-2-pro');
    expect(nearestModel('vexo', ['veo'])).toBe('veo');
    expect(nearestModel('vxo', ['veo'])).toBeUndefined();
  });
});

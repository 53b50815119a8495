import { ListModels } from '../../src/application/use-cases/list-models';
import { ModelDirectory, REPORT_WAIT_MS } from '../../src/application/model-directory';
import { OFFICIAL_PROFILE } from '../../src/domain/ports';
import { DomainError } from '../../src/domain/errors';
import { ModelCatalog } from '../../src/domain/model-catalog';
import { FakeClock } from '../support/fakes';
import { ScriptedProvider } from '../support/in-memory-ports';

describe('ListModels with one model asked for', () => {
  const catalog = new ModelCatalog([
    { origin: 'catalog', entries: [{ id: 'house/video-2', aliases: ['video-2'], source: 'https://example.test/models' }] },
  ]);
  const list = (provider: ScriptedProvider) => new ListModels(new ModelDirectory(provider, catalog, new FakeClock()), catalog);

  it('finds a catalog entry by its alias, and a model only the provider reports by its id', async () => {
    const provider = new ScriptedProvider();
    provider.models = ['house/video-2', 'other/model'];
    expect((await list(provider).execute({}, 'video-2')).models.map((model) => model.id)).toEqual(['house/video-2']);
    expect((await list(provider).execute({}, 'other/model')).models.map((model) => model.id)).toEqual(['other/model']);
  });

  it('refuses an id nothing knows, with the known ids and whether the provider listed', async () => {
    const provider = new ScriptedProvider();
    provider.models = new DomainError('not_offered', 'no list');
    await expect(list(provider).execute({}, 'nope')).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'model',
      details: {
        rule: 'unknown_model',
        model: 'nope',
        known: ['house/video-2'],
        provider_listed: false,
        provider_error: { code: 'not_offered' },
      },
    });
  });

  it('means the entry an alias names, as create does, even where another entry has that id', async () => {
    const layered = new ModelCatalog([
      {
        origin: 'user',
        entries: [
          { id: 'x', aliases: ['y'], source: 'https://example.test/a' },
          { id: 'y', source: 'https://example.test/b' },
        ],
      },
    ]);
    const provider = new ScriptedProvider();
    const models = await new ListModels(new ModelDirectory(provider, layered, new FakeClock()), layered).execute({}, 'y');
    expect(layered.find('y')!.id).toBe('y');
    expect(models.models.map((model) => model.id)).toEqual(['y']);
  });
});

describe('a provider whose models list stalls', () => {
  const catalog = new ModelCatalog([{ origin: 'catalog', entries: [{ id: 'sora-2', source: 'https://example.test/models' }] }]);
  it('holds a create only as long as the list wait, then goes on from the catalog (the list keeps loading for later calls)', async () => {
    const provider = new ScriptedProvider();
    Object.assign(provider, { profile: { ...OFFICIAL_PROFILE, reportsCapabilities: true } });
    provider.listModels = () => new Promise(() => undefined);
    const clock = new FakeClock();
    const directory = new ModelDirectory(provider, catalog, clock);
    const facts = directory.facts('sora-2');
    // Time passes on the clock: the list's wait runs out, the facts come from the catalog.
    await clock.sleep(REPORT_WAIT_MS + 1);
    await expect(facts).resolves.toMatchObject({ id: 'sora-2', origin: 'catalog' });
  });

  it('still ends at once when the caller cancels', async () => {
    const provider = new ScriptedProvider();
    Object.assign(provider, { profile: { ...OFFICIAL_PROFILE, reportsCapabilities: true } });
    provider.listModels = () => new Promise(() => undefined);
    const controller = new AbortController();
    const facts = new ModelDirectory(provider, catalog, new FakeClock()).facts('sora-2', controller.signal);
    controller.abort();
    await expect(facts).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('ListModels: what each model is said to take and cost', () => {
  const catalog = new ModelCatalog([
    {
      origin: 'catalog',
      entries: [
        {
          id: 'house/video-2',
          aliases: ['video-2'],
          sizes: ['1280x720', '720x1280'],
          seconds: ['4', '8'],
          input_reference: 'optional',
          remix: true,
          default_seconds: '4',
          audio: 'always',
          seed: true,
          prices: [
            { usd_per_second: 0.5, resolution: '1080p', source: 'https://example.test/prices', read: '2026-12-01' },
            { usd_per_second: 0.1, resolution: '720p', source: 'https://example.test/prices', read: '2026-12-01' },
          ],
          typical_render_seconds: 90,
          source: 'https://example.test/models#video-2',
        },
        { id: 'house/old', source: 'https://example.test/models#old' },
      ],
    },
    { origin: 'user', entries: [{ id: 'mine/video', source: 'https://example.test/mine' }] },
  ]);
  const directory = (provider: ScriptedProvider) => new ModelDirectory(provider, catalog, new FakeClock());

  it('gives every fact of a catalog entry, its lowest price, and whether the provider reports it', async () => {
    const provider = new ScriptedProvider();
    provider.models = ['video-2'];
    const { models } = await new ListModels(directory(provider), catalog).execute();
    // An alias the provider reports is its entry, not a model of its own.
    expect(models.map((model) => [model.id, model.source, model.reported_by_provider])).toEqual([
      ['house/video-2', 'catalog', true],
      ['house/old', 'catalog', false],
      ['mine/video', 'user', false],
    ]);
    expect(models[0]).toEqual({
      id: 'house/video-2',
      sizes: ['1280x720', '720x1280'],
      seconds: ['4', '8'],
      input_reference: 'optional',
      remix: true,
      controls: {
        default_seconds: '4',
        aspect_ratios: null,
        resolutions: null,
        last_frame: null,
        reference_images: null,
        generate_audio: 'always',
        seed: true,
        negative_prompt: null,
      },
      price_usd_per_second: 0.1,
      prices: [
        { usd_per_second: 0.5, resolution: '1080p', source: 'https://example.test/prices', read: '2026-12-01' },
        { usd_per_second: 0.1, resolution: '720p', source: 'https://example.test/prices', read: '2026-12-01' },
      ],
      source: 'catalog',
      reported_by_provider: true,
      typical_render_seconds: 90,
      reference_url: 'https://example.test/models#video-2',
    });
    expect(models[1]).toMatchObject({ sizes: null, seconds: null, price_usd_per_second: null, prices: [], typical_render_seconds: null });
  });

  it("takes the provider's own capabilities, prices and timings over the catalog's, and lists the models only it knows", async () => {
    const provider = new ScriptedProvider();
    Object.assign(provider, { profile: { ...OFFICIAL_PROFILE, reportsCapabilities: true } });
    provider.listModels = async () => [
      {
        id: 'house/video-2',
        capabilities: { seconds: ['6'] },
        prices: [{ usd_per_second: 0.3 }],
        typicalRenderSeconds: 30,
        reference: 'https://provider.test/video-2',
      },
      { id: 'acme/new', capabilities: { sizes: ['640x480'] }, prices: [{ usd_per_second: 0.2 }, { usd_per_second: 0.05 }] },
    ];
    const { models, providerUnavailable } = await new ListModels(directory(provider), catalog).execute();
    expect(providerUnavailable).toBeUndefined();
    expect(models.find((model) => model.id === 'house/video-2')).toMatchObject({
      seconds: ['6'],
      sizes: null,
      source: 'provider',
      price_usd_per_second: 0.3,
      typical_render_seconds: 30,
      reference_url: 'https://provider.test/video-2',
    });
    expect(models.find((model) => model.id === 'acme/new')).toMatchObject({
      sizes: ['640x480'],
      source: 'provider',
      reported_by_provider: true,
      price_usd_per_second: 0.05,
      reference_url: null,
    });
    expect(models.map((model) => model.id)).toEqual(['house/video-2', 'house/old', 'mine/video', 'acme/new']);
  });

  it("keeps, for a provider that lists every model it serves, only the catalog's entries it serves and the user's own", async () => {
    const provider = new ScriptedProvider();
    Object.assign(provider, { profile: { ...OFFICIAL_PROFILE, listsEveryModel: true } });
    provider.models = ['video-2', 'acme/new'];
    const { models } = await new ListModels(directory(provider), catalog).execute();
    expect(models.map((model) => model.id)).toEqual(['house/video-2', 'mine/video', 'acme/new']);
    // Without its list (an error), the catalog speaks, and the list says why.
    provider.models = new DomainError('provider_unavailable', 'down');
    const fallback = await new ListModels(directory(provider), catalog).execute();
    expect(fallback.models.map((model) => model.id)).toEqual(['house/video-2', 'house/old', 'mine/video']);
    expect(fallback.providerUnavailable).toMatchObject({ code: 'provider_unavailable' });
  });
});

describe('ListModels, made once per answer of the provider', () => {
  const catalog = new ModelCatalog([
    { origin: 'catalog', entries: [{ id: 'house/video-2', aliases: ['video-2'], source: 'https://example.test/models' }] },
  ]);

  it('answers with the same frozen list while the provider’s answer is the same, and a new one when it changes', async () => {
    const provider = new ScriptedProvider();
    provider.models = ['house/video-2', 'other/model'];
    const clock = new FakeClock();
    const models = new ListModels(new ModelDirectory(provider, catalog, clock), catalog);
    const first = await models.execute();
    expect(await models.execute()).toBe(first);
    // An alias and the id it names are the same question.
    expect(await models.execute({}, 'video-2')).toBe(await models.execute({}, 'house/video-2'));
    expect(Object.isFrozen(first.models) && Object.isFrozen(first.models[0]) && Object.isFrozen(first.models[0]!.controls)).toBe(true);
    expect(() => (first.models as unknown as { id: string }[]).push({ id: 'added' })).toThrow(TypeError);
    // The directory asks the provider again after its list has aged: a new answer, a new list.
    provider.models = ['house/video-2', 'third/model'];
    await clock.sleep(11 * 60_000);
    const later = await models.execute();
    expect(later).not.toBe(first);
    expect(later.models.map((model) => model.id)).toEqual(['house/video-2', 'third/model']);
    expect(first.models.map((model) => model.id)).toEqual(['house/video-2', 'other/model']);
  });

  it('still refuses an unknown model every time it is asked for', async () => {
    const provider = new ScriptedProvider();
    const models = new ListModels(new ModelDirectory(provider, catalog, new FakeClock()), catalog);
    for (let i = 0; i < 2; i += 1)
      await expect(models.execute({}, 'nope')).rejects.toMatchObject({ code: 'invalid_input', field: 'model' });
  });

  it('does not freeze what the provider answered (a price tier it reported stays its own)', async () => {
    const tier = { usd_per_second: 0.1, source: 'provider' };
    const provider = new ScriptedProvider();
    provider.listModels = async () => [{ id: 'house/video-2', prices: [tier] }];
    const list = await new ListModels(new ModelDirectory(provider, catalog, new FakeClock()), catalog).execute();
    expect(list.models[0]!.prices).toEqual([tier]);
    expect(Object.isFrozen(tier)).toBe(false);
  });
});

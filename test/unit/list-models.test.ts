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

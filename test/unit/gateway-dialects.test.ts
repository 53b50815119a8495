import { toVideo, toVideoPage } from '../../src/adapters/openai/wire';
import { fileStemForId } from '../../src/domain/file-names';
import { ModelCatalog, parseModelCatalog } from '../../src/domain/model-catalog';
import builtIn from '../../src/domain/model-catalog.json';
import { isFailed, isTerminal, statusMeaning } from '../../src/domain/video';

describe('file names from opaque ids', () => {
  const ids = [
    'video_68d7512d',
    'video_bGl0ZT+/Pz8=',
    'video_bGl0ZT__Pz8_',
    'task_abc:runway',
    'task_abc_runway',
    'video_ABC',
    'video_abc',
    'a'.repeat(300),
    'a'.repeat(301),
    '../../etc/passwd',
    'CON',
    'x\u0000y',
    '日本語',
  ];

  it('are portable to Linux, macOS and Windows', () => {
    for (const id of ids) {
      const stem = fileStemForId(id);
      // eslint-disable-next-line no-control-regex -- control characters are what must not appear
      expect(stem).not.toMatch(/[/\\:*?"<>|\u0000-\u001f]/);
      expect(stem.length).toBeLessThanOrEqual(120);
      expect(stem).not.toMatch(/^\./);
    }
  });

  it('never map two ids to one name, even on a case-insensitive filesystem', () => {
    const stems = ids.map((id) => fileStemForId(id).toLowerCase());
    expect(new Set(stems).size).toBe(ids.length);
  });

  it('keep a plain id as it is', () => {
    expect(fileStemForId('video_68d7512d')).toBe('video_68d7512d');
  });
});

describe('gateway statuses', () => {
  it.each([
    ['processing', 'in_progress'],
    ['pending', 'queued'],
    ['running', 'in_progress'],
    ['succeeded', 'completed'],
    ['success', 'completed'],
    ['SUCCEEDED', 'completed'],
    ['error', 'failed'],
    ['cancelled', 'failed'],
    ['canceled', 'failed'],
    ['expired', 'failed'],
  ])('reads %s as %s', (word, meaning) => {
    expect(statusMeaning(word)).toBe(meaning);
    expect(toVideo({ id: 'v_1', status: word }).status).toBe(meaning);
    expect(toVideo({ id: 'v_1', status: word }).provider_status).toBe(word);
  });

  it('keeps following an unknown word, and keeps the word', () => {
    const video = toVideo({ id: 'v_1', status: 'thinking' });
    expect(video).toMatchObject({ status: 'in_progress', provider_status: 'thinking' });
    expect(isTerminal(video.status)).toBe(false);
    expect(isFailed('thinking')).toBe(false);
  });

  it("leaves the spec's own words alone", () => {
    expect(toVideo({ id: 'v_1', status: 'completed' })).not.toHaveProperty('provider_status');
  });
});

describe('gateway answers are checked', () => {
  it.each([
    ['an HTML page', '<!DOCTYPE html><html><body>Bad gateway</body></html>', /an HTML page/],
    ['a bare string', 'ok', /a bare string/],
    ['an array', [{ id: 'v_1' }], /a JSON array/],
    ['nothing', null, /an empty body/],
  ])('refuses %s as a video', (_name, body, message) => {
    expect(() => toVideo(body)).toThrow(message);
  });

  it('refuses a job without an id (it would poll /videos/)', () => {
    expect(() => toVideo({ status: 'queued' })).toThrow(/has no id/);
    expect(() => toVideo({ id: '' })).toThrow(/has no id/);
  });

  it('refuses a list whose data is not an array', () => {
    expect(() => toVideoPage({ data: 'x' })).toThrow(/not an array/);
  });
});

describe('the model catalog', () => {
  const catalog = new ModelCatalog([{ origin: 'catalog', entries: parseModelCatalog(builtIn) }]);

  it('cites a source for every entry', () => {
    for (const entry of catalog.entries()) expect(entry.source).toMatch(/^https:\/\//);
  });

  it("documents sora-2-pro's 1080p and 16/20 s (OpenAI's guide), which the SDK types never listed", () => {
    expect(catalog.find('sora-2-pro')).toMatchObject({
      sizes: expect.arrayContaining(['1920x1080', '1080x1920']),
      seconds: expect.arrayContaining(['16', '20']),
    });
  });

  it("refuses a known model's invalid values with structured details, and passes unknown models", () => {
    expect(() => catalog.checkCreate({ model: 'sora-2', size: '1920x1080', seconds: undefined, hasReference: false })).toThrow(
      expect.objectContaining({
        code: 'model_constraint',
        field: 'size',
        details: expect.objectContaining({ allowed: ['720x1280', '1280x720'] }),
      }),
    );
    expect(() => catalog.checkCreate({ model: 'runwayml/gen4_turbo', size: undefined, seconds: '5', hasReference: false })).toThrow(
      expect.objectContaining({ field: 'input_reference' }),
    );
    expect(() => catalog.checkCreate({ model: 'acme/anything', size: '1x1', seconds: '999', hasReference: true })).not.toThrow();
    expect(() => catalog.checkCreate({ model: undefined, size: '1920x1080', seconds: '4', hasReference: false })).not.toThrow();
  });

  it("lets a user's file add and replace entries", () => {
    const layered = new ModelCatalog([
      { origin: 'catalog', entries: parseModelCatalog(builtIn) },
      {
        origin: 'user',
        entries: parseModelCatalog({
          models: [
            { id: 'sora-2', sizes: ['1920x1080'], source: 'my gateway' },
            { id: 'house/model', seconds: [3], source: 'ours' },
          ],
        }),
      },
    ]);
    expect(layered.find('sora-2')).toMatchObject({ origin: 'user', sizes: ['1920x1080'] });
    expect(layered.find('house/model')).toMatchObject({ origin: 'user', seconds: ['3'] });
  });

  it('names the entry and field of a bad file', () => {
    expect(() => parseModelCatalog({ models: [{ id: 'x', sizes: ['big'], source: 's' }] })).toThrow(
      /models\.0\.sizes\.0: a size is WIDTHxHEIGHT/,
    );
  });
});

import { DIALECTS } from '../../src/adapters/openai/dialects';
import { statusMeaning, toVideo as readVideo, toVideoPage as readPage } from '../../src/adapters/openai/wire';
import { fileStemForId } from '../../src/domain/file-names';
import { capabilitiesOf, ModelCatalog, parseModelCatalog } from '../../src/domain/model-catalog';
import builtIn from '../../src/domain/model-catalog.json';
import { checkModelTakes } from '../../src/domain/request-checks';
import { isFailed, isTerminal } from '../../src/domain/video';
import { saidBy } from '../support/refusals';

const openaiWords = DIALECTS.openai.statusWords;
const toVideo = (raw: unknown) => readVideo(raw, openaiWords);
const toVideoPage = (raw: unknown) => readPage(raw, openaiWords);

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

describe('gateway statuses, each in its dialect', () => {
  it.each([
    ['openai', 'processing', 'in_progress'],
    ['openai', 'pending', 'queued'],
    ['openai', 'running', 'in_progress'],
    ['openai', 'succeeded', 'completed'],
    ['openai', 'success', 'completed'],
    ['openai', 'SUCCEEDED', 'completed'],
    ['openai', 'error', 'failed'],
    ['openai', 'cancelled', 'failed'],
    ['json', 'canceled', 'failed'],
    ['json', 'expired', 'failed'],
    ['openrouter', 'pending', 'queued'],
    ['openrouter', 'cancelled', 'failed'],
    ['openrouter', 'expired', 'failed'],
  ] as const)('%s reads %s as %s', (dialect, word, meaning) => {
    expect(statusMeaning(word, DIALECTS[dialect].statusWords)).toBe(meaning);
    expect(readVideo({ id: 'v_1', status: word }, DIALECTS[dialect].statusWords)).toMatchObject({ status: meaning, provider_status: word });
  });

  it("reads only its own words: OpenRouter's do not leak into LLM Gateway's", () => {
    expect(statusMeaning('processing', DIALECTS.json.statusWords)).toBe('unknown');
  });

  it.each([['processing', 'in_progress']])('the openai dialect reads %s as %s', (word, meaning) => {
    expect(toVideo({ id: 'v_1', status: word }).status).toBe(meaning);
    expect(toVideo({ id: 'v_1', status: word }).provider_status).toBe(word);
  });

  it('keeps following an unknown word, and keeps the word', () => {
    const video = toVideo({ id: 'v_1', status: 'thinking' });
    expect(video).toMatchObject({ status: 'in_progress', provider_status: 'thinking' });
    expect(isTerminal(video.status)).toBe(false);
    expect(isFailed(video.status)).toBe(false);
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
    expect(saidBy(() => toVideo(body))).toMatch(message);
  });

  it('refuses a job without an id (it would poll /videos/)', () => {
    expect(saidBy(() => toVideo({ status: 'queued' }))).toMatch(/has no id/);
    expect(saidBy(() => toVideo({ id: '' }))).toMatch(/has no id/);
  });

  it('refuses a list whose data is not an array', () => {
    expect(saidBy(() => toVideoPage({ data: 'x' }))).toMatch(/not an array/);
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
    const check = (model: string, request: Partial<Parameters<typeof checkModelTakes>[0]>) => () => {
      const entry = catalog.find(model);
      checkModelTakes({ prompt: 'p', model, ...request }, entry ? capabilitiesOf(entry) : {}, entry?.source);
    };
    expect(check('sora-2', { size: '1920x1080' })).toThrow(
      expect.objectContaining({
        code: 'model_constraint',
        field: 'size',
        details: expect.objectContaining({ allowed: ['720x1280', '1280x720'] }),
      }),
    );
    expect(check('runwayml/gen4_turbo', { seconds: '5' })).toThrow(expect.objectContaining({ field: 'input_reference' }));
    expect(check('acme/anything', { size: '1x1', seconds: '999', inputReference: 'a.png' })).not.toThrow();
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

import { gzipSync } from 'node:zlib';
import builtIn from '../../src/domain/model-catalog.json';
import { FakeVideosServer } from '../support/fake-videos-server';
import { startBuiltServer, type RunningServer } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

/**
 * Money, through the built server against a provider that does what the red team's did (round four, issue 29): the
 * provider never receives a request dearer than what the caps still allow.
 */
type Result = { isError?: boolean; content: { type: string; text?: string }[]; structuredContent?: Record<string, unknown> };
const text = (result: Result): string => result.content.map((block) => block.text ?? '').join('\n');
const PRICE = (builtIn.models.find((model) => model.id === 'sora-2') as { prices?: { usd_per_second: number }[] }).prices![0]!
  .usd_per_second;

/** The built server over stdio against the spec fake, started per test with `env`, closed after it. */
function againstSpecFake() {
  const t = {} as { provider: FakeVideosServer; folder: ReturnType<typeof tempFolder>; server: RunningServer };
  const start = async (env: Record<string, string> = {}) => {
    t.provider = await FakeVideosServer.start({ pollsToComplete: 1 });
    t.folder = tempFolder();
    t.server = await startBuiltServer({
      SORA2_MCP_API_KEY: t.provider.apiKey,
      OPENAI_BASE_URL: t.provider.baseURL,
      MEDIA_GEN_DIRS: t.folder.path,
      ...env,
    });
  };
  afterEach(async () => {
    await t.server.close();
    await t.provider.close();
    t.folder.remove();
  });
  return { t, start };
}

describe('money: what the provider receives stays within the caps', () => {
  const { t, start } = againstSpecFake();
  const creates = () => t.provider.count('POST', /\/videos$/);
  const create = async (args: Record<string, unknown>, options: { signal?: AbortSignal } = {}) =>
    (await t.server.client.callTool(
      { name: 'openai-videos-create', arguments: { prompt: 'a boat', model: 'sora-2', seconds: '4', ...args } },
      undefined,
      options,
    )) as Result;

  it('refuses provider_options that carry a field deciding the price, at any depth and in any spelling, and sends nothing', async () => {
    await start({ SORA2_MCP_MAX_COST_USD: String(PRICE * 4) });
    for (const options of [
      { seconds: '20', size: '1792x1024' },
      { model: 'sora-2-pro' },
      { extra: { 'Num-Videos': 4 } },
      { list: [{ resolution: '4K' }] },
    ]) {
      const refused = await create({ provider_options: options });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toMatch(/provider_options may not set "[^"]+": it decides what the job costs/);
    }
    const job = t.provider.addJob({ model: 'sora-2', seconds: '4' });
    const remix = (await t.server.client.callTool({
      name: 'openai-videos-remix',
      arguments: { video_id: job.video.id, prompt: 'at dusk', provider_options: { seconds: '20' } },
    })) as Result;
    expect(remix.isError).toBe(true);
    expect(t.provider.requests.filter((request) => request.method === 'POST')).toEqual([]);
    // A field that decides nothing still passes through to the provider (which may refuse what it does not know).
    const passed = await create({ provider_options: { user: 'team-a' } });
    expect(text(passed)).not.toContain('provider_options may not set');
    expect(creates()).toBe(1);
  });

  it('keeps the reservation of a create abandoned while its request was in flight: a second one over the budget is refused', async () => {
    await start({ SORA2_MCP_BUDGET_USD: String(PRICE * 4) });
    // The provider takes the request and never finishes answering it.
    t.provider.intercept = (request) =>
      request.method === 'POST'
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            stream: async function* () {
              await new Promise(() => undefined);
              yield Buffer.alloc(0);
            },
          }
        : undefined;
    const controller = new AbortController();
    const abandoned = create({}, { signal: controller.signal });
    await t.provider.waitFor(() => creates() === 1);
    controller.abort();
    await expect(abandoned).rejects.toThrow();
    t.provider.intercept = undefined;
    const second = await create({});
    expect(second.isError).toBe(true);
    expect(text(second)).toContain('(code: over_budget)');
    expect(creates()).toBe(1);
  });

  it('keeps the reservation when the 2xx answer cannot be read (no id), and gives it back when the provider refused (400)', async () => {
    await start({ SORA2_MCP_BUDGET_USD: String(PRICE * 4) });
    t.provider.intercept = (request) =>
      request.method === 'POST'
        ? { status: 400, json: { error: { message: 'bad prompt', type: 'invalid_request_error', param: null, code: null } } }
        : undefined;
    expect((await create({})).isError).toBe(true);
    t.provider.intercept = (request) => (request.method === 'POST' ? { status: 200, json: { object: 'video' } } : undefined);
    const unreadable = await create({});
    expect(unreadable.isError).toBe(true);
    // The caller is told: the estimate stays counted, and how to get that job without paying twice.
    expect(text(unreadable)).toContain('a job may exist: its estimated cost stays counted against any budget');
    expect(text(unreadable)).toContain('same idempotency_key');
    t.provider.intercept = undefined;
    // The refused one gave its estimate back; the unreadable one may have made a job, so its estimate stays spent.
    const third = await create({});
    expect(third.isError).toBe(true);
    expect(text(third)).toContain('(code: over_budget)');
    expect(creates()).toBe(2);
  });

  it('prices a remix of a video whose length the provider does not say at the longest the model allows', async () => {
    await start({ SORA2_MCP_MAX_COST_USD: String(PRICE * 8) });
    const job = t.provider.addJob({ model: 'sora-2', seconds: '', size: '720x1280' });
    const remix = (await t.server.client.callTool({
      name: 'openai-videos-remix',
      arguments: { video_id: job.video.id, prompt: 'at dusk' },
    })) as Result;
    expect(remix.isError).toBe(true);
    expect(text(remix)).toContain(`$${(PRICE * 20).toFixed(2)}`);
    expect(t.provider.count('POST', /\/remix$/)).toBe(0);
  });

  it('prices a create that names no size at the dearest size the model allows', async () => {
    // sora-2-pro's 1080p sizes cost more than its 720p ones: with no size, the provider's default is not known.
    const pro = (builtIn.models.find((model) => model.id === 'sora-2-pro') as { prices: { usd_per_second: number }[] }).prices;
    const dearest = Math.max(...pro.map((tier) => tier.usd_per_second));
    await start({});
    const created = await create({ model: 'sora-2-pro' });
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent!.estimated_cost_usd).toBeCloseTo(dearest * 4, 5);
  });
});

describe('hostile answers: words and fields a provider should not send', () => {
  const { t, start } = againstSpecFake();
  beforeEach(() => start());

  it('takes the status words "constructor" and "__proto__" for unknown words, and drops typed fields of the wrong type', async () => {
    const job = t.provider.addJob({ model: 'sora-2', seconds: '4' });
    const hostile = (word: string) => ({
      ...job.video,
      status: word,
      cost_usd: 'free',
      provider_id: 42,
      estimated_cost_usd: 'cheap',
    });
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      t.provider.intercept = (request) =>
        request.method === 'GET' && request.path.endsWith(`/videos/${job.video.id}`) ? { status: 200, json: hostile(word) } : undefined;
      const retrieved = (await t.server.client.callTool({
        name: 'openai-videos-retrieve',
        arguments: { video_id: job.video.id },
      })) as Result;
      expect(retrieved.isError).toBeFalsy();
      expect(retrieved.structuredContent).toMatchObject({ id: job.video.id, status: 'in_progress', provider_status: word });
      expect(retrieved.structuredContent).not.toHaveProperty('cost_usd');
      expect(retrieved.structuredContent).not.toHaveProperty('estimated_cost_usd');
      expect(retrieved.structuredContent!.provider_id).not.toBe(42);
    }
    t.provider.intercept = (request) =>
      request.method === 'GET' && /\/videos$/.test(request.path)
        ? {
            status: 200,
            json: { object: 'list', data: [hostile('constructor')], has_more: false, first_id: job.video.id, last_id: job.video.id },
          }
        : undefined;
    const listed = (await t.server.client.callTool({ name: 'openai-videos-list', arguments: {} })) as Result;
    expect(listed.isError).toBeFalsy();
    expect((listed.structuredContent!.data as { id: string }[])[0]!.id).toBe(job.video.id);
  });
});

describe('hostile answers: bodies bounded after decoding and in time', () => {
  const { t, start } = againstSpecFake();
  beforeEach(() => start({ SORA2_MCP_REQUEST_TIMEOUT_MS: '1500' }));
  const retrieve = async (id: string) =>
    (await t.server.client.callTool({ name: 'openai-videos-retrieve', arguments: { video_id: id } })) as Result;

  it('refuses a gzip body that inflates past the cap although its content-length is small, and keeps serving', async () => {
    const job = t.provider.addJob({ model: 'sora-2', seconds: '4' });
    const bomb = gzipSync(Buffer.from(JSON.stringify({ ...job.video, pad: ' '.repeat(16 * 1024 * 1024) })));
    expect(bomb.length).toBeLessThan(100 * 1024);
    t.provider.intercept = (request) =>
      request.method === 'GET' && request.path.endsWith(job.video.id)
        ? {
            status: 200,
            headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) },
            stream: async function* () {
              yield bomb;
            },
          }
        : undefined;
    const refused = await retrieve(job.video.id);
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/more than 2 MiB/);
    t.provider.intercept = undefined;
    expect((await retrieve(job.video.id)).isError).toBeFalsy();
  });

  it('ends a body dribbled after its headers at the request timeout, and keeps serving', async () => {
    const job = t.provider.addJob({ model: 'sora-2', seconds: '4' });
    t.provider.intercept = (request) =>
      request.method === 'GET' && request.path.endsWith(job.video.id)
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            stream: async function* () {
              yield Buffer.from('{"id":');
              await new Promise(() => undefined);
            },
          }
        : undefined;
    const ended = await retrieve(job.video.id);
    expect(ended.isError).toBe(true);
    expect(text(ended)).toMatch(/did not answer in time/);
    t.provider.intercept = undefined;
    expect((await retrieve(job.video.id)).isError).toBeFalsy();
  });

  it('answers a job whose provider fields nest ten thousand deep, naming it, without them', async () => {
    const job = t.provider.addJob({ model: 'sora-2', seconds: '4' });
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    t.provider.intercept = (request) =>
      request.method === 'GET' && request.path.endsWith(job.video.id)
        ? { status: 200, headers: { 'content-type': 'application/json' }, raw: `${JSON.stringify(job.video).slice(0, -1)},"deep":${deep}}` }
        : undefined;
    const retrieved = await retrieve(job.video.id);
    expect(retrieved.isError).toBeFalsy();
    expect(retrieved.structuredContent).toMatchObject({ id: job.video.id });
    expect(retrieved.structuredContent).not.toHaveProperty('deep');
  });
});

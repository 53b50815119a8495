import { FakeVideosServer, specVideo } from '../support/fake-videos-server';
import { LiteLlmFake } from '../support/gateways/litellm';
import { RawMcpProcess } from '../support/raw-mcp-process';
import { tempFolder } from '../support/temp';

const KEY = 'sk-gate-SECRET-9f8e7d6c5b4a3f2e1d0c';
const HEADER_SECRET = 'hdr-SECRET-7a7a7a7a7a7a';
const QUERY_SECRET = 'qry-SECRET-5b5b5b5b5b5b';
const REPLY_BUDGET = 4 * 1024 * 1024;

/** Every way a provider could echo a secret back. */
const echoes = [
  KEY,
  `${KEY.slice(0, 8)}*****${KEY.slice(-4)}`,
  HEADER_SECRET,
  QUERY_SECRET,
  `${HEADER_SECRET.slice(0, 6)}…${HEADER_SECRET.slice(-3)}`,
];

describe('the exit gate over stdio: nothing secret, nothing unreadable', () => {
  let provider: FakeVideosServer;
  let folder: ReturnType<typeof tempFolder>;
  let server: RawMcpProcess;

  beforeEach(async () => {
    provider = await FakeVideosServer.start({ apiKey: KEY, pollsToComplete: 3 });
    folder = tempFolder();
    server = await RawMcpProcess.start({
      SORA2_MCP_API_KEY: KEY,
      OPENAI_BASE_URL: provider.baseURL,
      MEDIA_GEN_DIRS: folder.path,
      SORA2_MCP_LOG_LEVEL: 'debug',
      SORA2_MCP_TOOLSET: 'all',
      SORA2_MCP_EXTRA_HEADERS: JSON.stringify({ 'x-gateway-key': HEADER_SECRET }),
      SORA2_MCP_EXTRA_QUERY: JSON.stringify({ sig: QUERY_SECRET }),
    });
    await server.request('logging/setLevel', { level: 'debug' });
  });
  afterEach(async () => {
    await server.close();
    await provider.close();
    folder.remove();
  });

  const call = (name: string, args: Record<string, unknown>) =>
    server.request('tools/call', { name, arguments: args, _meta: { progressToken: `${name}-${Math.random()}` } });

  it('keeps secrets a provider echoes in any field, status or error out of every result, progress message, log and stderr line', async () => {
    // A gateway that echoes: LiteLLM (serving one model, so it lists), which (unlike the spec fake) takes any query parameter.
    const gateway = await LiteLlmFake.start({ mode: 'single_model', masterKey: KEY });
    const echoing = await RawMcpProcess.start({
      SORA2_MCP_API_KEY: KEY,
      OPENAI_BASE_URL: gateway.baseURL,
      MEDIA_GEN_DIRS: folder.path,
      SORA2_MCP_LOG_LEVEL: 'debug',
      SORA2_MCP_TOOLSET: 'all',
      SORA2_MCP_EXTRA_HEADERS: JSON.stringify({ 'x-gateway-key': HEADER_SECRET }),
      SORA2_MCP_EXTRA_QUERY: JSON.stringify({ sig: QUERY_SECRET, custom_llm_provider: 'openai' }),
    });
    try {
      await echoing.request('logging/setLevel', { level: 'debug' });
      let polls = 0;
      gateway.override = (request) => {
        if (request.method !== 'GET' || !request.path.startsWith('/v1/videos/')) return undefined;
        polls += 1;
        const echo = echoes[polls % echoes.length]!;
        const done = polls >= 4;
        const id = request.path.slice('/v1/videos/'.length);
        const body = {
          id,
          object: 'video',
          model: `model ${echo}`,
          status: done ? 'failed' : `processing-${echo}`,
          progress: polls * 20,
          created_at: 1,
          completed_at: null,
          expires_at: null,
          prompt: `prompt ${echo}`,
          size: '720x1280',
          seconds: '4',
          remixed_from_video_id: null,
          error: done ? { code: `bad_${echo}`, message: `your key ${KEY} and ${echoes[1]} were rejected` } : null,
          [`field_${echo}`]: { nested: [echo, { deeper: echo }] },
        };
        return { status: 200, type: 'application/json', body: JSON.stringify(body) };
      };
      const run = (name: string, args: Record<string, unknown>) =>
        echoing.request('tools/call', { name, arguments: args, _meta: { progressToken: name } });
      const created = await run('openai-videos-create', { prompt: `echo ${KEY}`, wait_for_completion: true, poll_interval_ms: 100 });
      expect(created.result).toBeDefined();
      const id = [...gateway.jobs.keys()][0]!;
      expect((await run('openai-videos-retrieve', { video_id: id })).result).toBeDefined();
      expect((await run('list_videos', {})).result).toBeDefined();
      // The gateway did receive the header and query values, so they were live secrets.
      expect(
        gateway.requests.some((request) => request.headers['x-gateway-key'] === HEADER_SECRET && request.query.get('sig') === QUERY_SECRET),
      ).toBe(true);
      expect(echoing.stdout).toContain('notifications/progress');
      const everything = echoing.stdout + echoing.stderr;
      for (const secret of [KEY, HEADER_SECRET, QUERY_SECRET, KEY.slice(0, 12), KEY.slice(-8), HEADER_SECRET.slice(-6), '*****', '…']) {
        expect(everything.includes(secret) ? secret : 'absent').toBe('absent');
      }
    } finally {
      await echoing.close();
      await gateway.close();
    }
  });

  it('redacts a secret a provider puts under any key name, the ones that look like bytes too, in retrieve, list and get_video_status', async () => {
    const disguised = {
      debug: { blob: KEY, data_base64: KEY, nested: [{ type: 'image', data: KEY, mimeType: 'image/png' }] },
      view: { uri: 'ui://sora2-mcp/video.html', mimeType: 'text/html;profile=mcp-app', text: KEY },
      data: KEY,
    };
    const video = specVideo({ id: 'video_disguised', ...disguised });
    provider.intercept = (request) => {
      if (request.method !== 'GET') return undefined;
      if (/\/videos\/video_disguised$/.test(request.path)) return { json: video };
      if (/\/videos$/.test(request.path))
        return { json: { object: 'list', data: [video], has_more: false, first_id: video.id, last_id: video.id } };
      return undefined;
    };
    // The spec fake takes no extra query parameter: a server without one.
    const plain = await RawMcpProcess.start({
      SORA2_MCP_API_KEY: KEY,
      OPENAI_BASE_URL: provider.baseURL,
      MEDIA_GEN_DIRS: folder.path,
      SORA2_MCP_TOOLSET: 'all',
    });
    try {
      for (const [name, args] of [
        ['openai-videos-retrieve', { video_id: video.id }],
        ['openai-videos-list', {}],
        ['get_video_status', { video_id: video.id }],
        ['list_videos', {}],
      ] as const) {
        const answer = await plain.request('tools/call', { name, arguments: args });
        expect(JSON.stringify(answer)).toContain('"structuredContent"');
        expect(JSON.stringify(answer).includes(KEY) ? `${name} leaked the key` : 'redacted').toBe('redacted');
      }
      expect(plain.stdout.includes(KEY) ? 'leaked' : 'absent').toBe('absent');
    } finally {
      provider.intercept = undefined;
      await plain.close();
    }
  });

  it.each([
    ['an HTML page', 'text/html', `<!DOCTYPE html><html><body>${'<p>oops</p>'.repeat(50_000)}</body></html>`],
    ['a bare string', 'application/json', JSON.stringify('x'.repeat(500_000))],
    ['an array', 'application/json', JSON.stringify(Array.from({ length: 50_000 }, (_, i) => i))],
    [
      'a JSON object of quote characters near the size cap',
      'application/json',
      JSON.stringify({
        id: 'video_q',
        status: 'queued',
        ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`q${i}`, '"'.repeat(30_000)])),
      }),
    ],
    ['a JSON object over the size cap', 'application/json', JSON.stringify({ id: 'video_big', pad: 'x'.repeat(3 * 1024 * 1024) })],
  ])('answers a provider that sends %s with a readable reply under the budget, and keeps serving', async (_name, type, body) => {
    provider.intercept = (request) =>
      request.method === 'GET' && request.path.includes('/videos/') ? { raw: body, headers: { 'content-type': type } } : undefined;
    const answer = await call('openai-videos-retrieve', { video_id: 'video_x' });
    expect(Buffer.byteLength(JSON.stringify(answer))).toBeLessThanOrEqual(REPLY_BUDGET);
    expect(answer.result).toBeDefined();
    provider.intercept = undefined;
    const next = await call('openai-videos-models', {});
    expect((next.result as { isError?: boolean }).isError).toBeFalsy();
  });

  it('answers inputs of many megabytes and of quote characters with short, readable errors', async () => {
    for (const args of [
      { prompt: '"'.repeat(40_000) },
      { prompt: 'x', [`${'k'.repeat(2_000_000)}`]: 1 },
      { prompt: 'x', size: '"'.repeat(3_000_000) },
    ]) {
      const answer = await call('openai-videos-create', args);
      const size = Buffer.byteLength(JSON.stringify(answer));
      expect(size).toBeLessThan(200_000);
      expect((answer.result as { isError: boolean }).isError).toBe(true);
    }
    expect(provider.requests).toHaveLength(0);
  });
});

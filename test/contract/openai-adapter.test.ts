import { describeError, GENERIC } from '../../src/mcp/error-words';
import { agentText } from '../support/refusals';
import { OpenAiVideoProvider, type OpenAiVideoProviderOptions } from '../../src/adapters/openai/openai-video-provider';
import { DomainError } from '../../src/domain/errors';
import { FakeVideosServer } from '../support/fake-videos-server';
import { silentLogger } from '../support/fakes';

describe('OpenAiVideoProvider against a loopback provider', () => {
  let server: FakeVideosServer;
  beforeEach(async () => {
    server = await FakeVideosServer.start();
  });
  afterEach(async () => {
    expect(server.violations).toEqual([]);
    await server.close();
  });

  function provider(overrides: Partial<OpenAiVideoProviderOptions> = {}): OpenAiVideoProvider {
    return new OpenAiVideoProvider({
      apiKey: server.apiKey,
      baseURL: server.baseURL,
      requestTimeoutMs: 5000,
      downloadIdleTimeoutMs: 2000,
      readRetries: 2,
      logLevel: 'silent',
      logger: silentLogger,
      ...overrides,
    });
  }

  async function failure(promise: Promise<unknown>): Promise<DomainError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }

  it('uploads a reference image as raw bytes with its MIME type in a spec-valid multipart body', async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    await provider().create({
      prompt: 'ref',
      size: '1280x720',
      inputReference: { bytes, mimeType: 'image/png', filename: 'reference.png' },
    });
    const [request] = server.requests;
    expect(request!.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(request!.body).toMatchObject({ prompt: 'ref', size: '1280x720' });
    expect(request!.files.input_reference!.type).toBe('image/png');
    expect([...request!.files.input_reference!.bytes]).toEqual([...bytes]);
  });

  it('never retries create: a 500 after the provider may have started the job means one request only', async () => {
    server.intercept = (request) =>
      request.method === 'POST'
        ? { status: 500, json: { error: { message: 'boom', type: 'server_error', param: null, code: null } } }
        : undefined;
    const error = await failure(provider().create({ prompt: 'once' }));
    expect(error.code).toBe('provider_unavailable');
    expect(server.count('POST', /\/videos$/)).toBe(1);
  });

  it('never retries create after a connection reset', async () => {
    server.intercept = (request) => (request.method === 'POST' ? { reset: true } : undefined);
    const error = await failure(provider().create({ prompt: 'once' }));
    expect(error).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(server.count('POST', /\/videos$/)).toBe(1);
  });

  it('never retries remix', async () => {
    const source = server.addJob();
    server.intercept = (request) =>
      request.method === 'POST'
        ? { status: 503, json: { error: { message: 'busy', type: 'server_error', param: null, code: null } } }
        : undefined;
    await failure(provider().remix({ id: source.video.id }, { prompt: 'again' }));
    expect(server.count('POST', /\/remix$/)).toBe(1);
  });

  it("says authentication failed without the key or the provider's masked echo of it", async () => {
    const key = 'sk-wrong-secret-key-987654321';
    const error = await failure(provider({ apiKey: key }).retrieve({ id: 'video_1' }));
    expect(error.code).toBe('authentication_failed');
    // The provider is quoted, with its echo of the key masked out; the sentence names the variables.
    const words = describeError(error, GENERIC);
    expect(words).toMatch(/authentication failed/i);
    expect(words).toContain('SORA2_MCP_API_KEY');
    expect(words).toContain('Incorrect API key provided');
    for (const text of [error.message, words, JSON.stringify(error.details)]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain('4321');
      expect(text).not.toMatch(/\*\*\*/);
    }
  });

  it('explains the Sora retirement when create answers 404 model_not_found', async () => {
    server.intercept = (request) =>
      request.method === 'POST'
        ? {
            status: 404,
            json: {
              error: {
                message: 'The model `sora-2` does not exist or you do not have access to it.',
                type: 'invalid_request_error',
                param: null,
                code: 'model_not_found',
              },
            },
          }
        : undefined;
    const error = await failure(provider().create({ prompt: 'retired' }));
    expect(error.code).toBe('model_retired');
    const words = describeError(error, GENERIC);
    expect(words).toContain('2026-09-24');
    expect(words).toContain('OPENAI_BASE_URL');
    expect(words).toContain('The model `sora-2` does not exist');
  });

  it('explains the retirement when create answers 410 Gone', async () => {
    server.intercept = (request) =>
      request.method === 'POST'
        ? { status: 410, json: { error: { message: 'Gone', type: 'invalid_request_error', param: null, code: null } } }
        : undefined;
    expect((await failure(provider().create({ prompt: 'gone' }))).code).toBe('model_retired');
  });

  it("passes a 400 through with the provider's explanation", async () => {
    server.intercept = (request) =>
      request.method === 'POST'
        ? {
            status: 400,
            json: {
              error: {
                message: 'Inpaint image must match the requested width and height',
                type: 'invalid_request_error',
                param: 'input_reference',
                code: null,
              },
            },
          }
        : undefined;
    const error = await failure(provider().create({ prompt: 'bad' }));
    expect(error).toMatchObject({ code: 'bad_request', retryable: false });
    expect(agentText(error)).toContain('Inpaint image must match');
  });

  it("marks 429 as retryable with the provider's retry-after", async () => {
    server.intercept = () => ({
      status: 429,
      headers: { 'retry-after': '3' },
      json: { error: { message: 'slow down', type: 'rate_limit', param: null, code: null } },
    });
    const error = await failure(provider({ readRetries: 0 }).retrieve({ id: 'video_1' }));
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 3000 });
  });

  it.each([
    [400, 'bad_request'],
    [401, 'authentication_failed'],
    [403, 'permission_denied'],
    [404, 'not_found'],
  ])('tries a read answered %i once, and reports %s', async (status, code) => {
    server.intercept = () => ({ status, json: { error: { message: 'no', type: 'invalid_request_error', param: null, code: null } } });
    await expect(provider().retrieve({ id: 'video_1' })).rejects.toMatchObject({ code, retryable: false });
    expect(server.count('GET', /\/videos\/video_1$/)).toBe(1);
  });

  it('without a key, says which variable to set and sends nothing', async () => {
    const error = await failure(provider({ apiKey: undefined }).create({ prompt: 'no key' }));
    expect(error.code).toBe('missing_api_key');
    expect(describeError(error, GENERIC)).toContain('SORA2_MCP_API_KEY');
    expect(server.requests).toHaveLength(0);
  });

  it('aborts a download whose body stalls, with its own idle timeout', async () => {
    const job = server.addJob();
    server.cuts.push('stall-mid-body');
    server.content.video = { bytes: Buffer.alloc(256 * 1024, 7), type: 'video/mp4' };
    const content = await provider({ downloadIdleTimeoutMs: 300 }).downloadContent({ id: job.video.id }, 'video');
    const error = await failure(
      (async () => {
        for await (const chunk of content.body) void chunk;
      })(),
    );
    expect(error).toMatchObject({ code: 'download_failed', retryable: true });
    expect(error.message).toContain('stalled');
  });

  it("streams a gzip-encoded asset decoded, without taking the compressed length as the body's", async () => {
    const job = server.addJob();
    server.content.video = { bytes: Buffer.alloc(200_000, 7), type: 'video/mp4' };
    server.cuts.push('gzip');
    const content = await provider().downloadContent({ id: job.video.id }, 'video');
    expect(content.contentLength).toBeUndefined();
    const chunks: Buffer[] = [];
    for await (const chunk of content.body) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).equals(server.content.video.bytes)).toBe(true);
  });

  it('reports a body that broke before anyone read it, when it is read (and never throws meanwhile)', async () => {
    const job = server.addJob();
    server.content.video = { bytes: Buffer.alloc(300_000, 9), type: 'video/mp4' };
    server.cuts.push('truncate-with-length');
    const content = await provider().downloadContent({ id: job.video.id }, 'video');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const read = (async () => {
      for await (const chunk of content.body) void chunk;
    })();
    await expect(read).rejects.toThrow(/terminated|closed|aborted/i);
  });

  it('does not take a slow reader for a stalled network', async () => {
    const job = server.addJob();
    server.content.video = { bytes: Buffer.alloc(1024 * 1024, 4), type: 'video/mp4' };
    const content = await provider({ downloadIdleTimeoutMs: 300 }).downloadContent({ id: job.video.id }, 'video');
    let total = 0;
    for await (const chunk of content.body) {
      total += chunk.length;
      if (total < 300_000) await new Promise((resolve) => setTimeout(resolve, 400));
    }
    expect(total).toBe(1024 * 1024);
  });

  it('releases the connection when the body is cancelled unread', async () => {
    const job = server.addJob();
    server.cuts.push('stall-mid-body');
    server.content.video = { bytes: Buffer.alloc(100_000, 1), type: 'video/mp4' };
    const content = await provider().downloadContent({ id: job.video.id }, 'video');
    expect(server.abandonedDownloads).toBe(0);
    content.cancel?.();
    await server.waitForAbandoned(1);
    expect(server.abandonedDownloads).toBe(1);
  });

  it('keeps provider fields the spec does not know and fills missing nullable ones', async () => {
    server.intercept = (request) =>
      request.method === 'GET' && /video_x$/.test(request.path)
        ? {
            json: {
              id: 'video_x',
              object: 'video',
              model: 'other-model',
              status: 'in_progress',
              progress: 5,
              created_at: 1,
              size: '720x1280',
              seconds: '4',
              quality: 'hd',
            },
          }
        : undefined;
    const video = await provider().retrieve({ id: 'video_x' });
    expect(video).toMatchObject({
      id: 'video_x',
      model: 'other-model',
      quality: 'hd',
      completed_at: null,
      error: null,
      remixed_from_video_id: null,
      prompt: null,
    });
  });
});

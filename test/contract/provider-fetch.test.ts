import { createServer, type IncomingMessage, type Server } from 'node:http';
import { said, saying } from '../support/refusals';
import type { TargetRefusal } from '../../src/domain/errors';
import type { AddressInfo } from 'node:net';
import { providerRedirectPolicy } from '../../src/adapters/http/redirect-policy';
import { OpenAiVideoProvider } from '../../src/adapters/openai/openai-video-provider';
import { providerFetch } from '../../src/adapters/openai/provider-fetch';
import { FakeVideosServer } from '../support/fake-videos-server';
import { silentLogger } from '../support/fakes';

const listenOn = (server: Server, port: number, host: string) =>
  new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, host, () => resolve(true));
  });

/** Listens with `first` on 127.0.0.2 and `second` on 127.0.0.1, on one port free on both (another test may hold it on one). */
async function samePortOnBoth(first: Server, second: Server): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await listenOn(first, 0, '127.0.0.2');
    const port = (first.address() as AddressInfo).port;
    if (await listenOn(second, port, '127.0.0.1')) return port;
    await new Promise<void>((resolve) => first.close(() => resolve()));
  }
  throw new Error('no port free on both 127.0.0.1 and 127.0.0.2');
}

/** A loopback listener that records what reaches it. */
async function listener(
  answer: (req: IncomingMessage) => { status: number; headers?: Record<string, string>; body?: string } = () => ({
    status: 200,
    body: 'ok',
  }),
) {
  const hits: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req);
    const reply = answer(req);
    res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { hits, origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('provider requests: redirects and answer sizes', () => {
  let provider: FakeVideosServer;
  let adapter: OpenAiVideoProvider;
  beforeEach(async () => {
    provider = await FakeVideosServer.start();
    adapter = new OpenAiVideoProvider({
      apiKey: provider.apiKey,
      baseURL: provider.baseURL,
      requestTimeoutMs: 5000,
      downloadIdleTimeoutMs: 2000,
      readRetries: 0,
      logLevel: 'silent',
      logger: silentLogger,
      checkTarget: providerRedirectPolicy(provider.baseURL),
    });
  });
  afterEach(async () => provider.close());

  it('refuses a content redirect to another origin over http; the target records no hit', async () => {
    const target = await listener();
    try {
      const job = provider.addJob();
      provider.intercept = (request) =>
        request.path.endsWith('/content') ? { status: 302, headers: { location: `${target.origin}/steal` }, json: {} } : undefined;
      expect(await said(adapter.downloadContent({ id: job.video.id }, 'video', { singleAttempt: true }))).toMatch(
        saying('provider_error', 'only https redirects are followed'),
      );
      expect(target.hits).toHaveLength(0);
    } finally {
      await target.close();
    }
  });

  it("follows redirects on the provider's own origin, at most 5", async () => {
    const job = provider.addJob();
    let hops = 0;
    provider.intercept = (request) => {
      if (!request.path.endsWith('/content') || hops === 3) return undefined;
      hops += 1;
      return { status: 307, headers: { location: `${request.path}?variant=video` }, json: {} };
    };
    const content = await adapter.downloadContent({ id: job.video.id }, 'video', { singleAttempt: true });
    const chunks: Buffer[] = [];
    for await (const chunk of content.body) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).equals(provider.content.video.bytes)).toBe(true);
    provider.intercept = (request) =>
      request.path.endsWith('/content') ? { status: 302, headers: { location: request.path }, json: {} } : undefined;
    expect(await said(adapter.downloadContent({ id: job.video.id }, 'video', { singleAttempt: true }))).toContain('more than 5 times');
  });

  it("drops the key and every credential-like header when a redirect leaves the provider's origin", async () => {
    const target = await listener();
    const source = await listener(() => ({ status: 302, headers: { location: `${target.origin}/cdn/file.mp4` } }));
    try {
      const guarded = providerFetch({ checkTarget: async () => ({}) });
      const response = await guarded(`${source.origin}/v1/videos/x/content`, {
        headers: { authorization: 'Bearer sk-secret-key-123', 'x-litellm-api-key': 'sk-2', accept: 'application/binary' },
      });
      expect(response.status).toBe(200);
      expect(source.hits[0]!.headers.authorization).toBe('Bearer sk-secret-key-123');
      expect(target.hits[0]!.headers.authorization).toBeUndefined();
      expect(target.hits[0]!.headers['x-litellm-api-key']).toBeUndefined();
      expect(target.hits[0]!.headers.accept).toBe('application/binary');
    } finally {
      await target.close();
      await source.close();
    }
  });

  it('connects to the address the target was checked at, whatever the name resolves to next (DNS rebinding)', async () => {
    // The same port on two loopback addresses: "localhost" resolves to 127.0.0.1 here; the check said 127.0.0.2.
    const checked = createServer((_req, res) => res.writeHead(200, { 'content-type': 'video/mp4' }).end('checked'));
    const elsewhere: IncomingMessage[] = [];
    const rebound = createServer((req, res) => {
      elsewhere.push(req);
      res.writeHead(200, { 'content-type': 'video/mp4' }).end('rebound');
    });
    const port = await samePortOnBoth(checked, rebound);
    try {
      const pinned = providerFetch({ checkTarget: async () => ({ pin: { address: '127.0.0.2', family: 4 } }) });
      const response = await pinned(`http://localhost:${port}/asset.mp4`, { headers: { accept: '*/*' } });
      expect(await response.text()).toBe('checked');
      expect(elsewhere).toHaveLength(0);
    } finally {
      checked.closeAllConnections();
      rebound.closeAllConnections();
      await new Promise<void>((resolve) => checked.close(() => resolve()));
      await new Promise<void>((resolve) => rebound.close(() => resolve()));
    }
  });

  it('checks and pins the redirect policy: a public name that answers a private address on a second lookup is never reached', async () => {
    const lookups: string[] = [];
    const policy = providerRedirectPolicy('http://127.0.0.1:1/v1', async (host) => {
      lookups.push(host);
      return [{ address: '127.0.0.1', family: 4 }];
    });
    expect(await policy(new URL('http://127.0.0.1:1/v1'), new URL('https://cdn.example/x.mp4'))).toEqual({
      pin: { address: '127.0.0.1', family: 4 },
    });
    expect(await policy(new URL('http://127.0.0.1:1/v1'), new URL('http://127.0.0.1:1/v1/videos/x'))).toEqual({});
    expect(await policy(new URL('http://127.0.0.1:1/v1'), new URL('http://cdn.example/x.mp4'))).toMatchObject({
      refused: { rule: 'not_https', origin: 'http://127.0.0.1:1' },
    });
    expect(lookups).toEqual(['cdn.example']);
  });

  it.each([true, false])('refuses a provider answer over 2 MiB where JSON was expected (content-length sent: %s)', async (withLength) => {
    const huge = await listener(() => ({
      status: 200,
      headers: { 'content-type': 'application/json', ...(withLength ? { 'content-length': String(3 * 1024 * 1024 + 13) } : {}) },
      body: JSON.stringify({ id: 'v', pad: 'x'.repeat(3 * 1024 * 1024) }),
    }));
    try {
      const direct = new OpenAiVideoProvider({
        apiKey: 'k',
        baseURL: `${huge.origin}/v1`,
        requestTimeoutMs: 5000,
        downloadIdleTimeoutMs: 2000,
        readRetries: 0,
        logLevel: 'silent',
        logger: silentLogger,
      });
      expect(await said(direct.retrieve({ id: 'v' }))).toMatch(saying('provider_error', 'more than 2 MiB'));
    } finally {
      await huge.close();
    }
  });
});

describe('providerRedirectPolicy (the one address classifier)', () => {
  const resolver = (table: Record<string, string>) => async (host: string) => (table[host] ? [{ address: table[host], family: 4 }] : []);

  it('lets a public provider redirect to public https hosts only', async () => {
    const policy = providerRedirectPolicy(
      'https://gw.example/v1',
      resolver({ 'gw.example': '93.184.216.34', 'cdn.example': '151.101.1.1', 'evil.example': '10.0.0.7' }),
    );
    const from = new URL('https://gw.example/v1/videos/x/content');
    const refusal = async (to: string) => ((await policy(from, new URL(to))) as { refused?: TargetRefusal }).refused;
    expect(await policy(from, new URL('https://cdn.example/file.mp4'))).toEqual({ pin: { address: '151.101.1.1', family: 4 } });
    expect(await refusal('https://evil.example/file.mp4')).toEqual({ rule: 'private_address', address: '10.0.0.7' });
    expect(await refusal('https://[::7f00:1]/file.mp4')).toMatchObject({ rule: 'private_address' });
    expect(await refusal('http://cdn.example/file.mp4')).toEqual({ rule: 'not_https', origin: 'https://gw.example' });
  });

  it('lets a provider on a private network redirect to its own address, nowhere else inside', async () => {
    const policy = providerRedirectPolicy(
      'http://gw.internal:4000/v1',
      resolver({ 'gw.internal': '10.0.0.5', 'store.internal': '10.0.0.5', 'other.internal': '10.0.0.6' }),
    );
    const from = new URL('http://gw.internal:4000/v1/videos/x/content');
    expect(await policy(from, new URL('http://gw.internal:4000/v1/elsewhere'))).toEqual({});
    expect(await policy(from, new URL('https://store.internal/file.mp4'))).toEqual({ pin: { address: '10.0.0.5', family: 4 } });
    expect(await policy(from, new URL('https://other.internal/file.mp4'))).toEqual({
      refused: { rule: 'private_address', address: '10.0.0.6' },
    });
  });
});

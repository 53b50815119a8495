import { request } from 'node:http';
import { connect } from 'node:net';
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { FakeVideosServer } from '../support/fake-videos-server';
import { clientOf, httpClient, refusedHttp, RoundRobin, startBuiltHttp, type RunningHttp } from '../support/http-server';
import { mp4 } from '../support/sample-files';
import { tempFolder } from '../support/temp';

const TOKEN = 'team-token-5b1e0c3f9a7d4e21';
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

/** A raw POST to the endpoint, with exactly the headers given (plus the JSON ones). */
function post(url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

/** A raw HTTP request with a chosen Host header (fetch does not let one set Host). */
async function withHost(url: string, host: string, extra: Record<string, string> = {}): Promise<number> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...extra },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(INITIALIZE));
  });
}

describe('sora2-mcp http: who may connect', () => {
  let folder: ReturnType<typeof tempFolder>;
  let server: RunningHttp;
  beforeAll(async () => {
    folder = tempFolder();
    server = await startBuiltHttp(['--port', '0', '--allowed-host', 'mcp.team.example', '--allowed-host', 'proxy.team.example:8443'], {
      SORA2_MCP_HTTP_TOKEN: TOKEN,
      SORA2_MCP_PROVIDER: 'simulator',
      MEDIA_GEN_DIRS: folder.path,
    });
  });
  afterAll(async () => {
    await server.close();
    folder.remove();
  });

  it('answers 401 without the token or with a wrong one, and serves MCP with it', async () => {
    const none = await post(server.url, INITIALIZE);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await post(server.url, INITIALIZE, { authorization: 'Bearer wrong-token' })).status).toBe(401);
    const { client } = await httpClient(server.url, TOKEN);
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('openai-videos-create');
    } finally {
      await client.close();
    }
  });

  it('answers 403 to a foreign Host or Origin (DNS rebinding), even with the token, before anything else', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect(await withHost(server.url, 'attacker.example', auth)).toBe(403);
    expect(await withHost(server.url, `attacker.example:${server.port}`)).toBe(403);
    expect(await withHost(server.url, `localhost:${server.port}`, { ...auth, origin: 'https://attacker.example' })).toBe(403);
    expect(await withHost(server.url, `localhost:${server.port}`, { ...auth, origin: 'null' })).toBe(403);
    // Loopback names and an --allowed-host name (a reverse proxy's) pass, with a matching Origin too.
    expect(await withHost(server.url, `localhost:${server.port}`, { ...auth, origin: `http://localhost:${server.port}` })).toBe(200);
    expect(await withHost(server.url, 'mcp.team.example', { ...auth, origin: 'https://mcp.team.example' })).toBe(200);
    expect(await withHost(server.url, 'proxy.team.example:8443', { ...auth, origin: 'https://proxy.team.example:8443' })).toBe(200);
    // An --allowed-host with a port is allowed on that port only.
    expect(await withHost(server.url, 'proxy.team.example:9000', auth)).toBe(403);
    expect(await withHost(server.url, 'proxy.team.example', auth)).toBe(403);
    expect(await withHost(server.url, 'localhost:8443', { ...auth, origin: 'https://proxy.team.example:9000' })).toBe(403);
  });

  it('answers 400 to a request with two Host headers: a proxy and this server could each read a different one', async () => {
    const target = new URL(server.url);
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(target.port), target.hostname, () =>
        socket.write(
          `POST /mcp HTTP/1.1\r\nHost: localhost\r\nHost: attacker.example\r\nAuthorization: Bearer ${TOKEN}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
        ),
      );
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toContain('more than one Host header');
  });

  it('never lets the token out: not in tools, results or logs', async () => {
    const { client, received } = await httpClient(server.url, TOKEN);
    try {
      await client.callTool({ name: 'openai-videos-list', arguments: {} });
      expect(JSON.stringify(received)).not.toContain(TOKEN);
      expect(server.stderr()).not.toContain(TOKEN);
    } finally {
      await client.close();
    }
  });

  it('bounds the request body (413), keeps no session, and answers a 2025 GET with 405 (no standing stream)', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const big = await post(server.url, `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"${'x'.repeat(33 * 1024 * 1024)}"}}`, auth);
    expect(big.status).toBe(413);
    const opened = await post(server.url, INITIALIZE, auth);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('mcp-session-id')).toBeNull();
    await opened.text();
    // A 2025 request needs no initialize before it on this server (nor on another replica): each is served alone.
    const alone = await post(
      server.url,
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { ...auth, 'mcp-protocol-version': '2025-11-25' },
    );
    expect(alone.status).toBe(200);
    expect(await alone.text()).toContain('openai-videos-create');
    const get = await fetch(server.url, { headers: { ...auth, accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    await get.text();
  });
});

describe('sora2-mcp http: refusing to start unsafely', () => {
  it('refuses a non-loopback host without SORA2_MCP_HTTP_TOKEN, and --no-auth anywhere but loopback', async () => {
    const open = await refusedHttp(['--port', '0', '--host', '0.0.0.0']);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/without SORA2_MCP_HTTP_TOKEN/);
    const noAuth = await refusedHttp(['--port', '0', '--host', '0.0.0.0', '--no-auth'], { SORA2_MCP_HTTP_TOKEN: TOKEN });
    expect(noAuth.code).toBe(2);
    expect(noAuth.stderr).toMatch(/--no-auth is accepted only on a loopback/);
    expect((await refusedHttp([])).stderr).toMatch(/--port is required/);
    const short = await refusedHttp(['--port', '0'], { SORA2_MCP_HTTP_TOKEN: 'short' });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 16 characters/);
  });

  it('on loopback without a token, makes one, prints it to stderr once, and requires it', async () => {
    const folder = tempFolder();
    const server = await startBuiltHttp(['--port', '0'], { SORA2_MCP_PROVIDER: 'simulator', MEDIA_GEN_DIRS: folder.path });
    try {
      const token = /token \(shown once\): (\S+)/.exec(server.stderr())![1]!;
      expect(server.stderr().split(token).length - 1).toBe(1);
      expect((await post(server.url, INITIALIZE)).status).toBe(401);
      const { client } = await httpClient(server.url, token);
      await client.close();
    } finally {
      await server.close();
      folder.remove();
    }
  });

  it('with --no-auth on loopback, warns and serves without a token', async () => {
    const folder = tempFolder();
    const server = await startBuiltHttp(['--port', '0', '--no-auth'], { SORA2_MCP_PROVIDER: 'simulator', MEDIA_GEN_DIRS: folder.path });
    try {
      expect(server.stderr()).toMatch(/WARNING: --no-auth/);
      const { client } = await httpClient(server.url);
      await client.close();
      // Rebinding protection stays on without auth.
      expect(await withHost(server.url, 'attacker.example')).toBe(403);
    } finally {
      await server.close();
      folder.remove();
    }
  });
});

describe('sora2-mcp http: stateless', () => {
  it('gives each request its own server: two concurrent waits never see each other’s progress', async () => {
    const folder = tempFolder();
    const server = await startBuiltHttp(['--port', '0'], {
      SORA2_MCP_HTTP_TOKEN: TOKEN,
      SORA2_MCP_PROVIDER: 'simulator',
      SORA2_MCP_SIMULATOR_RENDER_MS: '1500',
      MEDIA_GEN_DIRS: folder.path,
    });
    const a = await httpClient(server.url, TOKEN);
    const b = await httpClient(server.url, TOKEN);
    try {
      // The SDK uses a request's id as its progress token: offset A's ids, so the two calls' tokens differ
      // and a notification that crossed sessions would show up under the other session's token.
      for (let i = 0; i < 3; i += 1) await a.client.ping();
      const call = (who: 'a' | 'b') =>
        (who === 'a' ? a : b).client.callTool(
          { name: 'openai-videos-create', arguments: { prompt: `session ${who}`, wait_for_completion: true, poll_interval_ms: 100 } },
          undefined,
          { onprogress: () => undefined },
        ) as Promise<CallToolResult>;
      const [ra, rb] = await Promise.all([call('a'), call('b')]);
      expect(ra.isError).toBeFalsy();
      expect(rb.isError).toBeFalsy();
      expect((ra.structuredContent as { prompt: string }).prompt).toBe('session a');
      expect((rb.structuredContent as { prompt: string }).prompt).toBe('session b');
      const tokens = (messages: JSONRPCMessage[]) =>
        messages
          .filter((message) => 'method' in message && message.method === 'notifications/progress')
          .map((message) => (message as unknown as { params: { progressToken: unknown } }).params.progressToken);
      const tokensA = new Set(tokens(a.received));
      const tokensB = new Set(tokens(b.received));
      expect(tokensA.size).toBe(1);
      expect(tokensB.size).toBe(1);
      expect([...tokensA][0]).not.toBe([...tokensB][0]);
    } finally {
      await a.client.close();
      await b.client.close();
      await server.close();
      folder.remove();
    }
  }, 60_000);

  it('serves a client through a balancer that sends each request to another replica, in both generations', async () => {
    const folder = tempFolder();
    const env = {
      SORA2_MCP_HTTP_TOKEN: TOKEN,
      SORA2_MCP_PROVIDER: 'simulator',
      SORA2_MCP_SIMULATOR_RENDER_MS: '800',
      MEDIA_GEN_DIRS: folder.path,
    };
    const replicas = [await startBuiltHttp(['--port', '0'], env), await startBuiltHttp(['--port', '0'], env)];
    const balancer = await RoundRobin.start(replicas.map((replica) => replica.url));
    try {
      for (const generation of ['2025-11-25', '2026-07-28'] as const) {
        const client = await clientOf(generation, balancer.url, TOKEN);
        try {
          const created = await client.callTool({
            name: 'openai-videos-create',
            arguments: { prompt: `replicas ${generation}`, wait_for_completion: true, poll_interval_ms: 100 },
          });
          expect(created.isError).toBeFalsy();
          const id = (created.structuredContent as { id: string }).id;
          // The job is retrieved, and the saved file listed, by whichever replica the next requests reach.
          for (let i = 0; i < 2; i += 1) {
            const retrieved = await client.callTool({ name: 'openai-videos-retrieve', arguments: { video_id: id } });
            expect(retrieved.structuredContent).toMatchObject({ id, status: 'completed' });
            const { resources } = await client.listResources();
            expect(resources.some((resource) => resource.name.endsWith('.mp4'))).toBe(true);
          }
        } finally {
          await client.close();
        }
      }
      expect(balancer.counts().every((count) => count >= 4)).toBe(true);
    } finally {
      await balancer.close();
      await Promise.all(replicas.map((replica) => replica.close()));
      folder.remove();
    }
  }, 60_000);

  it('keeps a long wait alive behind a proxy: a call that may take minutes is a stream with a comment every 15 s', async () => {
    const folder = tempFolder();
    const server = await startBuiltHttp(['--port', '0'], {
      SORA2_MCP_HTTP_TOKEN: TOKEN,
      SORA2_MCP_PROVIDER: 'simulator',
      SORA2_MCP_SIMULATOR_RENDER_MS: '60000',
      MEDIA_GEN_DIRS: folder.path,
    });
    const controller = new AbortController();
    try {
      const call = {
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'openai-videos-create', arguments: { prompt: 'a long one', wait_for_completion: true } },
      };
      const response = await post(
        server.url,
        call,
        { authorization: `Bearer ${TOKEN}`, 'mcp-protocol-version': '2025-11-25' },
        controller.signal,
      );
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      // Without a progress token nothing else is sent: the first thing to arrive is the keep-alive comment.
      const reader = response.body!.getReader();
      let text = '';
      while (!/^:/m.test(text)) text += new TextDecoder().decode((await reader.read()).value);
      expect(text).not.toContain('"result"');
      controller.abort();
      // The closed stream cancels the call's wait.
      await server.waitForStderr(/stopped following video_\w+: the call was cancelled/);
    } finally {
      controller.abort();
      await server.close();
      folder.remove();
    }
  }, 60_000);

  it('answers a quick 2026-07-28 call as plain JSON', async () => {
    const folder = tempFolder();
    const server = await startBuiltHttp(['--port', '0'], {
      SORA2_MCP_HTTP_TOKEN: TOKEN,
      SORA2_MCP_PROVIDER: 'simulator',
      MEDIA_GEN_DIRS: folder.path,
    });
    try {
      const envelope = {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
        'io.modelcontextprotocol/clientCapabilities': {},
      };
      const response = await post(
        server.url,
        {
          jsonrpc: '2.0',
          id: 8,
          method: 'tools/call',
          params: { name: 'openai-videos-models', arguments: { model: 'sora-2' }, _meta: envelope },
        },
        {
          authorization: `Bearer ${TOKEN}`,
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': 'openai-videos-models',
        },
      );
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.text()).toContain('"sora-2"');
    } finally {
      await server.close();
      folder.remove();
    }
  });

  it('reads a bounded number of request bodies at once: one more is 503 with Retry-After, and fits again once they are read', async () => {
    const folder = tempFolder();
    const server = await startBuiltHttp(['--port', '0', '--max-request-bodies', '2'], {
      SORA2_MCP_HTTP_TOKEN: TOKEN,
      SORA2_MCP_PROVIDER: 'simulator',
      MEDIA_GEN_DIRS: folder.path,
    });
    const target = new URL(server.url);
    const body = JSON.stringify(INITIALIZE);
    // Each holds its body back until the server has taken its request (100 Continue), so both are being read.
    const held = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<{ send(): Promise<string> }>((resolve, reject) => {
            const socket = connect(Number(target.port), target.hostname, () =>
              socket.write(
                `POST /mcp HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\n` +
                  `Accept: application/json, text/event-stream\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
              ),
            );
            let text = '';
            let answered: (value: string) => void = () => undefined;
            socket.on('data', (chunk: Buffer) => {
              text += chunk.toString('latin1');
              if (text.startsWith('HTTP/1.1 100')) {
                text = '';
                resolve({ send: () => new Promise((done) => ((answered = done), socket.end(body))) });
              }
            });
            socket.on('close', () => answered(text));
            socket.on('error', reject);
          }),
      ),
    );
    try {
      const refused = await post(server.url, INITIALIZE, { authorization: `Bearer ${TOKEN}` });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.text()).toMatch(/2 request bodies are being read/);
      for (const answer of await Promise.all(held.map((request) => request.send()))) expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      expect((await post(server.url, INITIALIZE, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    } finally {
      await server.close();
      folder.remove();
    }
  });

  it('cancels the work of a client that disconnects mid-call: its download is abandoned', async () => {
    const provider = await FakeVideosServer.start({
      pollsToComplete: 1,
      content: { video: { bytes: mp4(4 * 1024 * 1024), type: 'video/mp4' } },
    });
    const folder = tempFolder();
    const server = await startBuiltHttp(['--port', '0'], {
      SORA2_MCP_HTTP_TOKEN: TOKEN,
      SORA2_MCP_API_KEY: provider.apiKey,
      OPENAI_BASE_URL: provider.baseURL,
      MEDIA_GEN_DIRS: folder.path,
    });
    const auth = { authorization: `Bearer ${TOKEN}` };
    try {
      const init = await post(server.url, INITIALIZE, auth);
      await init.text();
      const session = { ...auth, 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
      await (await post(server.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, session)).text();
      provider.cuts.push('stall-mid-body');
      const controller = new AbortController();
      const call = post(
        server.url,
        {
          jsonrpc: '2.0',
          id: 2,
          method: 'tools/call',
          params: { name: 'openai-videos-create', arguments: { prompt: 'then I leave', wait_for_completion: true, poll_interval_ms: 100 } },
        },
        session,
        controller.signal,
      ).catch(() => undefined);
      await provider.waitFor((requests) => requests.some((request) => request.path.endsWith('/content')));
      controller.abort();
      await call;
      await provider.waitForAbandoned(1);
    } finally {
      await server.close();
      await provider.close();
      folder.remove();
    }
  });
});

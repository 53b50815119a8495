import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FakeVideosServer } from '../support/fake-videos-server';
import { SignedStorageFake } from '../support/gateways/openrouter';
import { startBuiltServer, type RunningServer } from '../support/stdio-server';
import { loopbackCertificate } from '../support/tls';
import { RawMcpProcess } from '../support/raw-mcp-process';
import { tempFolder } from '../support/temp';

/** A key nobody could mistake for anything else, so a leak anywhere is found by a plain search. */
const KEY = 'sk-sweep-SECRET-4f9a8b7c6d5e3a2b1c0d';
const WRONG_KEY = 'sk-wrong-SECRET-0a1b2c3d4e5f6a7b8c9d';

function allFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? allFiles(full) : [full];
  });
}

function leaks(text: string, key: string): string[] {
  // The key itself, and the shapes a provider's masked echo takes ("sk-sw*****9d", "sk-sweep...9d").
  const found = [key, key.slice(-8), key.slice(0, 12)].filter((needle) => text.includes(needle));
  if (/sk-\w{1,6}\*{3,}/.test(text)) found.push('masked echo');
  return found;
}

describe('secrets and the protocol, with every kind of logging on', () => {
  let provider: FakeVideosServer;
  let folder: ReturnType<typeof tempFolder>;

  beforeEach(async () => {
    provider = await FakeVideosServer.start({ apiKey: KEY, pollsToComplete: 2 });
    folder = tempFolder();
  });
  afterEach(async () => {
    await provider.close();
    folder.remove();
  });

  const env = (key: string) => ({
    SORA2_MCP_API_KEY: key,
    OPENAI_BASE_URL: provider.baseURL,
    MEDIA_GEN_DIRS: folder.path,
    SORA2_MCP_LOG_LEVEL: 'debug',
    OPENAI_LOG: 'debug',
    SORA2_MCP_TOOLSET: 'all',
  });
  const call = (server: RawMcpProcess, name: string, args: Record<string, unknown>) =>
    server.request('tools/call', { name, arguments: args, _meta: { progressToken: name } });

  it('never lets the key reach a result, notification, stderr line or file, and keeps stdout pure JSON-RPC', async () => {
    const server = await RawMcpProcess.start(env(KEY), folder.path);
    try {
      await server.request('logging/setLevel', { level: 'debug' });
      await server.request('tools/list');
      const created = await call(server, 'openai-videos-create', {
        prompt: 'sweep',
        wait_for_completion: true,
        poll_interval_ms: 100,
        download_variants: ['video', 'thumbnail', 'spritesheet'],
      });
      const id = (created.result as { structuredContent: { id: string } }).structuredContent.id;
      await call(server, 'openai-videos-retrieve', { video_id: id });
      await call(server, 'openai-videos-list', {});
      await call(server, 'download_video', { video_id: id, variant: 'thumbnail' });
      await call(server, 'openai-videos-remix', { video_id: id, prompt: 'again' });
      await call(server, 'openai-videos-create', { prompt: 'bad path', wait_for_completion: true, file: '/etc/evil' });
      await call(server, 'openai-videos-retrieve', { video_id: 'video_missing' });
      await server.request('resources/list');
      await call(server, 'openai-videos-delete', { video_id: id });
    } finally {
      await server.close();
    }
    const messages = server.stdoutMessages();
    expect(messages.some((message) => message.method === 'notifications/message')).toBe(true);
    expect(messages.some((message) => message.method === 'notifications/progress')).toBe(true);
    expect(server.stderr).toMatch(/debug: openai sdk: .*sending request/);
    expect(leaks(server.stdout, KEY)).toEqual([]);
    expect(leaks(server.stderr, KEY)).toEqual([]);
    const files = allFiles(folder.path);
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) expect(leaks(readFileSync(file, 'latin1'), KEY)).toEqual([]);
  });

  it('says "authentication failed" for a wrong key without the key or the provider\'s masked echo', async () => {
    const server = await RawMcpProcess.start(env(WRONG_KEY), folder.path);
    try {
      const result = (await call(server, 'openai-videos-list', {})).result as { isError: boolean; content: { text: string }[] };
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toMatch(/Authentication failed/);
    } finally {
      await server.close();
    }
    expect(leaks(server.stdout + server.stderr, WRONG_KEY)).toEqual([]);
  });

  it('runs no shell: $(…) in a prompt or a path is just text', async () => {
    const server = await RawMcpProcess.start(env(KEY), folder.path);
    try {
      await call(server, 'openai-videos-create', {
        prompt: '$(touch pwned) `touch pwned2`; touch pwned3',
        wait_for_completion: true,
        poll_interval_ms: 100,
        file: '$(touch pwned4)',
      });
      await call(server, 'openai-videos-create', { prompt: 'x', input_reference: '$(touch pwned5)' });
    } finally {
      await server.close();
    }
    const names = allFiles(folder.path).map((file) => path.basename(file));
    expect(names.filter((name) => /^pwned\d?$/.test(name))).toEqual([]);
    // The server ran in folder.path (its cwd), so a shell would have created the files there.
    expect(existsSync(path.join(folder.path, 'pwned'))).toBe(false);
  });

  it('answers a request larger than the message limit with a clear error and keeps serving', async () => {
    const server = await RawMcpProcess.start(env(KEY), folder.path);
    try {
      const huge = 'A'.repeat(40 * 1024 * 1024);
      const line = `${JSON.stringify({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'openai-videos-create', arguments: { prompt: 'x', input_reference: huge } }, id: 'huge-1' })}\n`;
      const answer = await server.send(line, 'huge-1');
      expect(answer.error).toMatchObject({
        code: -32600,
        message: expect.stringMatching(/more than the 32\.0 MiB.*path of a file inside MEDIA_GEN_DIRS/),
      });
      const tools = await server.request('tools/list');
      expect((tools.result as { tools: unknown[] }).tools.length).toBeGreaterThan(0);
      expect(server.alive).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('refuses an inline input_reference over the image cap with a clear tool error', async () => {
    const server = await RawMcpProcess.start(env(KEY), folder.path);
    try {
      const result = (await call(server, 'openai-videos-create', { prompt: 'x', input_reference: 'A'.repeat(28_000_001) })).result as {
        isError: boolean;
        content: { text: string }[];
      };
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toMatch(/input_reference is too large to send inline/);
      expect(provider.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('refuses to read a resource over the size cap, pointing to the file instead', async () => {
    writeFileSync(path.join(folder.path, 'big.mp4'), Buffer.alloc(2.5 * 1024 * 1024 + 1));
    expect(statSync(path.join(folder.path, 'big.mp4')).size).toBeGreaterThan(2.5 * 1024 * 1024);
    const server = await RawMcpProcess.start(env(KEY), folder.path);
    try {
      const answer = await server.request('resources/read', { uri: `file://${folder.path}/big.mp4` });
      expect(answer.error).toMatchObject({ message: expect.stringMatching(/more than the 2621440-byte limit.*Open it directly/) });
      expect(server.alive).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe("off the provider's origin, its secrets stay home (built server over stdio)", () => {
  const configured = {
    'cf-access-client-secret': 'cf-SECRET-1111',
    'proxy-authorization': 'Basic cHJveHk6U0VDUkVU',
    'helicone-auth': 'Bearer hel-SECRET-2222',
    'api-secret': 'api-SECRET-3333',
    'openai-organization': 'org-SECRET-4444',
  };
  let provider: FakeVideosServer;
  let storage: SignedStorageFake;
  let folder: ReturnType<typeof tempFolder>;
  let server: RunningServer;
  beforeAll(async () => {
    provider = await FakeVideosServer.start({ apiKey: KEY });
    storage = await SignedStorageFake.start();
    folder = tempFolder();
    server = await startBuiltServer({
      SORA2_MCP_API_KEY: KEY,
      OPENAI_BASE_URL: provider.baseURL,
      MEDIA_GEN_DIRS: folder.path,
      SORA2_MCP_EXTRA_HEADERS: JSON.stringify(configured),
      NODE_EXTRA_CA_CERTS: loopbackCertificate().certFile,
    });
  });
  afterAll(async () => {
    await server.close();
    await storage.close();
    await provider.close();
    folder.remove();
  });

  it('never names a file after a secret: an id or a file name that carries one gets a hash, and the link points at the file', async () => {
    const job = provider.addJob({ id: `video_${KEY}` });
    for (const args of [{}, { file: `clips/${configured['api-secret']}/take` }]) {
      const result = (await server.client.callTool({
        name: 'openai-videos-download-content',
        arguments: { video_id: job.video.id, ...args },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      const link = result.content.find((block) => block.type === 'resource_link') as { uri: string; name: string };
      expect(link.uri).not.toContain('[redacted]');
      expect(existsSync(fileURLToPath(link.uri))).toBe(true);
      expect(link.name).toMatch(/^(video|take)-?[0-9a-f]*\.mp4$/);
    }
    const names = allFiles(folder.path).map((file) => path.relative(folder.path, file));
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^video-[0-9a-f]{16}\.mp4$/),
        expect.stringMatching(/^clips\/redacted-[0-9a-f]{16}\/take\.mp4$/),
      ]),
    );
    for (const name of names) for (const secret of [KEY, ...Object.values(configured)]) expect(name).not.toContain(secret);
  });

  it('sends no configured header and no credential with a download redirected to another origin; the provider still gets them', async () => {
    const job = provider.addJob();
    storage.content = { bytes: provider.content.video.bytes, type: 'video/mp4' };
    provider.intercept = (request) =>
      request.path.endsWith('/content') ? { status: 302, headers: { location: storage.signedUrl(job.video.id) }, json: {} } : undefined;
    try {
      const result = (await server.client.callTool({
        name: 'openai-videos-download-content',
        arguments: { video_id: job.video.id, file: 'from-storage' },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      const atProvider = provider.requests.find((request) => request.path.endsWith('/content'))!;
      for (const [name, value] of Object.entries(configured)) expect(atProvider.headers[name]).toBe(value);
      const atStorage = storage.received('GET', /^\/v\//);
      expect(atStorage).toHaveLength(1);
      const sent = Object.keys(atStorage[0]!.headers);
      for (const name of [...Object.keys(configured), 'authorization', 'cookie']) expect(sent).not.toContain(name);
      expect(
        sent.filter(
          (name) => !['host', 'connection', 'accept', 'accept-encoding', 'accept-language', 'user-agent', 'sec-fetch-mode'].includes(name),
        ),
      ).toEqual([]);
    } finally {
      provider.intercept = undefined;
    }
  });
});

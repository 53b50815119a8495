import { readdirSync } from 'node:fs';
import { CLIENT_KINDS, connectClient, type AnyClient, type ClientKind, type Endpoint } from '../support/clients';
import { FakeVideosServer } from '../support/fake-videos-server';
import { startBuiltHttp, type RunningHttp } from '../support/http-server';
import { BUILT_SERVER, serverEnv } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

/**
 * Both protocol generations, through the built binary, with clients this project did not write: the v1 SDK
 * (2025-11-25) and the v2 SDK pinned to 2026-07-28 or negotiating (`auto`), over stdio and over Streamable HTTP.
 */
const TRANSPORTS = ['stdio', 'http'] as const;
const CASES = TRANSPORTS.flatMap((transport) => CLIENT_KINDS.map((kind) => [transport, kind] as const));

describe.each(CASES)('over %s, the %s client', (transport: (typeof TRANSPORTS)[number], kind: ClientKind) => {
  let provider: FakeVideosServer;
  let folder: ReturnType<typeof tempFolder>;
  let http: RunningHttp | undefined;
  let client: AnyClient;

  beforeAll(async () => {
    provider = await FakeVideosServer.start({ pollsToComplete: 4 });
    folder = tempFolder();
    const env = {
      SORA2_MCP_API_KEY: provider.apiKey,
      OPENAI_BASE_URL: provider.baseURL,
      MEDIA_GEN_DIRS: folder.path,
      SORA2_MCP_LOG_LEVEL: 'info',
    };
    let endpoint: Endpoint;
    if (transport === 'http') {
      http = await startBuiltHttp(['--port', '0', '--no-auth'], env);
      endpoint = { http: { url: http.url } };
    } else {
      endpoint = {
        stdio: { command: process.execPath, args: [BUILT_SERVER], env: serverEnv(env) },
      };
    }
    client = await connectClient(kind, endpoint);
  });
  afterAll(async () => {
    await client.close();
    await http?.close();
    await provider.close();
    expect(provider.violations).toEqual([]);
    folder.remove();
  });

  const stderr = () => (http ? { waitFor: http.waitForStderr } : client.stderr!);

  it('lands on the generation it asked for, and lists the tools (cacheable for an hour in 2026)', async () => {
    expect(client.era).toBe(kind === 'v1' ? 'legacy' : 'modern');
    const listed = await client.listTools();
    expect(listed.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['openai-videos-create', 'openai-videos-models']));
    // The view's app-only reader is listed only to clients that render apps.
    expect(listed.tools.map((tool) => tool.name)).not.toContain('video_view_read');
    if (client.era === 'modern') expect(listed).toMatchObject({ ttlMs: 3_600_000, cacheScope: 'public' });
    else expect(listed.ttlMs).toBeUndefined();
  });

  it('answers a call of a tool it does not have as the SDK does (over HTTP, a server built for one call registers only its tool)', async () => {
    const outcome = await client.callTool({ name: 'openai-videos-nope', arguments: {} }).then(
      (result) => JSON.stringify(result),
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/Tool openai-videos-nope not found/);
  });

  it('refuses bad arguments in the server’s own voice, naming the field', async () => {
    const refused = await client.callTool({ name: 'openai-videos-create', arguments: { prompt: 42 } });
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toBeUndefined();
    expect((refused.content[0] as { text: string }).text).toMatch(/^prompt must be a string, not a number .*\(code: invalid_input\)$/s);
  });

  it('creates and waits with progress, saves the file, and lists it as a resource (not cached)', async () => {
    const progress: number[] = [];
    const created = await client.callTool(
      { name: 'openai-videos-create', arguments: { prompt: `generations ${kind}`, wait_for_completion: true, poll_interval_ms: 100 } },
      { onprogress: (update) => progress.push(update.progress) },
    );
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent).toMatchObject({ status: 'completed' });
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(readdirSync(folder.path).filter((name) => name.endsWith('.mp4'))).toHaveLength(1);
    const listed = await client.listResources();
    expect(listed.resources.some((resource) => resource.mimeType === 'video/mp4')).toBe(true);
    if (client.era === 'modern') expect(listed).toMatchObject({ ttlMs: 0, cacheScope: 'private' });
  });

  it('reads the view’s resource, and answers an unknown resource with -32602', async () => {
    const view = await client.readResource('ui://sora2-mcp/video.html');
    expect(view.contents[0]).toMatchObject({ mimeType: 'text/html;profile=mcp-app' });
    await expect(client.readResource('file:///nowhere/at-all.mp4')).rejects.toMatchObject({ code: -32602 });
  });

  it('stops polling at once when the call is cancelled, and keeps serving', async () => {
    provider.renderMs = 60_000;
    const polls = () => provider.requests.filter((r) => r.method === 'GET' && /\/videos\/video_\d+$/.test(r.path)).length;
    const before = polls();
    const controller = new AbortController();
    const pending = client.callTool(
      { name: 'openai-videos-create', arguments: { prompt: 'cancel me', wait_for_completion: true, poll_interval_ms: 100 } },
      { signal: controller.signal },
    );
    await provider.waitFor(() => polls() >= before + 2);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await stderr().waitFor(/stopped following video_\d+: the call was cancelled/);
    const after = polls();
    const next = await client.callTool({ name: 'openai-videos-list', arguments: {} });
    expect(next.isError).toBeFalsy();
    // A check already on the wire may still be recorded; none may follow it.
    expect(polls()).toBeLessThanOrEqual(after + 1);
    provider.renderMs = 0;
  });

  it('sends log notifications only at the level the client asked for', async () => {
    // A poll the provider refuses is logged at warn; a 2026 client asks per request, a 2025 one for its session.
    provider.intercept = (request) =>
      request.method === 'GET' && /\/videos\/video_\d+$/.test(request.path) && provider.count('GET', /\/videos\/video_\d+$/) % 2 === 1
        ? { status: 503, json: { error: { message: 'busy', type: 'server_error', param: null, code: null } } }
        : undefined;
    const args = { prompt: 'logged', wait_for_completion: true, poll_interval_ms: 100 };
    const before = client.logs.length;
    if (client.era === 'legacy') await client.setLoggingLevel('error');
    await client.callTool({ name: 'openai-videos-create', arguments: args });
    if (client.era === 'modern' || transport === 'stdio') expect(client.logs.slice(before)).toEqual([]);
    if (client.era === 'legacy') await client.setLoggingLevel('debug');
    const asked = client.logs.length;
    await client.callTool({ name: 'openai-videos-create', arguments: args }, { logLevel: 'debug' });
    provider.intercept = undefined;
    // Over stateless HTTP a 2025 session level has no session to live in: the environment's level (info) applies.
    expect(client.logs.slice(asked).some((log) => log.level === 'warning')).toBe(true);
  });
});

import { mp4 } from '../support/sample-files';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CallToolResult, LoggingMessageNotification, Progress } from '@modelcontextprotocol/sdk/types.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { FakeVideosServer } from '../support/fake-videos-server';
import { startBuiltServer, type RunningServer } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

type Result = CallToolResult & { structuredContent?: Record<string, unknown> };
const text = (result: Result) => JSON.stringify(result.content);

/** Waiting, progress, cancellation and a hiccuping provider, through the built server over stdio. */
describe('long-running jobs over stdio', () => {
  let provider: FakeVideosServer;
  let folder: ReturnType<typeof tempFolder>;
  let server: RunningServer;

  beforeEach(async () => {
    provider = await FakeVideosServer.start({ pollsToComplete: 4 });
    folder = tempFolder();
    server = await startBuiltServer({
      SORA2_MCP_API_KEY: provider.apiKey,
      OPENAI_BASE_URL: provider.baseURL,
      MEDIA_GEN_DIRS: folder.path,
      SORA2_MCP_DOWNLOAD_IDLE_TIMEOUT_MS: '500',
    });
  });
  afterEach(async () => {
    await server.close();
    await provider.close();
    expect(provider.violations).toEqual([]);
    folder.remove();
  });

  const waitArgs = { prompt: 'waiting', wait_for_completion: true, poll_interval_ms: 100 };
  const call = async (args: Record<string, unknown>, options: Parameters<RunningServer['client']['callTool']>[2] = {}) =>
    (await server.client.callTool({ name: 'openai-videos-create', arguments: args }, undefined, options)) as Result;

  it('keeps a 5-second client timeout alive through a 15-second render with progress', async () => {
    provider.renderMs = 15_000;
    const progress: Progress[] = [];
    const result = await call(
      { ...waitArgs, poll_interval_ms: 1000, timeout_ms: 60_000 },
      { timeout: 5000, resetTimeoutOnProgress: true, onprogress: (update) => progress.push(update) },
    );
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 'completed' });
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress.some((update) => /in_progress \d+%/.test(update.message ?? ''))).toBe(true);
  }, 40_000);

  it('stops polling when the call is cancelled, and keeps serving', async () => {
    const controller = new AbortController();
    const polls = (requests: readonly { method: string; path: string }[]) =>
      requests.filter((r) => r.method === 'GET' && /\/videos\/video_\d+$/.test(r.path)).length;
    const before = polls(provider.requests);
    // A model the catalog does not know: no typical time, so the checks come at a quarter of the time waited.
    const pending = call({ ...waitArgs, prompt: 'waiting [hold]', model: 'acme-uncatalogued' }, { signal: controller.signal });
    await provider.waitFor((requests) => polls(requests) >= before + 3);
    controller.abort();
    await expect(pending).rejects.toThrow();
    // The server says so when its loop for the job has ended: from then on, no check can be sent.
    await server.waitForStderr(/stopped following video_\d+: the call was cancelled/);
    const after = polls(provider.requests);
    // One more round trip, for a check that was already on the wire to be recorded; none may follow it.
    await server.client.callTool({ name: 'openai-videos-list', arguments: {} });
    expect(polls(provider.requests)).toBeLessThanOrEqual(after + 1);
    const next = (await server.client.callTool({ name: 'openai-videos-list', arguments: {} })) as Result;
    expect(next.isError).toBeFalsy();
  });

  it('completes although the provider answers 429 and 503 on every other poll', async () => {
    let polls = 0;
    provider.intercept = (request) => {
      if (request.method !== 'GET' || !/\/videos\/video_/.test(request.path)) return undefined;
      polls += 1;
      if (polls % 2 === 0) return undefined;
      return polls % 4 === 1
        ? {
            status: 429,
            headers: { 'retry-after-ms': '50' },
            json: { error: { message: 'slow down', type: 'rate_limit', param: null, code: null } },
          }
        : { status: 503, json: { error: { message: 'busy', type: 'server_error', param: null, code: null } } };
    };
    const result = await call(waitArgs);
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 'completed' });
    expect(provider.count('POST', /\/videos$/)).toBe(1);
  });

  it('ends a failed job with isError naming the video, its code and message', async () => {
    const result = await call({ ...waitArgs, prompt: 'this one will [fail]' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(text(result)).toMatch(
      /video_\d+ failed at progress \d+% \(code: moderation_blocked\): The prompt was blocked by moderation\. Nothing/,
    );
  });

  it('times out with the video id, last status and progress, and how to follow up', async () => {
    provider.renderMs = 60_000;
    const result = await call({ ...waitArgs, timeout_ms: 1000 });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/video_\d+ did not finish within 1000 ms \(last status: in_progress, progress \d+%\).*retrieve/);
    expect(text(result)).toContain('job_timeout');
  });

  it('retries a download cut off mid-body and leaves no partial file', async () => {
    provider.content.video = { bytes: mp4(300_000), type: 'video/mp4' };
    provider.cuts.push('truncate-with-length', 'truncate-without-length');
    const result = await call({ ...waitArgs, file: 'retry' });
    expect(result.isError).toBeFalsy();
    expect(readFileSync(path.join(folder.path, 'retry.mp4')).equals(provider.content.video.bytes)).toBe(true);
    expect(readdirSync(folder.path)).toEqual(['retry.mp4']);
  });

  it('aborts a stalled download with its idle timeout and retries it', async () => {
    provider.content.video = { bytes: mp4(100_000), type: 'video/mp4' };
    provider.cuts.push('stall-mid-body');
    const result = await call({ ...waitArgs, file: 'stalled' });
    expect(result.isError).toBeFalsy();
    expect(readdirSync(folder.path)).toEqual(['stalled.mp4']);
    expect(provider.count('GET', /\/content$/)).toBe(2);
  });

  it('gives up after repeated cut-offs with a clear error and no file', async () => {
    provider.cuts.push('truncate-with-length', 'truncate-with-length', 'truncate-with-length');
    provider.content.video = { bytes: mp4(10_000), type: 'video/mp4' };
    const result = await call({ ...waitArgs, file: 'never' });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/Downloading the video of video_\d+ failed: the body was cut short/);
    expect(readdirSync(folder.path)).toEqual([]);
  });

  it('sends log notifications at the level the client sets', async () => {
    const logs: LoggingMessageNotification['params'][] = [];
    server.client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      logs.push(notification.params);
    });
    await server.client.setLoggingLevel('debug');
    // Three 503s in a row outlast the SDK's own two retries, so the wait loop's backoff takes over.
    provider.intercept = (request) =>
      request.method === 'GET' && provider.count('GET', /\/videos\/video_/) <= 3
        ? { status: 503, json: { error: { message: 'busy', type: 'server_error', param: null, code: null } } }
        : undefined;
    await call(waitArgs);
    const warning = logs.find((log) => log.level === 'warning');
    expect(warning).toBeDefined();
    expect(JSON.stringify(warning!.data)).toMatch(/polling video_\d+: .*retrying in \d+ ms/);
    expect(logs.every((log) => ['debug', 'info', 'notice', 'warning', 'error'].includes(log.level))).toBe(true);
  });

  it('serves 50 concurrent waits with 10 cancelled half-way', async () => {
    provider.renderMs = 2000;
    const controllers = Array.from({ length: 50 }, () => new AbortController());
    const creates = provider.count('POST', /\/videos$/);
    // The ten to be cancelled are held at the provider, so they are still running when the cancel comes, however slow the machine.
    const calls = controllers.map((controller, i) =>
      call(
        { ...waitArgs, poll_interval_ms: 250, file: `job${i}`, prompt: i < 10 ? `job ${i} [hold]` : `job ${i}` },
        { signal: controller.signal },
      ).then(
        (result) => ({ ok: true as const, result }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    );
    // Cancel half-way: once every job exists at the provider.
    await provider.waitFor((requests) => requests.filter((r) => r.method === 'POST' && /\/videos$/.test(r.path)).length >= creates + 50);
    for (const controller of controllers.slice(0, 10)) controller.abort();
    const outcomes = await Promise.all(calls);
    expect(outcomes.slice(0, 10).every((outcome) => !outcome.ok)).toBe(true);
    const finished = outcomes.slice(10);
    expect(finished.every((outcome) => outcome.ok && !outcome.result.isError)).toBe(true);
    const files = readdirSync(folder.path).sort();
    expect(files).toHaveLength(40);
    expect(files.every((file) => /^job\d+\.mp4$/.test(file))).toBe(true);
    expect(provider.count('POST', /\/videos$/)).toBe(creates + 50);
  }, 30_000);
});

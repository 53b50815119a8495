import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FalFake } from '../support/gateways/fal';
import { GeminiFake } from '../support/gateways/gemini';
import { solid } from '../support/images';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BUILT_SERVER, serverEnv, startBuiltServer, type RunningServer } from '../support/stdio-server';
import { tempFolder } from '../support/temp';
import { loopbackCertificate } from '../support/tls';

/**
 * fal's queue API and Google's Gemini API, each through the built server over stdio against its loopback fake,
 * configured as the README says: the dialect named, the key in the provider's own variable.
 */
const execFileAsync = promisify(execFile);
type Result = CallToolResult & { structuredContent?: Record<string, unknown> };
const text = (result: Result): string => result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
const links = (result: Result) => result.content.filter((block) => block.type === 'resource_link') as { uri: string }[];

async function serve(env: Record<string, string>) {
  const folder = tempFolder();
  const server: RunningServer = await startBuiltServer({ MEDIA_GEN_DIRS: folder.path, ...env });
  const call = async (name: string, args: Record<string, unknown>) => (await server.client.callTool({ name, arguments: args })) as Result;
  return { server, folder, call, close: async () => (await server.close(), folder.remove()) };
}

const image = async (width: number, height: number, colour = '#2878c8') =>
  `data:image/png;base64,${(await solid(width, height, 'png', colour)).toString('base64')}`;

describe("fal's queue API (SORA2_MCP_DIALECT=fal, FAL_KEY)", () => {
  let fal: FalFake;
  let t: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    fal = await FalFake.start();
    t = await serve({
      SORA2_MCP_DIALECT: 'fal',
      SORA2_MCP_BASE_URL: fal.baseURL,
      FAL_KEY: fal.apiKey,
      // An OpenAI key in the same environment must never reach fal.
      OPENAI_API_KEY: 'sk-proj-never-sent-to-fal-0123456789',
      NODE_EXTRA_CA_CERTS: loopbackCertificate().certFile,
    });
  });
  afterAll(async () => {
    await t.close();
    await fal.close();
  });

  it('lists only the tools fal can serve: no remix, list or delete, and a cancel', async () => {
    const names = (await t.server.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining(['openai-videos-create', 'openai-videos-retrieve', 'openai-videos-cancel', 'openai-videos-models']),
    );
    for (const absent of ['openai-videos-remix', 'openai-videos-list', 'openai-videos-delete']) expect(names).not.toContain(absent);
    const unknown = await t.call('openai-videos-remix', { video_id: 'x', prompt: 'y' }).catch((error: Error) => error);
    expect(String(unknown instanceof Error ? unknown.message : text(unknown))).toMatch(/not found|unknown tool/i);
  });

  it("lists fal's models with their controls, prices and render times", async () => {
    const models = await t.call('openai-videos-models', {});
    expect(models.isError).toBeFalsy();
    const rows = models.structuredContent!.data as Record<string, unknown>[];
    // Only what fal serves: no catalog model of another provider beside them.
    expect(rows.map((row) => row.id)).not.toContain('sora-2');
    expect(rows.find((row) => row.id === 'fal-ai/veo3.1/first-last-frame-to-video')).toMatchObject({
      seconds: ['4', '6', '8'],
      input_reference: 'required',
      controls: { last_frame: true, seed: true, negative_prompt: true, generate_audio: 'optional', resolutions: ['720p', '1080p', '4K'] },
      price_usd_per_second: 0.2,
      typical_render_seconds: 90,
    });
    expect(rows.find((row) => row.id === 'fal-ai/kling-video/v3/pro/image-to-video')).toMatchObject({ controls: { seed: false } });
  });

  it("sends first and last frame, duration, aspect ratio, resolution, sound and seed in the model's own fields, and saves the CDN's bytes without the key", async () => {
    const first = await image(1280, 720);
    const last = await image(1280, 720, '#c87828');
    const created = await t.call('openai-videos-create', {
      prompt: 'A paper boat drifts from dawn to dusk',
      model: 'fal-ai/veo3.1/first-last-frame-to-video',
      input_reference: first,
      last_frame: last,
      seconds: 6,
      aspect_ratio: '16:9',
      resolution: '720p',
      generate_audio: false,
      seed: 42,
      negative_prompt: 'text, watermark',
      wait_for_completion: true,
      poll_interval_ms: 100,
    });
    expect(created.isError).toBeFalsy();
    const [sent] = fal.submitted('fal-ai/veo3.1/first-last-frame-to-video');
    expect(sent).toEqual({
      prompt: 'A paper boat drifts from dawn to dusk',
      first_frame_url: first,
      last_frame_url: last,
      duration: '6s',
      aspect_ratio: '16:9',
      resolution: '720p',
      generate_audio: false,
      seed: 42,
      negative_prompt: 'text, watermark',
    });
    // 6 s silent at 720p: $0.20 a second.
    expect(created.structuredContent).toMatchObject({
      status: 'completed',
      model: 'fal-ai/veo3.1/first-last-frame-to-video',
      estimated_cost_usd: 1.2,
    });
    expect(readFileSync(fileURLToPath(links(created)[0]!.uri)).equals(fal.content.bytes)).toBe(true);
    // The key went to the queue with fal's own scheme, and never to the CDN.
    expect(fal.requests.every((request) => request.headers.authorization === `Key ${fal.apiKey}`)).toBe(true);
    expect(fal.cdn.requests).toHaveLength(1);
    expect(fal.cdn.withCredentials).toEqual([]);
    // Followed by the URLs fal named, with its logs asked for.
    expect(fal.received('GET', /\/requests\/[^/]+\/status$/).every((request) => request.query.get('logs') === '1')).toBe(true);
  });

  it('refuses, before anything is sent, a control the model lacks and a frame it needs', async () => {
    const before = fal.requests.length;
    const seed = await t.call('openai-videos-create', {
      prompt: 'x',
      model: 'fal-ai/kling-video/v3/pro/image-to-video',
      input_reference: await image(1280, 720),
      seed: 7,
    });
    expect(seed.isError).toBe(true);
    expect(text(seed)).toMatch(/seed/);
    const noFrame = await t.call('openai-videos-create', { prompt: 'x', model: 'fal-ai/veo3.1/image-to-video' });
    expect(noFrame.isError).toBe(true);
    expect(text(noFrame)).toMatch(/first-frame image|input_reference/);
    const duration = await t.call('openai-videos-create', { prompt: 'x', model: 'fal-ai/veo3.1', seconds: 5 });
    expect(duration.isError).toBe(true);
    expect(text(duration)).toMatch(/seconds[\s\S]*4, 6, 8|4, 6 or 8/);
    expect(fal.requests.length).toBe(before);
  });

  it("explains a filtered and a failed job in fal's words", async () => {
    const filtered = await t.call('openai-videos-create', {
      prompt: 'x [filtered]',
      model: 'fal-ai/veo3.1',
      wait_for_completion: true,
      poll_interval_ms: 100,
    });
    expect(filtered.isError).toBe(true);
    expect(text(filtered)).toMatch(/flagged by a content checker/);
    expect(text(filtered)).toMatch(/content_policy_violation/);
    const failed = await t.call('openai-videos-create', {
      prompt: 'x [fail]',
      model: 'fal-ai/veo3.1',
      wait_for_completion: true,
      poll_interval_ms: 100,
    });
    expect(failed.isError).toBe(true);
    expect(text(failed)).toMatch(/could not be generated/);
  });

  it('cancels a queued job, which then ends having made nothing', async () => {
    const created = await t.call('openai-videos-create', { prompt: 'a queued job [stuck]', model: 'fal-ai/veo3.1' });
    const id = created.structuredContent!.id as string;
    expect(id).toMatch(/^fal-ai\/veo3\.1\/requests\/[0-9a-f-]{36}$/);
    const cancelled = await t.call('openai-videos-cancel', { video_id: id });
    expect(cancelled.isError).toBeFalsy();
    expect(cancelled.structuredContent).toMatchObject({ id, outcome: 'cancelled', provider_status: 'OK' });
    expect(text(cancelled)).toMatch(/before it ran: it made nothing and costs nothing/);
    expect(fal.received('PUT', /\/requests\/[^/]+\/cancel$/)).toHaveLength(1);
    const again = await t.call('openai-videos-cancel', { video_id: id });
    expect(again.isError).toBe(true);
    expect(text(again)).toMatch(/already finished/);
  });

  it('tells a waiting client the time taken and the time left every few seconds, without asking fal more often', async () => {
    fal.runningPolls = 1_000;
    const polls = () => fal.received('GET', /\/status$/).length;
    const before = polls();
    const updates: { progress: number; message?: string }[] = [];
    try {
      const result = (await t.server.client.callTool(
        {
          name: 'openai-videos-create',
          arguments: { prompt: 'a long render', model: 'fal-ai/veo3.1', wait_for_completion: true, timeout_ms: 7000 },
        },
        undefined,
        { onprogress: (update) => updates.push(update), timeout: 60_000 },
      )) as Result;
      expect(text(result)).toMatch(/did not finish within 7000 ms/);
    } finally {
      fal.runningPolls = 1;
    }
    const waiting = updates.filter((update) => /elapsed, about \d+s left/.test(update.message ?? ''));
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    // fal reports no percentage: the bar still moves, by the time taken against the model's usual render time.
    expect(waiting.some((update) => /by the time taken/.test(update.message ?? ''))).toBe(true);
    for (let i = 1; i < updates.length; i += 1) expect(updates[i]!.progress).toBeGreaterThan(updates[i - 1]!.progress);
    expect(polls() - before).toBeLessThan(waiting.length);
  });

  it('says a rate limit is a rate limit, with the wait fal asked for', async () => {
    fal.rateLimit = 1;
    const limited = await t.call('openai-videos-create', { prompt: 'x', model: 'fal-ai/veo3.1' });
    expect(limited.isError).toBe(true);
    expect(text(limited)).toMatch(
      /Fal is rate limiting requests .*It asked for 2 s: wait that long and try again; nothing was started\. \(code: rate_limited\)/,
    );
  });
});

describe("Google's Gemini API (its host chooses the dialect; GEMINI_API_KEY)", () => {
  let gemini: GeminiFake;
  let t: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    gemini = await GeminiFake.start();
    t = await serve({
      SORA2_MCP_DIALECT: 'gemini',
      SORA2_MCP_BASE_URL: gemini.baseURL,
      GEMINI_API_KEY: gemini.apiKey,
      NODE_EXTRA_CA_CERTS: loopbackCertificate().certFile,
    });
  });
  afterAll(async () => {
    await t.close();
    await gemini.close();
  });

  it('lists no remix, list, delete or cancel, and Veo models with prices', async () => {
    const names = (await t.server.client.listTools()).tools.map((tool) => tool.name);
    for (const absent of ['openai-videos-remix', 'openai-videos-list', 'openai-videos-delete', 'openai-videos-cancel'])
      expect(names).not.toContain(absent);
    const rows = (await t.call('openai-videos-models', {})).structuredContent!.data as Record<string, unknown>[];
    expect(rows.map((row) => row.id).sort()).toEqual(
      ['veo-3.0-fast-generate-001', 'veo-3.0-generate-001', 'veo-3.1-fast-generate-preview', 'veo-3.1-generate-preview'].sort(),
    );
    expect(rows.find((row) => row.id === 'veo-3.1-generate-preview')).toMatchObject({
      controls: { last_frame: true, reference_images: 3, generate_audio: 'always', seed: false },
      price_usd_per_second: 0.4,
    });
  });

  it("sends frames, duration, aspect ratio and resolution as Veo's own fields, follows the operation by its name, and saves the video", async () => {
    const first = await image(1280, 720);
    const last = await image(1280, 720, '#28c878');
    const created = await t.call('openai-videos-create', {
      prompt: 'A lighthouse at night',
      model: 'veo-3.1-generate-preview',
      input_reference: first,
      last_frame: last,
      seconds: 8,
      size: '1280x720',
      negative_prompt: 'people',
      provider_options: { personGeneration: 'allow_adult' },
      wait_for_completion: true,
      poll_interval_ms: 100,
    });
    expect(created.isError).toBeFalsy();
    const sent = gemini.received('POST', /:predictLongRunning$/)[0]!.json!;
    expect(sent).toEqual({
      instances: [
        {
          prompt: 'A lighthouse at night',
          image: { bytesBase64Encoded: first.split(',')[1], mimeType: 'image/png' },
          lastFrame: { bytesBase64Encoded: last.split(',')[1], mimeType: 'image/png' },
        },
      ],
      // provider_options join Veo's parameters, beside the ones the server sets.
      parameters: {
        durationSeconds: 8,
        aspectRatio: '16:9',
        resolution: '720p',
        negativePrompt: 'people',
        personGeneration: 'allow_adult',
      },
    });
    const id = created.structuredContent!.id as string;
    expect(id).toMatch(/^models\/veo-3\.1-generate-preview\/operations\/[0-9a-f]+$/);
    // Polled by its name, slashes as path segments.
    expect(gemini.received('GET', /\/operations\//).every((request) => request.rawPath === `/v1beta/${id}`)).toBe(true);
    expect(created.structuredContent).toMatchObject({ status: 'completed', estimated_cost_usd: 3.2, size: '1280x720' });
    expect(readFileSync(fileURLToPath(links(created)[0]!.uri)).equals(gemini.content.bytes)).toBe(true);
    // Both hops of the download were Google's and carried the key; no request ever carried a Bearer token.
    expect(gemini.received('GET', /files\/[a-z0-9]+:download$/).map((request) => request.rawPath.startsWith('/download/'))).toEqual([
      false,
      true,
    ]);
    expect(gemini.requests.every((request) => request.headers['x-goog-api-key'] === gemini.apiKey && !request.headers.authorization)).toBe(
      true,
    );
  });

  it('never sends the key to a video uri on another origin', async () => {
    gemini.foreignUri = true;
    try {
      const created = await t.call('openai-videos-create', { prompt: 'x', seconds: 4, wait_for_completion: true, poll_interval_ms: 100 });
      // Fetched from there like any public file: once, with no key and no other credential.
      expect(created.isError).toBeFalsy();
      expect(readFileSync(fileURLToPath(links(created)[0]!.uri)).equals(gemini.trap.content.bytes)).toBe(true);
      expect(gemini.trap.requests).toHaveLength(1);
      expect(gemini.trap.withKey).toEqual([]);
    } finally {
      gemini.foreignUri = false;
    }
  });

  it('says how long Google asked to wait when it rate-limits (its RetryInfo, not a header)', async () => {
    gemini.rateLimit = 1;
    const limited = await t.call('openai-videos-create', { prompt: 'x' });
    expect(limited.isError).toBe(true);
    expect(text(limited)).toMatch(/RESOURCE_EXHAUSTED[\s\S]*It asked for 20 s: wait that long/);
  });

  it('refuses seed and silent video before sending, saying why', async () => {
    const before = gemini.requests.length;
    const seed = await t.call('openai-videos-create', { prompt: 'x', seed: 1 });
    expect(text(seed)).toMatch(/the Gemini API has no field for seed[\s\S]*Vertex AI/i);
    const quiet = await t.call('openai-videos-create', { prompt: 'x', generate_audio: false });
    expect(text(quiet)).toMatch(/generate_audio[\s\S]*sound with every video/);
    const tooShort = await t.call('openai-videos-create', {
      prompt: 'x',
      model: 'veo-3.0-generate-001',
      resolution: '1080p',
      aspect_ratio: '16:9',
      seconds: 4,
    });
    expect(text(tooShort)).toMatch(/8 seconds/);
    expect(gemini.requests.length).toBe(before);
  });

  it('doctor names the dialect and the key variable, checks the key with a model list, and never prints the key', async () => {
    const folder = tempFolder();
    // Not spawnSync: the fake answers from this process, whose event loop must keep running.
    const run = await execFileAsync(process.execPath, [BUILT_SERVER, 'doctor'], {
      env: serverEnv({
        SORA2_MCP_DIALECT: 'gemini',
        SORA2_MCP_BASE_URL: gemini.baseURL,
        GEMINI_API_KEY: gemini.apiKey,
        MEDIA_GEN_DIRS: folder.path,
      }),
      encoding: 'utf8',
    });
    folder.remove();
    const out = `${run.stdout}${run.stderr}`;
    expect(out).toMatch(/dialect: gemini: Google's Gemini API[^\n]*its key variable is GEMINI_API_KEY/);
    expect(out).toMatch(/API key: set via GEMINI_API_KEY/);
    expect(out).toMatch(/the key is accepted; 4 Veo model\(s\) listed/);
    expect(out).not.toContain(gemini.apiKey);
  });

  it("explains a filtered and a failed operation in Google's words", async () => {
    const filtered = await t.call('openai-videos-create', { prompt: 'x [filtered]', wait_for_completion: true, poll_interval_ms: 100 });
    expect(filtered.isError).toBe(true);
    expect(text(filtered)).toMatch(/Support codes: 58061214/);
    const failed = await t.call('openai-videos-create', { prompt: 'x [fail]', wait_for_completion: true, poll_interval_ms: 100 });
    expect(failed.isError).toBe(true);
    expect(text(failed)).toMatch(/internal error/i);
  });
});

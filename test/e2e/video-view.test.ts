import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { CallToolResult } from '@modelcontextprotocol/client';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { BUILT_SERVER, SCRATCH_HOME } from '../support/stdio-server';
import { solid } from '../support/images';
import { tempFolder } from '../support/temp';

const ROOT = path.resolve(__dirname, '../..');

// The callbacks given to evaluate and waitForFunction run in the view's frame, on its DOM: functions,
// not strings, since the view's CSP (the spec's default) forbids eval. The test's tsconfig has no DOM types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the browser DOM, untyped here
declare const document: any;
const VIEW = 'ui://sora2-mcp/video.html';
const UI_EXTENSION = { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } };

/** A client of the built server over stdio; `apps` declares the MCP Apps extension, as hosts that render views do. */
async function connect(folder: string, apps: boolean): Promise<Client> {
  const client = new Client(
    { name: apps ? 'view-test-host' : 'plain-client', version: '1.0.0' },
    { capabilities: apps ? { extensions: UI_EXTENSION } : {} },
  );
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BUILT_SERVER],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: SCRATCH_HOME,
        SORA2_MCP_PROVIDER: 'simulator',
        MEDIA_GEN_DIRS: folder,
        // Long enough that the view sees the job in progress at its first checks.
        SORA2_MCP_SIMULATOR_RENDER_MS: '7000',
        // A ledger of its own (sequences keep their state there): never one another test's server holds open.
        SORA2_MCP_DATA_DIR: path.join(folder, '.ledger'),
      },
      stderr: 'ignore',
    }),
  );
  return client;
}

describe('tools/list links the video view (MCP Apps)', () => {
  let folder: ReturnType<typeof tempFolder>;
  beforeAll(() => (folder = tempFolder()));
  afterAll(() => folder.remove());

  it('from create, remix, retrieve and download; and gives the app-only media reader only to clients that render apps', async () => {
    const plain = await connect(folder.path, false);
    const apps = await connect(folder.path, true);
    try {
      const plainTools = (await plain.listTools()).tools;
      const linked = plainTools.filter((tool) => (tool._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri === VIEW);
      expect(linked.map((tool) => tool.name).sort()).toEqual([
        'openai-videos-create',
        'openai-videos-download-content',
        'openai-videos-remix',
        'openai-videos-retrieve',
        'openai-videos-sequence',
      ]);
      expect(plainTools.map((tool) => tool.name)).not.toContain('video_view_read');
      const reader = (await apps.listTools()).tools.find((tool) => tool.name === 'video_view_read');
      expect(reader?._meta?.ui).toEqual({ resourceUri: VIEW, visibility: ['app'] });
      const view = (await plain.readResource({ uri: VIEW })).contents[0] as { mimeType: string; text: string };
      expect(view.mimeType).toBe('text/html;profile=mcp-app');
      expect(Buffer.byteLength(view.text)).toBeLessThan(512 * 1024);
      // Self-contained: no script, style, image or frame is loaded from anywhere.
      expect(view.text).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?\/\//i);
      // Not listed: a UI-only resource (the spec allows leaving it out of resources/list).
      expect((await plain.listResources()).resources.map((resource) => resource.uri)).not.toContain(VIEW);
    } finally {
      await plain.close();
      await apps.close();
    }
  });

  it('reads media for the view only as resources/read would: items the store finds, nothing else', async () => {
    const apps = await connect(folder.path, true);
    try {
      const outside = await apps.callTool({
        name: 'video_view_read',
        arguments: { uri: 'file:///etc/passwd', offset: 0, length: 100 },
      });
      expect(outside.isError).toBe(true);
      expect(outside.structuredContent).toBeUndefined();
      const tooLong = await apps.callTool({
        name: 'video_view_read',
        arguments: { uri: 'file:///x.mp4', offset: 0, length: 10_000_000 },
      });
      expect(tooLong.isError).toBe(true);
    } finally {
      await apps.close();
    }
  });
});

describe('the video view in a real browser (Chromium), hosted by an AppBridge, on the simulator over stdio', () => {
  let folder: ReturnType<typeof tempFolder>;
  let client: Client;
  let browser: Browser;
  let page: Page;
  let view: Frame;
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  const viewCalls: { name: string; args: Record<string, unknown>; result: CallToolResult }[] = [];
  let created: CallToolResult & { structuredContent: { id: string } };
  let hostPage: string;

  beforeAll(async () => {
    folder = tempFolder();
    client = await connect(folder.path, true);
    const host = await esbuild.build({
      entryPoints: [path.join(ROOT, 'test', 'support', 'view-host', 'host.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      logLevel: 'silent',
    });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 760, height: 1080 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    page.on('request', (request) => requests.push(request.url()));
    await page.exposeFunction('hostCallTool', async (params: { name: string; arguments?: Record<string, unknown> }) => {
      const result = await client.callTool({ name: params.name, arguments: params.arguments ?? {} });
      viewCalls.push({ name: params.name, args: params.arguments ?? {}, result });
      return result;
    });
    await page.exposeFunction('hostReadResource', async (params: { uri: string }) => await client.readResource(params));
    hostPage =
      `<!doctype html><html><head><meta charset="utf-8"><title>test host</title></head>` +
      `<body style="margin:0;padding:12px;background:#eef0f3;font-family:sans-serif"><div id="host"></div>` +
      `<script>${host.outputFiles[0]!.text.replace(/<\/script/gi, '<\\/script')}</script></body></html>`;
    await page.setContent(hostPage);
    const prompt = 'A paper boat drifting across a calm pond at sunrise';
    const frame = `data:image/png;base64,${(await solid(1280, 720)).toString('base64')}`;
    const input = { prompt, size: '1280x720', seconds: '4', input_reference: frame };
    created = (await client.callTool({ name: 'openai-videos-create', arguments: input })) as typeof created;
    const html = ((await client.readResource({ uri: VIEW })).contents[0] as { text: string }).text;
    const attached = page.waitForEvent('frameattached');
    await page.evaluate(
      `window.startHost(${JSON.stringify({ html, toolName: 'openai-videos-create', toolInput: input, toolResult: created })})`,
    );
    view = await attached;
    await view.waitForLoadState('domcontentloaded');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await client?.close();
    folder?.remove();
  });

  it('renders the job card, and its progress rises while the view follows the job', async () => {
    await view.waitForFunction(() => document.getElementById('video-id').textContent.startsWith('video_'));
    expect(await view.textContent('#prompt')).toBe('A paper boat drifting across a calm pond at sunrise');
    expect(await view.textContent('#size')).toBe('1280x720');
    expect(await view.textContent('#seconds')).toBe('4 s');
    expect(await view.textContent('#model')).toBe('sora-2');
    // What the job was made with (from the call's arguments) and what it should cost (from its result).
    expect(await view.textContent('#controls')).toBe('a first frame');
    expect(await view.isHidden('#controls-row')).toBe(false);
    expect(await view.textContent('#cost')).toBe(
      `estimated $${((created.structuredContent as Record<string, unknown>).estimated_cost_usd as number).toFixed(2)}`,
    );
    // Between queued and done: a value the view got from a status check, neither 0 nor 100.
    await view.waitForFunction(() => document.getElementById('progress').value > 0 && document.getElementById('progress').value < 100);
    await view.waitForFunction(() => document.getElementById('progress').value === 100, undefined, { timeout: 60_000 });
    const checks = viewCalls.filter((call) => call.name === 'openai-videos-retrieve');
    expect(checks.length).toBeGreaterThanOrEqual(2);
    expect(checks.every((call) => call.args.video_id === created.structuredContent.id)).toBe(true);
  }, 90_000);

  it('plays the finished video: readyState reaches 2 and currentTime advances after play()', async () => {
    await view.waitForFunction(() => document.getElementById('player').readyState >= 2, undefined, { timeout: 60_000 });
    const played = await view.evaluate(async (): Promise<number> => {
      const player = document.getElementById('player');
      player.muted = true;
      await player.play();
      await new Promise<void>((resolve) => player.addEventListener('timeupdate', () => player.currentTime > 0.3 && resolve()));
      return player.currentTime;
    });
    expect(played).toBeGreaterThan(0.3);
    await view.waitForFunction(() => !document.getElementById('strip').hidden, undefined, { timeout: 60_000 });
    expect(await view.evaluate((): number => document.getElementById('spritesheet').naturalWidth)).toBeGreaterThan(0);
    // Saving a variant again goes through the download tool too.
    await view.locator('button[aria-label="Save the thumbnail again"]').press('Enter');
    await view.waitForFunction(() => document.querySelector('button[aria-label="Save the thumbnail again"]').disabled === false);
    // The three variants were saved with the download tool, at their default names, then the thumbnail once more.
    expect(viewCalls.filter((call) => call.name === 'openai-videos-download-content').map((call) => call.args.variant)).toEqual([
      'thumbnail',
      'video',
      'spritesheet',
      'thumbnail',
    ]);
    await view.evaluate(() => {
      const player = document.getElementById('player');
      player.pause();
      player.currentTime = 1.5;
    });
    await view.waitForFunction(() => document.getElementById('player').readyState >= 2);
    await view.waitForFunction(() => document.getElementById('status').textContent === 'Completed');
    mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
    const shot = path.join(ROOT, '.tmp', 'video-view.png');
    await page.mouse.move(0, 0);
    await page.locator('iframe').screenshot({ path: shot });
    if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(shot, path.join(ROOT, 'docs', 'images', 'video-view.png'));
  }, 90_000);

  it('is usable by keyboard and assistive technology: every control has a name', async () => {
    const unnamed = await view.evaluate((): string[] =>
      [...document.querySelectorAll('button, input, progress, video')]
        .filter((element: { id: string; textContent: string | null; getAttribute(name: string): string | null }) => {
          const labelled = element.id && document.querySelector(`label[for="${element.id}"]`);
          return !labelled && !element.getAttribute('aria-label') && !(element.textContent ?? '').trim();
        })
        .map((element: { outerHTML: string }) => element.outerHTML.slice(0, 80)),
    );
    expect(unnamed).toEqual([]);
    const field = view.locator('#remix-prompt');
    await field.pressSequentially('Same shot at dusk');
    await field.press('Tab');
    expect(await view.evaluate((): string => document.activeElement.id)).toBe('remix');
  });

  it('starts a remix from its button, which the simulator records, and follows the new job', async () => {
    // Activated from the keyboard, where the previous case left the focus.
    await view.locator('#remix').press('Enter');
    await view.waitForFunction((id: string) => document.getElementById('video-id').textContent !== id, created.structuredContent.id);
    const remix = viewCalls.find((call) => call.name === 'openai-videos-remix')!;
    expect(remix.args).toEqual({ video_id: created.structuredContent.id, prompt: 'Same shot at dusk' });
    const newId = (remix.result.structuredContent as { id: string }).id;
    const recorded = await client.callTool({ name: 'openai-videos-retrieve', arguments: { video_id: newId } });
    expect(recorded.structuredContent).toMatchObject({ id: newId, remixed_from_video_id: created.structuredContent.id });
    expect(await view.textContent('#prompt')).toBe('Same shot at dusk');
  });

  it("shows a failed job's message, and fits a narrow window", async () => {
    const narrow = await browser.newPage({ viewport: { width: 360, height: 800 } });
    narrow.on('pageerror', (error) => consoleErrors.push(String(error)));
    await narrow.exposeFunction('hostCallTool', async (params: { name: string; arguments?: Record<string, unknown> }) =>
      client.callTool({ name: params.name, arguments: params.arguments ?? {} }),
    );
    await narrow.exposeFunction('hostReadResource', async (params: { uri: string }) => client.readResource(params));
    await narrow.setContent(hostPage);
    const input = { prompt: 'a storm over the sea [fail]', size: '1280x720', seconds: '4' };
    const failing = await client.callTool({ name: 'openai-videos-create', arguments: input });
    const html = ((await client.readResource({ uri: VIEW })).contents[0] as { text: string }).text;
    const attached = narrow.waitForEvent('frameattached');
    await narrow.evaluate(
      `window.startHost(${JSON.stringify({ html, toolName: 'openai-videos-create', toolInput: input, toolResult: failing })})`,
    );
    const frame = await attached;
    // The frame attaches before its document loads (a busy machine shows the gap): wait for the view's own document.
    await frame.waitForLoadState('domcontentloaded');
    await frame.waitForFunction(() => document.getElementById('error')?.hidden === false, undefined, { timeout: 60_000 });
    expect(await frame.textContent('#error')).toMatch(/moderation.*\(moderation_blocked\)/i);
    expect(await frame.textContent('#title')).toBe('Video failed');
    // Nothing wider than the window: no sideways scrolling at 360 px.
    expect(await frame.evaluate((): boolean => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await narrow.close();
  }, 90_000);

  it("follows a sequence: each shot's status as the view advances it, then the joined video plays", async () => {
    const other = await browser.newPage({ viewport: { width: 760, height: 1080 } });
    other.on('pageerror', (error) => consoleErrors.push(String(error)));
    const asked: string[] = [];
    await other.exposeFunction('hostCallTool', async (params: { name: string; arguments?: Record<string, unknown> }) => {
      asked.push(params.name);
      return client.callTool({ name: params.name, arguments: params.arguments ?? {} });
    });
    await other.exposeFunction('hostReadResource', async (params: { uri: string }) => client.readResource(params));
    await other.setContent(hostPage);
    const input = {
      shots: [{ prompt: 'A lighthouse at dusk' }, { prompt: 'Its beam sweeps the sea' }],
      size: '1280x720',
      seconds: '4',
      file: 'lighthouse',
    };
    // Not waiting: the first shot is queued, and the view advances the sequence from there.
    const started = await client.callTool({ name: 'openai-videos-sequence', arguments: input });
    expect(started.isError ? JSON.stringify(started.content) : 'no error').toBe('no error');
    expect((started.structuredContent as { status: string }).status).toBe('running');
    const html = ((await client.readResource({ uri: VIEW })).contents[0] as { text: string }).text;
    const attached = other.waitForEvent('frameattached');
    await other.evaluate(
      `window.startHost(${JSON.stringify({ html, toolName: 'openai-videos-sequence', toolInput: input, toolResult: started })})`,
    );
    const frame = await attached;
    await frame.waitForLoadState('domcontentloaded');
    await frame.waitForFunction(() => document.querySelectorAll('#shots li').length === 2);
    expect(await frame.textContent('#title')).toBe('Making 2 shots');
    expect(await frame.textContent('#shots li:first-child')).toMatch(/^Shot 1: (queued|in_progress)/);
    // Each shot's status shows as it changes, then the joined video plays.
    await frame.waitForFunction(() => document.querySelector('#shots li:nth-child(2)').dataset.status !== 'waiting', undefined, {
      timeout: 120_000,
    });
    await frame.waitForFunction(() => document.getElementById('player').readyState >= 2, undefined, { timeout: 120_000 });
    expect(await frame.textContent('#title')).toBe('Sequence ready');
    expect(await frame.textContent('#status')).toBe('Completed · 2 shots joined · 8 s');
    expect(await frame.$$eval('#shots li', (items: { textContent: string }[]) => items.map((item) => item.textContent))).toEqual([
      'Shot 1: completed',
      'Shot 2: completed',
    ]);
    expect(await frame.evaluate(() => document.getElementById('player').duration)).toBeCloseTo(8, 0);
    expect(asked).toContain('openai-videos-sequence');
    expect(asked).toContain('video_view_read');
    await other.close();
  }, 240_000);

  it('wrote no console errors and sent no network request from the page', () => {
    expect(consoleErrors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('data:') && url !== 'about:blank' && url !== 'about:srcdoc')).toEqual([]);
  });
});

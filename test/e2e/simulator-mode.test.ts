import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startBuiltServer, type RunningServer } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

type Result = CallToolResult & { structuredContent?: Record<string, unknown> };

describe('the MCP server with SORA2_MCP_PROVIDER=simulator (no key, no network)', () => {
  let folder: ReturnType<typeof tempFolder>;
  let server: RunningServer;
  beforeAll(async () => {
    folder = tempFolder();
    server = await startBuiltServer({ SORA2_MCP_PROVIDER: 'simulator', MEDIA_GEN_DIRS: folder.path, SORA2_MCP_SIMULATOR_RENDER_MS: '300' });
  });
  afterAll(async () => {
    await server.close();
    folder.remove();
  });

  it('creates, waits and saves the three variants as real files', async () => {
    const result = (await server.client.callTool({
      name: 'openai-videos-create',
      arguments: {
        prompt: 'simulated sunrise',
        wait_for_completion: true,
        poll_interval_ms: 100,
        download_variants: ['video', 'thumbnail', 'spritesheet'],
      },
    })) as Result;
    expect(result.isError).toBeFalsy();
    const links = result.content.filter((block) => block.type === 'resource_link') as { uri: string; mimeType: string }[];
    expect(links.map((link) => link.mimeType)).toEqual(['video/mp4', 'image/webp', 'image/jpeg']);
    for (const link of links) expect(existsSync(fileURLToPath(link.uri))).toBe(true);
  });

  it('shows a failed job for the [fail] marker', async () => {
    const result = (await server.client.callTool({
      name: 'openai-videos-create',
      arguments: { prompt: 'please [fail]', wait_for_completion: true, poll_interval_ms: 100 },
    })) as Result;
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('moderation_blocked');
  });
});

describe('the default output folder', () => {
  it('saves under HOME/Videos/sora2-mcp when MEDIA_GEN_DIRS is not set (Linux), never in the temp folder', async () => {
    const home = tempFolder('sora2-mcp-home-');
    const server = await startBuiltServer({ HOME: home.path, SORA2_MCP_PROVIDER: 'simulator', SORA2_MCP_SIMULATOR_RENDER_MS: '100' });
    try {
      const result = (await server.client.callTool({
        name: 'openai-videos-create',
        arguments: { prompt: 'a home for videos', wait_for_completion: true, poll_interval_ms: 100 },
      })) as Result;
      expect(result.isError).toBeFalsy();
      const link = result.content.find((block) => block.type === 'resource_link') as { uri: string };
      const saved = fileURLToPath(link.uri);
      expect(path.dirname(saved)).toBe(path.join(home.path, 'Videos', 'sora2-mcp'));
      expect(existsSync(saved)).toBe(true);
    } finally {
      await server.close();
      home.remove();
    }
  });
});

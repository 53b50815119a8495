import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FakeVideosServer } from '../support/fake-videos-server';
import { BUILT_SERVER, SCRATCH_HOME } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

/**
 * The engines field says Node 20.9+, but users run 22 and 24: the stdio workflow runs under each,
 * with binaries from the npm registry's `node` package that `npm test`'s pretest fetches
 * (scripts/install-system-deps.sh records their paths).
 */
const RECORD = path.resolve(__dirname, '../../.tmp/node-versions.json');
const nodes = existsSync(RECORD) ? (JSON.parse(readFileSync(RECORD, 'utf8')) as Record<string, string>) : {};

describe.each(['22', '24'])('the built server under Node %s', (major) => {
  it('runs the stdio workflow: tools, create, follow, download', async () => {
    const binary = nodes[major];
    if (!binary)
      throw new Error(`No Node ${major} recorded in ${RECORD}: run npm test (its pretest fetches it) or scripts/install-system-deps.sh`);
    const provider = await FakeVideosServer.start({ pollsToComplete: 2 });
    const folder = tempFolder();
    const transport = new StdioClientTransport({
      command: binary,
      args: [BUILT_SERVER],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: SCRATCH_HOME,
        SORA2_MCP_API_KEY: provider.apiKey,
        OPENAI_BASE_URL: provider.baseURL,
        MEDIA_GEN_DIRS: folder.path,
      },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = new Client({ name: `node-${major}`, version: '1' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools).toHaveLength(10);
      const created = (await client.callTool({
        name: 'openai-videos-create',
        arguments: { prompt: `on node ${major}`, wait_for_completion: true, poll_interval_ms: 100, file: `node${major}` },
      })) as CallToolResult;
      expect(created.isError).toBeFalsy();
      const link = created.content.find((block) => block.type === 'resource_link') as { uri: string };
      expect(readFileSync(fileURLToPath(link.uri)).equals(provider.content.video.bytes)).toBe(true);
      expect(stderr).toContain(`ready: provider openai`);
      expect(provider.violations).toEqual([]);
    } finally {
      await client.close();
      await provider.close();
      folder.remove();
    }
    // The binary is that version.
    expect(execFileSync(binary, ['--version'], { encoding: 'utf8' })).toMatch(new RegExp(`^v${major}\\.`));
  });
});

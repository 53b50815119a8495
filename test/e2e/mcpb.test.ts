import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { solid } from '../support/images';
import { tempFolder } from '../support/temp';

const ROOT = path.resolve(__dirname, '../..');
const MCPB = path.join(ROOT, 'node_modules', '.bin', 'mcpb');

/** The Claude Desktop bundle: built, validated, unpacked, and run as Claude Desktop would run it. */
describe('the MCPB bundle (npm run pack:mcpb)', () => {
  let bundle: string;
  beforeAll(() => {
    // Twice, as a user who rebuilds would: the second run replaces the first one's bundle and stage.
    for (let run = 0; run < 2; run += 1)
      execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'pack-mcpb.js')], { cwd: ROOT, stdio: 'pipe' });
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    bundle = path.join(ROOT, 'dist', `sora2-mcp-${pkg.version}-${process.platform}-${process.arch}.mcpb`);
  }, 120_000);

  it('has a manifest that mcpb validates, with the user settings a Claude Desktop user fills in', () => {
    expect(execFileSync(MCPB, ['validate', path.join(ROOT, 'manifest.json')], { encoding: 'utf8' })).toContain('validation passes');
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'manifest.json'), 'utf8')) as {
      manifest_version: string;
      user_config: Record<string, { sensitive?: boolean }>;
    };
    expect(Number(manifest.manifest_version)).toBeGreaterThanOrEqual(0.3);
    expect(Object.keys(manifest.user_config).sort()).toEqual(['api_key', 'base_url', 'output_folder', 'provider']);
    expect(manifest.user_config.api_key!.sensitive).toBe(true);
  });

  it('unpacks to a server that runs: lists its tools and makes a video with a fitted reference image (native sharp inside)', async () => {
    expect(existsSync(bundle)).toBe(true);
    const unpacked = tempFolder('sora2-mcpb-');
    const output = tempFolder('sora2-mcpb-out-');
    execFileSync(MCPB, ['unpack', bundle, unpacked.path], { stdio: 'pipe' });
    expect(readdirSync(unpacked.path)).toEqual(expect.arrayContaining(['manifest.json', 'server', 'node_modules', 'THIRD_PARTY_NOTICES']));
    // As Claude Desktop would start it: the manifest's env with the user's settings filled in (and an empty base URL).
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(unpacked.path, 'server', 'index.js')],
      env: {
        PATH: process.env.PATH ?? '',
        SORA2_MCP_PROVIDER: 'simulator',
        SORA2_MCP_API_KEY: '',
        OPENAI_BASE_URL: '',
        MEDIA_GEN_DIRS: output.path,
      },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'claude-desktop-like', version: '1' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools).toHaveLength(10);
      const reference = `data:image/png;base64,${(await solid(300, 200)).toString('base64')}`;
      const result = (await client.callTool({
        name: 'openai-videos-create',
        arguments: {
          prompt: 'from the bundle',
          input_reference: reference,
          input_reference_fit: 'cover',
          wait_for_completion: true,
          poll_interval_ms: 100,
        },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      const link = result.content.find((block) => block.type === 'resource_link') as { uri: string };
      expect(existsSync(fileURLToPath(link.uri))).toBe(true);
      // The MCP Apps view travels in the bundle too (Claude Desktop renders it).
      const view = (await client.readResource({ uri: 'ui://sora2-mcp/video.html' })).contents[0] as { text: string };
      expect(view.text).toMatch(/^<!doctype html>/i);
    } finally {
      await client.close();
      unpacked.remove();
      output.remove();
    }
  }, 60_000);
});

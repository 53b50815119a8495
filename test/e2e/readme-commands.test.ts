import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { FakeVideosServer } from '../support/fake-videos-server';
import { clientOf, startBuiltHttp } from '../support/http-server';
import { LoopbackS3 } from '../support/s3-server';

/**
 * The README's own commands, run as it writes them, with only what stands for the reader's world swapped for loopback
 * services (the provider, the bucket, a port). The quick start, install and development lines are what `.ci/run` and
 * `npm test` run; the client recipes are checked by test/unit/readme.test.ts; the library lines by test/e2e/library.test.ts.
 */
const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** The README's "Serve a team" command: its variables and its `node build/index.js http …` arguments. */
function teamCommand(): { env: Record<string, string>; args: string[] } {
  const section = readme.slice(readme.indexOf('## Serve a team'));
  const block = /```bash\n([\s\S]*?)```/.exec(section)![1]!;
  const lines = block
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const command = lines.find((line) => line.includes('node build/index.js http'))!;
  const env = Object.fromEntries([...command.matchAll(/([A-Z][A-Z0-9_]+)=(\S+)/g)].map((match) => [match[1]!, match[2]!]));
  const args = command
    .slice(command.indexOf('node build/index.js http') + 'node build/index.js http'.length)
    .trim()
    .split(/\s+/);
  expect(lines.some((line) => line.startsWith('export SORA2_MCP_HTTP_TOKEN='))).toBe(true);
  return { env, args };
}

/** A POST with the Host header given (fetch would not send a Host of its own choosing). */
function rawPost(port: number, host: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { host, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe("the README's team command", () => {
  it('serves a team: the token is required, the allowed host is served, and a video lands in the bucket', async () => {
    const { env, args } = teamCommand();
    expect(Object.keys(env).sort()).toEqual(['AWS_REGION', 'OPENAI_BASE_URL', 'SORA2_MCP_API_KEY', 'SORA2_MCP_STORE']);
    expect(args).toEqual(['--host', '127.0.0.1', '--port', '8080', '--allowed-host', 'mcp.team.example']);
    const provider = await FakeVideosServer.start();
    const s3 = await LoopbackS3.start('team-videos');
    const token = 'a-team-token-of-32-characters-xx';
    // The reader's provider, bucket and port become loopback ones; everything else is the README's.
    const server = await startBuiltHttp(
      args.map((arg, i) => (args[i - 1] === '--port' ? '0' : arg)),
      {
        ...s3.env('renders/'),
        SORA2_MCP_HTTP_TOKEN: token,
        SORA2_MCP_API_KEY: provider.apiKey,
        OPENAI_BASE_URL: provider.baseURL,
        SORA2_MCP_STORE: env.SORA2_MCP_STORE!,
      },
    );
    try {
      expect((await fetch(`${server.url}`, { method: 'POST', body: '{}' })).status).toBe(401);
      // The --allowed-host name gets as far as the token check; any other name is refused before it (DNS rebinding).
      const status = async (host: string) => (await rawPost(server.port, host)).status;
      expect(await status(`mcp.team.example:${server.port}`)).toBe(401);
      expect(await status(`evil.example:${server.port}`)).toBe(403);
      const client = await clientOf('2026-07-28', server.url, token);
      const job = provider.addJob();
      const saved = (await client.callTool({ name: 'openai-videos-download-content', arguments: { video_id: job.video.id } })) as {
        isError?: boolean;
        content: { type: string; uri?: string }[];
      };
      expect(saved.isError).toBeFalsy();
      expect(saved.content.find((block) => block.type === 'resource_link')!.uri).toMatch(/^https?:\/\/.*renders/);
      await client.close();
    } finally {
      await server.close();
      await s3.close();
      await provider.close();
    }
  }, 60_000);
});

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
const clients = readFileSync(path.resolve(__dirname, '../../docs/clients.md'), 'utf8');
const blocks = (language: string, text = `${readme}\n${clients}`) =>
  [...text.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]!);

/** Every server entry in a client config, whatever the client calls its container. */
function entries(config: Record<string, unknown>): [string, Record<string, unknown>][] {
  const container = (config.mcpServers ?? config.servers ?? config.mcp ?? config.extensions) as
    Record<string, Record<string, unknown>> | undefined;
  return container ? Object.entries(container) : [];
}

describe('the client recipes (README and docs/clients.md)', () => {
  it("are valid JSON and YAML, keyed sora2-mcp, starting the checkout's build/index.js with documented variables", () => {
    const configs = [
      ...blocks('json').map((text) => JSON.parse(text) as Record<string, unknown>),
      ...blocks('yaml').map((text) => parseYaml(text) as Record<string, unknown>),
    ];
    const servers = configs.flatMap(entries);
    expect(servers.length).toBe(7);
    for (const [key, server] of servers) {
      expect(key).toBe('sora2-mcp');
      const command = [server.command ?? server.cmd, ...((server.args as string[] | undefined) ?? [])].flat();
      // The package is not on npm yet: every recipe starts what a checkout builds, which works today.
      expect(command).toEqual(['node', '/path/to/sora2-mcp/build/index.js']);
      const env = (server.env ?? server.environment ?? server.envs) as Record<string, string>;
      for (const name of Object.keys(env)) expect(readme).toContain(`| \`${name}\``);
    }
  });

  it('use the canonical name in every command line', () => {
    for (const text of blocks('bash')) {
      for (const line of text.split('\n').filter((l) => /mcp add|--add-mcp/.test(l))) {
        expect(line).toMatch(/sora2-mcp/);
        expect(line).not.toMatch(/"Sora2( MCP)?"/);
      }
    }
    expect(blocks('toml').join('\n')).toContain('[mcp_servers.sora2-mcp]');
  });
});

describe('the README', () => {
  it('is short enough to read top to bottom, and leads with what works before the package is published', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(450);
    const install = readme.indexOf('npm ci && npm run build');
    expect(install).toBeGreaterThan(0);
    expect(install).toBeLessThan(readme.indexOf('## Providers'));
    // An npx recipe would fail today with npm's 404: every command line starts the checkout's build.
    for (const text of blocks('bash', readme)) expect(text).not.toMatch(/npx -y sora2-mcp|npx sora2-mcp/);
  });

  it('links only to docs that exist', () => {
    for (const [, target] of readme.matchAll(/\]\((docs\/[^)#]+)/g))
      expect(existsSync(path.resolve(__dirname, '../..', target!))).toBe(true);
  });
});

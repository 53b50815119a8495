import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HELP } from '../../src/apps/help';
import { parseConfig } from '../../src/composition/config';
import { HTTP_FLAGS, parseFlags, SIMULATOR_FLAGS } from '../../src/config/flags';
import { registryVariables, renderConfigTable } from '../../src/config/reference';
import { ENV, VARIABLES } from '../../src/config/variables';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** Every variable and flag is in one table (src/config); what people read is made from it, and nothing else names one. */
describe('the one configuration table', () => {
  it("is the README's configuration table (regenerate with `npm run docs:config`)", () => {
    const block = /<!-- config:start -->\n([\s\S]*?)\n<!-- config:end -->/.exec(read('README.md'))?.[1];
    expect(block).toBe(renderConfigTable());
  });

  it("is server.json's environment variables, and the bundle's manifest names only variables it holds, secrets as sensitive", () => {
    const server = JSON.parse(read('server.json')) as { packages: { environmentVariables: unknown[] }[] };
    expect(server.packages[0]!.environmentVariables).toEqual(registryVariables());
    const manifest = JSON.parse(read('manifest.json')) as {
      server: { mcp_config: { env: Record<string, string> } };
      user_config: Record<string, { sensitive?: boolean }>;
    };
    for (const [name, value] of Object.entries(manifest.server.mcp_config.env)) {
      const variable = VARIABLES.find((item) => item.name === name);
      expect(variable?.name).toBe(name);
      const setting = /\$\{user_config\.(\w+)\}/.exec(value)?.[1];
      if (setting) expect(manifest.user_config[setting]!.sensitive === true).toBe(variable!.secret === true);
    }
  });

  it('is what --help lists: every variable the server reads and every flag', () => {
    for (const variable of VARIABLES.filter((item) => item.readBy === undefined && !item.replacedBy)) expect(HELP).toContain(variable.name);
    for (const flag of [...Object.values(HTTP_FLAGS), ...Object.values(SIMULATOR_FLAGS)]) expect(HELP).toContain(flag.name);
  });

  it('writes each default once, as a value its own schema accepts, and the server starts with exactly those values', () => {
    const settings = [...VARIABLES, ...Object.values(HTTP_FLAGS), ...Object.values(SIMULATOR_FLAGS)];
    for (const setting of settings.filter((item) => item.default !== undefined)) {
      expect([setting.name, setting.schema.safeParse(setting.default).success]).toEqual([setting.name, true]);
    }
    const config = parseConfig({ HOME: '/home/someone' }, { platform: 'linux', home: '/home/someone' });
    expect(config).toMatchObject({
      serverName: 'sora2-mcp',
      toolset: 'openai-videos',
      logLevel: 'info',
      requestTimeoutMs: 120_000,
      downloadIdleTimeoutMs: 60_000,
      maxDownloadBytes: 4096 * 1024 * 1024,
      downloadTimeoutMs: 1_800_000,
      simulatorRenderMs: 3000,
      budgetPeriod: 'day',
      provider: 'openai',
    });
    expect(parseFlags(HTTP_FLAGS, ['--port', '0'])).toEqual({ port: 0, host: '127.0.0.1', maxRequestBodies: 8 });
    expect(parseFlags(SIMULATOR_FLAGS, [])).toEqual({ port: 8787, host: '127.0.0.1' });
    expect(HELP).toContain('address to listen on (default 127.0.0.1)');
  });

  it('gives a bad value the sentence its entry says, naming the value', () => {
    expect(ENV.requestTimeout.schema.safeParse('12s').error?.issues[0]?.message).toBe(
      '"12s" is not a whole number of milliseconds from 1000 to 3600000.',
    );
    expect(ENV.maxCost.schema.safeParse('-1').error?.issues[0]?.message).toBe(
      '"-1" is not an amount of US dollars above 0, such as 5 or 2.50.',
    );
    expect(ENV.toolset.schema.safeParse('other').error?.issues[0]?.message).toBe('"other" is not one of openai-videos, sora2, all.');
    expect(ENV.maxDownload.schema.parse('2')).toBe(2 * 1024 * 1024);
  });

  it('is the only place in the code that names an environment variable (comments may, as documentation)', () => {
    const names = new RegExp(`\\b(${VARIABLES.map((variable) => variable.name).join('|')})\\b`);
    const files = (function walk(dir: string): string[] {
      return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? walk(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
      );
    })(path.join(ROOT, 'src'));
    const offenders = files
      .filter((file) => !file.includes(`${path.sep}src${path.sep}config${path.sep}`))
      .filter((file) => {
        const code = readFileSync(file, 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
        return names.test(code);
      })
      .map((file) => path.relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});

import path from 'node:path';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { ConfigError, defaultOutputFolder, parseConfig, secretsOf } from '../../src/composition/config';

describe('parseConfig', () => {
  it('has working defaults', () => {
    const config = parseConfig({}, { platform: 'linux', home: '/home/ana' });
    expect(config).toMatchObject({
      serverName: 'sora2-mcp',
      apiKey: undefined,
      provider: 'openai',
      toolset: 'openai-videos',
      logLevel: 'info',
      roots: [path.join('/home/ana', 'Videos', 'sora2-mcp')],
      urlAllowlist: undefined,
      azureKeySet: false,
    });
  });

  it('chooses the store: the folders by default, or an S3 bucket prefix with its link settings', () => {
    expect(parseConfig({}, { platform: 'linux', home: '/h' }).store).toEqual({ kind: 'filesystem' });
    expect(parseConfig({ SORA2_MCP_STORE: 's3://team-videos/renders/2026' }).store).toEqual({
      kind: 's3',
      bucket: 'team-videos',
      prefix: 'renders/2026/',
      forcePathStyle: false,
      urlTtlSeconds: 3600,
      publicUrl: undefined,
    });
    expect(
      parseConfig({
        SORA2_MCP_STORE: 's3://minio-bucket',
        SORA2_MCP_S3_FORCE_PATH_STYLE: '1',
        SORA2_MCP_S3_URL_TTL: '600',
        SORA2_MCP_S3_PUBLIC_URL: 'https://cdn.example/v',
      }).store,
    ).toMatchObject({ prefix: '', forcePathStyle: true, urlTtlSeconds: 600, publicUrl: 'https://cdn.example/v' });
    for (const [env, variable] of [
      [{ SORA2_MCP_STORE: 'gs://bucket' }, 'SORA2_MCP_STORE'],
      [{ SORA2_MCP_STORE: 's3://Bad_Bucket' }, 'SORA2_MCP_STORE'],
      [{ SORA2_MCP_STORE: 's3://bucket/a/../b' }, 'SORA2_MCP_STORE'],
      [{ SORA2_MCP_STORE: 's3://bucket', SORA2_MCP_S3_URL_TTL: '10' }, 'SORA2_MCP_S3_URL_TTL'],
      [{ SORA2_MCP_STORE: 's3://bucket', SORA2_MCP_S3_PUBLIC_URL: 'ftp://x' }, 'SORA2_MCP_S3_PUBLIC_URL'],
    ] as const) {
      expect(() => parseConfig(env)).toThrow(expect.objectContaining({ variable }));
    }
    expect(secretsOf(parseConfig({}), { AWS_SECRET_ACCESS_KEY: 'aws-secret-123' })).toContain('aws-secret-123');
    // A secret equal to the key id (MinIO's minioadmin/minioadmin) is in every presigned link already: redacting it would break them.
    expect(secretsOf(parseConfig({}), { AWS_ACCESS_KEY_ID: 'minioadmin', AWS_SECRET_ACCESS_KEY: 'minioadmin' })).not.toContain(
      'minioadmin',
    );
  });

  it('prefers SORA2_MCP_API_KEY over OPENAI_API_KEY and remembers which was used', () => {
    expect(parseConfig({ SORA2_MCP_API_KEY: 'a', OPENAI_API_KEY: 'b' })).toMatchObject({
      apiKey: 'a',
      apiKeyVariable: 'SORA2_MCP_API_KEY',
    });
    expect(parseConfig({ OPENAI_API_KEY: 'b' })).toMatchObject({ apiKey: 'b', apiKeyVariable: 'OPENAI_API_KEY' });
  });

  it("takes a dialect's own key variable, never OPENAI_API_KEY for it, and redacts every provider's key", () => {
    expect(parseConfig({ SORA2_MCP_DIALECT: 'fal', FAL_KEY: 'f', OPENAI_API_KEY: 'b' })).toMatchObject({
      apiKey: 'f',
      apiKeyVariable: 'FAL_KEY',
    });
    expect(parseConfig({ SORA2_MCP_DIALECT: 'gemini', OPENAI_API_KEY: 'b' })).toMatchObject({ apiKey: undefined });
    expect(parseConfig({ SORA2_MCP_DIALECT: 'gemini', SORA2_MCP_API_KEY: 'a', GEMINI_API_KEY: 'g' })).toMatchObject({ apiKey: 'a' });
    const env = { OPENAI_API_KEY: 'sk-one', FAL_KEY: 'fal-two', GEMINI_API_KEY: 'AIza-three' };
    expect(secretsOf(parseConfig(env), env)).toEqual(expect.arrayContaining(['sk-one', 'fal-two', 'AIza-three']));
  });

  it("chooses a dialect by its API's host, and reads SORA2_MCP_BASE_URL before OPENAI_BASE_URL", () => {
    expect(parseConfig({ SORA2_MCP_BASE_URL: 'https://queue.fal.run' }).dialect).toBe('fal');
    expect(parseConfig({ OPENAI_BASE_URL: 'https://generativelanguage.googleapis.com/v1beta' }).dialect).toBe('gemini');
    expect(parseConfig({ OPENAI_BASE_URL: 'https://openrouter.ai/api/v1' }).dialect).toBe('openrouter');
    expect(parseConfig({ OPENAI_BASE_URL: 'https://fal.run.example.com/v1' }).dialect).toBe('openai');
    expect(parseConfig({ SORA2_MCP_BASE_URL: 'https://a.example/v1', OPENAI_BASE_URL: 'https://b.example/v1' }).baseURL).toBe(
      'https://a.example/v1',
    );
    expect(
      secretsOf(parseConfig({ OPENAI_API_KEY: 'bbbb', AZURE_OPENAI_API_KEY: 'cccc' }), {
        OPENAI_API_KEY: 'bbbb',
        AZURE_OPENAI_API_KEY: 'cccc',
      }),
    ).toEqual(expect.arrayContaining(['bbbb', 'cccc']));
  });

  it('parses roots, prefixes, allowlist and names', () => {
    const config = parseConfig({
      MEDIA_GEN_DIRS: '/data/out, /data/public',
      MEDIA_GEN_MCP_URL_PREFIXES: 'https://cdn.example/a',
      MEDIA_GEN_URLS: 'https://images.example,*.cdn.example/pics/',
      MCP_NAME: 'videos',
      SORA2_MCP_LOG_LEVEL: 'DEBUG',
      AZURE_OPENAI_API_KEY: 'x',
    });
    expect(config.roots).toEqual(['/data/out', '/data/public']);
    expect(config.urlPrefixes).toEqual(['https://cdn.example/a']);
    expect(config.urlAllowlist).toHaveLength(2);
    expect(config).toMatchObject({ serverName: 'videos', logLevel: 'debug', azureKeySet: true });
  });

  it('keeps the position of an empty URL prefix, so each prefix stays with its folder', () => {
    const config = parseConfig({ MEDIA_GEN_DIRS: '/a,/b', MEDIA_GEN_MCP_URL_PREFIXES: ',https://cdn.example/b/' });
    expect(config.urlPrefixes).toEqual(['', 'https://cdn.example/b/']);
  });

  it.each([
    [{ OPENAI_BASE_URL: 'not a url' }, 'OPENAI_BASE_URL'],
    [{ OPENAI_BASE_URL: 'ftp://x' }, 'OPENAI_BASE_URL'],
    [{ MEDIA_GEN_DIRS: 'relative/dir' }, 'MEDIA_GEN_DIRS'],
    [{ MEDIA_GEN_MCP_URL_PREFIXES: 'https://a,https://b' }, 'MEDIA_GEN_MCP_URL_PREFIXES'],
    [{ MEDIA_GEN_URLS: 'ftp://x' }, 'MEDIA_GEN_URLS'],
    [{ SORA2_MCP_PROVIDER: 'azure' }, 'SORA2_MCP_PROVIDER'],
    [{ SORA2_MCP_LOG_LEVEL: 'loud' }, 'SORA2_MCP_LOG_LEVEL'],
    [{ SORA2_MCP_DOWNLOAD_IDLE_TIMEOUT_MS: '5s' }, 'SORA2_MCP_DOWNLOAD_IDLE_TIMEOUT_MS'],
    [{ SORA2_MCP_REQUEST_TIMEOUT_MS: '10' }, 'SORA2_MCP_REQUEST_TIMEOUT_MS'],
  ])('names the variable of a bad value: %j', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(new RegExp(`^${variable}: `));
  });
});

describe('gateway settings', () => {
  it('reads SORA2_MCP_EXTRA_HEADERS and SORA2_MCP_EXTRA_QUERY as JSON objects of strings', () => {
    const config = parseConfig({
      SORA2_MCP_EXTRA_HEADERS: '{"x-litellm-api-key":"gw-secret-header-1234","x-n":2}',
      SORA2_MCP_EXTRA_QUERY: '{"custom_llm_provider":"gemini"}',
    });
    expect(config.extraHeaders).toEqual({ 'x-litellm-api-key': 'gw-secret-header-1234', 'x-n': '2' });
    expect(config.extraQuery).toEqual({ custom_llm_provider: 'gemini' });
  });

  it.each([
    ['SORA2_MCP_EXTRA_HEADERS', 'not json', 'is not valid JSON'],
    ['SORA2_MCP_EXTRA_HEADERS', '["a"]', 'is not a JSON object'],
    ['SORA2_MCP_EXTRA_QUERY', '{"a":{"b":1}}', 'value for "a" that is not a string'],
    ['SORA2_MCP_EXTRA_HEADERS', '{"bad header":"x"}', 'not a valid name'],
  ])('names %s and the expected shape when it is %j', (variable, raw, message) => {
    expect(() => parseConfig({ [variable]: raw })).toThrow(ConfigError);
    expect(() => parseConfig({ [variable]: raw })).toThrow(new RegExp(`${variable}: .*${message}.*JSON object whose values are strings`));
  });

  it('treats extra header and query values and base-URL credentials as secrets, but not routing hints', () => {
    const env = {
      SORA2_MCP_API_KEY: 'sk-main-key-123456',
      SORA2_MCP_EXTRA_HEADERS: '{"x-api-key":"hdr-secret-999","custom-llm-provider":"openai"}',
      SORA2_MCP_EXTRA_QUERY: '{"sig":"query-secret-777","custom_llm_provider":"gemini"}',
      OPENAI_BASE_URL: 'https://user:pass%40word@gw.example/v1?token=url-token-555',
    };
    const secrets = secretsOf(parseConfig(env), env);
    expect(secrets).toEqual(
      expect.arrayContaining(['sk-main-key-123456', 'hdr-secret-999', 'query-secret-777', 'user', 'pass@word', 'url-token-555']),
    );
    expect(secrets).not.toContain('openai');
    expect(secrets).not.toContain('gemini');
  });

  it('chooses the dialect: named, by its old name, by the base URL, else openai', () => {
    expect(parseConfig({}).dialect).toBe('openai');
    expect(parseConfig({ SORA2_MCP_DIALECT: 'openrouter' }).dialect).toBe('openrouter');
    expect(parseConfig({ SORA2_MCP_REQUEST_FORMAT: 'json' }).dialect).toBe('json');
    expect(parseConfig({ OPENAI_BASE_URL: 'https://openrouter.ai/api/v1' }).dialect).toBe('openrouter');
    expect(parseConfig({ OPENAI_BASE_URL: 'https://openrouter.ai/api/v1', SORA2_MCP_DIALECT: 'openai' }).dialect).toBe('openai');
    expect(() => parseConfig({ SORA2_MCP_DIALECT: 'kling' })).toThrow(/SORA2_MCP_DIALECT: "kling" is not one of openai, json, openrouter/);
  });

  it('reads the spending caps in dollars, refusing anything else by name', () => {
    expect(parseConfig({ SORA2_MCP_MAX_COST_USD: '2.50', SORA2_MCP_BUDGET_USD: '$20' })).toMatchObject({ maxCostUsd: 2.5, budgetUsd: 20 });
    for (const bad of ['0', '-1', 'ten', '1e3'])
      expect(() => parseConfig({ SORA2_MCP_BUDGET_USD: bad })).toThrow(/SORA2_MCP_BUDGET_USD: ".*" is not an amount of US dollars/);
  });

  it('refuses a bad SORA2_MCP_MODELS file by name', () => {
    expect(() => parseConfig({ SORA2_MCP_MODELS: '/nonexistent/models.json' })).toThrow(
      /SORA2_MCP_MODELS: cannot read "\/nonexistent\/models.json" \(ENOENT\)/,
    );
  });
});

describe('the default output folder: where people keep videos, never the temp folder', () => {
  it.each([
    ['darwin', {}, '/Users/ana/Movies/sora2-mcp'],
    ['linux', {}, '/home/ana/Videos/sora2-mcp'],
    ['linux', { XDG_VIDEOS_DIR: '/media/films' }, '/media/films/sora2-mcp'],
    ['win32', { USERPROFILE: 'C:\\Users\\ana' }, 'C:\\Users\\ana\\Videos\\sora2-mcp'],
  ] as const)('on %s with %j', (platform, env, expected) => {
    const home = platform === 'darwin' ? '/Users/ana' : '/home/ana';
    expect(defaultOutputFolder(env, { platform, home })).toBe(expected);
  });

  it("reads XDG_VIDEOS_DIR from the user's user-dirs.dirs", () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'home-'));
    try {
      mkdirSync(path.join(home, '.config'));
      writeFileSync(path.join(home, '.config', 'user-dirs.dirs'), 'XDG_DESKTOP_DIR="$HOME/Desktop"\nXDG_VIDEOS_DIR="$HOME/Films"\n');
      expect(defaultOutputFolder({}, { platform: 'linux', home })).toBe(path.join(home, 'Films', 'sora2-mcp'));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('team mode settings', () => {
  const host = { platform: 'linux', home: '/home/ana' };
  it('keeps the embedded ledger under the data folder, and records every job once users are told apart or a database is named', () => {
    expect(parseConfig({}, host).ledger).toEqual({
      location: { kind: 'embedded', folder: '/home/ana/.local/state/sora2-mcp/ledger' },
      recordsJobs: false,
    });
    expect(parseConfig({ XDG_STATE_HOME: '/state' }, host).ledger.location).toEqual({
      kind: 'embedded',
      folder: '/state/sora2-mcp/ledger',
    });
    expect(parseConfig({}, { platform: 'darwin', home: '/Users/ana' }).ledger.location).toEqual({
      kind: 'embedded',
      folder: '/Users/ana/Library/Application Support/sora2-mcp/ledger',
    });
    expect(parseConfig({ SORA2_MCP_HTTP_USERS: '/etc/sora2/users.json' }, host).ledger.recordsJobs).toBe(true);
    const shared = parseConfig({ SORA2_MCP_DATABASE_URL: 'postgres://sora2:pw-very-secret@db:5432/sora2' }, host);
    expect(shared.ledger).toEqual({
      location: { kind: 'postgres', url: 'postgres://sora2:pw-very-secret@db:5432/sora2' },
      recordsJobs: true,
    });
    expect(secretsOf(shared, { SORA2_MCP_DATABASE_URL: 'postgres://sora2:pw-very-secret@db:5432/sora2' })).toContain('pw-very-secret');
  });

  it('refuses OAuth without both the issuer and the public URL, OAuth with a users file, and a database URL that is not one', () => {
    const cases: [Record<string, string>, string][] = [
      [{ SORA2_MCP_OAUTH_ISSUER: 'https://auth.example.com' }, 'SORA2_MCP_PUBLIC_URL'],
      [{ SORA2_MCP_PUBLIC_URL: 'https://videos.example.com/mcp' }, 'SORA2_MCP_OAUTH_ISSUER'],
      [
        {
          SORA2_MCP_OAUTH_ISSUER: 'https://auth.example.com',
          SORA2_MCP_PUBLIC_URL: 'https://v.example.com/mcp',
          SORA2_MCP_HTTP_USERS: '/u.json',
        },
        'SORA2_MCP_HTTP_USERS',
      ],
      [{ SORA2_MCP_DATABASE_URL: 'mysql://db/sora2' }, 'SORA2_MCP_DATABASE_URL'],
      [{ SORA2_MCP_BUDGET_PERIOD: 'week' }, 'SORA2_MCP_BUDGET_PERIOD'],
      [{ SORA2_MCP_HTTP_USERS: 'users.json' }, 'SORA2_MCP_HTTP_USERS'],
    ];
    for (const [env, variable] of cases) expect(() => parseConfig(env, host)).toThrow(expect.objectContaining({ variable }));
  });
});

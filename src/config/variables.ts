import type { z } from 'zod';
import {
  absolutePath,
  commaList,
  dollars,
  httpUrl,
  mebibytes,
  modelId,
  onOff,
  postgresUrl,
  oneOf,
  stringMap,
  text,
  wholeNumber,
  type Group,
  type Variable,
} from './schema';
import { BUDGET_PERIODS, DIALECT_NAMES, LOG_LEVELS, TOOLSETS } from './choices';

/**
 * Every environment variable the server reads or documents, in one table: its name, what it sets,
 * its type and default, and the sentence a bad value gets. `parseConfig` reads through it; `--help`,
 * `doctor`, the README's configuration table and `server.json` are made from it (or checked against
 * it by a test); no other source file names a variable, they name its entry here.
 */

export { DIALECT_NAMES, LOG_LEVELS, TOOLSETS, type DialectName, type LogLevelSetting, type Toolset } from './choices';

/**
 * An entry of the table. Its schema is built the first time it is needed: most variables are unset on
 * most starts, and building forty validators would cost every MCP session's start-up several ms.
 */
function variable<T, D extends string | undefined = undefined>(
  name: string,
  group: Group,
  spec: Omit<Variable<T>, 'name' | 'group' | 'schema' | 'default'> & { schema: () => z.ZodType<T>; default?: D },
): Variable<T> & { default: D } {
  const { schema: build, ...rest } = spec;
  let built: z.ZodType<T> | undefined;
  return {
    name,
    group,
    ...(rest as typeof rest & { default: D }),
    get schema() {
      return (built ??= build());
    },
  };
}

export const ENV = {
  apiKey: variable('SORA2_MCP_API_KEY', 'provider', {
    summary: 'the provider API key (the simulator HTTP face requires it when set)',
    doc: 'API key of the provider. Without one the server still starts and lists its tools; calls say which variable to set.',
    schema: () => text(),
    secret: true,
    registry: {},
  }),
  openAiApiKey: variable('OPENAI_API_KEY', 'provider', {
    summary: 'the API key when SORA2_MCP_API_KEY is unset (a dialect with a key variable of its own reads that instead)',
    doc: 'the API key when `SORA2_MCP_API_KEY` is unset. A dialect with a key variable of its own (docs/providers.md, `doctor`) reads that instead, never this one: an OpenAI key is not sent to another company',
    schema: () => text(),
    secret: true,
  }),
  providerBaseUrl: variable('SORA2_MCP_BASE_URL', 'provider', {
    summary: "the provider's base URL (default: the dialect's own API)",
    doc: "base URL of the provider's API, e.g. `https://provider.example/v1`; unset: `OPENAI_BASE_URL`, else the dialect's own API",
    schema: () => httpUrl('https://provider.example/v1'),
  }),
  baseUrl: variable('OPENAI_BASE_URL', 'provider', {
    summary: 'base URL of a provider that serves /v1/videos',
    doc: 'base URL of an OpenAI-compatible `/v1/videos` provider, e.g. `https://provider.example/v1`',
    schema: () => httpUrl('https://provider.example/v1'),
    registry: {},
  }),
  provider: variable('SORA2_MCP_PROVIDER', 'provider', {
    summary: 'openai (default) or simulator (offline, no cost)',
    doc: '`openai` (default: the OpenAI SDK against `OPENAI_BASE_URL`) or `simulator` (offline, see "The simulator")',
    schema: () => oneOf(['openai', 'simulator']),
    default: 'openai',
    registry: { choices: ['openai', 'simulator'] },
  }),
  dialect: variable('SORA2_MCP_DIALECT', 'provider', {
    summary: `how the provider is spoken to: ${DIALECT_NAMES.join(', ')} (default: from the base URL's host, else openai)`,
    doc:
      `how the provider is spoken to: ${DIALECT_NAMES.map((name) => `\`${name}\``).join(', ')} (what each is: \`doctor\` and docs/providers.md). ` +
      "Unset: the dialect whose API is at the base URL's host (each dialect names its hosts), else `openai`",
    schema: () => oneOf(DIALECT_NAMES),
  }),
  requestFormat: variable('SORA2_MCP_REQUEST_FORMAT', 'provider', {
    summary: 'the old name of SORA2_MCP_DIALECT=json (json or multipart)',
    doc: '`json` means `SORA2_MCP_DIALECT=json`',
    schema: () => oneOf(['multipart', 'json']),
    replacedBy: 'SORA2_MCP_DIALECT',
  }),
  defaultModel: variable('SORA2_MCP_DEFAULT_MODEL', 'provider', {
    summary: "the model a create without model gets (default: the dialect's)",
    doc: "the model a create without `model` gets (default: the dialect's own, which `doctor` names)",
    schema: () => modelId(),
  }),
  extraHeaders: variable('SORA2_MCP_EXTRA_HEADERS', 'provider', {
    summary: 'JSON object of headers sent to the provider (gateway hints, keys)',
    doc: 'JSON object of headers sent with every provider request (e.g. `{"x-litellm-api-key":"…"}`); its values are secrets, redacted everywhere',
    schema: () => stringMap('{"custom-llm-provider":"gemini"}'),
    secret: true,
  }),
  extraQuery: variable('SORA2_MCP_EXTRA_QUERY', 'provider', {
    summary: 'JSON object of query parameters sent to the provider',
    doc:
      'JSON object of query parameters sent with every provider request (e.g. `{"custom_llm_provider":"gemini"}` lets LiteLLM list); ' +
      "values are secrets, except LiteLLM's `custom_llm_provider` routing hint",
    schema: () => stringMap('{"custom_llm_provider":"gemini"}'),
    secret: true,
  }),
  models: variable('SORA2_MCP_MODELS', 'provider', {
    summary: 'a JSON model catalog that adds to or replaces the built-in one',
    doc: "path of a JSON model catalog in the built-in catalog's format (`src/domain/model-catalog.json`), a regular file of at most 1 MiB; its entries add to or replace the built-in ones",
    schema: () => text(),
  }),
  azureKey: variable('AZURE_OPENAI_API_KEY', 'provider', {
    summary: 'when set, every video call is refused (Azure is not supported)',
    doc: 'when set, every video call fails at once with an explanation (Azure video support is not enabled) and nothing is sent',
    schema: () => text(),
    secret: true,
  }),
  roots: variable('MEDIA_GEN_DIRS', 'files', {
    summary: 'folders the server may read and write (first = output)',
    doc:
      'comma-separated absolute folders the server may read and write; the first is the default output folder. Default: a `sora2-mcp` ' +
      'folder where people keep videos, created on first use: `~/Movies/sora2-mcp` on macOS, `$XDG_VIDEOS_DIR/sora2-mcp` (else ' +
      '`~/Videos/sora2-mcp`) on Linux, `%USERPROFILE%\\Videos\\sora2-mcp` on Windows. A folder that is a file or cannot be created ' +
      'stops the server at start-up with its name',
    schema: () => commaList(),
    computedDefault:
      '~/Movies/sora2-mcp (macOS), $XDG_VIDEOS_DIR or ~/Videos/sora2-mcp (Linux), %USERPROFILE%\\Videos\\sora2-mcp (Windows)',
    registry: {},
  }),
  urls: variable('MEDIA_GEN_URLS', 'files', {
    summary: 'comma-separated allowlist for reference-image URLs (scheme, host or *.suffix, port, path prefix)',
    registry: {},
    doc:
      'comma-separated allowlist for URL reference images, matched on the parsed URL (scheme, exact host or `*.` suffix, port, path ' +
      'prefix). Unset: any public http(s) URL. Private, loopback and metadata addresses are refused unless a host is named exactly here',
    schema: () => commaList(),
  }),
  urlPrefixes: variable('MEDIA_GEN_MCP_URL_PREFIXES', 'files', {
    summary: 'public URL prefix per folder, for resource links',
    doc: 'comma-separated public URL prefixes, one per folder of `MEDIA_GEN_DIRS` by position: files there get `prefix/relative/path` URIs instead of `file://`',
    schema: () => commaList(true),
  }),
  maxCost: variable('SORA2_MCP_MAX_COST_USD', 'costs', {
    summary: 'the most one create or remix may be estimated to cost, in US dollars',
    doc: 'the most one create or remix may be estimated to cost, in US dollars; over it, or with no known price, the call is refused before anything is sent',
    schema: () => dollars(),
  }),
  budget: variable('SORA2_MCP_BUDGET_USD', 'costs', {
    summary: "each user's budget per period (SORA2_MCP_BUDGET_PERIOD), in US dollars",
    doc: 'the most the estimates (then reported costs) of one user\'s jobs may add up to in each `SORA2_MCP_BUDGET_PERIOD`, in US dollars; kept in the ledger, across restarts and replicas (see "What a video costs")',
    schema: () => dollars(),
  }),
  teamBudget: variable('SORA2_MCP_TEAM_BUDGET_USD', 'costs', {
    summary: "everyone's budget per period, in US dollars",
    doc: 'the most the jobs of all users together may add up to in each `SORA2_MCP_BUDGET_PERIOD`, in US dollars (see "Serve a team")',
    schema: () => dollars(),
  }),
  budgetPeriod: variable('SORA2_MCP_BUDGET_PERIOD', 'costs', {
    summary: 'day (UTC, default), month or all',
    doc: 'what the budgets cover: `day` (a UTC day, default), `month` (a UTC month) or `all` (all time)',
    schema: () => oneOf(BUDGET_PERIODS),
    default: 'day',
  }),
  databaseUrl: variable('SORA2_MCP_DATABASE_URL', 'team', {
    summary: 'postgres://… : the jobs, owners, ledger and idempotency keys every replica shares',
    doc: '`postgres://user:password@host:5432/db`: the shared state of every replica (jobs and their owners, the ledger, idempotency keys), migrated at start-up. Unset: an embedded database under `SORA2_MCP_DATA_DIR`, opened only when a budget, a user list or an idempotency key needs it',
    schema: () => postgresUrl(),
    secret: true,
  }),
  dataDir: variable('SORA2_MCP_DATA_DIR', 'team', {
    summary: "the server's data folder (the embedded ledger)",
    doc: "the server's own data folder, where the embedded ledger lives (default: `$XDG_STATE_HOME/sora2-mcp`, else `~/.local/state/sora2-mcp`; `~/Library/Application Support/sora2-mcp` on macOS; `AppData\\Local\\sora2-mcp` in the profile on Windows)",
    schema: () => absolutePath(),
  }),
  httpUsers: variable('SORA2_MCP_HTTP_USERS', 'team', {
    summary: "a JSON file of users and the sha256 of each one's token (sora2-mcp http)",
    doc: 'a JSON file `{"users":[{"id":"alice","token_sha256":"<hex>"}]}`: each user of `sora2-mcp http` sends their own bearer token and sees only their own jobs',
    schema: () => absolutePath(),
  }),
  oauthIssuer: variable('SORA2_MCP_OAUTH_ISSUER', 'team', {
    summary: 'the OAuth 2.1 authorization server whose access tokens sora2-mcp http accepts',
    doc: "the issuer URL of the OAuth 2.1 / OpenID authorization server whose JWT access tokens `sora2-mcp http` accepts (with `SORA2_MCP_PUBLIC_URL`); the user is the token's `sub`",
    schema: () => httpUrl('https://auth.example.com'),
  }),
  publicUrl: variable('SORA2_MCP_PUBLIC_URL', 'team', {
    summary: "the server's public MCP URL: the audience its OAuth tokens must name",
    doc: 'the URL clients reach the MCP endpoint at, e.g. `https://videos.example.com/mcp`: the resource of its protected-resource metadata and the `aud` every access token must carry',
    schema: () => httpUrl('https://videos.example.com/mcp'),
  }),
  toolset: variable('SORA2_MCP_TOOLSET', 'behaviour', {
    summary: 'openai-videos (default), sora2 or all',
    doc: '`openai-videos` (default), `sora2` (the `create_video`… names) or `all`',
    schema: () => oneOf(TOOLSETS),
    default: 'openai-videos',
    registry: { choices: TOOLSETS },
  }),
  logLevel: variable('SORA2_MCP_LOG_LEVEL', 'behaviour', {
    summary: 'debug, info (default), warn, error, silent',
    doc: '`debug`, `info` (default), `warn`, `error`, `silent`; logs go to stderr and to MCP log notifications, never stdout',
    schema: () => oneOf(LOG_LEVELS),
    default: 'info',
  }),
  serverName: variable('MCP_NAME', 'behaviour', {
    summary: 'server name (default sora2-mcp)',
    schema: () => text(),
    default: 'sora2-mcp',
  }),
  requestTimeout: variable('SORA2_MCP_REQUEST_TIMEOUT_MS', 'limits', {
    summary: 'how long a provider request may take until its answer starts, in ms',
    schema: () => wholeNumber('milliseconds', 1000, 3_600_000),
    default: '120000',
  }),
  downloadIdleTimeout: variable('SORA2_MCP_DOWNLOAD_IDLE_TIMEOUT_MS', 'limits', {
    summary: 'a download that receives nothing for this long is aborted and retried, in ms',
    schema: () => wholeNumber('milliseconds', 100, 3_600_000),
    default: '60000',
  }),
  maxDownload: variable('SORA2_MCP_MAX_DOWNLOAD_MB', 'limits', {
    summary: 'the largest asset saved, in MiB',
    doc: 'the largest asset saved, in MiB; a larger one, or an MP4 that says it is larger, is refused and nothing is kept',
    schema: () => mebibytes(1, 1_048_576),
    default: '4096',
  }),
  downloadTimeout: variable('SORA2_MCP_DOWNLOAD_TIMEOUT_MS', 'limits', {
    summary: "how long one asset's download may take, every attempt together, in ms",
    schema: () => wholeNumber('milliseconds', 1000, 86_400_000),
    default: '1800000',
  }),
  store: variable('SORA2_MCP_STORE', 'storage', {
    summary: 'where files go: the folders of MEDIA_GEN_DIRS (default) or s3://bucket/prefix',
    doc:
      'where downloads are saved: unset for the folders of `MEDIA_GEN_DIRS`, or `s3://bucket/prefix` for an S3-compatible bucket, with ' +
      "endpoint, region and credentials from the AWS SDK's standard chain (`AWS_ENDPOINT_URL_S3`, `AWS_REGION`, " +
      '`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, profiles); see [docs/storage.md](docs/storage.md)',
    schema: () => text(),
  }),
  s3PathStyle: variable('SORA2_MCP_S3_FORCE_PATH_STYLE', 'storage', {
    summary: '1 for S3 servers that want path-style URLs (MinIO and most self-hosted ones)',
    schema: () => onOff(),
    default: '0',
  }),
  s3UrlTtl: variable('SORA2_MCP_S3_URL_TTL', 'storage', {
    summary: 'lifetime of presigned S3 links, in seconds',
    schema: () => wholeNumber('seconds', 60, 604_800),
    default: '3600',
  }),
  s3PublicUrl: variable('SORA2_MCP_S3_PUBLIC_URL', 'storage', {
    summary: 'a URL that serves the S3 prefix publicly; links then use it instead of presigning',
    schema: () => httpUrl('https://cdn.example/videos'),
  }),
  httpToken: variable('SORA2_MCP_HTTP_TOKEN', 'http', {
    summary: 'the bearer token sora2-mcp http requires (generated per run on loopback)',
    doc: 'the bearer token `sora2-mcp http` requires, at least 16 characters (on loopback without it, one is generated for the run and printed once)',
    schema: () => text(),
    secret: true,
  }),
  ffmpeg: variable('SORA2_MCP_FFMPEG', 'files', {
    summary: 'the ffmpeg program for frames, joins and sequences (ffprobe is looked for beside it)',
    doc: 'the ffmpeg program for the frame, join and sequence tools (ffprobe is looked for beside it, then on `PATH`); default: `ffmpeg` on `PATH`. Without ffmpeg those tools are not offered; `doctor` says which ffmpeg is used',
    schema: () => absolutePath(),
    computedDefault: 'ffmpeg on PATH',
  }),
  path: variable('PATH', 'host', { summary: 'where ffmpeg and ffprobe are looked for', schema: () => text(), readBy: 'host' }),
  simulatorRender: variable('SORA2_MCP_SIMULATOR_RENDER_MS', 'simulator', {
    summary: 'simulator render time of a 4-second clip, in ms',
    schema: () => wholeNumber('milliseconds', 0, 3_600_000),
    default: '3000',
  }),
  awsEndpoint: variable('AWS_ENDPOINT_URL_S3', 'host', {
    summary: 'the S3 endpoint, for S3-compatible servers',
    schema: () => text(),
    readBy: 'aws-sdk',
  }),
  awsEndpointAny: variable('AWS_ENDPOINT_URL', 'host', {
    summary: 'the endpoint of every AWS service, when AWS_ENDPOINT_URL_S3 is unset',
    schema: () => text(),
    readBy: 'aws-sdk',
  }),
  awsRegion: variable('AWS_REGION', 'host', { summary: 'the S3 region', schema: () => text(), readBy: 'aws-sdk' }),
  awsKeyId: variable('AWS_ACCESS_KEY_ID', 'host', { summary: 'the S3 access key id', schema: () => text(), readBy: 'aws-sdk' }),
  awsSecret: variable('AWS_SECRET_ACCESS_KEY', 'host', {
    summary: 'the S3 secret key',
    schema: () => text(),
    readBy: 'aws-sdk',
    secret: true,
  }),
  home: variable('HOME', 'host', { summary: 'your home folder, for the default output folder', schema: () => text(), readBy: 'host' }),
  userProfile: variable('USERPROFILE', 'host', {
    summary: 'your profile folder on Windows, for the default output folder',
    schema: () => text(),
    readBy: 'host',
  }),
  xdgVideos: variable('XDG_VIDEOS_DIR', 'host', {
    summary: 'your videos folder on Linux, for the default output folder',
    schema: () => text(),
    readBy: 'host',
  }),
  xdgState: variable('XDG_STATE_HOME', 'host', {
    summary: 'where the data folder is on Linux',
    schema: () => text(),
    readBy: 'host',
  }),
  xdgConfig: variable('XDG_CONFIG_HOME', 'host', {
    summary: 'where user-dirs.dirs is looked for on Linux',
    schema: () => text(),
    readBy: 'host',
  }),
} as const;

export type VariableKey = keyof typeof ENV;

/** The variables in table order. */
export const VARIABLES: readonly Variable[] = Object.values(ENV);

/** The value of a variable as set: trimmed, and undefined when unset or empty. */
export function rawValue(env: Readonly<Record<string, string | undefined>>, spec: Variable): string | undefined {
  const value = env[spec.name]?.trim();
  return value ? value : undefined;
}

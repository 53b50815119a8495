import { closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AllowlistEntryError, parseAllowlistEntry, type UrlRule } from '../adapters/http/url-allowlist';
import { DIALECTS, dialectForBaseUrl } from '../adapters/openai/dialects';
import type { DialectName, LogLevelSetting, Toolset } from '../config/choices';
import type { Variable } from '../config/schema';
import { ENV, rawValue } from '../config/variables';
import { ModelCatalogFormatError, parseModelCatalog } from '../domain/model-catalog';
import type { ModelEntry } from '../domain/model-entry';
import type { BudgetPeriod } from '../domain/money';
import type { RegistryLocation } from '../adapters/postgres/lazy-job-registry';

/**
 * The server's whole configuration, parsed once from the environment at start-up through the one
 * table of variables (src/config/variables.ts). Adapters receive typed values from here and never
 * read `process.env` themselves. A bad value names its variable.
 */
export interface AppConfig {
  serverName: string;
  apiKey: string | undefined;
  /** The name of the variable the key came from, for messages (never the key itself). */
  apiKeyVariable: string | undefined;
  baseURL: string | undefined;
  azureKeySet: boolean;
  /**
   * The provider, decided once: an explicit SORA2_MCP_PROVIDER=simulator wins; otherwise AZURE_OPENAI_API_KEY selects the
   * Azure-rejecting provider; otherwise the OpenAI SDK against OPENAI_BASE_URL.
   */
  provider: 'openai' | 'simulator' | 'azure';
  toolset: Toolset;
  logLevel: LogLevelSetting;
  roots: string[];
  /** MEDIA_GEN_DIRS named the folders (else the default output folder): a named folder is made only inside one that exists. */
  rootsNamed?: boolean;
  urlPrefixes: string[];
  /** How long a provider request may take until its response headers arrive. */
  requestTimeoutMs: number;
  /** A download that receives no bytes for this long is aborted and retried. */
  downloadIdleTimeoutMs: number;
  /** SORA2_MCP_MAX_DOWNLOAD_MB: the largest asset saved, in bytes; a larger one is refused, before its bytes where it says so. */
  maxDownloadBytes: number;
  /** SORA2_MCP_DOWNLOAD_TIMEOUT_MS: how long one asset's download, every attempt together, may take. */
  downloadTimeoutMs: number;
  /** Simulator only: render time of a 4-second sora-2 clip (longer clips and pro models take longer). */
  simulatorRenderMs: number;
  /** SORA2_MCP_EXTRA_HEADERS / SORA2_MCP_EXTRA_QUERY: gateway hints sent with every provider request. */
  extraHeaders: Record<string, string> | undefined;
  extraQuery: Record<string, string> | undefined;
  /**
   * SORA2_MCP_DIALECT: how the provider is spoken to (`openai`, `json`, `openrouter`); the old
   * SORA2_MCP_REQUEST_FORMAT=json means `json`; unset, an openrouter.ai base URL means `openrouter`.
   */
  dialect: DialectName;
  /** SORA2_MCP_DEFAULT_MODEL: the model a create without one gets (default: the dialect's, `sora-2` for the OpenAI shape). */
  defaultModel: string | undefined;
  /** SORA2_MCP_MAX_COST_USD: the most one create or remix may be estimated to cost. */
  maxCostUsd: number | undefined;
  /** SORA2_MCP_BUDGET_USD: what each user's jobs may add up to per period. */
  budgetUsd: number | undefined;
  /** SORA2_MCP_TEAM_BUDGET_USD: what everyone's jobs may add up to per period. */
  teamBudgetUsd: number | undefined;
  /** SORA2_MCP_BUDGET_PERIOD: what the budgets cover. */
  budgetPeriod: BudgetPeriod;
  /** Where the shared state is (PostgreSQL, or the embedded database under the data folder), and what is written to it. */
  ledger: LedgerConfig;
  /** How `sora2-mcp http` tells its users apart (the users file, OAuth); neither: one user. */
  identity: IdentityConfig;
  /** Entries of the user's model catalog (SORA2_MCP_MODELS), layered over the built-in one. */
  userModels: ModelEntry[] | undefined;
  /** Parsed MEDIA_GEN_URLS; undefined when the variable is unset (any public http(s) URL). */
  urlAllowlist: UrlRule[] | undefined;
  /** SORA2_MCP_STORE: where videos are saved (the folders of MEDIA_GEN_DIRS, or an S3 bucket prefix). */
  store: StoreConfig;
  /** Where ffmpeg is: the program named, or the folders of PATH to look in (ADR 0020). */
  ffmpeg: { program?: string; searchPath: readonly string[] };
}

export interface LedgerConfig {
  location: RegistryLocation;
  /** Every job is recorded (a database configured, or users told apart), not only budgeted or keyed ones. */
  recordsJobs: boolean;
}

export interface IdentityConfig {
  /** SORA2_MCP_HTTP_USERS: a JSON file of users and the sha256 of each one's token. */
  usersFile: string | undefined;
  /** SORA2_MCP_OAUTH_ISSUER + SORA2_MCP_PUBLIC_URL: an OAuth 2.1 resource server. */
  oauth: { issuer: string; publicUrl: string } | undefined;
}

export type StoreConfig =
  | { kind: 'filesystem' }
  | {
      kind: 's3';
      bucket: string;
      /** '' or ending in '/'. */
      prefix: string;
      /** SORA2_MCP_S3_FORCE_PATH_STYLE=1, for MinIO-style servers. */
      forcePathStyle: boolean;
      /** SORA2_MCP_S3_URL_TTL, seconds (default one hour; S3 allows at most seven days). */
      urlTtlSeconds: number;
      /** SORA2_MCP_S3_PUBLIC_URL: a URL that serves the prefix publicly; links then are not presigned. */
      publicUrl: string | undefined;
    };

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** The folder named after the product in the default output and data folders (whatever MCP_NAME says). */
const PRODUCT_FOLDER = 'sora2-mcp';

/**
 * A variable's value, parsed by its entry in the table; its entry's default when unset (else undefined). A bad one is a
 * ConfigError with its sentence.
 */
function read<T>(env: Environment, spec: Variable<T> & { default: string }): T;
function read<T>(env: Environment, spec: Variable<T>): T | undefined;
function read<T>(env: Environment, spec: Variable<T>): T | undefined {
  const raw = rawValue(env, spec) ?? spec.default;
  if (raw === undefined) return undefined;
  const parsed = spec.schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ConfigError(spec.name, parsed.error.issues[0]?.message ?? 'is not valid.');
}

/** S3 bucket names: 3–63 lower-case letters, digits, dots and hyphens (the rules for new buckets). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function store(env: Environment): StoreConfig {
  const raw = read(env, ENV.store);
  if (raw === undefined || raw === 'filesystem' || raw === 'fs') return { kind: 'filesystem' };
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(raw);
  if (!match) {
    throw new ConfigError(
      ENV.store.name,
      `"${raw}" is not a store. Use s3://bucket/prefix, or leave it unset for the folders of ${ENV.roots.name}.`,
    );
  }
  const bucket = match[1]!;
  if (!BUCKET.test(bucket)) throw new ConfigError(ENV.store.name, `"${bucket}" is not a valid S3 bucket name.`);
  const prefix = (match[2] ?? '').replace(/^\/+/, '');
  if (prefix.split('/').some((segment, index, all) => (segment === '' && index < all.length - 1) || segment === '.' || segment === '..')) {
    throw new ConfigError(ENV.store.name, `the prefix "${prefix}" has an empty, "." or ".." part. Use s3://bucket/team/videos.`);
  }
  return {
    kind: 's3',
    bucket,
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    forcePathStyle: read(env, ENV.s3PathStyle),
    urlTtlSeconds: read(env, ENV.s3UrlTtl),
    publicUrl: read(env, ENV.s3PublicUrl),
  };
}

/**
 * The key, and the variable it came from: SORA2_MCP_API_KEY, else the dialect's own variable (FAL_KEY) when it names
 * one, else OPENAI_API_KEY. A dialect with its own variable never takes OPENAI_API_KEY: that key is OpenAI's.
 */
function providerKey(env: Environment, dialect: DialectName): { value: string; variable: string } | undefined {
  const own = read(env, ENV.apiKey);
  if (own !== undefined) return { value: own, variable: ENV.apiKey.name };
  const variable = DIALECTS[dialect].keyVariable;
  if (variable !== undefined) {
    const value = env[variable]?.trim();
    return value ? { value, variable } : undefined;
  }
  const openAi = read(env, ENV.openAiApiKey);
  return openAi === undefined ? undefined : { value: openAi, variable: ENV.openAiApiKey.name };
}

/** What the configured dialect says of itself, for `doctor` and messages (never written again elsewhere). */
export function dialectFacts(config: AppConfig): {
  summary: string;
  hosts: readonly string[];
  keyVariable?: string;
  defaultBaseURL?: string;
  defaultModel: string;
} {
  const dialect = DIALECTS[config.dialect];
  const base = new URL(config.baseURL ?? dialect.defaultBaseURL ?? 'https://api.openai.com/v1');
  return {
    summary: dialect.summary,
    hosts: dialect.hosts ?? [],
    keyVariable: dialect.keyVariable,
    defaultBaseURL: dialect.defaultBaseURL,
    defaultModel: config.defaultModel ?? dialect.profile(base).defaultModel,
  };
}

function chooseDialect(env: Environment, baseURL: string | undefined): DialectName {
  const named = read(env, ENV.dialect);
  if (named !== undefined) return named;
  // The old name of the json dialect.
  if (read(env, ENV.requestFormat) === 'json') return 'json';
  return dialectForBaseUrl(baseURL);
}

function chooseProvider(env: Environment): AppConfig['provider'] {
  if (read(env, ENV.provider) === 'simulator') return 'simulator';
  return rawValue(env, ENV.azureKey) !== undefined ? 'azure' : 'openai';
}

/** A catalog is a few KiB; a file many times that is not one (and `/dev/zero` never ends). */
const MAX_CATALOG_BYTES = 1024 * 1024;

/**
 * A configuration file's text: a regular file of bounded size, or a ConfigError naming the variable.
 * Opened without blocking and checked on the open handle, so a FIFO cannot hang start-up and nothing
 * swapped in after the check is read.
 */
/**
 * A configuration file's text: a regular file, opened without blocking, of at most `maxBytes`. `described` names the
 * file in messages: what it is, and what to name instead.
 */
export function readConfigFile(
  variable: string,
  file: string,
  maxBytes: number,
  described = { noun: 'a catalog file', wanted: "a JSON file in the built-in catalog's format" },
): string {
  const what = described.wanted;
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new ConfigError(variable, `cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? 'error'}). Name ${what}.`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const kind = stat.isFIFO()
        ? 'a FIFO'
        : stat.isCharacterDevice() || stat.isBlockDevice()
          ? 'a device'
          : stat.isDirectory()
            ? 'a folder'
            : 'not a regular file';
      throw new ConfigError(variable, `"${file}" is ${kind}, not a regular file. Name ${what}.`);
    }
    if (stat.size > maxBytes) {
      throw new ConfigError(variable, `"${file}" is ${stat.size} bytes; ${described.noun} may have at most ${maxBytes}.`);
    }
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) throw new ConfigError(variable, `"${file}" grew past ${maxBytes} bytes while it was read.`);
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

function userModels(env: Environment): ModelEntry[] | undefined {
  const file = read(env, ENV.models);
  if (file === undefined) return undefined;
  const text = readConfigFile(ENV.models.name, file, MAX_CATALOG_BYTES);
  try {
    return parseModelCatalog(JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError) throw new ConfigError(ENV.models.name, `"${file}" is not valid JSON.`);
    if (error instanceof ModelCatalogFormatError) {
      throw new ConfigError(ENV.models.name, `"${file}" does not follow the catalog format at ${error.message}. See docs/providers.md.`);
    }
    throw error;
  }
}

/** Where this machine keeps a user's videos: the default output folder lives there, not in a purged temp folder. */
export interface HostFolders {
  /** As `process.platform` says it: `darwin`, `win32`, `linux`… */
  platform: string;
  home: string;
}

/**
 * The default output folder: `~/Movies/sora2-mcp` on macOS, the XDG videos folder (from the environment or
 * `user-dirs.dirs`) else `~/Videos/sora2-mcp` on Linux, the profile's `Videos\sora2-mcp` on Windows.
 */
export function defaultOutputFolder(env: Environment, host: HostFolders): string {
  const join = (...parts: string[]): string => (host.platform === 'win32' ? path.win32.join(...parts) : path.join(...parts));
  if (host.platform === 'darwin') return join(host.home, 'Movies', PRODUCT_FOLDER);
  if (host.platform === 'win32') return join(rawValue(env, ENV.userProfile) ?? host.home, 'Videos', PRODUCT_FOLDER);
  const xdg = rawValue(env, ENV.xdgVideos) ?? userDirsVideos(env, host.home);
  return join(xdg && path.isAbsolute(xdg) ? xdg : join(host.home, 'Videos'), PRODUCT_FOLDER);
}

/** The XDG videos folder as xdg-user-dirs writes it (`XDG_VIDEOS_DIR="$HOME/Films"`), when the file exists. */
function userDirsVideos(env: Environment, home: string): string | undefined {
  const config = rawValue(env, ENV.xdgConfig) ?? path.join(home, '.config');
  try {
    // Bounded and never blocking, like every file the configuration reads; any trouble means "not set".
    const text = readConfigFile(ENV.xdgConfig.name, path.join(config, 'user-dirs.dirs'), 64 * 1024);
    const line = new RegExp(`^${ENV.xdgVideos.name}="([^"]*)"`, 'm').exec(text);
    return line?.[1]?.replace(new RegExp(`^\\$${ENV.home.name}`), home);
  } catch {
    return undefined;
  }
}

function roots(env: Environment, host: HostFolders): string[] {
  const listed = read(env, ENV.roots);
  const folders = (listed ?? [defaultOutputFolder(env, host)]).map((root) => {
    if (root.includes('\0') || !path.isAbsolute(root)) {
      throw new ConfigError(ENV.roots.name, `"${root}" is not an absolute path. List absolute folders separated by commas.`);
    }
    return path.resolve(root);
  });
  if (folders.length === 0) throw new ConfigError(ENV.roots.name, 'lists no folder.');
  return folders;
}

function urlPrefixes(env: Environment, rootCount: number): string[] {
  // Positional: an empty entry keeps its place (that folder gets file:// URIs), so it is not dropped.
  const prefixes = read(env, ENV.urlPrefixes) ?? [];
  if (prefixes.length > rootCount) {
    throw new ConfigError(
      ENV.urlPrefixes.name,
      `has ${prefixes.length} prefixes but ${ENV.roots.name} has ${rootCount} folders; give one prefix per folder, by position.`,
    );
  }
  for (const prefix of prefixes) {
    if (prefix !== '' && !ENV.baseUrl.schema.safeParse(prefix).success)
      throw new ConfigError(ENV.urlPrefixes.name, `"${prefix}" is not an http(s) URL.`);
  }
  return prefixes;
}

function urlAllowlist(env: Environment): UrlRule[] | undefined {
  return read(env, ENV.urls)?.map((entry) => {
    try {
      return parseAllowlistEntry(entry);
    } catch (error) {
      if (error instanceof AllowlistEntryError) {
        throw new ConfigError(ENV.urls.name, `${error.message}. Use entries like https://images.example or https://*.cdn.example/path/.`);
      }
      throw error;
    }
  });
}

export function parseConfig(
  env: Environment,
  host: HostFolders = { platform: process.platform, home: rawValue(env, ENV.home) ?? os.homedir() },
): AppConfig {
  const baseURL = read(env, ENV.providerBaseUrl) ?? read(env, ENV.baseUrl);
  const dialect = chooseDialect(env, baseURL);
  const key = providerKey(env, dialect);
  const folders = roots(env, host);
  return {
    serverName: read(env, ENV.serverName),
    apiKey: key?.value,
    apiKeyVariable: key?.variable,
    baseURL,
    azureKeySet: rawValue(env, ENV.azureKey) !== undefined,
    provider: chooseProvider(env),
    toolset: read(env, ENV.toolset),
    logLevel: read(env, ENV.logLevel),
    roots: folders,
    rootsNamed: read(env, ENV.roots) !== undefined,
    urlPrefixes: urlPrefixes(env, folders.length),
    requestTimeoutMs: read(env, ENV.requestTimeout),
    downloadIdleTimeoutMs: read(env, ENV.downloadIdleTimeout),
    maxDownloadBytes: read(env, ENV.maxDownload),
    downloadTimeoutMs: read(env, ENV.downloadTimeout),
    simulatorRenderMs: read(env, ENV.simulatorRender),
    extraHeaders: read(env, ENV.extraHeaders),
    extraQuery: read(env, ENV.extraQuery),
    userModels: userModels(env),
    dialect,
    defaultModel: read(env, ENV.defaultModel),
    maxCostUsd: read(env, ENV.maxCost),
    budgetUsd: read(env, ENV.budget),
    teamBudgetUsd: read(env, ENV.teamBudget),
    budgetPeriod: read(env, ENV.budgetPeriod),
    ...team(env, host),
    store: store(env),
    ffmpeg: {
      program: read(env, ENV.ffmpeg),
      searchPath: (rawValue(env, ENV.path) ?? '').split(host.platform === 'win32' ? ';' : ':').filter(Boolean),
    },
    urlAllowlist: urlAllowlist(env),
  };
}

function team(env: Environment, host: HostFolders): Pick<AppConfig, 'ledger' | 'identity'> {
  const issuer = read(env, ENV.oauthIssuer);
  const publicUrl = read(env, ENV.publicUrl);
  if ((issuer === undefined) !== (publicUrl === undefined)) {
    const missing = issuer === undefined ? ENV.oauthIssuer : ENV.publicUrl;
    const given = issuer === undefined ? ENV.publicUrl : ENV.oauthIssuer;
    throw new ConfigError(
      missing.name,
      `is needed with ${given.name}: OAuth needs the issuer to trust and the URL tokens must name as their audience.`,
    );
  }
  const usersFile = read(env, ENV.httpUsers);
  if (usersFile !== undefined && issuer !== undefined) {
    throw new ConfigError(ENV.httpUsers.name, `and ${ENV.oauthIssuer.name} are both set: choose one way to tell users apart.`);
  }
  const url = read(env, ENV.databaseUrl);
  const identity = { usersFile, oauth: issuer && publicUrl ? { issuer, publicUrl } : undefined };
  return {
    identity,
    ledger: {
      location: url ? { kind: 'postgres', url } : { kind: 'embedded', folder: path.join(dataFolder(env, host), 'ledger') },
      recordsJobs: url !== undefined || usersFile !== undefined || issuer !== undefined,
    },
  };
}

/** The server's own data folder: SORA2_MCP_DATA_DIR, else the platform's place for an application's state. */
export function dataFolder(env: Environment, host: HostFolders): string {
  const named = read(env, ENV.dataDir);
  if (named !== undefined) return path.resolve(named);
  const join = (...parts: string[]): string => (host.platform === 'win32' ? path.win32.join(...parts) : path.join(...parts));
  if (host.platform === 'darwin') return join(host.home, 'Library', 'Application Support', PRODUCT_FOLDER);
  if (host.platform === 'win32') return join(rawValue(env, ENV.userProfile) ?? host.home, 'AppData', 'Local', PRODUCT_FOLDER);
  const state = rawValue(env, ENV.xdgState);
  return join(state && path.isAbsolute(state) ? state : join(host.home, '.local', 'state'), PRODUCT_FOLDER);
}

/**
 * Names whose values only route a request (LiteLLM's provider hint: "openai", "gemini"). Treating
 * them as secrets would blank those words, and every model id that contains them, in every message.
 */
const ROUTING_HINTS = new Set(['custom_llm_provider', 'custom-llm-provider']);

/**
 * Every secret the configuration holds, for the redaction point: the values of every variable the table
 * marks secret (the keys, the HTTP token, the S3 secret), the values of the extra headers and query (a
 * gateway key often travels there), and credentials in the base URL.
 */
export function secretsOf(config: AppConfig, env: Environment): string[] {
  const simple = [ENV.apiKey, ENV.openAiApiKey, ENV.azureKey, ENV.httpToken, ENV.awsSecret, ENV.databaseUrl].map((spec) =>
    rawValue(env, spec),
  );
  // The S3 secret key signs requests and links; it never travels in them. The key id does, in every presigned
  // link, so a secret equal to it (MinIO's minioadmin/minioadmin) is public already: redacting it would break the links.
  const awsSecret = rawValue(env, ENV.awsSecret);
  // Every dialect's own key variable is a secret, whichever dialect is in use.
  const dialectKeys = Object.values(DIALECTS).flatMap((dialect) => (dialect.keyVariable ? [env[dialect.keyVariable]?.trim()] : []));
  const secrets = [
    config.apiKey,
    ...dialectKeys,
    ...simple.filter((secret) => !(secret === awsSecret && awsSecret === rawValue(env, ENV.awsKeyId))),
  ];
  for (const hints of [config.extraHeaders, config.extraQuery]) {
    for (const [name, item] of Object.entries(hints ?? {})) if (!ROUTING_HINTS.has(name.toLowerCase())) secrets.push(item);
  }
  if (config.ledger.location.kind === 'postgres') {
    // The database's password travels in no message; its URL's other parts may (a host name in an error).
    const url = URL.canParse(config.ledger.location.url) ? new URL(config.ledger.location.url) : undefined;
    if (url?.password) secrets.push(decodeURIComponent(url.password), url.password);
  }
  if (config.baseURL) {
    const url = new URL(config.baseURL);
    secrets.push(decodeURIComponent(url.username), decodeURIComponent(url.password), url.username, url.password);
    for (const [, item] of url.searchParams) secrets.push(item);
  }
  return [...new Set(secrets.filter((secret): secret is string => secret !== undefined && secret.length > 0))];
}

/**
 * Makes sure every allowed folder is a folder, creating missing ones, so a typo or a file in
 * the way stops the server at start-up with its name rather than failing the first paid download.
 */
export function prepareRoots(roots: readonly string[], named = false): void {
  for (const root of roots) {
    // A named folder that is missing is made only where its parent exists: a typo three levels deep is not built whole.
    if (named && !existsSync(root) && !existsSync(path.dirname(root))) {
      throw new ConfigError(
        ENV.roots.name,
        `"${root}" does not exist, nor does its parent folder "${path.dirname(root)}". Check the path for a typo, or create the folder.`,
      );
    }
    try {
      mkdirSync(root, { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'EEXIST' || code === 'ENOTDIR'
          ? 'is a file (or goes through one), not a folder'
          : `cannot be created (${code ?? 'error'})`;
      throw new ConfigError(ENV.roots.name, `"${root}" ${reason}. List folders the server may create and write.`);
    }
    if (!statSync(root).isDirectory())
      throw new ConfigError(ENV.roots.name, `"${root}" is not a folder. List folders the server may create and write.`);
  }
}

/** Parses the configuration; on a bad value, says which variable and why on stderr and returns undefined. */
export function parseConfigOrReport(env: Environment, prepare = false): AppConfig | undefined {
  const outcome = parseConfigOrError(env, prepare);
  return 'error' in outcome ? undefined : outcome.config;
}

/** The configuration, or (reported on stderr) the error that stops it, for a program that goes on to say it elsewhere. */
export function parseConfigOrError(env: Environment, prepare = false): { config: AppConfig } | { error: ConfigError } {
  try {
    const config = parseConfig(env);
    if (prepare) prepareRoots(config.roots, config.rootsNamed);
    return { config };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`sora2-mcp: configuration error: ${error.message}\n`);
    return { error };
  }
}

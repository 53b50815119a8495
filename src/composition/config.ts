import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AllowlistEntryError, parseAllowlistEntry, type UrlRule } from '../adapters/http/url-allowlist';
import { dialectForBaseUrl } from '../adapters/openai/dialects';
import { DIALECT_NAMES, type DialectName } from '../adapters/openai/dialects/names';
import { ModelCatalogFormatError, parseModelCatalog } from '../domain/model-catalog';
import type { ModelEntry } from '../domain/model-entry';
import { TOOLSETS, type Toolset } from '../mcp/toolset-names';

/**
 * The server's whole configuration, parsed once from the environment at start-up. Adapters receive
 * typed values from here and never read `process.env` themselves. A bad value names its variable.
 */
export interface AppConfig {
  serverName: string;
  apiKey: string | undefined;
  /** Which variable the key came from, for messages (never the key itself). */
  apiKeySource: 'SORA2_MCP_API_KEY' | 'OPENAI_API_KEY' | undefined;
  baseURL: string | undefined;
  azureKeySet: boolean;
  /**
   * The provider, decided once: an explicit SORA2_MCP_PROVIDER=simulator wins; otherwise AZURE_OPENAI_API_KEY selects the
   * Azure-rejecting provider; otherwise the OpenAI SDK against OPENAI_BASE_URL.
   */
  provider: 'openai' | 'simulator' | 'azure';
  toolset: Toolset;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  roots: string[];
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
  /** SORA2_MCP_BUDGET_USD: the most the estimates of the jobs this process starts may add up to. */
  budgetUsd: number | undefined;
  /** Entries of the user's model catalog (SORA2_MCP_MODELS), layered over the built-in one. */
  userModels: ModelEntry[] | undefined;
  /** Parsed MEDIA_GEN_URLS; undefined when the variable is unset (any public http(s) URL). */
  urlAllowlist: UrlRule[] | undefined;
  /** SORA2_MCP_STORE: where videos are saved (the folders of MEDIA_GEN_DIRS, or an S3 bucket prefix). */
  store: StoreConfig;
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

const DEFAULT_NAME = 'sora2-mcp';

function value(env: Environment, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

function list(env: Environment, name: string): string[] | undefined {
  const raw = value(env, name);
  return raw === undefined
    ? undefined
    : raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
}

function oneOf<T extends string>(env: Environment, name: string, allowed: readonly T[], fallback: T): T {
  const raw = value(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(name, `"${raw}" is not one of ${allowed.join(', ')}.`);
}

function milliseconds(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(name, `"${raw}" is not a whole number of milliseconds between ${min} and ${max}.`);
  }
  return parsed;
}

/** A whole number of MiB, as bytes. */
function mebibytes(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback * 1024 * 1024;
  const parsed = Number(raw);
  if (!/^\d+$/.test(raw) || parsed < min || parsed > max) {
    throw new ConfigError(name, `"${raw}" is not a whole number of MiB from ${min} to ${max}.`);
  }
  return parsed * 1024 * 1024;
}

const httpUrl = z.url({ protocol: /^https?$/ });

/** S3 bucket names: 3–63 lower-case letters, digits, dots and hyphens (the rules for new buckets). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function store(env: Environment): StoreConfig {
  const raw = value(env, 'SORA2_MCP_STORE');
  if (raw === undefined || raw === 'filesystem' || raw === 'fs') return { kind: 'filesystem' };
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(raw);
  if (!match) {
    throw new ConfigError(
      'SORA2_MCP_STORE',
      `"${raw}" is not a store. Use s3://bucket/prefix, or leave it unset for the folders of MEDIA_GEN_DIRS.`,
    );
  }
  const bucket = match[1]!;
  if (!BUCKET.test(bucket)) throw new ConfigError('SORA2_MCP_STORE', `"${bucket}" is not a valid S3 bucket name.`);
  const prefix = (match[2] ?? '').replace(/^\/+/, '');
  if (prefix.split('/').some((segment, index, all) => (segment === '' && index < all.length - 1) || segment === '.' || segment === '..')) {
    throw new ConfigError('SORA2_MCP_STORE', `the prefix "${prefix}" has an empty, "." or ".." part. Use s3://bucket/team/videos.`);
  }
  const ttl = value(env, 'SORA2_MCP_S3_URL_TTL');
  const urlTtlSeconds = ttl === undefined ? 3600 : Number(ttl);
  if (!Number.isInteger(urlTtlSeconds) || urlTtlSeconds < 60 || urlTtlSeconds > 604_800) {
    throw new ConfigError('SORA2_MCP_S3_URL_TTL', `"${ttl}" is not a whole number of seconds between 60 and 604800 (seven days).`);
  }
  const publicUrl = value(env, 'SORA2_MCP_S3_PUBLIC_URL');
  if (publicUrl !== undefined && !httpUrl.safeParse(publicUrl).success) {
    throw new ConfigError('SORA2_MCP_S3_PUBLIC_URL', `"${publicUrl}" is not an http(s) URL.`);
  }
  const pathStyle = oneOf(env, 'SORA2_MCP_S3_FORCE_PATH_STYLE', ['1', '0', 'true', 'false'], '0');
  return {
    kind: 's3',
    bucket,
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    forcePathStyle: pathStyle === '1' || pathStyle === 'true',
    urlTtlSeconds,
    publicUrl,
  };
}

function chooseDialect(env: Environment, baseURL: string | undefined): DialectName {
  const named = value(env, 'SORA2_MCP_DIALECT')?.toLowerCase();
  if (named !== undefined) {
    if ((DIALECT_NAMES as readonly string[]).includes(named)) return named as DialectName;
    throw new ConfigError('SORA2_MCP_DIALECT', `"${named}" is not one of ${DIALECT_NAMES.join(', ')}.`);
  }
  // The old name of the json dialect.
  if (oneOf(env, 'SORA2_MCP_REQUEST_FORMAT', ['multipart', 'json'], 'multipart') === 'json') return 'json';
  return dialectForBaseUrl(baseURL);
}

/** A model id: 1 to 200 printable characters. */
function modelId(env: Environment, name: string): string | undefined {
  const raw = value(env, name);
  if (raw === undefined) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (raw.length > 200 || /[\u0000-\u001f\u007f\s]/.test(raw))
    throw new ConfigError(name, `"${raw.slice(0, 60)}" is not a model id (no spaces, at most 200 characters).`);
  return raw;
}

/** A cap in US dollars: a positive number (cents allowed). */
function dollars(env: Environment, name: string): number | undefined {
  const raw = value(env, name);
  if (raw === undefined) return undefined;
  const parsed = Number(raw.replace(/^\$/, ''));
  if (!/^\$?\d+(\.\d+)?$/.test(raw) || !Number.isFinite(parsed) || parsed <= 0 || parsed > 1_000_000) {
    throw new ConfigError(name, `"${raw}" is not an amount of US dollars above 0, such as 5 or 2.50.`);
  }
  return parsed;
}

function chooseProvider(env: Environment): AppConfig['provider'] {
  const named = oneOf(env, 'SORA2_MCP_PROVIDER', ['openai', 'simulator'], 'openai');
  if (named === 'simulator') return 'simulator';
  return value(env, 'AZURE_OPENAI_API_KEY') !== undefined ? 'azure' : 'openai';
}

/** A JSON object of string values (numbers and booleans are taken as their text). */
function stringMap(env: Environment, name: string, example: string): Record<string, string> | undefined {
  const raw = value(env, name);
  if (raw === undefined) return undefined;
  const shape = `must be a JSON object whose values are strings, e.g. ${example}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(name, `is not valid JSON; it ${shape}.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(name, `is not a JSON object; it ${shape}.`);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
      throw new ConfigError(name, `has a value for "${key}" that is not a string; it ${shape}.`);
    }
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key))
      throw new ConfigError(name, `has a key "${key.slice(0, 60)}" that is not a valid name; it ${shape}.`);
    out[key] = String(item);
  }
  return out;
}

/** A catalog is a few KiB; a file many times that is not one (and `/dev/zero` never ends). */
const MAX_CATALOG_BYTES = 1024 * 1024;

/**
 * A configuration file's text: a regular file of bounded size, or a ConfigError naming the variable.
 * Opened without blocking and checked on the open handle, so a FIFO cannot hang start-up and nothing
 * swapped in after the check is read.
 */
function readConfigFile(variable: string, file: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new ConfigError(
      variable,
      `cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? 'error'}). Name a JSON file in the built-in catalog's format.`,
    );
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
      throw new ConfigError(variable, `"${file}" is ${kind}, not a regular file. Name a JSON file in the built-in catalog's format.`);
    }
    if (stat.size > maxBytes) {
      throw new ConfigError(variable, `"${file}" is ${stat.size} bytes; a catalog file may have at most ${maxBytes}.`);
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
  const file = value(env, 'SORA2_MCP_MODELS');
  if (file === undefined) return undefined;
  const text = readConfigFile('SORA2_MCP_MODELS', file, MAX_CATALOG_BYTES);
  try {
    return parseModelCatalog(JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError) throw new ConfigError('SORA2_MCP_MODELS', `"${file}" is not valid JSON.`);
    if (error instanceof ModelCatalogFormatError) {
      throw new ConfigError('SORA2_MCP_MODELS', `"${file}" does not follow the catalog format at ${error.message}. See docs/providers.md.`);
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
 * The default output folder: `~/Movies/sora2-mcp` on macOS, `$XDG_VIDEOS_DIR/sora2-mcp` (from the environment or
 * `user-dirs.dirs`) else `~/Videos/sora2-mcp` on Linux, `%USERPROFILE%\\Videos\\sora2-mcp` on Windows.
 */
export function defaultOutputFolder(env: Environment, host: HostFolders): string {
  const join = (...parts: string[]): string => (host.platform === 'win32' ? path.win32.join(...parts) : path.join(...parts));
  if (host.platform === 'darwin') return join(host.home, 'Movies', DEFAULT_NAME);
  if (host.platform === 'win32') return join(value(env, 'USERPROFILE') ?? host.home, 'Videos', DEFAULT_NAME);
  const xdg = value(env, 'XDG_VIDEOS_DIR') ?? userDirsVideos(env, host.home);
  return join(xdg && path.isAbsolute(xdg) ? xdg : join(host.home, 'Videos'), DEFAULT_NAME);
}

/** XDG_VIDEOS_DIR as xdg-user-dirs writes it (`XDG_VIDEOS_DIR="$HOME/Films"`), when the file exists. */
function userDirsVideos(env: Environment, home: string): string | undefined {
  const config = value(env, 'XDG_CONFIG_HOME') ?? path.join(home, '.config');
  try {
    // Bounded and never blocking, like every file the configuration reads; any trouble means "not set".
    const text = readConfigFile('XDG_CONFIG_HOME', path.join(config, 'user-dirs.dirs'), 64 * 1024);
    const line = /^XDG_VIDEOS_DIR="([^"]*)"/m.exec(text);
    return line?.[1]?.replace(/^\$HOME/, home);
  } catch {
    return undefined;
  }
}

export function parseConfig(
  env: Environment,
  host: HostFolders = { platform: process.platform, home: value(env, 'HOME') ?? os.homedir() },
): AppConfig {
  const ownKey = value(env, 'SORA2_MCP_API_KEY');
  const openAiKey = value(env, 'OPENAI_API_KEY');
  const baseURL = value(env, 'OPENAI_BASE_URL');
  if (baseURL !== undefined && !httpUrl.safeParse(baseURL).success) {
    throw new ConfigError('OPENAI_BASE_URL', "is not an http(s) URL. Use the provider's base URL, e.g. https://provider.example/v1.");
  }
  const roots = (list(env, 'MEDIA_GEN_DIRS') ?? [defaultOutputFolder(env, host)]).map((root) => {
    if (root.includes('\0') || !path.isAbsolute(root)) {
      throw new ConfigError('MEDIA_GEN_DIRS', `"${root}" is not an absolute path. List absolute folders separated by commas.`);
    }
    return path.resolve(root);
  });
  if (roots.length === 0) throw new ConfigError('MEDIA_GEN_DIRS', 'lists no folder.');
  // Positional: an empty entry keeps its place (that folder gets file:// URIs), so it is not dropped.
  const urlPrefixes =
    value(env, 'MEDIA_GEN_MCP_URL_PREFIXES')
      ?.split(',')
      .map((item) => item.trim()) ?? [];
  if (urlPrefixes.length > roots.length) {
    throw new ConfigError(
      'MEDIA_GEN_MCP_URL_PREFIXES',
      `has ${urlPrefixes.length} prefixes but MEDIA_GEN_DIRS has ${roots.length} folders; give one prefix per folder, by position.`,
    );
  }
  for (const prefix of urlPrefixes) {
    if (prefix !== '' && !httpUrl.safeParse(prefix).success)
      throw new ConfigError('MEDIA_GEN_MCP_URL_PREFIXES', `"${prefix}" is not an http(s) URL.`);
  }
  return {
    serverName: value(env, 'MCP_NAME') ?? DEFAULT_NAME,
    apiKey: ownKey ?? openAiKey,
    apiKeySource: ownKey ? 'SORA2_MCP_API_KEY' : openAiKey ? 'OPENAI_API_KEY' : undefined,
    baseURL,
    azureKeySet: value(env, 'AZURE_OPENAI_API_KEY') !== undefined,
    provider: chooseProvider(env),
    toolset: oneOf(env, 'SORA2_MCP_TOOLSET', TOOLSETS, 'openai-videos'),
    logLevel: oneOf(env, 'SORA2_MCP_LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'], 'info'),
    roots,
    urlPrefixes,
    requestTimeoutMs: milliseconds(env, 'SORA2_MCP_REQUEST_TIMEOUT_MS', 120_000, 1000, 3_600_000),
    downloadIdleTimeoutMs: milliseconds(env, 'SORA2_MCP_DOWNLOAD_IDLE_TIMEOUT_MS', 60_000, 100, 3_600_000),
    maxDownloadBytes: mebibytes(env, 'SORA2_MCP_MAX_DOWNLOAD_MB', 4096, 1, 1_048_576),
    downloadTimeoutMs: milliseconds(env, 'SORA2_MCP_DOWNLOAD_TIMEOUT_MS', 1_800_000, 1000, 86_400_000),
    simulatorRenderMs: milliseconds(env, 'SORA2_MCP_SIMULATOR_RENDER_MS', 3000, 0, 3_600_000),
    extraHeaders: stringMap(env, 'SORA2_MCP_EXTRA_HEADERS', '{"custom-llm-provider":"gemini"}'),
    extraQuery: stringMap(env, 'SORA2_MCP_EXTRA_QUERY', '{"custom_llm_provider":"gemini"}'),
    userModels: userModels(env),
    dialect: chooseDialect(env, baseURL),
    defaultModel: modelId(env, 'SORA2_MCP_DEFAULT_MODEL'),
    maxCostUsd: dollars(env, 'SORA2_MCP_MAX_COST_USD'),
    budgetUsd: dollars(env, 'SORA2_MCP_BUDGET_USD'),
    store: store(env),
    urlAllowlist: list(env, 'MEDIA_GEN_URLS')?.map((entry) => {
      try {
        return parseAllowlistEntry(entry);
      } catch (error) {
        if (error instanceof AllowlistEntryError)
          throw new ConfigError(
            'MEDIA_GEN_URLS',
            `${error.message}. Use entries like https://images.example or https://*.cdn.example/path/.`,
          );
        throw error;
      }
    }),
  };
}

/**
 * Names whose values only route a request (LiteLLM's provider hint: "openai", "gemini"). Treating
 * them as secrets would blank those words, and every model id that contains them, in every message.
 */
const ROUTING_HINTS = new Set(['custom_llm_provider', 'custom-llm-provider']);

/**
 * Every secret the configuration holds, for the redaction point: the keys, the values of the extra
 * headers and query (a gateway key often travels there), and credentials in the base URL.
 */
export function secretsOf(config: AppConfig, env: Environment): string[] {
  const secrets = [
    config.apiKey,
    value(env, 'OPENAI_API_KEY'),
    value(env, 'SORA2_MCP_API_KEY'),
    value(env, 'AZURE_OPENAI_API_KEY'),
    // The S3 secret key signs requests and links; it never travels in them. The key id does, in every presigned
    // link, so a secret equal to it (MinIO's minioadmin/minioadmin) is public already: redacting it would break the links.
    value(env, 'AWS_SECRET_ACCESS_KEY') === value(env, 'AWS_ACCESS_KEY_ID') ? undefined : value(env, 'AWS_SECRET_ACCESS_KEY'),
    value(env, 'SORA2_MCP_HTTP_TOKEN'),
  ];
  for (const hints of [config.extraHeaders, config.extraQuery]) {
    for (const [name, item] of Object.entries(hints ?? {})) if (!ROUTING_HINTS.has(name.toLowerCase())) secrets.push(item);
  }
  if (config.baseURL) {
    const url = new URL(config.baseURL);
    secrets.push(decodeURIComponent(url.username), decodeURIComponent(url.password), url.username, url.password);
    for (const [, item] of url.searchParams) secrets.push(item);
  }
  return [...new Set(secrets.filter((secret): secret is string => secret !== undefined && secret.length > 0))];
}

/**
 * Makes sure every MEDIA_GEN_DIRS entry is a folder, creating missing ones, so a typo or a file in
 * the way stops the server at start-up with its name rather than failing the first paid download.
 */
export function prepareRoots(roots: readonly string[]): void {
  for (const root of roots) {
    try {
      mkdirSync(root, { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'EEXIST' || code === 'ENOTDIR'
          ? 'is a file (or goes through one), not a folder'
          : `cannot be created (${code ?? 'error'})`;
      throw new ConfigError('MEDIA_GEN_DIRS', `"${root}" ${reason}. List folders the server may create and write.`);
    }
    if (!statSync(root).isDirectory())
      throw new ConfigError('MEDIA_GEN_DIRS', `"${root}" is not a folder. List folders the server may create and write.`);
  }
}

/** Parses the configuration; on a bad value, says which variable and why on stderr and returns undefined. */
export function parseConfigOrReport(env: Environment, prepare = false): AppConfig | undefined {
  try {
    const config = parseConfig(env);
    if (prepare) prepareRoots(config.roots);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`sora2-mcp: configuration error: ${error.message}\n`);
    return undefined;
  }
}

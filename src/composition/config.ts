import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AllowlistEntryError, parseAllowlistEntry, type UrlRule } from '../adapters/http/url-allowlist';
import { TOOLSETS, type Toolset } from '../mcp/toolsets';

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
  provider: 'openai' | 'simulator';
  toolset: Toolset;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  roots: string[];
  urlPrefixes: string[];
  /** How long a provider request may take until its response headers arrive. */
  requestTimeoutMs: number;
  /** A download that receives no bytes for this long is aborted and retried. */
  downloadIdleTimeoutMs: number;
  /** Simulator only: render time of a 4-second sora-2 clip (longer clips and pro models take longer). */
  simulatorRenderMs: number;
  /** Parsed MEDIA_GEN_URLS; undefined when the variable is unset (any public http(s) URL). */
  urlAllowlist: UrlRule[] | undefined;
}

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
  return raw === undefined ? undefined : raw.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
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

const httpUrl = z.url({ protocol: /^https?$/ });

export function parseConfig(env: Environment, tempDir: string = os.tmpdir()): AppConfig {
  const ownKey = value(env, 'SORA2_MCP_API_KEY');
  const openAiKey = value(env, 'OPENAI_API_KEY');
  const baseURL = value(env, 'OPENAI_BASE_URL');
  if (baseURL !== undefined && !httpUrl.safeParse(baseURL).success) {
    throw new ConfigError('OPENAI_BASE_URL', 'is not an http(s) URL. Use the provider\'s base URL, e.g. https://provider.example/v1.');
  }
  const roots = (list(env, 'MEDIA_GEN_DIRS') ?? [path.join(tempDir, DEFAULT_NAME)]).map((root) => {
    if (root.includes('\0') || !path.isAbsolute(root)) {
      throw new ConfigError('MEDIA_GEN_DIRS', `"${root}" is not an absolute path. List absolute folders separated by commas.`);
    }
    return path.resolve(root);
  });
  if (roots.length === 0) throw new ConfigError('MEDIA_GEN_DIRS', 'lists no folder.');
  // Positional: an empty entry keeps its place (that folder gets file:// URIs), so it is not dropped.
  const urlPrefixes = value(env, 'MEDIA_GEN_MCP_URL_PREFIXES')?.split(',').map((item) => item.trim()) ?? [];
  if (urlPrefixes.length > roots.length) {
    throw new ConfigError('MEDIA_GEN_MCP_URL_PREFIXES', `has ${urlPrefixes.length} prefixes but MEDIA_GEN_DIRS has ${roots.length} folders; give one prefix per folder, by position.`);
  }
  for (const prefix of urlPrefixes) {
    if (prefix !== '' && !httpUrl.safeParse(prefix).success) throw new ConfigError('MEDIA_GEN_MCP_URL_PREFIXES', `"${prefix}" is not an http(s) URL.`);
  }
  return {
    serverName: value(env, 'MCP_NAME') ?? DEFAULT_NAME,
    apiKey: ownKey ?? openAiKey,
    apiKeySource: ownKey ? 'SORA2_MCP_API_KEY' : openAiKey ? 'OPENAI_API_KEY' : undefined,
    baseURL,
    azureKeySet: value(env, 'AZURE_OPENAI_API_KEY') !== undefined,
    provider: oneOf(env, 'SORA2_MCP_PROVIDER', ['openai', 'simulator'], 'openai'),
    toolset: oneOf(env, 'SORA2_MCP_TOOLSET', TOOLSETS, 'openai-videos'),
    logLevel: oneOf(env, 'SORA2_MCP_LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'], 'info'),
    roots,
    urlPrefixes,
    requestTimeoutMs: milliseconds(env, 'SORA2_MCP_REQUEST_TIMEOUT_MS', 120_000, 1000, 3_600_000),
    downloadIdleTimeoutMs: milliseconds(env, 'SORA2_MCP_DOWNLOAD_IDLE_TIMEOUT_MS', 60_000, 100, 3_600_000),
    simulatorRenderMs: milliseconds(env, 'SORA2_MCP_SIMULATOR_RENDER_MS', 3000, 0, 3_600_000),
    urlAllowlist: list(env, 'MEDIA_GEN_URLS')?.map((entry) => {
      try {
        return parseAllowlistEntry(entry);
      } catch (error) {
        if (error instanceof AllowlistEntryError) throw new ConfigError('MEDIA_GEN_URLS', `${error.message}. Use entries like https://images.example or https://*.cdn.example/path/.`);
        throw error;
      }
    }),
  };
}

/** Every secret the configuration holds, for the redaction point. */
export function secretsOf(config: AppConfig, env: Environment): string[] {
  return [config.apiKey, value(env, 'OPENAI_API_KEY'), value(env, 'SORA2_MCP_API_KEY'), value(env, 'AZURE_OPENAI_API_KEY')].filter(
    (secret): secret is string => secret !== undefined,
  );
}

/** Parses the configuration; on a bad value, says which variable and why on stderr and returns undefined. */
export function parseConfigOrReport(env: Environment): AppConfig | undefined {
  try {
    return parseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`sora2-mcp: configuration error: ${error.message}\n`);
    return undefined;
  }
}

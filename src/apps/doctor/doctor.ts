import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, parseConfig, secretsOf, type AppConfig, type Environment } from '../../composition/config';
import { createSora2Server } from '../../composition/create-server';
import { isDomainError } from '../../domain/errors';
import { redactSecrets } from '../../domain/redaction';
import { describeError, GENERIC } from '../../mcp/error-words';

type Status = 'ok' | 'warn' | 'fail';
interface Check {
  status: Status;
  name: string;
  detail: string;
  fix?: string;
}

const MARK: Record<Status, string> = { ok: '✔', warn: '!', fail: '✖' };
const PROVIDER_TIMEOUT_MS = 15_000;

/**
 * `sora2-mcp doctor`: checks the configuration a user actually has and says how to fix each
 * problem. Exits non-zero when something would stop the server from working. Never prints the key.
 */
export async function doctor(env: Environment, version: string, out: (line: string) => void): Promise<number> {
  const checks: Check[] = [];
  let config: AppConfig | undefined;
  try {
    config = parseConfig(env);
    checks.push({
      status: 'ok',
      name: 'configuration',
      detail: `parsed (provider ${config.provider}, tool set ${config.toolset}, log level ${config.logLevel})`,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    checks.push({
      status: 'fail',
      name: 'configuration',
      detail: error.message,
      fix: `correct ${error.variable} in the server's environment`,
    });
  }
  if (config) {
    checks.push(azureCheck(config), ...keyAndUrlChecks(config));
    if (config.provider === 'openai') checks.push(dialectCheck(config, env));
    checks.push(await providerCheck(config, env));
    checks.push(budgetCheck(config));
    if (config.store.kind === 's3') checks.push(await storeCheck(config, env));
    for (const [index, root] of config.roots.entries()) checks.push(await folderCheck(root, index === 0));
  }
  checks.push(await sharpCheck());

  const secrets = config ? secretsOf(config, env) : [];
  out(`sora2-mcp doctor (version ${version})`);
  for (const check of checks) {
    out(redactSecrets(`  ${MARK[check.status]} ${check.name}: ${check.detail}`, secrets));
    if (check.fix) out(redactSecrets(`      fix: ${check.fix}`, secrets));
  }
  const failures = checks.filter((check) => check.status === 'fail').length;
  out(failures === 0 ? 'No problems found.' : `${failures} problem(s) found.`);
  return failures === 0 ? 0 : 1;
}

function azureCheck(config: AppConfig): Check {
  if (config.azureKeySet && config.provider === 'simulator') {
    return { status: 'ok', name: 'Azure', detail: 'AZURE_OPENAI_API_KEY is set but ignored: SORA2_MCP_PROVIDER=simulator was chosen' };
  }
  return config.provider === 'azure'
    ? {
        status: 'fail',
        name: 'Azure',
        detail: 'AZURE_OPENAI_API_KEY is set, so every video call is refused (Azure video support is not enabled in sora2-mcp)',
        fix: 'remove AZURE_OPENAI_API_KEY from the server environment and use SORA2_MCP_API_KEY with OPENAI_BASE_URL',
      }
    : { status: 'ok', name: 'Azure', detail: 'AZURE_OPENAI_API_KEY is not set' };
}

function keyAndUrlChecks(config: AppConfig): Check[] {
  if (config.provider === 'simulator') {
    return [
      { status: 'ok', name: 'provider', detail: 'the built-in simulator (offline, no key needed, media clearly labelled SIMULATED)' },
    ];
  }
  const key: Check = config.apiKeySource
    ? { status: 'ok', name: 'API key', detail: `set via ${config.apiKeySource}` }
    : {
        status: 'fail',
        name: 'API key',
        detail: 'not set; every video call will fail',
        fix: "set SORA2_MCP_API_KEY (or OPENAI_API_KEY) in your MCP client's config for this server, or SORA2_MCP_PROVIDER=simulator to try it offline",
      };
  const url: Check = config.baseURL
    ? { status: 'ok', name: 'base URL', detail: displayUrl(config.baseURL) }
    : {
        status: 'warn',
        name: 'base URL',
        detail: 'OPENAI_BASE_URL is not set, so requests go to api.openai.com, where OpenAI retired its own Sora Videos API on 2026-09-24',
        fix: 'set OPENAI_BASE_URL to a provider that still serves /v1/videos',
      };
  return [key, url];
}

/** A harmless probe of the bucket (a one-key listing of the prefix): no object is written or read. */
async function storeCheck(config: AppConfig, env: Environment): Promise<Check> {
  const store = createSora2Server({ env, config: { ...config, logLevel: 'silent' } }).mediaStore;
  try {
    const where = (await store.probe?.()) ?? 'the store';
    return { status: 'ok', name: 'store reachable', detail: `${where} answers a listing` };
  } catch (error) {
    return {
      status: 'fail',
      name: 'store reachable',
      detail: isDomainError(error) ? error.message : 'the check failed unexpectedly',
      fix: 'check SORA2_MCP_STORE, AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL), AWS_REGION and the credentials; see docs/storage.md',
    };
  }
}

async function providerCheck(config: AppConfig, env: Environment): Promise<Check> {
  if (config.provider === 'azure' || (config.provider === 'openai' && !config.apiKey)) {
    return { status: 'warn', name: 'provider reachable', detail: 'not checked (see above)' };
  }
  const provider = createSora2Server({ env, config: { ...config, logLevel: 'silent' } }).videoProvider;
  try {
    const found = (await provider.probe?.({ signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) })) ?? 'the provider is ready';
    return { status: 'ok', name: 'provider reachable', detail: found };
  } catch (error) {
    const code = isDomainError(error) ? error.code : 'unknown';
    const fixes: Record<string, string> = {
      authentication_failed: 'check that the key belongs to the provider at OPENAI_BASE_URL',
      not_found: 'this base URL does not serve /v1/videos; check OPENAI_BASE_URL (it usually ends in /v1)',
      provider_unavailable: 'check OPENAI_BASE_URL and your network; the provider did not answer',
      cancelled: `the provider did not answer within ${PROVIDER_TIMEOUT_MS / 1000} s; check OPENAI_BASE_URL and your network`,
    };
    return {
      status: 'fail',
      name: 'provider reachable',
      detail: isDomainError(error) ? describeError(error, GENERIC) : 'the check failed unexpectedly',
      fix: fixes[code] ?? 'see the message above',
    };
  }
}

/** How the provider is spoken to, and why that dialect. */
function dialectCheck(config: AppConfig, env: Environment): Check {
  const named = env.SORA2_MCP_DIALECT?.trim();
  const why = named
    ? 'named by SORA2_MCP_DIALECT'
    : env.SORA2_MCP_REQUEST_FORMAT?.trim() === 'json'
      ? 'SORA2_MCP_REQUEST_FORMAT=json, its old name'
      : config.dialect === 'openrouter'
        ? 'OPENAI_BASE_URL is OpenRouter'
        : 'the default';
  const detail = {
    openai: 'the official /v1/videos shape (LiteLLM, Bifrost behind /openai/v1)',
    json: 'JSON bodies (LLM Gateway)',
    openrouter: "OpenRouter's video API (polling_url, download URLs, models with prices)",
  }[config.dialect];
  return { status: 'ok', name: 'dialect', detail: `${config.dialect}: ${detail} (${why})` };
}

/** What the spending caps are, and what they cannot see. */
function budgetCheck(config: AppConfig): Check {
  const caps = [
    config.maxCostUsd === undefined ? undefined : `at most $${config.maxCostUsd.toFixed(2)} per create or remix (SORA2_MCP_MAX_COST_USD)`,
    config.budgetUsd === undefined
      ? undefined
      : `at most $${config.budgetUsd.toFixed(2)} for all the jobs this server process starts (SORA2_MCP_BUDGET_USD)`,
  ].filter((cap) => cap !== undefined);
  if (caps.length === 0) {
    return { status: 'ok', name: 'spending caps', detail: 'none set: every create and remix shows its estimate, and nothing refuses one' };
  }
  return {
    status: 'ok',
    name: 'spending caps',
    detail:
      `${caps.join('; ')}. They count estimates (price per second × seconds) of this process's jobs only: another server process, ` +
      "another key, and the provider's own rounding are not seen, and a model with no known price is refused while a cap is set",
  };
}

async function folderCheck(root: string, isDefault: boolean): Promise<Check> {
  const name = `folder ${root}`;
  const role = isDefault ? 'default output folder' : 'allowed folder';
  try {
    if (isDefault) await mkdir(root, { recursive: true });
    const info = await stat(root);
    if (!info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    const probe = path.join(root, `.sora2-mcp-doctor-${randomUUID()}`);
    await writeFile(probe, 'ok');
    await rm(probe, { force: true });
    return { status: 'ok', name, detail: isDefault ? `writable (${role}: videos are saved here)` : `writable (${role})` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return {
      status: 'fail',
      name,
      detail: `not usable as the ${role} (${code})`,
      fix: 'create the folder and make it writable, or change MEDIA_GEN_DIRS',
    };
  }
}

async function sharpCheck(): Promise<Check> {
  try {
    const sharp = require('sharp') as typeof import('sharp');
    await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    return { status: 'ok', name: 'image processing', detail: `sharp loaded (libvips ${sharp.versions.vips})` };
  } catch {
    return {
      status: 'fail',
      name: 'image processing',
      detail: 'sharp could not be loaded, so reference images cannot be checked or fitted',
      fix: 'reinstall: npm install sharp (it ships prebuilt for most platforms)',
    };
  }
}

/** A URL as it may be shown: credentials and query values replaced (the redaction gate runs as well). */
export function displayUrl(text: string): string {
  const url = new URL(text);
  const hidden = url.username || url.password ? '[redacted]@' : '';
  const query = [...url.searchParams.keys()].map((key) => `${encodeURIComponent(key)}=[redacted]`).join('&');
  return `${url.protocol}//${hidden}${url.host}${url.pathname}${query ? `?${query}` : ''}`;
}

import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeVideoEditor } from '../../composition/video-editor';
import { ConfigError, dialectFacts, parseConfig, secretsOf, type AppConfig, type Environment } from '../../composition/config';
import { createSora2Server } from '../../composition/create-server';
import { isDomainError } from '../../domain/errors';
import { redactSecrets } from '../../domain/redaction';
import { VARIABLES, ENV, rawValue } from '../../config/variables';
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
  checks.push(...variablesCheck(env));
  if (config) {
    checks.push(azureCheck(config), ...keyAndUrlChecks(config));
    if (config.provider === 'openai') checks.push(dialectCheck(config, env));
    checks.push(await providerCheck(config, env));
    checks.push(budgetCheck(config), await ledgerCheck(config));
    if (config.store.kind === 's3') checks.push(await storeCheck(config, env));
    for (const [index, root] of config.roots.entries()) checks.push(await folderCheck(root, index === 0));
  }
  checks.push(await sharpCheck());
  if (config) checks.push(await ffmpegCheck(config));

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

/**
 * What is set, from the table of every variable (src/config/variables.ts): the ones this server reads,
 * an old name still in use, and a name that looks like one of ours but is not (a typo reads as unset).
 */
function variablesCheck(env: Environment): Check[] {
  const own = VARIABLES.filter((variable) => variable.readBy === undefined);
  const set = own.filter((variable) => rawValue(env, variable) !== undefined).map((variable) => variable.name);
  const checks: Check[] = [
    { status: 'ok', name: 'variables', detail: set.length > 0 ? `set: ${set.join(', ')}` : 'none set (every default applies)' },
  ];
  for (const variable of own.filter((item) => item.replacedBy && rawValue(env, item) !== undefined)) {
    checks.push({
      status: 'warn',
      name: variable.name,
      detail: 'is an old name that still works',
      fix: `use ${variable.replacedBy} instead`,
    });
  }
  const known = new Set(VARIABLES.map((variable) => variable.name));
  // Our families of names (the first two parts: `SORA2_MCP_`, `MEDIA_GEN_`, `OPENAI_BASE_`…): another program's variables are not ours to judge.
  const families = new Set(own.map((variable) => `${variable.name.split('_').slice(0, 2).join('_')}_`));
  const strays = Object.keys(env).filter(
    (key) => !known.has(key) && env[key]?.trim() && [...families].some((family) => key.startsWith(family)),
  );
  for (const name of strays) {
    const near = closest(name, [...known]);
    checks.push({
      status: 'warn',
      name,
      detail: 'is set but not a variable sora2-mcp reads, so it has no effect',
      fix: near ? `did you mean ${near}?` : "see the README's Configuration table",
    });
  }
  return checks;
}

/** The known name nearest to a misspelt one (few edits apart), if any. */
function closest(name: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i += 1) {
      let previous = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j += 1) {
        const kept = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = kept;
      }
    }
    return row[b.length]!;
  };
  const scored = known.map((candidate) => ({ candidate, score: distance(name, candidate) })).sort((a, b) => a.score - b.score);
  return scored[0] && scored[0].score <= 4 ? scored[0].candidate : undefined;
}

function azureCheck(config: AppConfig): Check {
  if (config.azureKeySet && config.provider === 'simulator') {
    return { status: 'ok', name: 'Azure', detail: `${ENV.azureKey.name} is set but ignored: ${ENV.provider.name}=simulator was chosen` };
  }
  return config.provider === 'azure'
    ? {
        status: 'fail',
        name: 'Azure',
        detail: `${ENV.azureKey.name} is set, so every video call is refused (Azure video support is not enabled in sora2-mcp)`,
        fix: `remove ${ENV.azureKey.name} from the server environment and use ${ENV.apiKey.name} with ${ENV.baseUrl.name}`,
      }
    : { status: 'ok', name: 'Azure', detail: `${ENV.azureKey.name} is not set` };
}

function keyAndUrlChecks(config: AppConfig): Check[] {
  if (config.provider === 'simulator') {
    return [
      { status: 'ok', name: 'provider', detail: 'the built-in simulator (offline, no key needed, media clearly labelled SIMULATED)' },
    ];
  }
  const facts = dialectFacts(config);
  const key: Check = config.apiKeyVariable
    ? { status: 'ok', name: 'API key', detail: `set via ${config.apiKeyVariable}` }
    : {
        status: 'fail',
        name: 'API key',
        detail: 'not set; every video call will fail',
        fix: `set ${ENV.apiKey.name} (or ${facts.keyVariable ?? ENV.openAiApiKey.name}) in your MCP client's config for this server, or ${ENV.provider.name}=simulator to try it offline`,
      };
  const url: Check = config.baseURL
    ? { status: 'ok', name: 'base URL', detail: displayUrl(config.baseURL) }
    : facts.defaultBaseURL
      ? { status: 'ok', name: 'base URL', detail: `${facts.defaultBaseURL} (the ${config.dialect} dialect's own API)` }
      : {
          status: 'warn',
          name: 'base URL',
          detail: `${ENV.baseUrl.name} is not set, so requests go to api.openai.com, where OpenAI retired its own Sora Videos API on 2026-09-24`,
          fix: `set ${ENV.baseUrl.name} to a provider that still serves /v1/videos`,
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
      detail: isDomainError(error) ? describeError(error, GENERIC) : 'the check failed unexpectedly',
      fix: `check ${ENV.store.name}, ${ENV.awsEndpoint.name}, ${ENV.awsRegion.name} and the credentials; see docs/storage.md`,
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
      authentication_failed: `check that the key belongs to the provider at ${ENV.baseUrl.name}`,
      not_found: `this base URL does not serve /v1/videos; check ${ENV.baseUrl.name} (it usually ends in /v1)`,
      provider_unavailable: `check ${ENV.baseUrl.name} and your network; the provider did not answer`,
      cancelled: `the provider did not answer within ${PROVIDER_TIMEOUT_MS / 1000} s; check ${ENV.baseUrl.name} and your network`,
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
  const why = rawValue(env, ENV.dialect)
    ? `named by ${ENV.dialect.name}`
    : rawValue(env, ENV.requestFormat)?.toLowerCase() === 'json'
      ? `${ENV.requestFormat.name}=json, its old name`
      : config.dialect !== 'openai'
        ? `the base URL's host is ${config.dialect}'s`
        : 'the default';
  const { summary, keyVariable, defaultModel } = dialectFacts(config);
  const key = keyVariable ? `; its key variable is ${keyVariable}` : '';
  return { status: 'ok', name: 'dialect', detail: `${config.dialect}: ${summary} (${why})${key}; default model ${defaultModel}` };
}

/** What the spending caps are, and what they cannot see. */
function budgetCheck(config: AppConfig): Check {
  const caps = [
    config.maxCostUsd === undefined ? undefined : `at most $${config.maxCostUsd.toFixed(2)} per create or remix (${ENV.maxCost.name})`,
    config.budgetUsd === undefined
      ? undefined
      : `at most $${config.budgetUsd.toFixed(2)} per user per ${config.budgetPeriod} (${ENV.budget.name})`,
    config.teamBudgetUsd === undefined
      ? undefined
      : `at most $${config.teamBudgetUsd.toFixed(2)} for everyone per ${config.budgetPeriod} (${ENV.teamBudget.name})`,
  ].filter((cap) => cap !== undefined);
  if (caps.length === 0) {
    return { status: 'ok', name: 'spending caps', detail: 'none set: every create and remix shows its estimate, and nothing refuses one' };
  }
  return {
    status: 'ok',
    name: 'spending caps',
    detail:
      `${caps.join('; ')}. Budgets count estimates (price per second × seconds) until the provider reports a cost, in the ledger ` +
      '(see the ledger check); jobs started elsewhere with the same key are not seen, and a model with no known price is refused while a cap is set',
  };
}

/** Where the jobs, owners and budgets are kept, and whether that database answers (a server, not the embedded one: opening that costs a second). */
async function ledgerCheck(config: AppConfig): Promise<Check> {
  const { location, recordsJobs } = config.ledger;
  if (location.kind === 'embedded') {
    const needed = recordsJobs || config.budgetUsd !== undefined || config.teamBudgetUsd !== undefined;
    return {
      status: 'ok',
      name: 'ledger',
      detail: `embedded, in ${location.folder} (${needed ? 'opened on the first create' : 'opened only if a budget, users or an idempotency key need it'}; local servers take it in turn)`,
    };
  }
  // The configuration's registry, as the server opens it (connect, then migrate).
  const registry = createSora2Server({ config }).jobRegistry;
  try {
    await registry.spent('doctor', Date.now());
    return { status: 'ok', name: 'ledger', detail: `PostgreSQL at ${ENV.databaseUrl.name} answers; its schema is migrated` };
  } catch (error) {
    return {
      status: 'fail',
      name: 'ledger',
      detail: `PostgreSQL at ${ENV.databaseUrl.name} does not answer: ${error instanceof Error ? error.message : String(error)}`,
      fix: `check that the database is up and that ${ENV.databaseUrl.name} names it (host, port, user, password, database)`,
    };
  } finally {
    await registry.close().catch(() => undefined);
  }
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
      fix: `create the folder and make it writable, or change ${ENV.roots.name}`,
    };
  }
}

/** ffmpeg: which one, its version, or why the frame, join and sequence tools are not offered (ADR 0020). */
async function ffmpegCheck(config: AppConfig): Promise<Check> {
  const { found, detail } = await describeVideoEditor(config);
  if (found) return { status: 'ok', name: 'ffmpeg', detail: `${detail}: the frame, join and sequence tools are offered` };
  return {
    status: 'warn',
    name: 'ffmpeg',
    detail: `${detail}, so the frame, join and sequence tools are not offered (the others work)`,
    fix: `install ffmpeg (Debian/Ubuntu: apt install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg), or set ${ENV.ffmpeg.name} to its full path`,
  };
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

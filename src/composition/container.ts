// tsyringe needs the Reflect metadata API loaded before it is: a polyfill, not a start-up.
import 'reflect-metadata';
import { container as rootContainer, instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { SpendingLedger } from '../application/spending-ledger';
import { LazyJobRegistry } from '../adapters/postgres/lazy-job-registry';
import { AzureRejectingVideoProvider } from '../adapters/azure/azure-rejecting-video-provider';
import { SystemClock } from '../adapters/clock/system-clock';
import { FileSystemLocalFileReader } from '../adapters/filesystem/file-system-local-file-reader';
import { FileSystemMediaStore } from '../adapters/filesystem/file-system-media-store';
import { S3MediaStore } from '../adapters/s3/s3-media-store';
import { GuardedImageFetcher } from '../adapters/http/guarded-image-fetcher';
import { providerRedirectPolicy } from '../adapters/http/redirect-policy';
import { RedactingLogger } from '../adapters/logging/redacting-logger';
import { OpenAiVideoProvider } from '../adapters/openai/openai-video-provider';
import { DIALECTS } from '../adapters/openai/dialects';
import { SharpImageProcessor } from '../adapters/sharp/sharp-image-processor';
import { SimulatedVideoProvider } from '../adapters/simulator/simulated-video-provider';
import { videoEditor } from './video-editor';
import { wireApplication } from './application';
import path from 'node:path';
import type { Clock, Logger, MediaStore, VideoProvider } from '../domain/ports';
import type { AppConfig } from './config';
import { TOKENS, type Token } from './tokens';

/** Largest decoded reference image: about 50 megapixels covers any camera; a 20000×20000 bomb does not fit. */
const LIMIT_INPUT_PIXELS = 50_000_000;

type Factory<T> = (c: DependencyContainer) => T;
interface Registration<T = unknown> {
  token: Token<T>;
  useFactory: Factory<T>;
}
const register = <T>(token: Token<T>, useFactory: Factory<T>): Registration => ({ token, useFactory });
const get = <T>(c: DependencyContainer, token: Token<T>): T => c.resolve<T>(token);

/**
 * The one place that knows every concrete adapter: a readable list of registrations for the configuration and the
 * ports, each a singleton built by a factory (no decorators, no auto-wiring), and the application made from them.
 */
export function registrations(config: AppConfig, secrets: readonly string[]): Registration[] {
  return [
    register(TOKENS.Config, () => config),
    register(TOKENS.Secrets, () => secrets),
    register(TOKENS.Logger, () => new RedactingLogger(config.logLevel, secrets)),
    register(TOKENS.Clock, () => new SystemClock()),
    register(TOKENS.VideoProvider, (c) => videoProvider(config, get(c, TOKENS.Clock), get(c, TOKENS.Logger), secrets)),
    register(TOKENS.MediaStore, () => mediaStore(config)),
    register(TOKENS.LocalFileReader, () => new FileSystemLocalFileReader(config.roots)),
    register(TOKENS.ImageProcessor, () => new SharpImageProcessor({ limitInputPixels: LIMIT_INPUT_PIXELS })),
    register(TOKENS.ImageFetcher, () => new GuardedImageFetcher({ allowlist: config.urlAllowlist })),
    register(TOKENS.VideoEditor, (c) => videoEditor(config, get(c, TOKENS.Logger))),
    // The shared state of every replica, opened on first use (ADR 0018).
    register(TOKENS.JobRegistry, () => new LazyJobRegistry(config.ledger.location)),
    register(
      TOKENS.SpendingLedger,
      (c) =>
        new SpendingLedger(
          { maxCostUsd: config.maxCostUsd, budgetUsd: config.budgetUsd, teamBudgetUsd: config.teamBudgetUsd, period: config.budgetPeriod },
          get(c, TOKENS.JobRegistry),
          get(c, TOKENS.Clock),
          config.ledger.recordsJobs,
        ),
    ),
    register(TOKENS.Application, (c) =>
      wireApplication(config, secrets, {
        provider: get(c, TOKENS.VideoProvider),
        store: get(c, TOKENS.MediaStore),
        files: get(c, TOKENS.LocalFileReader),
        images: get(c, TOKENS.ImageProcessor),
        fetcher: get(c, TOKENS.ImageFetcher),
        editor: get(c, TOKENS.VideoEditor),
        clock: get(c, TOKENS.Clock),
        logger: get(c, TOKENS.Logger),
        registry: get(c, TOKENS.JobRegistry),
        ledger: get(c, TOKENS.SpendingLedger),
      }),
    ),
  ];
}

/** Where the simulator keeps its jobs and media: a hidden folder in the first root. */
export function simulatorFolder(config: AppConfig): string {
  return path.join(config.roots[0]!, '.sora2-mcp-simulator');
}

/** The folders of MEDIA_GEN_DIRS, or the S3 bucket prefix SORA2_MCP_STORE names (its SDK loads on first use). */
function mediaStore(config: AppConfig): MediaStore {
  const { store } = config;
  if (store.kind === 's3') {
    return new S3MediaStore({
      bucket: store.bucket,
      prefix: store.prefix,
      forcePathStyle: store.forcePathStyle,
      urlTtlSeconds: store.urlTtlSeconds,
      publicUrl: store.publicUrl,
    });
  }
  return new FileSystemMediaStore({ roots: config.roots, urlPrefixes: config.urlPrefixes });
}

function videoProvider(config: AppConfig, clock: Clock, logger: Logger, secrets: readonly string[]): VideoProvider {
  if (config.provider === 'azure') return new AzureRejectingVideoProvider();
  if (config.provider === 'simulator') {
    return new SimulatedVideoProvider({ folder: simulatorFolder(config), baseRenderMs: config.simulatorRenderMs }, clock, logger);
  }
  return new OpenAiVideoProvider({
    dialect: DIALECTS[config.dialect],
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    requestTimeoutMs: config.requestTimeoutMs,
    downloadIdleTimeoutMs: config.downloadIdleTimeoutMs,
    extraHeaders: config.extraHeaders,
    extraQuery: config.extraQuery,
    // Judged from the API the requests go to: the base URL given, else the dialect's own.
    checkTarget: providerRedirectPolicy(config.baseURL ?? DIALECTS[config.dialect].defaultBaseURL),
    readRetries: 2,
    secrets,
    defaultModel: config.defaultModel,
    logLevel: config.logLevel,
    logger,
  });
}

/**
 * A fresh container with every registration; `overrides` replace any of them (tests swap a port for
 * a fake this way). Nothing is shared with other containers.
 */
export function buildContainer(config: AppConfig, secrets: readonly string[], overrides: Registration[] = []): DependencyContainer {
  const c = rootContainer.createChildContainer();
  const byToken = new Map<symbol, Registration>();
  for (const entry of [...registrations(config, secrets), ...overrides]) byToken.set(entry.token, entry);
  for (const entry of byToken.values()) c.register(entry.token, { useFactory: instanceCachingFactory(entry.useFactory) });
  return c;
}

export { get as resolve, register as override };

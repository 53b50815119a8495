// tsyringe needs the Reflect metadata API loaded before it is: a polyfill, not a start-up.
import 'reflect-metadata';
import { container as rootContainer, instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { CompletionWaiter } from '../application/completion-waiter';
import { CreateVideo } from '../application/use-cases/create-video';
import { CancelVideo } from '../application/use-cases/cancel-video';
import { DeleteVideo } from '../application/use-cases/delete-video';
import { DownloadContent } from '../application/use-cases/download-content';
import { VariantDownloader } from '../application/variant-downloader';
import { OutputNames } from '../application/output-names';
import { JobFollower } from '../application/job-follower';
import { ModelDirectory } from '../application/model-directory';
import { RequestPlanner } from '../application/request-planner';
import { SpendingLedger } from '../application/spending-ledger';
import { JobOwnership } from '../application/job-ownership';
import { LazyJobRegistry } from '../adapters/postgres/lazy-job-registry';
import { ListModels } from '../application/use-cases/list-models';
import { ListVideos } from '../application/use-cases/list-videos';
import { ModelCatalog, parseModelCatalog } from '../domain/model-catalog';
import builtInModels from '../domain/model-catalog.json';
import { MediaCatalog } from '../application/media-catalog';
import { ReferenceImagePreparer } from '../application/reference-image-preparer';
import { RemixVideo } from '../application/use-cases/remix-video';
import { RetrieveVideo } from '../application/use-cases/retrieve-video';
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
import { CreateSequence } from '../application/use-cases/create-sequence';
import { EditVideos } from '../application/use-cases/edit-videos';
import { Presenter } from '../mcp/presenter';
import { toolsFor, type Offering } from '../mcp/toolsets';
import path from 'node:path';
import { profileOf, type Clock, type Logger, type MediaStore, type VideoProvider } from '../domain/ports';
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
 * The one place that knows every concrete class: a readable list of registrations, each a singleton
 * built by a factory (no decorators, no auto-wiring of unregistered classes).
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
    register(
      TOKENS.CompletionWaiter,
      (c) => new CompletionWaiter(get(c, TOKENS.VideoProvider), get(c, TOKENS.Clock), get(c, TOKENS.Logger)),
    ),
    register(TOKENS.MediaCatalog, (c) => new MediaCatalog(get(c, TOKENS.MediaStore))),
    register(
      TOKENS.VariantDownloader,
      (c) =>
        new VariantDownloader(
          get(c, TOKENS.VideoProvider),
          get(c, TOKENS.MediaStore),
          get(c, TOKENS.Clock),
          get(c, TOKENS.Logger),
          { maxBytes: config.maxDownloadBytes, deadlineMs: config.downloadTimeoutMs },
          get(c, TOKENS.MediaCatalog),
        ),
    ),
    register(TOKENS.ModelCatalog, () => modelCatalog(config)),
    register(
      TOKENS.OutputNames,
      (c) => new OutputNames(get(c, TOKENS.MediaStore), secrets, { windowsPaths: process.platform === 'win32' }),
    ),
    register(
      TOKENS.ModelDirectory,
      (c) => new ModelDirectory(get(c, TOKENS.VideoProvider), get(c, TOKENS.ModelCatalog), get(c, TOKENS.Clock)),
    ),
    register(TOKENS.RequestPlanner, (c) => new RequestPlanner(get(c, TOKENS.VideoProvider), get(c, TOKENS.ModelDirectory))),
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
    register(
      TOKENS.JobOwnership,
      (c) =>
        new JobOwnership(get(c, TOKENS.JobRegistry), {
          enforced: config.identity.usersFile !== undefined || config.identity.oauth !== undefined,
          recordsJobs: config.ledger.recordsJobs,
        }),
    ),
    register(
      TOKENS.JobFollower,
      (c) => new JobFollower(get(c, TOKENS.CompletionWaiter), get(c, TOKENS.VariantDownloader), get(c, TOKENS.OutputNames)),
    ),
    register(
      TOKENS.ReferenceImagePreparer,
      (c) => new ReferenceImagePreparer(get(c, TOKENS.LocalFileReader), get(c, TOKENS.ImageProcessor), get(c, TOKENS.ImageFetcher)),
    ),
    register(
      TOKENS.CreateVideo,
      (c) =>
        new CreateVideo(
          get(c, TOKENS.VideoProvider),
          get(c, TOKENS.ReferenceImagePreparer),
          get(c, TOKENS.JobFollower),
          get(c, TOKENS.RequestPlanner),
          get(c, TOKENS.SpendingLedger),
          get(c, TOKENS.JobOwnership),
        ),
    ),
    register(
      TOKENS.RemixVideo,
      (c) =>
        new RemixVideo(
          get(c, TOKENS.VideoProvider),
          get(c, TOKENS.JobFollower),
          get(c, TOKENS.RequestPlanner),
          get(c, TOKENS.SpendingLedger),
          get(c, TOKENS.JobOwnership),
        ),
    ),
    register(TOKENS.RetrieveVideo, (c) => new RetrieveVideo(get(c, TOKENS.VideoProvider), get(c, TOKENS.JobOwnership))),
    register(TOKENS.ListVideos, (c) => new ListVideos(get(c, TOKENS.VideoProvider), get(c, TOKENS.JobOwnership))),
    register(TOKENS.DeleteVideo, (c) => new DeleteVideo(get(c, TOKENS.VideoProvider), get(c, TOKENS.JobOwnership))),
    register(TOKENS.ListModels, (c) => new ListModels(get(c, TOKENS.ModelDirectory), get(c, TOKENS.ModelCatalog))),
    register(
      TOKENS.DownloadContent,
      (c) =>
        new DownloadContent(
          get(c, TOKENS.VideoProvider),
          get(c, TOKENS.VariantDownloader),
          get(c, TOKENS.OutputNames),
          get(c, TOKENS.JobOwnership),
        ),
    ),
    register(TOKENS.Presenter, (c) => new Presenter(get(c, TOKENS.Logger))),
    register(TOKENS.Tools, (c) => {
      const editor = get(c, TOKENS.VideoEditor);
      const edits = editor && new EditVideos(editor, get(c, TOKENS.OutputNames), get(c, TOKENS.MediaStore));
      const sequence =
        edits &&
        new CreateSequence(
          get(c, TOKENS.CreateVideo),
          get(c, TOKENS.RequestPlanner),
          get(c, TOKENS.SpendingLedger),
          get(c, TOKENS.JobRegistry),
          edits,
          get(c, TOKENS.Clock),
          get(c, TOKENS.ModelDirectory),
        );
      return toolsFor(
        config.toolset,
        {
          edits,
          sequence,
          cancel: new CancelVideo(get(c, TOKENS.VideoProvider), get(c, TOKENS.JobOwnership), get(c, TOKENS.SpendingLedger)),
          create: get(c, TOKENS.CreateVideo),
          remix: get(c, TOKENS.RemixVideo),
          retrieve: get(c, TOKENS.RetrieveVideo),
          list: get(c, TOKENS.ListVideos),
          delete: get(c, TOKENS.DeleteVideo),
          download: get(c, TOKENS.DownloadContent),
          models: get(c, TOKENS.ListModels),
          ledger: get(c, TOKENS.SpendingLedger),
          ownership: get(c, TOKENS.JobOwnership),
          media: get(c, TOKENS.MediaCatalog),
          presenter: get(c, TOKENS.Presenter),
        },
        offeringOf(get(c, TOKENS.VideoProvider), config, editor !== undefined),
      );
    }),
  ];
}

/** What the server offers: the provider's operations and controls, and whether the caller's jobs list from the registry. */
export function offeringOf(provider: VideoProvider, config: AppConfig, edits: boolean): Offering {
  return { provider: profileOf(provider), listsFromRegistry: config.ledger.recordsJobs, edits };
}

/** The built-in catalog (data, with sources), with the user's SORA2_MCP_MODELS file layered over it. */
export function modelCatalog(config: AppConfig): ModelCatalog {
  return new ModelCatalog([
    { origin: 'catalog', entries: parseModelCatalog(builtInModels) },
    ...(config.userModels ? [{ origin: 'user' as const, entries: config.userModels }] : []),
  ]);
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

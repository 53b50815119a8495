import { CompletionWaiter } from '../application/completion-waiter';
import { JobFollower } from '../application/job-follower';
import { JobOwnership } from '../application/job-ownership';
import { MediaCatalog } from '../mcp/media-catalog';
import { ModelDirectory } from '../application/model-directory';
import { OutputNames } from '../application/output-names';
import { ReferenceImagePreparer } from '../application/reference-image-preparer';
import { RequestPlanner } from '../application/request-planner';
import type { SpendingLedger } from '../application/spending-ledger';
import { CancelVideo } from '../application/use-cases/cancel-video';
import { CreateSequence } from '../application/use-cases/create-sequence';
import { CreateVideo } from '../application/use-cases/create-video';
import { DownloadContent } from '../application/use-cases/download-content';
import { EditVideos } from '../application/use-cases/edit-videos';
import { ListModels } from '../application/use-cases/list-models';
import { RemixVideo } from '../application/use-cases/remix-video';
import { VideoJobs } from '../application/use-cases/video-jobs';
import { VariantDownloader } from '../application/variant-downloader';
import {
  profileOf,
  type Clock,
  type ImageFetcher,
  type ImageProcessor,
  type JobRegistry,
  type LocalFileReader,
  type Logger,
  type MediaStore,
  type VideoEditor,
  type VideoProvider,
} from '../domain/ports';
import { Presenter } from '../mcp/presenter';
import type { ToolDefinition, UseCases } from '../mcp/tools';
import { toolsFor } from '../mcp/toolsets';
import type { AppConfig } from './config';
import { ModelCatalog, parseModelCatalog } from '../domain/model-catalog';
import builtInModels from '../domain/model-catalog.json';
import type { Offering } from '../mcp/toolsets';

/** The ports the application is made from: the container's singletons, any of them a caller's replacement. */
export interface Ports {
  provider: VideoProvider;
  store: MediaStore;
  files: LocalFileReader;
  images: ImageProcessor;
  fetcher: ImageFetcher;
  /** Absent where ffmpeg is not found or files are not kept in folders. */
  editor: VideoEditor | undefined;
  clock: Clock;
  logger: Logger;
  registry: JobRegistry;
  ledger: SpendingLedger;
}

/** What the MCP servers are made from: the tools (over the use cases), and what the servers use beside them. */
export interface Application {
  tools: readonly ToolDefinition[];
  useCases: UseCases;
  presenter: Presenter;
  catalog: MediaCatalog;
  ownership: JobOwnership;
  /** What the tools were made for (the provider's operations and controls, ffmpeg or not): the instructions say the same. */
  offering: Offering;
}

/**
 * The application, made from the ports by one plain function (ADR 0021): every use case and what they share is built
 * here once, with `new`, in an order a reader can follow; only the ports, which callers replace, go through the container.
 */
export function wireApplication(config: AppConfig, secrets: readonly string[], ports: Ports): Application {
  const { provider, store, clock, logger, registry, ledger } = ports;
  const catalog = new MediaCatalog(store);
  const names = new OutputNames(store, secrets, { windowsPaths: process.platform === 'win32' });
  const downloader = new VariantDownloader(
    provider,
    store,
    clock,
    logger,
    { maxBytes: config.maxDownloadBytes, deadlineMs: config.downloadTimeoutMs },
    (file) => catalog.record(file),
  );
  const follower = new JobFollower(new CompletionWaiter(provider, clock, logger), downloader, names);
  const models = modelCatalog(config);
  const directory = new ModelDirectory(provider, models, clock);
  const planner = new RequestPlanner(provider, directory);
  const ownership = new JobOwnership(registry, {
    enforced: config.identity.usersFile !== undefined || config.identity.oauth !== undefined,
    recordsJobs: config.ledger.recordsJobs,
  });
  const references = new ReferenceImagePreparer(ports.files, ports.images, ports.fetcher);
  const create = new CreateVideo(provider, references, follower, planner, ledger, ownership);
  const edits = ports.editor && new EditVideos(ports.editor, names, store);
  const useCases: UseCases = {
    create,
    remix: new RemixVideo(provider, follower, planner, ledger, ownership),
    jobs: new VideoJobs(provider, ownership),
    cancel: new CancelVideo(provider, ownership, ledger),
    download: new DownloadContent(provider, downloader, names, ownership),
    models: new ListModels(directory, models),
    ledger,
    ownership,
    media: catalog,
    presenter: new Presenter(logger),
    edits,
    sequence: edits && new CreateSequence(create, planner, ledger, registry, edits, clock, directory, ownership),
  };
  const offering = offeringOf(provider, config, edits !== undefined);
  const tools = toolsFor(config.toolset, useCases, offering);
  return { tools, useCases, presenter: useCases.presenter, catalog, ownership, offering };
}

/** What the server offers: the provider's operations and controls, and whether the caller's jobs list from the registry. */
function offeringOf(provider: VideoProvider, config: AppConfig, edits: boolean): Offering {
  return { provider: profileOf(provider), listsFromRegistry: config.ledger.recordsJobs, edits };
}

/** The built-in catalog (data, with sources), with the user's SORA2_MCP_MODELS file layered over it. */
export function modelCatalog(config: AppConfig): ModelCatalog {
  return new ModelCatalog(() => [
    { origin: 'catalog', entries: parseModelCatalog(builtInModels) },
    ...(config.userModels ? [{ origin: 'user' as const, entries: config.userModels }] : []),
  ]);
}

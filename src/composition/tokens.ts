import type { CompletionWaiter } from '../application/completion-waiter';
import type { CreateVideo } from '../application/use-cases/create-video';
import type { DeleteVideo } from '../application/use-cases/delete-video';
import type { DownloadContent } from '../application/use-cases/download-content';
import type { VariantDownloader } from '../application/variant-downloader';
import type { OutputNames } from '../application/output-names';
import type { JobFollower } from '../application/job-follower';
import type { ModelDirectory } from '../application/model-directory';
import type { RequestPlanner } from '../application/request-planner';
import type { SpendingLedger } from '../application/spending-ledger';
import type { ListModels } from '../application/use-cases/list-models';
import type { ListVideos } from '../application/use-cases/list-videos';
import type { ModelCatalog } from '../domain/model-catalog';
import type { MediaCatalog } from '../application/media-catalog';
import type { ReferenceImagePreparer } from '../application/reference-image-preparer';
import type { RemixVideo } from '../application/use-cases/remix-video';
import type { RetrieveVideo } from '../application/use-cases/retrieve-video';
import type { RedactingLogger } from '../adapters/logging/redacting-logger';
import type { JobOwnership } from '../application/job-ownership';
import type {
  Clock,
  JobRegistry,
  ImageFetcher,
  ImageProcessor,
  LocalFileReader,
  MediaStore,
  VideoEditor,
  VideoProvider,
} from '../domain/ports';
import type { Presenter } from '../mcp/presenter';
import type { ToolDefinition } from '../mcp/tools';
import type { AppConfig } from './config';

/** A symbol that remembers the type registered under it, so `resolve` is typed without decorators. */
export type Token<T> = symbol & { readonly __type?: T };
const token = <T>(name: string): Token<T> => Symbol(name);

export const TOKENS = {
  Config: token<AppConfig>('Config'),
  Secrets: token<readonly string[]>('Secrets'),
  /** Always the redacting logger (a library user's own Logger is its output): MCP log notifications attach to it. */
  Logger: token<RedactingLogger>('Logger'),
  Clock: token<Clock>('Clock'),
  VideoProvider: token<VideoProvider>('VideoProvider'),
  MediaStore: token<MediaStore>('MediaStore'),
  LocalFileReader: token<LocalFileReader>('LocalFileReader'),
  ImageProcessor: token<ImageProcessor>('ImageProcessor'),
  ImageFetcher: token<ImageFetcher>('ImageFetcher'),
  /** Absent (undefined) where ffmpeg is not found or files are not kept in folders. */
  VideoEditor: token<VideoEditor | undefined>('VideoEditor'),
  CompletionWaiter: token<CompletionWaiter>('CompletionWaiter'),
  VariantDownloader: token<VariantDownloader>('VariantDownloader'),
  OutputNames: token<OutputNames>('OutputNames'),
  MediaCatalog: token<MediaCatalog>('MediaCatalog'),
  JobFollower: token<JobFollower>('JobFollower'),
  ReferenceImagePreparer: token<ReferenceImagePreparer>('ReferenceImagePreparer'),
  CreateVideo: token<CreateVideo>('CreateVideo'),
  RemixVideo: token<RemixVideo>('RemixVideo'),
  RetrieveVideo: token<RetrieveVideo>('RetrieveVideo'),
  ListVideos: token<ListVideos>('ListVideos'),
  ListModels: token<ListModels>('ListModels'),
  ModelCatalog: token<ModelCatalog>('ModelCatalog'),
  ModelDirectory: token<ModelDirectory>('ModelDirectory'),
  RequestPlanner: token<RequestPlanner>('RequestPlanner'),
  SpendingLedger: token<SpendingLedger>('SpendingLedger'),
  JobRegistry: token<JobRegistry>('JobRegistry'),
  JobOwnership: token<JobOwnership>('JobOwnership'),
  DeleteVideo: token<DeleteVideo>('DeleteVideo'),
  DownloadContent: token<DownloadContent>('DownloadContent'),
  Presenter: token<Presenter>('Presenter'),
  Tools: token<readonly ToolDefinition[]>('Tools'),
} as const;

import type { RedactingLogger } from '../adapters/logging/redacting-logger';
import type { SpendingLedger } from '../application/spending-ledger';
import type {
  Clock,
  ImageFetcher,
  ImageProcessor,
  JobRegistry,
  LocalFileReader,
  MediaStore,
  VideoEditor,
  VideoProvider,
} from '../domain/ports';
import type { Application } from './application';
import type { AppConfig } from './config';

/** A symbol that remembers the type registered under it, so `resolve` is typed without decorators. */
export type Token<T> = symbol & { readonly __type?: T };
const token = <T>(name: string): Token<T> => Symbol(name);

/**
 * What the container holds (ADR 0021): the configuration, the ports (what a library user or a test replaces: the
 * `Sora2Overrides` list), and the application made from them by one plain function. Nothing else has a token.
 */
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
  JobRegistry: token<JobRegistry>('JobRegistry'),
  /** Replaceable so that several servers in one process can keep one budget. */
  SpendingLedger: token<SpendingLedger>('SpendingLedger'),
  Application: token<Application>('Application'),
} as const;

import { DomainError, isDomainError, JobEndedError } from '../domain/errors';
import { fileStemForId } from '../domain/file-names';
import { ModelCatalog } from '../domain/model-catalog';
import type { MediaStore } from '../domain/ports';
import type { Video, VideoVariant } from '../domain/video';
import type { CompletionWaiter } from './completion-waiter';
import { collisionFor, variantExtensions, variantSuffixes, type VariantDownloader } from './variant-downloader';
import type { VideoJobResult } from './job-result';
import { MonotonicProgress, type RunOptions } from './progress';

export interface FollowOptions {
  waitForCompletion: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
  downloadVariants: readonly VideoVariant[];
  file?: string;
  /** Replace an existing file at `file` (never written through a link). Default: never clobber. */
  overwrite?: boolean;
}

/** Start the job and return at once (no waiting, nothing downloaded). */
export const NO_WAIT: FollowOptions = { waitForCompletion: false, timeoutMs: 0, pollIntervalMs: 0, downloadVariants: [] };

/** Share of the progress bar given to rendering when downloads follow it. */
const RENDER_SHARE = 90;

/**
 * An error after the paid job exists must name it, so the agent can follow it up instead of paying
 * again. Cancellation is passed through untouched (the client has gone).
 */
function afterCreate(error: unknown, video: Video): DomainError {
  if (isDomainError(error) && error.code === 'cancelled') throw error;
  const reason = isDomainError(error) ? error.message : 'an unexpected error';
  return new DomainError(
    isDomainError(error) ? error.code : 'internal_error',
    `${reason} The job itself was created: video ${video.id}, last status ${video.status} (${video.progress}%).`,
    { cause: error, details: { ...(isDomainError(error) ? error.details : {}), created_video_id: video.id } },
  );
}

function outputCheck(options: FollowOptions) {
  return { collision: collisionFor(options.file, options.overwrite ?? false), extensions: variantExtensions(options.downloadVariants) };
}

/** What create and remix do after the provider accepted the job: optionally wait, then download. */
export class JobFollower {
  constructor(
    private readonly waiter: CompletionWaiter,
    private readonly downloader: VariantDownloader,
    private readonly store: MediaStore,
    private readonly catalog: ModelCatalog = new ModelCatalog([]),
  ) {}

  /**
   * Validates every file the call may write before anything is sent, so a bad `file` costs nothing.
   * (Without `file` the names come from the job's id, which does not exist yet: the folder is checked.)
   */
  async checkOutput(options: FollowOptions): Promise<void> {
    if (!options.waitForCompletion && options.file !== undefined) {
      throw new DomainError('invalid_input', 'file: files are saved only when the call waits for the job', {
        field: 'file',
        details: { rule: 'file_needs_wait' },
      });
    }
    if (options.waitForCompletion && options.downloadVariants.length > 0) {
      await this.store.reserve(options.file, 'video', variantSuffixes(options.downloadVariants), outputCheck(options));
    }
  }

  async follow(video: Video, options: FollowOptions, run: RunOptions): Promise<VideoJobResult> {
    if (!options.waitForCompletion) return { video, files: [] };
    const progress = new MonotonicProgress(run.onProgress);
    const downloads = options.downloadVariants.length > 0;
    let finished: Video;
    try {
      finished = await this.waiter.wait(video, {
        timeoutMs: options.timeoutMs,
        pollIntervalMs: options.pollIntervalMs,
        signal: run.signal,
        progress,
        renderCeiling: downloads ? RENDER_SHARE : 100,
        typicalRenderMs: this.catalog.typicalRenderMs(video.model),
      });
    } catch (error) {
      if (error instanceof JobEndedError) return { video: error.video, files: [], failure: error };
      return { video, files: [], failure: afterCreate(error, video) };
    }
    if (!downloads) {
      progress.report(100, 'completed');
      return { video: finished, files: [] };
    }
    let base: string;
    try {
      base = await this.store.reserve(
        options.file,
        fileStemForId(finished.id),
        variantSuffixes(options.downloadVariants),
        outputCheck(options),
      );
    } catch (error) {
      return { video: finished, files: [], failure: afterCreate(error, finished) };
    }
    const outcome = await this.downloader.download({
      videoId: finished.id,
      variants: options.downloadVariants,
      base,
      signal: run.signal,
      progress,
      collision: collisionFor(options.file, options.overwrite ?? false),
    });
    if (!outcome.failure) progress.report(100, `completed; saved ${outcome.files.length} file(s)`);
    return { video: finished, files: outcome.files, failure: outcome.failure };
  }
}

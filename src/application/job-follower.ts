import { isDomainError, isJobEndedError, invalidInput, unexpected, withContext, type DomainError } from '../domain/errors';
import type { Video, VideoVariant } from '../domain/video';
import type { CompletionWaiter } from './completion-waiter';
import type { VariantDownloader } from './variant-downloader';
import type { VideoJobResult } from './job-result';
import type { NamePlan, OutputNames } from './output-names';
import { MonotonicProgress, type RunOptions } from './progress';
import type { CostEstimate } from './spending-ledger';

/** What the use case knows about the job it hands over: how long such a job takes, what it should cost. */
export interface FollowContext {
  typicalRenderMs?: number;
  estimate?: CostEstimate;
  /** The names `checkOutput` planned before the job was paid for (required when files are to be saved). */
  names?: NamePlan;
}

export interface FollowOptions {
  waitForCompletion: boolean;
  timeoutMs: number;
  /** The interval between status checks; undefined: the adaptive schedule. */
  pollIntervalMs?: number;
  downloadVariants: readonly VideoVariant[];
  file?: string;
  /** Replace an existing file at `file` (never written through a link). Default: never clobber. */
  overwrite?: boolean;
}

/** Share of the progress bar given to rendering when downloads follow it. */
const RENDER_SHARE = 90;

/**
 * An error after the paid job exists must name it, so the agent can follow it up instead of paying
 * again. Cancellation is passed through untouched (the client has gone).
 */
function afterCreate(error: unknown, video: Video): DomainError {
  if (isDomainError(error) && error.code === 'cancelled') throw error;
  return withContext(isDomainError(error) ? error : unexpected(error), {
    details: { created_video_id: video.id, created_status: video.status, created_progress: video.progress },
  });
}

/** What create and remix do after the provider accepted the job: optionally wait, then download. */
export class JobFollower {
  constructor(
    private readonly waiter: CompletionWaiter,
    private readonly downloader: VariantDownloader,
    private readonly names: OutputNames,
  ) {}

  /**
   * Plans every file the call may write before anything is sent, so a bad `file` costs nothing: the caller's names are
   * checked in full, and the plan takes the job's id once there is one (`follow` is handed it). Undefined: nothing to save.
   */
  async checkOutput(options: FollowOptions): Promise<NamePlan | undefined> {
    if (!options.waitForCompletion && options.file !== undefined) {
      throw invalidInput('file', { rule: 'file_needs_wait' });
    }
    if (!options.waitForCompletion || options.downloadVariants.length === 0) return undefined;
    return this.names.plan({
      file: options.file,
      variants: options.downloadVariants,
      overwrite: options.overwrite ?? false,
    });
  }

  async follow(video: Video, options: FollowOptions, run: RunOptions, context: FollowContext = {}): Promise<VideoJobResult> {
    if (!options.waitForCompletion) return { video, files: [] };
    const progress = new MonotonicProgress(run.onProgress);
    const downloads = options.downloadVariants.length > 0;
    // Said before the wait: what the job should cost, so a person watching can stop it in time.
    const usd = context.estimate?.usd;
    if (usd !== undefined && usd !== null) progress.report(0, `started ${video.id}; estimated cost $${usd.toFixed(2)}`);
    let finished: Video;
    try {
      finished = await this.waiter.wait(video, {
        timeoutMs: options.timeoutMs,
        pollIntervalMs: options.pollIntervalMs,
        signal: run.signal,
        progress,
        renderCeiling: downloads ? RENDER_SHARE : 100,
        typicalRenderMs: context.typicalRenderMs,
      });
    } catch (error) {
      if (isJobEndedError(error)) return { video: error.video, files: [], failure: error };
      return { video, files: [], failure: afterCreate(error, video) };
    }
    if (!downloads) {
      progress.report(100, 'completed');
      return { video: finished, files: [] };
    }
    if (!context.names) throw new Error('JobFollower: follow saves files under the plan checkOutput made; none was given');
    const names = context.names.forJob(finished.id);
    const outcome = await this.downloader.download({
      job: { id: finished.id, last: finished },
      variants: options.downloadVariants,
      names,
      signal: run.signal,
      progress,
    });
    // Nothing asked for could be saved: that is the call's failure. Otherwise what was saved is the result,
    // and each variant that could not be had is reported beside it.
    // Nothing saved after the job was paid for: the failure names the job, so the agent saves it again rather than paying twice.
    const problem = outcome.files.length === 0 ? outcome.problems[0]?.error : undefined;
    if (!problem) progress.report(100, `completed; saved ${outcome.files.length} file(s)`);
    return { video: finished, files: outcome.files, problems: outcome.problems, failure: problem && afterCreate(problem, finished) };
  }
}

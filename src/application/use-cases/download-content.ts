import { downloadFailed, isDomainError, providerFault, unexpected } from '../../domain/errors';
import type { VideoProvider } from '../../domain/ports';
import { withHeldId, type VideoVariant } from '../../domain/video';
import type { VariantDownloader } from '../variant-downloader';
import type { VideoJobResult } from '../job-result';
import type { OutputNames } from '../output-names';
import { DEFAULT_USER, type JobOwnership } from '../job-ownership';
import { MonotonicProgress, type RunOptions } from '../progress';

export interface DownloadContentInput {
  videoId: string;
  variant: VideoVariant;
  file?: string;
  /** Replace an existing file at `file` (never written through a link). Default: never clobber. */
  overwrite?: boolean;
}

/** Downloads one asset of a job to a file under the roots, then reports the job's current state. */
export class DownloadContent {
  constructor(
    private readonly provider: VideoProvider,
    private readonly downloader: VariantDownloader,
    private readonly names: OutputNames,
    private readonly ownership: JobOwnership,
  ) {}

  async execute(input: DownloadContentInput, run: RunOptions = {}): Promise<VideoJobResult> {
    await this.ownership.check(input.videoId, run.caller ?? DEFAULT_USER);
    const names = await this.names.plan({
      file: input.file,
      stem: this.names.stemFor(input.videoId),
      variants: [input.variant],
      overwrite: input.overwrite ?? false,
    });
    const progress = new MonotonicProgress(run.onProgress);
    const job = { id: input.videoId };
    const outcome = await this.downloader.download({
      job,
      variants: [input.variant],
      names,
      signal: run.signal,
      progress,
    });
    const problem = outcome.problems[0]?.error;
    if (problem) {
      const found = await this.provider.retrieve(job, { signal: run.signal }).catch(() => undefined);
      if (!found) throw problem;
      const video = withHeldId(found, input.videoId);
      const failure =
        video.status === 'completed' || !isDomainError(problem)
          ? problem
          : downloadFailed(
              { reason: 'not_ready', video_id: video.id, variant: input.variant, status: video.status, progress: video.progress },
              { cause: problem },
            );
      return { video, files: outcome.files, failure };
    }
    const saved = outcome.files[0]?.name ?? input.variant;
    try {
      const video = withHeldId(await this.provider.retrieve(job, { signal: run.signal }), input.videoId);
      progress.report(100, `saved ${saved}`);
      await this.ownership
        .seen(
          video,
          outcome.files.map((file) => file.uri),
        )
        .catch(() => undefined);
      return { video, files: outcome.files };
    } catch (error) {
      if (isDomainError(error) && error.code === 'cancelled') throw error;
      // The file is saved: report it, with why the job's state is missing.
      return {
        files: outcome.files,
        failure: providerFault(
          { problem: 'status_unread', saved, failure: isDomainError(error) ? error : unexpected(error) },
          { cause: error },
        ),
      };
    }
  }
}

import { DomainError, isDomainError } from '../domain/errors';
import type { Clock, Logger, MediaStore, SavedMedia, VideoProvider } from '../domain/ports';
import type { VideoVariant } from '../domain/video';
import type { MediaCatalog } from './media-catalog';
import type { MonotonicProgress } from './progress';

export interface DownloadRequest {
  videoId: string;
  variants: readonly VideoVariant[];
  /** Base path already validated by `MediaStore.resolveOutputBase`. */
  basePath: string;
  signal?: AbortSignal;
  progress?: MonotonicProgress;
  /** Keep the bytes of files no larger than this, for inline previews. */
  retainUpTo?: number;
}

export interface DownloadOutcome {
  files: SavedMedia[];
  /** Set when a variant could not be downloaded; `files` still lists the ones that were. */
  failure?: DomainError;
}

/** Attempts per variant when the body is cut off or stalls; the video is never regenerated. */
const DOWNLOAD_ATTEMPTS = 3;
const PROGRESS_STEP_BYTES = 8 * 1024 * 1024;
/** Pause before the next attempt, growing with each (a 429's retry-after wins when longer). */
const RETRY_DELAY_MS = 500;
const MAX_RETRY_AFTER_MS = 60_000;

/** File-name suffix of each variant: none for a single one, `_video`, `_thumbnail`… for several. */
export function variantSuffixes(variants: readonly VideoVariant[]): string[] {
  return variants.length > 1 ? variants.map((variant) => `_${variant}`) : [''];
}

/**
 * Downloads each requested variant to `<base>` (one variant) or `<base>_<variant>` (several), with
 * the extension the provider's content type implies.
 */
export class VariantDownloader {
  constructor(
    private readonly provider: VideoProvider,
    private readonly store: MediaStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly catalog?: MediaCatalog,
  ) {}

  async download(request: DownloadRequest): Promise<DownloadOutcome> {
    const files: SavedMedia[] = [];
    const suffixes = variantSuffixes(request.variants);
    // Downloads fill the bar up to 99; the caller reports 100 once everything is saved.
    const start = request.progress?.current ?? 0;
    const share = Math.max(0, 99 - start) / Math.max(1, request.variants.length);
    for (const [index, variant] of request.variants.entries()) {
      const basePath = request.basePath + suffixes[index];
      const from = start + share * index;
      try {
        files.push(await this.downloadOne(request, variant, basePath, from, share));
      } catch (error) {
        if (isDomainError(error) && error.code === 'cancelled') throw error;
        return { files, failure: asDownloadError(error, request.videoId, variant) };
      }
    }
    return { files };
  }

  private async downloadOne(
    request: DownloadRequest,
    variant: VideoVariant,
    basePath: string,
    from: number,
    share: number,
  ): Promise<SavedMedia> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const content = await this.provider.downloadContent(request.videoId, variant, { signal: request.signal, singleAttempt: true });
        let reported = 0;
        const saved = await this.store
          .save(basePath, content, {
          signal: request.signal,
          retainUpTo: request.retainUpTo,
          onBytes: (written, total) => {
            // At most ~100 updates per asset: every whole percent, or every 8 MiB when the size is unknown.
            const step = total ? total / 100 : PROGRESS_STEP_BYTES;
            if (written - reported < step && written !== total) return;
            reported = written;
            const fraction = total ? written / total : 0;
            request.progress?.report(from + share * fraction, `downloading ${variant}: ${formatBytes(written)}${total ? ` of ${formatBytes(total)}` : ''}`);
          },
          })
          .catch((error: unknown) => {
            // Refused or broken before the body was read through: release the connection.
            content.cancel?.();
            throw error;
          });
        this.catalog?.record(saved);
        return saved;
      } catch (error) {
        // A provider asking for more than a minute's pause is not waited for: the agent can retry later.
        const retry = isDomainError(error) && error.retryable && attempt < DOWNLOAD_ATTEMPTS && (error.retryAfterMs ?? 0) <= MAX_RETRY_AFTER_MS;
        if (!retry) throw error;
        const delay = Math.max(error.retryAfterMs ?? 0, RETRY_DELAY_MS * attempt);
        this.logger.log('warn', `download of ${variant} for ${request.videoId} failed (${error.message}); attempt ${attempt + 1} of ${DOWNLOAD_ATTEMPTS} in ${delay} ms`);
        await this.clock.sleep(delay, request.signal);
      }
    }
  }
}

function asDownloadError(error: unknown, videoId: string, variant: VideoVariant): DomainError {
  if (isDomainError(error)) {
    if (error.code !== 'download_failed') return error;
    return new DomainError('download_failed', `Downloading the ${variant} of ${videoId} failed: ${error.message}`, { cause: error });
  }
  return new DomainError('download_failed', `Downloading the ${variant} of ${videoId} failed unexpectedly.`, { cause: error });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

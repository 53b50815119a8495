import { concatBytes, formatBytes } from '../domain/bytes';
import { downloadFailed, isDomainError, variantUnavailable, withContext, type DomainError } from '../domain/errors';
import { sniffMedia } from '../codecs/sniff';
import { MediaVerifier, type MediaKind, type VerificationFailure } from '../codecs/verifier';
import type { Clock, JobRef, Logger, MediaContent, MediaStore, StoredMedia, VideoProvider } from '../domain/ports';
import type { VideoVariant } from '../domain/video';
import type { NamePlan } from './output-names';
import type { MonotonicProgress } from './progress';

export interface DownloadRequest {
  /** The job as the caller holds it (its id, and the provider's last answer when known). */
  job: JobRef;
  variants: readonly VideoVariant[];
  /** The names to write under, checked before the job was paid for (OutputNames.plan). */
  names: NamePlan;
  signal?: AbortSignal;
  progress?: MonotonicProgress;
}

/** A variant that could not be saved, and why. */
export interface VariantProblem {
  variant: VideoVariant;
  error: DomainError;
}

export interface DownloadOutcome {
  /** What was saved, in the order asked. */
  files: StoredMedia[];
  /** The variants that could not be saved, each with its reason; the others were still tried. */
  problems: VariantProblem[];
}

/** How large one asset may be, and how long its download (every attempt together) may take. */
export interface DownloadLimits {
  maxBytes: number;
  deadlineMs: number;
}

/**
 * A body cut off or stalled is fetched again (the video is never regenerated): this many attempts per variant, the pause
 * before the next growing by `pauseMs` with each (a 429's retry-after wins when longer, up to `longestRetryAfterMs`).
 */
const RETRIES = { attempts: 3, pauseMs: 500, longestRetryAfterMs: 60_000 };
/** Progress is reported per percent of a body of known length, else per this many bytes. */
const PROGRESS_STEP_BYTES = 8 * 1024 * 1024;

/**
 * Downloads each requested variant under the names its plan gives it (OutputNames), verified as it
 * streams, retried when a body is cut, within a size cap and a deadline.
 */
export class VariantDownloader {
  constructor(
    private readonly provider: VideoProvider,
    private readonly store: MediaStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** From the configuration (SORA2_MCP_MAX_DOWNLOAD_MB, SORA2_MCP_DOWNLOAD_TIMEOUT_MS): no second default here. */
    private readonly limits: DownloadLimits,
    /** Told of each file saved (the MCP layer lists them as resources). */
    private readonly onSaved: (file: StoredMedia) => void = () => {},
  ) {}

  async download(request: DownloadRequest): Promise<DownloadOutcome> {
    const files: StoredMedia[] = [];
    const problems: VariantProblem[] = [];
    // Downloads fill the bar up to 99; the caller reports 100 once everything is saved.
    const start = request.progress?.current ?? 0;
    const share = Math.max(0, 99 - start) / Math.max(1, request.variants.length);
    for (const [index, variant] of request.variants.entries()) {
      // A variant the provider does not serve is refused by the provider itself, without asking anyone (the port's contract).
      const from = start + share * index;
      try {
        files.push(await this.downloadOne(request, variant, from, share));
      } catch (error) {
        // Cancelled: nothing more is done for this call. Any other failure is this variant's alone.
        if (isDomainError(error) && error.code === 'cancelled') throw error;
        problems.push({ variant, error: asDownloadError(error, request.job.id, variant) });
      }
    }
    return { files, problems };
  }

  private async downloadOne(request: DownloadRequest, variant: VideoVariant, from: number, share: number): Promise<StoredMedia> {
    // One deadline for every attempt together: a body that never ends, however slowly it comes, ends here.
    const signal = this.clock.timeout(this.limits.deadlineMs, request.signal);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const content = await verified(
          await this.provider.downloadContent(request.job, variant, { signal, singleAttempt: true }),
          variant,
          this.limits.maxBytes,
        );
        let reported = 0;
        const saved = await this.store
          .write(request.names.namesFor(variant, content.contentType), content, {
            signal,
            replace: request.names.replace,
            onBytes: (written, total) => {
              // At most ~100 updates per asset: every whole percent, or every 8 MiB when the size is unknown.
              const step = total ? total / 100 : PROGRESS_STEP_BYTES;
              if (written - reported < step && written !== total) return;
              reported = written;
              const fraction = total ? written / total : 0;
              request.progress?.report(
                from + share * fraction,
                `downloading ${variant}: ${formatBytes(written)}${total ? ` of ${formatBytes(total)}` : ''}`,
              );
            },
          })
          .catch((error: unknown) => {
            // Refused or broken before the body was read through: release the connection.
            content.cancel?.();
            throw error;
          });
        this.onSaved(saved);
        return saved;
      } catch (caught) {
        // The deadline, not the caller, stopped it: said as such, never as a cancellation.
        const error = signal.aborted && !request.signal?.aborted ? pastDeadline(variant, this.limits.deadlineMs) : caught;
        // A provider asking for more than a minute's pause is not waited for: the agent can retry later.
        const retry =
          isDomainError(error) && error.retryable && attempt < RETRIES.attempts && (error.retryAfterMs ?? 0) <= RETRIES.longestRetryAfterMs;
        if (!retry) throw error;
        const delay = Math.max(error.retryAfterMs ?? 0, RETRIES.pauseMs * attempt);
        this.logger.log(
          'warn',
          `download of ${variant} for ${request.job.id} failed (${error.message} ${JSON.stringify(error.details ?? {})}); attempt ${attempt + 1} of ${RETRIES.attempts} in ${delay} ms`,
        );
        await this.clock.sleep(delay, signal).catch((sleepError: unknown) => {
          throw signal.aborted && !request.signal?.aborted ? pastDeadline(variant, this.limits.deadlineMs) : sleepError;
        });
      }
    }
  }
}

/**
 * The content as it may be saved: its type read from its bytes (not from the provider's header), and
 * its body checked as it streams, so a body that is cut, or is not what the variant must be (an HTML
 * error page, SVG with script), fails before the file is put in place, and is retried like a cut one.
 */
async function verified(content: MediaContent, variant: VideoVariant, maxBytes: number): Promise<MediaContent> {
  const kind: MediaKind = variant === 'video' ? 'video' : 'image';
  // Announced as larger than the cap: refused before a byte is read.
  if (content.contentLength !== undefined && content.contentLength > maxBytes) {
    content.cancel?.();
    throw overCap(variant, maxBytes, content.contentLength);
  }
  const verifier = new MediaVerifier(kind, { maxBytes });
  const source = content.body[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  const broken = (failure: VerificationFailure) =>
    failure.overCap
      ? overCap(variant, maxBytes, undefined, failure.reason)
      : failure.servedType
        ? // Whole media of the other kind (a gateway that drops the variant serves the video): asking again will not change it.
          variantUnavailable({ variant, reason: 'served_other', served: failure.servedType })
        : downloadFailed({ reason: 'not_usable', variant, problem: failure.reason }, { retryable: true });
  try {
    while (headBytes < 32) {
      const next = await source.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
      headBytes += next.value.length;
    }
  } catch (error) {
    content.cancel?.();
    if (isDomainError(error)) throw error;
    throw downloadFailed({ reason: 'cut_short' }, { retryable: true, cause: error });
  }
  const first = concatBytes(head);
  const type = sniffMedia(first);
  const early = verifier.push(first);
  if (early || !type) {
    content.cancel?.();
    await source.return?.();
    throw broken(early ?? verifier.finish() ?? { reason: 'its type could not be recognised' });
  }
  async function* body(): AsyncGenerator<Uint8Array> {
    if (first.length > 0) yield first;
    if (!ended) {
      for (;;) {
        const next = await source.next();
        if (next.done) break;
        const failure = verifier.push(next.value);
        if (failure) throw broken(failure);
        yield next.value;
      }
    }
    const failure = verifier.finish();
    if (failure) throw broken(failure);
  }
  return { ...content, contentType: type, body: body() };
}

/** Larger than the cap (SORA2_MCP_MAX_DOWNLOAD_MB): not retried, nothing kept. */
function overCap(variant: VideoVariant, maxBytes: number, announced?: number, found?: string): DomainError {
  return downloadFailed({
    reason: 'over_cap',
    variant,
    max_bytes: maxBytes,
    ...(announced === undefined ? {} : { announced_bytes: announced }),
    ...(found === undefined ? {} : { found }),
  });
}

function pastDeadline(variant: VideoVariant, deadlineMs: number): DomainError {
  return downloadFailed({ reason: 'deadline', variant, deadline_ms: deadlineMs });
}

function asDownloadError(error: unknown, videoId: string, variant: VideoVariant): DomainError {
  if (isDomainError(error)) {
    // The job exists (its other assets were asked for): a 404 for an image variant means it has none.
    if (error.code === 'not_found' && variant !== 'video') {
      const said = error.details?.provider_message;
      return variantUnavailable({ variant, reason: 'not_found', ...(typeof said === 'string' ? { provider_message: said } : {}) }, error);
    }
    if (error.code !== 'download_failed') return error;
    return withContext(error, { details: { variant, video_id: videoId } });
  }
  return downloadFailed({ reason: 'unexpected', variant, video_id: videoId }, { cause: error });
}

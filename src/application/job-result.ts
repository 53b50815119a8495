import type { DomainError } from '../domain/errors';
import type { StoredMedia } from '../domain/ports';
import type { Video } from '../domain/video';

/**
 * What create, remix and download-content produce: the latest job state, the files written, and,
 * when the job failed, timed out or a download broke, the error that ended the call (files written
 * before it are still listed so the caller can use them).
 */
export type VideoJobResult =
  | { video: Video; files: StoredMedia[]; failure?: DomainError }
  /** The job's state could not be read (e.g. after a download): only the error and the files. */
  | { video?: undefined; files: StoredMedia[]; failure: DomainError };

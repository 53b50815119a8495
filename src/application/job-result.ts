import type { DomainError } from '../domain/errors';
import type { StoredMedia } from '../domain/ports';
import type { Video } from '../domain/video';
import type { BudgetsLeft, CostEstimate } from './spending-ledger';
import type { VariantProblem } from './variant-downloader';

/**
 * What create, remix and download-content produce: the latest job state, the files written, the
 * variants that could not be saved (with why), and, when the job failed, timed out, or nothing asked
 * for could be saved, the error that ended the call (files written before it are still listed so the
 * caller can use them).
 */
export type VideoJobResult =
  | {
      video: Video;
      files: StoredMedia[];
      problems?: VariantProblem[];
      failure?: DomainError;
      estimate?: CostEstimate;
      budget?: BudgetsLeft;
    }
  /** The job's state could not be read (e.g. after a download): only the error and the files. */
  | {
      video?: undefined;
      files: StoredMedia[];
      problems?: VariantProblem[];
      failure: DomainError;
      estimate?: CostEstimate;
      budget?: BudgetsLeft;
    };

import { notOffered } from '../../domain/errors';
import { profileOf, type CancelOutcome, type VideoProvider } from '../../domain/ports';
import { DEFAULT_USER, type JobOwnership } from '../job-ownership';
import type { RunOptions } from '../progress';
import type { SpendingLedger } from '../spending-ledger';

/** What a cancel did, and whether the job's estimate went back to the budgets. */
export interface CancelResult extends CancelOutcome {
  /** The job never ran, so its estimate no longer counts against any budget. */
  estimateReleased: boolean;
}

/**
 * Stops the caller's queued or running job where the provider can. A job stopped before it ran made nothing, so its
 * estimate is given back; a running job the provider was only asked to stop may still finish and be billed, so its
 * estimate stays counted.
 */
export class CancelVideo {
  constructor(
    private readonly provider: VideoProvider,
    private readonly ownership: JobOwnership,
    private readonly ledger: SpendingLedger,
  ) {}

  async execute(videoId: string, run: RunOptions = {}): Promise<CancelResult> {
    const profile = profileOf(this.provider);
    if (!this.provider.cancel || !profile.operations.includes('cancel')) {
      throw notOffered({ kind: 'operation', operation: 'cancel', provider: profile.label, sent: false });
    }
    await this.ownership.check(videoId, run.caller ?? DEFAULT_USER);
    const outcome = await this.provider.cancel({ id: videoId }, { signal: run.signal });
    const released =
      outcome.outcome === 'cancelled'
        ? await this.ledger.release(videoId).then(
            () => true,
            () => false,
          )
        : false;
    return { ...outcome, id: videoId, estimateReleased: released };
  }
}

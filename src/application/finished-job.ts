import type { Video } from '../domain/video';
import type { JobOwnership } from './job-ownership';
import type { VideoJobResult } from './job-result';
import type { BudgetsLeft, CostEstimate, SpendingLedger } from './spending-ledger';

/**
 * What create and remix do once they have followed their job: a reported cost settles the estimate; a later state and
 * the saved files are recorded where jobs are (the first state was, when the job started); the result carries the
 * estimate and, for a call that did not wait, what the reservation left of each budget (a waited job may since have a
 * reported cost, so that is asked again). A registry that fails here leaves the estimate standing and the result intact.
 */
export async function finishedJob(
  books: { ledger: SpendingLedger; ownership: JobOwnership },
  started: Video,
  result: VideoJobResult,
  spending: { estimate: CostEstimate; left?: BudgetsLeft; waited: boolean },
): Promise<VideoJobResult> {
  const latest = result.video ?? started;
  await books.ledger.settle(latest).catch(() => undefined);
  if (latest !== started || result.files.length > 0) {
    const files = result.files.map((file) => file.uri);
    await books.ownership.seen(latest, files).catch(() => undefined);
  }
  const budget = spending.left && !spending.waited ? { budget: spending.left } : {};
  return { ...result, estimate: spending.estimate, ...budget };
}

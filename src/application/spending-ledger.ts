import { roundUsd } from '../domain/controls';
import { DomainError } from '../domain/errors';

/** The caps a user set: on one call's estimate, and on the sum of the estimates of the jobs this process started. */
export interface SpendingCaps {
  maxCostUsd?: number;
  budgetUsd?: number;
}

/** What a job is expected to cost: price × seconds, or null when no price is known. */
export interface CostEstimate {
  usd: number | null;
  model: string;
  seconds?: number;
  usdPerSecond?: number;
  /** Which price tier applied (its resolution and sound, where the price depends on them). */
  resolution?: string;
  audio?: boolean;
  /** Where the price comes from (the provider's list, the catalog). */
  priceSource?: string;
}

/** A reserved estimate: kept once the job exists, given back when the provider refused the create. */
export interface Reservation {
  release(): void;
}

/**
 * Keeps the server from spending more than the user allowed. Each create or remix reserves its
 * estimate before anything is sent; the reservation stays when the job was created (or may have
 * been: an answer lost after sending), and is released when the provider refused the request. One
 * ledger serves the whole process (every HTTP session shares it). It knows only estimates: what the
 * provider bills (its rounding, other processes, other keys) is not seen here.
 */
export class SpendingLedger {
  private committed = 0;

  constructor(private readonly caps: SpendingCaps = {}) {}

  get capped(): boolean {
    return this.caps.maxCostUsd !== undefined || this.caps.budgetUsd !== undefined;
  }

  /** The sum of the estimates of the jobs started so far. */
  get spentUsd(): number {
    return roundUsd(this.committed);
  }

  get limits(): Readonly<SpendingCaps> {
    return this.caps;
  }

  /** Reserves the estimate, or refuses it (code `over_budget`) when it is over a cap or unknown under one. */
  reserve(estimate: CostEstimate): Reservation {
    const { maxCostUsd, budgetUsd } = this.caps;
    if (!this.capped) return { release: () => undefined };
    const details = { model: estimate.model, estimate_usd: estimate.usd, max_cost_usd: maxCostUsd, budget_usd: budgetUsd };
    if (estimate.usd === null) {
      throw new DomainError('over_budget', `no price is known for model ${estimate.model}, so its cost cannot be capped`, {
        field: 'model',
        details: { ...details, rule: 'no_price' },
      });
    }
    if (maxCostUsd !== undefined && estimate.usd > maxCostUsd) {
      throw new DomainError('over_budget', `the estimate of $${estimate.usd} is over the $${maxCostUsd} cap on one call`, {
        details: { ...details, rule: 'max_cost' },
      });
    }
    if (budgetUsd !== undefined && this.committed + estimate.usd > budgetUsd + 1e-9) {
      throw new DomainError(
        'over_budget',
        `the estimate of $${estimate.usd} would bring this server's spending to $${roundUsd(this.committed + estimate.usd)}, over its $${budgetUsd} budget`,
        { details: { ...details, rule: 'budget', spent_usd: this.spentUsd, left_usd: roundUsd(Math.max(0, budgetUsd - this.committed)) } },
      );
    }
    const usd = estimate.usd;
    this.committed += usd;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.committed -= usd;
      },
    };
  }
}

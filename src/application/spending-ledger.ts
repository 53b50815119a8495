import { roundUsd } from '../domain/controls';
import { idempotencyConflict, overBudget } from '../domain/errors';
import { periodStart, type BudgetPeriod } from '../domain/money';
import type { Clock, JobRegistry } from '../domain/ports';
import type { Video } from '../domain/video';

/**
 * The caps a user set: on one call's estimate (`maxCostUsd`), on what each user's jobs may be estimated to cost in
 * a period (`budgetUsd`), and on what everyone's may (`teamBudgetUsd`).
 */
export interface SpendingCaps {
  maxCostUsd?: number;
  budgetUsd?: number;
  teamBudgetUsd?: number;
  /** The period the budgets cover: a UTC day (default), a UTC month, or all time. */
  period?: BudgetPeriod;
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

/** What is left of each budget for one user, in the current period. */
export interface BudgetsLeft {
  period: BudgetPeriod;
  user?: { budgetUsd: number; spentUsd: number; leftUsd: number };
  team?: { budgetUsd: number; spentUsd: number; leftUsd: number };
}

/** The job a create or remix is about to start, for the ledger: who asks, what, and the caller's idempotency key. */
export interface JobClaim {
  owner: string;
  operation: 'create' | 'remix';
  /** The key, and the text of the arguments that define the job: the same key with other arguments is refused. */
  idempotency?: { key: string; request: string };
  signal?: AbortSignal;
}

/**
 * The outcome of a reservation: a new job to send (tell the ledger when it started, or give the estimate back when
 * the provider certainly made none), or the job the idempotency key already names (send nothing).
 */
export type Claimed =
  | {
      kind: 'new';
      started(video: Video): Promise<void>;
      release(): Promise<void>;
      /** What is left of each budget with this job reserved (no second question to the ledger). */
      left?: BudgetsLeft;
    }
  | { kind: 'existing'; videoId: string };

/** How long a call waits for another call with the same idempotency key to finish sending, at most. */
const IN_FLIGHT_WAIT_MS = 120_000;

/**
 * Keeps the server from spending more than the user allowed. Each create or remix reserves its estimate before
 * anything is sent: in the job registry, atomically across every replica, when a budget is kept (or jobs are
 * recorded, or the call gives an idempotency key); in process when only the per-call cap applies. The reservation
 * stays when the job was created (or may have been: an answer lost after sending) and settles to the provider's
 * reported cost when one comes; it is given back only when the provider certainly made no job.
 */
export class SpendingLedger {
  constructor(
    private readonly caps: SpendingCaps,
    private readonly registry: JobRegistry,
    private readonly clock: Clock,
    /** Every job is written to the registry (team mode, or a database configured), not only budgeted or keyed ones. */
    private readonly recordsJobs = false,
  ) {}

  get capped(): boolean {
    return this.caps.maxCostUsd !== undefined || this.budgeted;
  }

  get limits(): Readonly<SpendingCaps> {
    return this.caps;
  }

  private get budgeted(): boolean {
    return this.caps.budgetUsd !== undefined || this.caps.teamBudgetUsd !== undefined;
  }

  /** Reserves the estimate, or refuses it (code `over_budget`) when it is over a cap or unknown under one. */
  async reserve(estimate: CostEstimate, claim: JobClaim): Promise<Claimed> {
    const { maxCostUsd, budgetUsd, teamBudgetUsd } = this.caps;
    const details = { model: estimate.model, estimate_usd: estimate.usd, max_cost_usd: maxCostUsd, budget_usd: budgetUsd };
    if (this.capped && estimate.usd === null) {
      throw overBudget({ ...details, rule: 'no_price' });
    }
    if (maxCostUsd !== undefined && estimate.usd !== null && estimate.usd > maxCostUsd) {
      throw overBudget({ ...details, rule: 'max_cost' });
    }
    if (!this.budgeted && !this.recordsJobs && claim.idempotency === undefined) {
      return { kind: 'new', started: async () => undefined, release: async () => undefined };
    }
    const deadline = this.clock.now() + IN_FLIGHT_WAIT_MS;
    for (let pause = 100; ; pause = Math.min(pause * 2, 2000)) {
      const now = this.clock.now();
      const outcome = await this.registry.reserve({
        owner: claim.owner,
        operation: claim.operation,
        model: estimate.model,
        estimateUsd: estimate.usd,
        budgets: { ownerUsd: budgetUsd, teamUsd: teamBudgetUsd, since: periodStart(this.period, now) },
        at: now,
        idempotency: claim.idempotency,
      });
      switch (outcome.kind) {
        case 'reserved': {
          const entry = outcome.entry;
          return {
            kind: 'new',
            started: (video) => this.registry.started(entry, video),
            release: () => this.registry.release(entry),
            left: outcome.spent && this.leftOf(outcome.spent.ownerUsd, outcome.spent.teamUsd),
          };
        }
        case 'over_budget': {
          const team = outcome.scope === 'team';
          const left = roundUsd(Math.max(0, outcome.limitUsd - outcome.spentUsd));
          throw overBudget({
            ...details,
            rule: team ? 'team_budget' : 'budget',
            budget_usd: outcome.limitUsd,
            spent_usd: roundUsd(outcome.spentUsd),
            left_usd: left,
            period: this.period,
          });
        }
        case 'conflict':
          throw idempotencyConflict('other_arguments');
        case 'existing':
          if (outcome.videoId !== undefined) return { kind: 'existing', videoId: outcome.videoId };
          // Another call with this key is sending its request: its job is this one, once it exists.
          if (this.clock.now() + pause > deadline) {
            throw idempotencyConflict('in_flight');
          }
          await this.clock.sleep(pause, claim.signal);
      }
    }
  }

  /**
   * Checks a whole before any part of it is reserved (a sequence's shots): refused (`over_budget`) when its total is over
   * the cap on one call, unknown under a cap, or over what is left of a budget now. Each part then reserves its own
   * estimate atomically as it is sent, so a budget spent by others meanwhile stops the whole, never overspends it.
   */
  async checkTotal(total: CostEstimate, owner: string, parts: number): Promise<void> {
    const { maxCostUsd } = this.caps;
    const details = {
      model: total.model,
      estimate_usd: total.usd,
      max_cost_usd: maxCostUsd,
      budget_usd: this.caps.budgetUsd,
      shots: parts,
    };
    if (this.capped && total.usd === null) {
      throw overBudget({ ...details, rule: 'no_price' });
    }
    if (total.usd === null) return;
    if (maxCostUsd !== undefined && total.usd > maxCostUsd) {
      throw overBudget({ ...details, rule: 'max_cost' });
    }
    const left = await this.left(owner);
    for (const [scope, part] of [
      ['budget', left?.user],
      ['team_budget', left?.team],
    ] as const) {
      if (part && total.usd > part.leftUsd + 1e-9) {
        throw overBudget({
          ...details,
          rule: scope,
          budget_usd: part.budgetUsd,
          spent_usd: part.spentUsd,
          left_usd: part.leftUsd,
          period: this.period,
        });
      }
    }
  }

  /** A job's reported cost replaces its estimate in every budget. */
  async settle(video: Video): Promise<void> {
    const cost = video.cost_usd;
    if (typeof cost !== 'number' || !(this.budgeted || this.recordsJobs)) return;
    await this.registry.update(video.id, { costUsd: cost });
  }

  /** A job that certainly made nothing (cancelled before it ran) costs nothing: its estimate leaves every budget. */
  async release(videoId: string): Promise<void> {
    if (!(this.budgeted || this.recordsJobs)) return;
    await this.registry.update(videoId, { costUsd: 0 });
  }

  /** What is left of each budget for `owner` this period; undefined when no budget is kept. */
  async left(owner: string): Promise<BudgetsLeft | undefined> {
    if (!this.budgeted) return undefined;
    const spent = await this.registry.spent(owner, periodStart(this.period, this.clock.now()));
    return this.leftOf(spent.ownerUsd, spent.teamUsd);
  }

  private leftOf(ownerUsd: number, teamUsd: number): BudgetsLeft {
    const { budgetUsd, teamBudgetUsd } = this.caps;
    const part = (budget: number | undefined, used: number) =>
      budget === undefined ? undefined : { budgetUsd: budget, spentUsd: roundUsd(used), leftUsd: roundUsd(Math.max(0, budget - used)) };
    return { period: this.period, user: part(budgetUsd, ownerUsd), team: part(teamBudgetUsd, teamUsd) };
  }

  private get period(): BudgetPeriod {
    return this.caps.period ?? 'day';
  }
}

/**
 * The arguments that define a job as one canonical text (keys sorted at every depth), so a repeated call with the
 * same key is recognised whatever order its fields came in, and one with other arguments is not.
 */
export function jobRequestText(request: Readonly<Record<string, unknown>>): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
          .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
      );
    }
    return value;
  };
  return JSON.stringify(canonical(request));
}

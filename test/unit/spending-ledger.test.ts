import { JobOwnership } from '../../src/application/job-ownership';
import { jobRequestText, SpendingLedger, type CostEstimate } from '../../src/application/spending-ledger';
import type { Video } from '../../src/domain/video';
import { InMemoryJobRegistry } from '../../src/testing';
import { FakeClock } from '../support/fakes';
import { video } from '../support/in-memory-ports';
import { agentText } from '../support/refusals';

/** The ledger's caps and what they answer, and the ownership records, over the in-memory registry and a fake clock. */
const estimate = (usd: number | null, model = 'sora-2'): CostEstimate => ({ usd, model, seconds: 4, usdPerSecond: 0.1 });
const job = (id: string, over: Partial<Video> = {}): Video => video({ id, created_at: 0, prompt: 'boat', ...over });
const DAY = 24 * 60 * 60 * 1000;

describe('SpendingLedger: one call', () => {
  it('refuses an estimate over the per-call cap, allows one exactly at it, and keeps nothing for either without a budget', async () => {
    const registry = new InMemoryJobRegistry();
    const ledger = new SpendingLedger({ maxCostUsd: 1 }, registry, new FakeClock());
    const refused = await ledger.reserve(estimate(1.01), { owner: 'ana', operation: 'create' }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'over_budget', details: { rule: 'max_cost', estimate_usd: 1.01, max_cost_usd: 1 } });
    expect(agentText(refused)).toMatch(/^This job's estimate of \$1\.01 is over the \$1\.00 cap on one call \(SORA2_MCP_MAX_COST_USD\)/);
    const claim = await ledger.reserve(estimate(1), { owner: 'ana', operation: 'create' });
    expect(claim.kind).toBe('new');
    expect(await ledger.left('ana')).toBeUndefined();
    expect(ledger.capped).toBe(true);
    expect(ledger.limits).toEqual({ maxCostUsd: 1 });
  });

  it('refuses a model with no price under any cap, naming the model; without caps, anything goes', async () => {
    const capped = new SpendingLedger({ budgetUsd: 5 }, new InMemoryJobRegistry(), new FakeClock());
    const refused = await capped.reserve(estimate(null, 'acme-1'), { owner: 'ana', operation: 'create' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'over_budget', field: 'model', details: { rule: 'no_price', model: 'acme-1' } });
    const open = new SpendingLedger({}, new InMemoryJobRegistry(), new FakeClock());
    expect(open.capped).toBe(false);
    expect((await open.reserve(estimate(null), { owner: 'ana', operation: 'create' })).kind).toBe('new');
  });
});

describe('SpendingLedger: budgets', () => {
  it("counts each user's and the team's estimates in the UTC day, and says what is left", async () => {
    const clock = new FakeClock(Date.parse('2026-12-07T10:00:00Z'));
    const ledger = new SpendingLedger({ budgetUsd: 1, teamBudgetUsd: 1.5 }, new InMemoryJobRegistry(), clock);
    const first = await ledger.reserve(estimate(0.4), { owner: 'ana', operation: 'create' });
    if (first.kind !== 'new') throw new Error('expected a new claim');
    expect(first.left).toEqual({
      period: 'day',
      user: { budgetUsd: 1, spentUsd: 0.4, leftUsd: 0.6 },
      team: { budgetUsd: 1.5, spentUsd: 0.4, leftUsd: 1.1 },
    });
    await first.started(job('v1'));
    await ledger.reserve(estimate(0.6), { owner: 'ana', operation: 'create' });
    const over = await ledger.reserve(estimate(0.01), { owner: 'ana', operation: 'create' }).catch((e: unknown) => e);
    expect(over).toMatchObject({
      code: 'over_budget',
      details: { rule: 'budget', budget_usd: 1, spent_usd: 1, left_usd: 0, period: 'day', estimate_usd: 0.01 },
    });
    // Bob has his own budget, but the team's is nearly spent.
    const team = await ledger.reserve(estimate(0.6), { owner: 'bob', operation: 'create' }).catch((e: unknown) => e);
    expect(team).toMatchObject({ code: 'over_budget', details: { rule: 'team_budget', budget_usd: 1.5, left_usd: 0.5 } });
    expect(agentText(team)).toContain("would bring the team's spending this day (UTC) over its $1.50 budget");
    // The next UTC day starts afresh.
    clock.time += DAY;
    expect(await ledger.left('ana')).toEqual({
      period: 'day',
      user: { budgetUsd: 1, spentUsd: 0, leftUsd: 1 },
      team: { budgetUsd: 1.5, spentUsd: 0, leftUsd: 1.5 },
    });
  });

  it("settles a job to the provider's reported cost, and gives an estimate back when no job was made", async () => {
    const ledger = new SpendingLedger({ budgetUsd: 2, period: 'month' }, new InMemoryJobRegistry(), new FakeClock());
    const claim = await ledger.reserve(estimate(0.8), { owner: 'ana', operation: 'create' });
    if (claim.kind !== 'new') throw new Error('expected a new claim');
    await claim.started(job('v1'));
    await ledger.settle(job('v1', { cost_usd: 0.25 }));
    expect((await ledger.left('ana'))?.user).toEqual({ budgetUsd: 2, spentUsd: 0.25, leftUsd: 1.75 });
    expect((await ledger.left('ana'))?.period).toBe('month');
    const refused = await ledger.reserve(estimate(0.5), { owner: 'ana', operation: 'create' });
    if (refused.kind !== 'new') throw new Error('expected a new claim');
    await refused.release();
    expect((await ledger.left('ana'))?.user?.spentUsd).toBe(0.25);
    await ledger.release('v1');
    expect((await ledger.left('ana'))?.user?.spentUsd).toBe(0);
  });

  it('checks a sequence as a whole: its shots together against the cap and what is left of each budget', async () => {
    const registry = new InMemoryJobRegistry();
    const ledger = new SpendingLedger({ maxCostUsd: 3, budgetUsd: 2, teamBudgetUsd: 10 }, registry, new FakeClock());
    await expect(ledger.checkTotal(estimate(2), 'ana', 3)).resolves.toBeUndefined();
    const overCap = await ledger.checkTotal(estimate(3.5), 'ana', 3).catch((e: unknown) => e);
    expect(overCap).toMatchObject({ code: 'over_budget', details: { rule: 'max_cost', shots: 3, estimate_usd: 3.5 } });
    expect(agentText(overCap)).toMatch(/^This sequence's estimate of \$3\.50 \(its 3 shots to make, together\) is over the \$3\.00 cap/);
    const overBudget = await ledger.checkTotal(estimate(2.01), 'ana', 2).catch((e: unknown) => e);
    expect(overBudget).toMatchObject({ code: 'over_budget', details: { rule: 'budget', shots: 2, left_usd: 2, budget_usd: 2 } });
    const unpriced = await ledger.checkTotal(estimate(null, 'acme-1'), 'ana', 2).catch((e: unknown) => e);
    expect(unpriced).toMatchObject({ code: 'over_budget', field: 'model', details: { rule: 'no_price', model: 'acme-1' } });
    const open = new SpendingLedger({}, registry, new FakeClock());
    await expect(open.checkTotal(estimate(null), 'ana', 2)).resolves.toBeUndefined();
  });
});

describe('SpendingLedger: idempotency keys', () => {
  it('names the job a key already made, refuses the key with other arguments, and ignores key order in the arguments', async () => {
    const ledger = new SpendingLedger({}, new InMemoryJobRegistry(), new FakeClock());
    const request = jobRequestText({ prompt: 'boat', seconds: '4' });
    expect(request).toBe(jobRequestText({ seconds: '4', prompt: 'boat', size: undefined }));
    const claim = await ledger.reserve(estimate(0.4), { owner: 'ana', operation: 'create', idempotency: { key: 'k1', request } });
    if (claim.kind !== 'new') throw new Error('expected a new claim');
    await claim.started(job('v1'));
    expect(await ledger.reserve(estimate(0.4), { owner: 'ana', operation: 'create', idempotency: { key: 'k1', request } })).toEqual({
      kind: 'existing',
      videoId: 'v1',
    });
    const other = jobRequestText({ prompt: 'ship', seconds: '4' });
    const conflict = await ledger
      .reserve(estimate(0.4), { owner: 'ana', operation: 'create', idempotency: { key: 'k1', request: other } })
      .catch((e: unknown) => e);
    expect(conflict).toMatchObject({ code: 'idempotency_conflict', field: 'idempotency_key', details: { rule: 'other_arguments' } });
    // Another user's key of the same name is theirs.
    expect((await ledger.reserve(estimate(0.4), { owner: 'bob', operation: 'create', idempotency: { key: 'k1', request } })).kind).toBe(
      'new',
    );
    expect(jobRequestText({ a: [{ z: 1, y: 2 }] })).toBe('{"a":[{"y":2,"z":1}]}');
  });
});

describe('JobOwnership records', () => {
  const started = async (registry: InMemoryJobRegistry, owner: string, video: Video, at: number) => {
    const reserved = await registry.reserve({ owner, operation: 'create', model: 'sora-2', estimateUsd: 0.1, budgets: { since: 0 }, at });
    if (reserved.kind !== 'reserved') throw new Error('not reserved');
    await registry.started(reserved.entry, video);
    return reserved.entry;
  };

  it("keeps each job's latest state and files, and lists the caller's jobs newest first in pages", async () => {
    const registry = new InMemoryJobRegistry();
    const ownership = new JobOwnership(registry, { enforced: true, recordsJobs: true });
    for (const [index, id] of ['v1', 'v2', 'v3'].entries()) await started(registry, 'ana', job(id), 1000 * (index + 1));
    await ownership.seen(job('v2', { status: 'completed', progress: 100 }), ['file:///videos/v2.mp4']);
    await ownership.madeFrom('v2', ['file:///videos/v2-frame.png']);
    await ownership.madeFrom(undefined, ['file:///videos/none.png']);
    await ownership.madeFrom('v1', []);
    expect([...(await ownership.files('ana'))!].sort()).toEqual(['file:///videos/v2-frame.png', 'file:///videos/v2.mp4']);
    expect([...(await ownership.files('bob'))!]).toEqual([]);
    const page = await ownership.page('ana', { limit: 2 });
    expect(page).toMatchObject({ object: 'list', first_id: 'v3', last_id: 'v2', has_more: true });
    expect(page?.data.map((video) => [video.id, video.status])).toEqual([
      ['v3', 'queued'],
      ['v2', 'completed'],
    ]);
    const next = await ownership.page('ana', { limit: 2, after: 'v2' });
    expect(next).toMatchObject({ first_id: 'v1', last_id: 'v1', has_more: false });
    const oldest = await ownership.page('ana', { order: 'asc' });
    expect(oldest?.data.map((video) => video.id)).toEqual(['v1', 'v2', 'v3']);
    expect(await ownership.page('bob', {})).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
    expect(ownership.enforced).toBe(true);
  });

  it("lists no job still being sent, and without telling callers apart keeps every saved file everyone's", async () => {
    const registry = new InMemoryJobRegistry();
    const ownership = new JobOwnership(registry, { enforced: false, recordsJobs: true });
    await registry.reserve({
      owner: 'default',
      operation: 'remix',
      model: 'sora-2-pro',
      estimateUsd: null,
      budgets: { since: 0 },
      at: 5000,
    });
    expect((await ownership.page('default', {}))?.data).toEqual([]);
    expect(await ownership.files('default')).toBeUndefined();
    await ownership.seen(undefined);
  });

  it('records nothing where jobs are not recorded', async () => {
    const registry = new InMemoryJobRegistry();
    const ownership = new JobOwnership(registry, { enforced: false, recordsJobs: false });
    await ownership.seen(job('v9'), ['file:///videos/v9.mp4']);
    await ownership.madeFrom('v9', ['file:///videos/v9.png']);
    expect(await registry.find('v9')).toBeUndefined();
    expect(ownership.enforced).toBe(false);
  });
});

import { JobOwnership } from '../../src/application/job-ownership';
import { CancelVideo } from '../../src/application/use-cases/cancel-video';
import type { VideoProvider } from '../../src/domain/ports';
import { jobRequestText, SpendingLedger, type CostEstimate } from '../../src/application/spending-ledger';
import { periodStart } from '../../src/domain/money';
import type { Video } from '../../src/domain/video';
import { InMemoryJobRegistry } from '../../src/testing';
import { FakeClock } from '../support/fakes';

const estimate = (usd: number | null): CostEstimate => ({ usd, model: 'sora-2', seconds: 4, usdPerSecond: 0.1 });
const video = (id: string): Video => ({
  id,
  object: 'video',
  model: 'sora-2',
  status: 'queued',
  progress: 0,
  created_at: 0,
  completed_at: null,
  expires_at: null,
  prompt: 'boat',
  size: '1280x720',
  seconds: '4',
  remixed_from_video_id: null,
  error: null,
});

describe('budget periods', () => {
  it('start at the UTC day, the UTC month, or the epoch, for any instant', () => {
    for (let index = 0; index < 2000; index += 1) {
      const ms = Math.floor(Math.random() * 8e12) - 1e12;
      const at = new Date(ms);
      expect(periodStart('day', ms)).toBe(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
      expect(periodStart('month', ms)).toBe(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
    }
    expect(periodStart('month', Date.parse('2024-02-29T23:59:59.999Z'))).toBe(Date.parse('2024-02-01T00:00:00Z'));
    expect(periodStart('month', Date.parse('2027-01-01T00:00:00Z'))).toBe(Date.parse('2027-01-01T00:00:00Z'));
    expect(periodStart('all', Date.now())).toBe(0);
  });
});

describe('SpendingLedger over the job registry', () => {
  it("keeps each user's budget and the team's, per UTC day, and says what is left", async () => {
    const clock = new FakeClock(Date.parse('2026-12-07T23:00:00Z'));
    const ledger = new SpendingLedger({ budgetUsd: 1, teamBudgetUsd: 1.5 }, new InMemoryJobRegistry(), clock);
    await ledger.reserve(estimate(0.8), { owner: 'alice', operation: 'create' });
    await expect(ledger.reserve(estimate(0.4), { owner: 'alice', operation: 'create' })).rejects.toMatchObject({
      code: 'over_budget',
      details: { rule: 'budget', spent_usd: 0.8, left_usd: 0.2, budget_usd: 1, period: 'day' },
    });
    await ledger.reserve(estimate(0.6), { owner: 'bob', operation: 'create' });
    await expect(ledger.reserve(estimate(0.2), { owner: 'carol', operation: 'create' })).rejects.toMatchObject({
      code: 'over_budget',
      details: { rule: 'team_budget', spent_usd: 1.4, left_usd: 0.1 },
    });
    expect(await ledger.left('alice')).toEqual({
      period: 'day',
      user: { budgetUsd: 1, spentUsd: 0.8, leftUsd: 0.2 },
      team: { budgetUsd: 1.5, spentUsd: 1.4, leftUsd: 0.1 },
    });
    clock.time = Date.parse('2026-12-08T00:00:01Z');
    expect((await ledger.left('alice'))?.user?.leftUsd).toBe(1);
    await expect(ledger.reserve(estimate(1), { owner: 'alice', operation: 'create' })).resolves.toMatchObject({ kind: 'new' });
  });

  it('refuses an unknown price under any cap, and an estimate over the per-call cap, without touching the registry', async () => {
    const registry = new InMemoryJobRegistry();
    const reserve = jest.spyOn(registry, 'reserve');
    const capped = new SpendingLedger({ maxCostUsd: 1 }, registry, new FakeClock());
    await expect(capped.reserve(estimate(null), { owner: 'a', operation: 'create' })).rejects.toMatchObject({
      details: { rule: 'no_price' },
    });
    await expect(capped.reserve(estimate(2), { owner: 'a', operation: 'create' })).rejects.toMatchObject({ details: { rule: 'max_cost' } });
    await capped.reserve(estimate(0.5), { owner: 'a', operation: 'create' });
    expect(reserve).not.toHaveBeenCalled();
  });

  it('gives the job a key names to a repeat, waits for one still being sent, and refuses the key with other arguments', async () => {
    const registry = new InMemoryJobRegistry();
    const clock = new FakeClock();
    const ledger = new SpendingLedger({}, registry, clock);
    const idempotency = { key: 'k', request: jobRequestText({ prompt: 'boat', seed: 1 }) };
    const first = await ledger.reserve(estimate(0.4), { owner: 'alice', operation: 'create', idempotency });
    expect(first.kind).toBe('new');
    // The repeat waits while the first is sending: the first's job exists after the repeat's third pause.
    const sleep = clock.sleep.bind(clock);
    jest.spyOn(clock, 'sleep').mockImplementation(async (ms, signal) => {
      await sleep(ms, signal);
      if (clock.sleeps.length === 3 && first.kind === 'new') await first.started(video('video_1'));
    });
    await expect(ledger.reserve(estimate(0.4), { owner: 'alice', operation: 'create', idempotency })).resolves.toEqual({
      kind: 'existing',
      videoId: 'video_1',
    });
    expect(clock.sleeps).toEqual([100, 200, 400]);
    const reordered = { key: 'k', request: jobRequestText({ seed: 1, prompt: 'boat' }) };
    await expect(ledger.reserve(estimate(0.4), { owner: 'alice', operation: 'create', idempotency: reordered })).resolves.toEqual({
      kind: 'existing',
      videoId: 'video_1',
    });
    await expect(
      ledger.reserve(estimate(0.4), { owner: 'alice', operation: 'create', idempotency: { key: 'k', request: '{"prompt":"ship"}' } }),
    ).rejects.toMatchObject({ code: 'idempotency_conflict', field: 'idempotency_key', details: { rule: 'other_arguments' } });
  });

  it('stops waiting for a call that never finishes sending (its replica died), without sending anything', async () => {
    const registry = new InMemoryJobRegistry();
    const clock = new FakeClock();
    const ledger = new SpendingLedger({}, registry, clock);
    const idempotency = { key: 'k', request: '{}' };
    await ledger.reserve(estimate(0.4), { owner: 'alice', operation: 'create', idempotency });
    await expect(ledger.reserve(estimate(0.4), { owner: 'alice', operation: 'create', idempotency })).rejects.toMatchObject({
      code: 'idempotency_conflict',
      details: { rule: 'in_flight' },
    });
  });
});

describe('JobOwnership', () => {
  it("answers another user's job exactly as an unknown id, and lists only the caller's own", async () => {
    const registry = new InMemoryJobRegistry();
    const ownership = new JobOwnership(registry, { enforced: true, recordsJobs: true });
    const reserved = await registry.reserve({
      owner: 'alice',
      operation: 'create',
      model: 'sora-2',
      estimateUsd: 0.4,
      budgets: { since: 0 },
      at: 1,
    });
    if (reserved.kind !== 'reserved') throw new Error('not reserved');
    await registry.started(reserved.entry, video('video_a'));
    await expect(ownership.check('video_a', 'alice')).resolves.toBeUndefined();
    const foreign = await ownership.check('video_a', 'bob').catch((error: unknown) => error);
    const unknown = await ownership.check('video_zz', 'bob').catch((error: unknown) => error);
    expect(foreign).toMatchObject({ code: 'not_found', details: { reason: 'unknown_video' } });
    expect(JSON.stringify(foreign).replace('video_a', 'ID')).toBe(JSON.stringify(unknown).replace('video_zz', 'ID'));
    expect((foreign as Error).message.replace('video_a', 'ID')).toBe((unknown as Error).message.replace('video_zz', 'ID'));
    expect((await ownership.page('bob', {}))?.data).toEqual([]);
    expect((await ownership.page('alice', {}))?.data.map((item) => item.id)).toEqual(['video_a']);
  });

  it('checks nothing when callers are not told apart (one user)', async () => {
    const ownership = new JobOwnership(new InMemoryJobRegistry(), { enforced: false, recordsJobs: false });
    await expect(ownership.check('anything', 'default')).resolves.toBeUndefined();
    expect(await ownership.page('default', {})).toBeUndefined();
    expect(await ownership.files('default')).toBeUndefined();
  });
});

describe('CancelVideo', () => {
  const cancelling = (outcome: 'cancelled' | 'requested') => {
    const provider = {
      profile: { label: 'fal', defaultModel: 'm', controls: [], operations: ['cancel'], variants: ['video'] },
      cancel: jest.fn(async (job: { id: string }) => ({
        id: job.id,
        outcome,
        providerStatus: outcome === 'cancelled' ? 'OK' : 'CANCELLATION_REQUESTED',
      })),
    } as unknown as VideoProvider;
    return provider;
  };

  it.each([
    ['a queued job stopped before it ran gives its estimate back', 'cancelled', 0, true],
    ['a running job only asked to stop keeps its estimate counted', 'requested', 0.4, false],
  ] as const)('%s', async (_case, outcome, spentAfter, released) => {
    const registry = new InMemoryJobRegistry();
    const clock = new FakeClock();
    const ledger = new SpendingLedger({ budgetUsd: 10 }, registry, clock);
    const claim = await ledger.reserve(estimate(0.4), { owner: 'ana', operation: 'create' });
    if (claim.kind !== 'new') throw new Error('expected a new claim');
    await claim.started(video('req_1'));
    expect((await ledger.left('ana'))!.user!.spentUsd).toBe(0.4);
    const ownership = new JobOwnership(registry, { enforced: true, recordsJobs: true });
    const result = await new CancelVideo(cancelling(outcome), ownership, ledger).execute('req_1', { caller: 'ana' });
    expect(result).toMatchObject({ id: 'req_1', outcome, estimateReleased: released });
    expect((await ledger.left('ana'))!.user!.spentUsd).toBe(spentAfter);
  });

  it("refuses another user's job as unknown, sending nothing", async () => {
    const registry = new InMemoryJobRegistry();
    const ledger = new SpendingLedger({ budgetUsd: 10 }, registry, new FakeClock());
    const claim = await ledger.reserve(estimate(0.4), { owner: 'ana', operation: 'create' });
    if (claim.kind !== 'new') throw new Error('expected a new claim');
    await claim.started(video('req_2'));
    const provider = cancelling('cancelled');
    const ownership = new JobOwnership(registry, { enforced: true, recordsJobs: true });
    await expect(new CancelVideo(provider, ownership, ledger).execute('req_2', { caller: 'bob' })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect((provider as unknown as { cancel: jest.Mock }).cancel).not.toHaveBeenCalled();
    expect((await ledger.left('ana'))!.user!.spentUsd).toBe(0.4);
  });
});

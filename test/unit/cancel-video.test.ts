import { CancelVideo } from '../../src/application/use-cases/cancel-video';
import type { CancelOutcome, JobRef, ProviderProfile } from '../../src/domain/ports';
import { refusalOf } from '../support/refusals';
import { ProfiledProvider, useCaseHarness } from '../support/use-case-harness';

/*
 * The cancel tool's core (team-ledger.test.ts has the budgets of a stopped and a still-running job): refused, sending
 * nothing, where the provider cannot cancel or the job is not the caller's; answered under the id the caller holds.
 */

const QUEUE: ProviderProfile = { label: 'fal', defaultModel: 'sora-2', controls: [], operations: ['cancel'], variants: ['video'] };

/** A provider with a queue it can stop jobs in, answering as told (a gateway may name the job its own way). */
class CancellingProvider extends ProfiledProvider {
  answer: Omit<CancelOutcome, 'id'> & { id?: string } = { outcome: 'cancelled', providerStatus: 'OK' };
  async cancel(job: JobRef, options?: { signal?: AbortSignal }): Promise<CancelOutcome> {
    this.calls.push({ method: 'cancel', args: [job.id, options] });
    return { id: job.id, ...this.answer };
  }
}

function setup(profile: ProviderProfile = QUEUE) {
  const provider = new CancellingProvider(profile);
  const harness = useCaseHarness({ provider, caps: { budgetUsd: 10 }, team: true });
  return { ...harness, provider, cancel: new CancelVideo(provider, harness.ownership, harness.ledger) };
}

describe('CancelVideo', () => {
  it('stops a queued job under the id the caller holds, gives its estimate back, and passes on the provider’s word', async () => {
    const { cancel, provider, ownedJob, spent } = setup();
    await ownedJob('ana', 'req_1');
    provider.answer = { id: 'fal/req_1', outcome: 'cancelled', providerStatus: 'OK' };
    const signal = new AbortController().signal;
    await expect(cancel.execute('req_1', { caller: 'ana', signal })).resolves.toEqual({
      id: 'req_1',
      outcome: 'cancelled',
      providerStatus: 'OK',
      estimateReleased: true,
    });
    expect(provider.calls).toEqual([{ method: 'cancel', args: ['req_1', { signal }] }]);
    expect(await spent('ana')).toBe(0);
  });

  it('keeps the estimate of a running job only asked to stop, without touching the budgets', async () => {
    const { cancel, provider, ledger, ownedJob } = setup();
    await ownedJob('ana', 'req_1');
    const releasing = jest.spyOn(ledger, 'release');
    provider.answer = { outcome: 'requested', providerStatus: 'CANCELLATION_REQUESTED' };
    await expect(cancel.execute('req_1', { caller: 'ana' })).resolves.toMatchObject({ outcome: 'requested', estimateReleased: false });
    expect(releasing).not.toHaveBeenCalled();
  });

  it('says the estimate still counts when the registry cannot give it back, though the job was stopped', async () => {
    const { cancel, registry, ownedJob } = setup();
    await ownedJob('ana', 'req_1');
    jest.spyOn(registry, 'update').mockRejectedValue(new Error('database gone'));
    await expect(cancel.execute('req_1', { caller: 'ana' })).resolves.toMatchObject({ outcome: 'cancelled', estimateReleased: false });
  });

  it('takes a run without a caller as the default user’s', async () => {
    const { cancel, provider, ownedJob } = setup();
    await ownedJob('default', 'req_1');
    await expect(cancel.execute('req_1')).resolves.toMatchObject({ outcome: 'cancelled' });
    expect(provider.count('cancel')).toBe(1);
  });

  it('refuses on a provider whose profile does not list cancel, sending nothing', async () => {
    const { cancel, provider, ownedJob } = setup({ ...QUEUE, label: 'OpenRouter', operations: ['list'] });
    await ownedJob('ana', 'req_1');
    await expect(refusalOf(cancel.execute('req_1', { caller: 'ana' }))).resolves.toEqual({
      code: 'not_offered',
      field: undefined,
      details: { kind: 'operation', operation: 'cancel', provider: 'OpenRouter', sent: false },
    });
    expect(provider.calls).toEqual([]);
  });

  it('refuses on a provider that has no way to cancel, whatever its profile says', async () => {
    const harness = useCaseHarness({ provider: new ProfiledProvider(QUEUE), team: true });
    await harness.ownedJob('ana', 'req_1');
    await expect(
      refusalOf(new CancelVideo(harness.provider, harness.ownership, harness.ledger).execute('req_1', { caller: 'ana' })),
    ).resolves.toMatchObject({ code: 'not_offered', details: { operation: 'cancel', provider: 'fal' } });
    expect(harness.provider.calls).toEqual([]);
  });

  it('refuses where the official shape is spoken (no cancel at all)', async () => {
    const harness = useCaseHarness();
    await expect(refusalOf(new CancelVideo(harness.provider, harness.ownership, harness.ledger).execute('video_1'))).resolves.toMatchObject(
      {
        code: 'not_offered',
        details: { provider: 'the provider' },
      },
    );
  });
});

import { RemixVideo, type RemixVideoInput } from '../../src/application/use-cases/remix-video';
import { CancelledError, DomainError } from '../../src/domain/errors';
import { refusalOf } from '../support/refusals';
import { video } from '../support/in-memory-ports';
import { holdNext, ProfiledProvider, useCaseHarness, type UseCaseOptions } from '../support/use-case-harness';

/*
 * The remix tool's core: a finished job of the caller's is remixed once, priced from the source; everything that can be
 * refused is refused before the paid request, and the estimate is given back only when the provider made no job.
 */

const noWait = { waitForCompletion: false, timeoutMs: 60_000, downloadVariants: ['video'] } as const;
const waiting = { ...noWait, waitForCompletion: true, pollIntervalMs: 1000 } as const;
const remixOf = (more: Partial<RemixVideoInput> = {}): RemixVideoInput => ({ videoId: 'video_1', prompt: 'at dusk', ...noWait, ...more });

function setup(options: UseCaseOptions = {}) {
  const harness = useCaseHarness(options);
  const remix = new RemixVideo(harness.provider, harness.follower, harness.planner, harness.ledger, harness.ownership);
  const remixing = jest.spyOn(harness.provider, 'remix');
  return { ...harness, remix, remixing };
}

describe('RemixVideo', () => {
  it('remixes the finished source with the prompt and options as given, priced from the source', async () => {
    const { remix, remixing, provider } = setup({ caps: { budgetUsd: 1 } });
    provider.retrieves = [{ status: 'completed', progress: 100, seconds: '8' }];
    const signal = new AbortController().signal;
    const result = await remix.execute(remixOf({ providerOptions: { style: 'noir' } }), { signal });
    expect(remixing).toHaveBeenCalledWith(
      { id: 'video_1', last: expect.objectContaining({ id: 'video_1', status: 'completed', seconds: '8' }) },
      { prompt: 'at dusk', providerOptions: { style: 'noir' } },
      { signal },
    );
    expect(provider.calls[0]).toEqual({ method: 'retrieve', args: ['video_1', { signal }] });
    expect(result.video).toMatchObject({ id: 'video_remix', remixed_from_video_id: 'video_1' });
    expect(result.estimate).toMatchObject({ usd: 0.8, model: 'sora-2', seconds: 8 });
    expect(result.budget).toEqual({ period: 'day', user: { budgetUsd: 1, spentUsd: 0.8, leftUsd: 0.2 }, team: undefined });
  });

  it('remixes the source under the id the caller holds, when a gateway answers with another', async () => {
    const { remix, remixing, provider } = setup();
    provider.retrieves = [{ id: 'upstream_1', status: 'completed', progress: 100 }];
    await remix.execute(remixOf());
    expect(remixing.mock.calls[0]![0]).toEqual({
      id: 'video_1',
      last: expect.objectContaining({ id: 'video_1', provider_id: 'upstream_1' }),
    });
  });

  it('waits for the remix and saves it, settling its reported cost, with no stale budget', async () => {
    const { remix, store, provider, spent } = setup({ caps: { budgetUsd: 1 } });
    // The source as read, then the remix, which reports what it cost.
    provider.retrieves = [{ status: 'completed' }, { status: 'completed', progress: 100, cost_usd: 0.3 }];
    const result = await remix.execute(remixOf({ ...waiting, file: 'dusk' }));
    expect(result.video?.status).toBe('completed');
    expect([...store.items.keys()]).toEqual(['dusk.mp4']);
    expect(result.budget).toBeUndefined();
    expect(result.estimate).toMatchObject({ usd: 0.4 });
    expect(await spent()).toBe(0.3);
  });

  describe('refuses before the source is read', () => {
    it('a price-deciding provider option', async () => {
      const { remix, provider } = setup();
      await expect(refusalOf(remix.execute(remixOf({ providerOptions: { seconds: '12' } })))).resolves.toMatchObject({
        code: 'invalid_input',
        field: 'provider_options',
      });
      expect(provider.calls).toEqual([]);
    });

    it('a provider that can take no call', async () => {
      const { remix, provider } = setup();
      provider.ready = new DomainError('authentication_failed', 'no key');
      await expect(remix.execute(remixOf())).rejects.toBe(provider.ready);
      expect(provider.calls).toEqual([]);
    });

    it('a provider that offers no remix, without asking it', async () => {
      const provider = new ProfiledProvider({
        label: 'OpenRouter',
        defaultModel: 'sora-2',
        controls: [],
        operations: ['list', 'delete', 'cancel'],
        variants: ['video'],
      });
      const { remix } = setup({ provider });
      await expect(refusalOf(remix.execute(remixOf()))).resolves.toEqual({
        code: 'not_offered',
        field: undefined,
        details: { kind: 'operation', operation: 'remix', provider: 'OpenRouter', sent: false },
      });
      expect(provider.calls).toEqual([]);
    });

    it('a file of the caller’s that exists', async () => {
      const { remix, provider, store } = setup();
      await store.write(['dusk.mp4'], { contentType: 'video/mp4', body: (async function* () {})() });
      await expect(refusalOf(remix.execute(remixOf({ ...waiting, file: 'dusk' })))).resolves.toMatchObject({ code: 'file_exists' });
      expect(provider.calls).toEqual([]);
    });

    it('another user’s job, exactly as an unknown one', async () => {
      const { remix, provider, ownedJob, registry } = setup({ team: true });
      await ownedJob('ana', 'video_1');
      await expect(refusalOf(remix.execute(remixOf(), { caller: 'bob' }))).resolves.toMatchObject({
        code: 'not_found',
        details: { reason: 'unknown_video', video_id: 'video_1' },
      });
      expect(provider.calls).toEqual([]);
      // Its owner remixes it, and the remix is recorded as hers.
      await remix.execute(remixOf(), { caller: 'ana' });
      expect(await registry.find('video_remix')).toMatchObject({ owner: 'ana', operation: 'remix', state: 'started' });
    });
  });

  describe('refuses after reading the source, sending and reserving nothing', () => {
    it('a source that has not finished, saying where it is', async () => {
      const { remix, remixing, provider, spent } = setup({ caps: { budgetUsd: 1 } });
      provider.retrieves = [{ status: 'in_progress', progress: 35 }];
      await expect(refusalOf(remix.execute(remixOf()))).resolves.toEqual({
        code: 'invalid_input',
        field: 'video_id',
        details: { rule: 'remix_needs_completed', video_id: 'video_1', status: 'in_progress', progress: 35 },
      });
      expect(remixing).not.toHaveBeenCalled();
      expect(await spent()).toBe(0);
    });

    it('an estimate over the per-call cap', async () => {
      const { remix, remixing, spent } = setup({ caps: { maxCostUsd: 0.3, budgetUsd: 1 } });
      await expect(refusalOf(remix.execute(remixOf()))).resolves.toMatchObject({ code: 'over_budget', details: { rule: 'max_cost' } });
      expect(remixing).not.toHaveBeenCalled();
      expect(await spent()).toBe(0);
    });
  });

  it('gives the estimate back when the provider refuses the remix', async () => {
    const { remix, remixing, spent } = setup({ caps: { budgetUsd: 1 } });
    remixing.mockRejectedValueOnce(new DomainError('bad_request', 'no', { details: { status: 400 } }));
    await expect(refusalOf(remix.execute(remixOf()))).resolves.toEqual({ code: 'bad_request', field: undefined, details: { status: 400 } });
    expect(await spent()).toBe(0);
  });

  it('keeps the estimate when the remix may have been made, and says so; a cancellation passes as it came', async () => {
    const { remix, remixing, spent } = setup({ caps: { budgetUsd: 1 } });
    remixing.mockRejectedValueOnce(new DomainError('provider_unavailable', 'busy', { details: { status: 502 } }));
    await expect(refusalOf(remix.execute(remixOf()))).resolves.toMatchObject({
      code: 'provider_unavailable',
      details: { status: 502, estimate_kept: true },
    });
    const cancelled = new CancelledError();
    remixing.mockRejectedValueOnce(cancelled);
    await expect(remix.execute(remixOf())).rejects.toBe(cancelled);
    expect(await spent()).toBe(0.8);
  });

  describe('idempotency', () => {
    const keyed = remixOf({ idempotencyKey: 'k-1', providerOptions: { style: 'noir' } });

    it('follows the remix a repeated key made: nothing is sent or reserved again', async () => {
      const { remix, remixing, provider, spent } = setup({ caps: { budgetUsd: 1 } });
      await remix.execute(keyed);
      // The source is read again (the remix is priced from it), then the remix the key names.
      provider.retrieves = [{ status: 'completed' }, { id: 'upstream_remix', status: 'in_progress', progress: 20 }];
      const signal = new AbortController().signal;
      const again = await remix.execute(keyed, { signal });
      expect(remixing).toHaveBeenCalledTimes(1);
      expect(provider.calls.at(-1)).toEqual({ method: 'retrieve', args: ['video_remix', { signal }] });
      expect(again.video).toMatchObject({ id: 'video_remix', provider_id: 'upstream_remix', status: 'in_progress' });
      expect(again.budget).toBeUndefined();
      expect(again.estimate).toMatchObject({ usd: 0.4 });
      expect(await spent()).toBe(0.4);
    });

    it.each<[string, Partial<RemixVideoInput>]>([
      ['another prompt', { prompt: 'at dawn' }],
      ['other provider options', { providerOptions: { style: 'pastel' } }],
      ['another source', { videoId: 'video_2' }],
    ])('refuses the key with %s, sending nothing', async (_case, change) => {
      const { remix, remixing } = setup();
      await remix.execute(keyed);
      await expect(refusalOf(remix.execute({ ...keyed, ...change }))).resolves.toMatchObject({ code: 'idempotency_conflict' });
      expect(remixing).toHaveBeenCalledTimes(1);
    });

    it('stops a repeat waiting for the first call with its key to finish sending, once the repeat’s caller has gone', async () => {
      const { remix, remixing } = setup();
      const held = holdNext(remixing);
      const first = remix.execute(keyed);
      // Were the first call never to send, its settling ends this wait (and the test fails) rather than hanging it.
      await Promise.race([held.sending, first]);
      expect(held.sent).toBe(true);
      const gone = new AbortController();
      gone.abort();
      await expect(refusalOf(remix.execute(keyed, { signal: gone.signal }))).resolves.toMatchObject({ code: 'cancelled' });
      held.answer(video({ id: 'video_remix' }));
      await expect(first).resolves.toMatchObject({ video: { id: 'video_remix' } });
    });

    it('without a key, every call is a new remix', async () => {
      const { remix, remixing } = setup();
      await remix.execute(remixOf());
      await remix.execute(remixOf());
      expect(remixing).toHaveBeenCalledTimes(2);
    });
  });
});

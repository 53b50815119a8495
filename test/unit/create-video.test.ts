import { CreateVideo, type CreateVideoInput } from '../../src/application/use-cases/create-video';
import type { ReferenceImagePreparer, ReferenceRequest } from '../../src/application/reference-image-preparer';
import type { RunOptions } from '../../src/application/progress';
import { controlsBut } from '../../src/domain/controls';
import { CancelledError, DomainError } from '../../src/domain/errors';
import type { CreateVideoParams, ReferenceImageUpload } from '../../src/domain/ports';
import type { Video } from '../../src/domain/video';
import { refusalOf } from '../support/refusals';
import { video } from '../support/in-memory-ports';
import { holdNext, ProfiledProvider, useCaseHarness, type UseCaseOptions } from '../support/use-case-harness';

/*
 * The create tool's core: what reaches the provider (and what never does when the input is refused), what is reserved
 * against the budgets and when it is given back, what an idempotency key repeats, and whose job it becomes.
 */

const upload = (name: string): ReferenceImageUpload => ({ bytes: new Uint8Array([1, 2, 3]), mimeType: 'image/png', filename: name });

/** A preparer that records what it was asked and gives an upload named after the image, or fails as told. */
function recordingPreparer(failure?: Error) {
  const prepared: ReferenceRequest[] = [];
  const asIs: [string, string, AbortSignal | undefined][] = [];
  const preparer = {
    prepare: async (request: ReferenceRequest) => {
      prepared.push(request);
      if (failure) throw failure;
      return upload(request.input);
    },
    prepareAsIs: async (input: string, field: string, signal?: AbortSignal) => {
      asIs.push([input, field, signal]);
      return upload(input);
    },
  } as unknown as ReferenceImagePreparer;
  return { preparer, prepared, asIs };
}

/** A gateway that takes an aspect ratio and a resolution, a last frame and reference images. */
const aspectGateway = () =>
  new ProfiledProvider({
    label: 'Gateway',
    defaultModel: 'sora-2',
    controls: controlsBut(),
    operations: ['remix', 'list', 'delete'],
    variants: ['video'],
  });

const base = { prompt: 'a fox', inputReferenceFit: 'match', inputReferenceBackground: 'blur' } as const;
const noWait = { waitForCompletion: false, timeoutMs: 60_000, downloadVariants: ['video'] } as const;
const waiting = { ...noWait, waitForCompletion: true, pollIntervalMs: 1000 } as const;

function setup(options: UseCaseOptions & { failure?: Error } = {}) {
  const harness = useCaseHarness(options);
  const images = recordingPreparer(options.failure);
  const create = new CreateVideo(harness.provider, images.preparer, harness.follower, harness.planner, harness.ledger, harness.ownership);
  const sent = () => harness.provider.calls.filter((call) => call.method === 'create').map((call) => call.args[0] as CreateVideoParams);
  return { ...harness, ...images, create, sent };
}

describe('CreateVideo', () => {
  it('sends the model the estimate was for and, to a provider that takes sizes, the size an aspect ratio makes', async () => {
    const { create, sent, provider } = setup();
    const signal = new AbortController().signal;
    const result = await create.execute({ ...base, ...noWait, aspectRatio: '16:9', resolution: '720p', seconds: '8' }, { signal });
    expect(sent()).toEqual([expect.objectContaining({ prompt: 'a fox', model: 'sora-2', size: '1280x720', seconds: '8' })]);
    expect(sent()[0]).not.toHaveProperty('aspectRatio', expect.anything());
    expect(sent()[0]).not.toHaveProperty('resolution', expect.anything());
    expect(provider.calls[0]!.args[1]).toEqual({ signal });
    expect(result.estimate).toMatchObject({ usd: 0.8, model: 'sora-2', seconds: 8 });
  });

  it('speaks an aspect ratio to a provider that takes one, and gives the job the size asked for when the answer has none', async () => {
    const { create, sent, provider } = setup({ provider: aspectGateway() });
    provider.created = { size: '' };
    const started: Video[] = [];
    const result = await create.execute(
      { ...base, ...noWait, aspectRatio: '16:9', resolution: '720p' },
      { onStarted: (job) => started.push(job) },
    );
    expect(sent()[0]).toMatchObject({ aspectRatio: '16:9', resolution: '720p' });
    expect(sent()[0]!.size).toBeUndefined();
    expect(result.video?.size).toBe('1280x720');
    expect(started.map((job) => job.size)).toEqual(['1280x720']);
  });

  it('keeps the size the provider answers with, fills in the one the caller gave, and makes none up', async () => {
    const echoed = setup();
    echoed.provider.created = { size: '1792x1024' };
    expect((await echoed.create.execute({ ...base, ...noWait, size: '1280x720' })).video?.size).toBe('1792x1024');
    const silent = setup();
    silent.provider.created = { size: '' };
    expect((await silent.create.execute({ ...base, ...noWait, size: '1280x720' })).video?.size).toBe('1280x720');
    // An aspect ratio alone fixes no size: the job keeps what the provider said (nothing).
    const aspectOnly = setup({ provider: aspectGateway() });
    aspectOnly.provider.created = { size: '' };
    expect((await aspectOnly.create.execute({ ...base, ...noWait, aspectRatio: '16:9' })).video?.size).toBe('');
  });

  it('fits the first and last frames to the planned size and uploads reference images as they are', async () => {
    const { create, sent, prepared, asIs } = setup({ provider: aspectGateway() });
    const signal = new AbortController().signal;
    await create.execute(
      {
        ...base,
        ...noWait,
        size: '1280x720',
        inputReferenceFit: 'cover',
        inputReferenceBackground: 'black',
        inputReference: 'first.png',
        lastFrame: 'last.png',
        referenceImages: ['a.png', 'b.png'],
      },
      { signal },
    );
    const frame = { size: '1280x720', sizeWasDefaulted: false, fit: 'cover', background: 'black', signal };
    expect(prepared).toEqual([
      { input: 'first.png', field: 'input_reference', ...frame },
      { input: 'last.png', field: 'last_frame', ...frame },
    ]);
    expect(asIs).toEqual([
      ['a.png', 'reference_images[0]', signal],
      ['b.png', 'reference_images[1]', signal],
    ]);
    expect(sent()[0]).toMatchObject({
      inputReference: upload('first.png'),
      lastFrame: upload('last.png'),
      referenceImages: [upload('a.png'), upload('b.png')],
    });
  });

  it('says when the frame size was not asked for, and sends no images it was not given', async () => {
    const { create, sent, prepared } = setup();
    await create.execute({ ...base, ...noWait, inputReference: 'first.png' });
    expect(prepared).toEqual([expect.objectContaining({ input: 'first.png', sizeWasDefaulted: true })]);
    expect(sent()[0]).toMatchObject({ inputReference: upload('first.png'), lastFrame: undefined, referenceImages: undefined });
    await create.execute({ ...base, ...noWait });
    expect(sent()[1]).toMatchObject({ inputReference: undefined, lastFrame: undefined, referenceImages: undefined });
  });

  describe('refuses before anything is fetched, reserved or sent', () => {
    it.each<[string, UseCaseOptions, Partial<CreateVideoInput>, { code: string; details?: object }]>([
      [
        'a price-deciding provider option',
        {},
        { providerOptions: { nested: { Model: 'sora-2-pro' } } },
        { code: 'invalid_input', details: { rule: 'provider_options_price', key: 'nested.Model' } },
      ],
      ['an estimate over the per-call cap', { caps: { maxCostUsd: 0.3 } }, {}, { code: 'over_budget', details: { rule: 'max_cost' } }],
      [
        'an estimate over what is left of the budget',
        { caps: { budgetUsd: 0.3 } },
        {},
        { code: 'over_budget', details: { rule: 'budget', left_usd: 0.3 } },
      ],
    ])('%s', async (_case, options, input, refusal) => {
      const { create, provider, prepared, spent } = setup({ ...options, caps: { budgetUsd: 10, ...options.caps } });
      await expect(refusalOf(create.execute({ ...base, ...noWait, inputReference: 'first.png', ...input }))).resolves.toMatchObject(
        refusal,
      );
      expect(provider.count('create')).toBe(0);
      expect(prepared).toEqual([]);
      expect(await spent()).toBe(0);
    });

    it('a provider that can take no call (no key), before any image is fetched', async () => {
      const { create, provider, prepared } = setup();
      provider.ready = new DomainError('authentication_failed', 'no key');
      await expect(create.execute({ ...base, ...noWait, inputReference: 'first.png' })).rejects.toBe(provider.ready);
      expect(provider.calls).toEqual([]);
      expect(prepared).toEqual([]);
    });

    it('a file of the caller’s that exists: it is never clobbered', async () => {
      const { create, provider, store, spent } = setup({ caps: { budgetUsd: 10 } });
      await store.write(['clip.mp4'], { contentType: 'video/mp4', body: (async function* () {})() });
      await expect(refusalOf(create.execute({ ...base, ...waiting, file: 'clip' }))).resolves.toMatchObject({ code: 'file_exists' });
      expect(provider.calls).toEqual([]);
      expect(await spent()).toBe(0);
    });
  });

  it('gives the estimate back when an image is refused or the provider refuses the request, and says nothing was kept', async () => {
    const refused = setup({ caps: { budgetUsd: 10 }, failure: new DomainError('reference_image_size_mismatch', 'wrong size') });
    const sizeError = await refusalOf(refused.create.execute({ ...base, ...noWait, inputReference: 'first.png' }));
    expect(sizeError).toMatchObject({ code: 'reference_image_size_mismatch' });
    expect(refused.provider.count('create')).toBe(0);
    expect(await refused.spent()).toBe(0);

    const rejected = setup({ caps: { budgetUsd: 10 } });
    jest.spyOn(rejected.provider, 'create').mockRejectedValueOnce(new DomainError('bad_request', 'no', { details: { status: 400 } }));
    const badRequest = await refusalOf(rejected.create.execute({ ...base, ...noWait }));
    expect(badRequest).toEqual({ code: 'bad_request', field: undefined, details: { status: 400 } });
    expect(await rejected.spent()).toBe(0);
  });

  it('gives the estimate back when fetching an image fails in any way: nothing was sent', async () => {
    const failure = new TypeError('fetch failed');
    const { create, provider, spent } = setup({ caps: { budgetUsd: 10 }, failure });
    await expect(create.execute({ ...base, ...noWait, inputReference: 'https://example.test/a.png' })).rejects.toBe(failure);
    expect(provider.count('create')).toBe(0);
    expect(await spent()).toBe(0);
  });

  it.each([
    ['a 5xx answer', new DomainError('provider_unavailable', 'busy', { details: { status: 503 } })],
    ['an answer that could not be read', new DomainError('provider_error', 'garbled')],
  ])('keeps the estimate when the request may have left (%s), and says so', async (_case, failure) => {
    const { create, provider, spent } = setup({ caps: { budgetUsd: 10 } });
    jest.spyOn(provider, 'create').mockRejectedValueOnce(failure);
    await expect(refusalOf(create.execute({ ...base, ...noWait }))).resolves.toMatchObject({
      code: failure.code,
      details: expect.objectContaining({ estimate_kept: true }),
    });
    expect(await spent()).toBe(0.4);
  });

  it('keeps the estimate of a create cut off by a cancellation or an unknown failure, passing either on as it came', async () => {
    const { create, provider, spent } = setup({ caps: { budgetUsd: 10 } });
    const cancelled = new CancelledError();
    const network = new TypeError('socket hang up');
    jest.spyOn(provider, 'create').mockRejectedValueOnce(cancelled).mockRejectedValueOnce(network);
    await expect(create.execute({ ...base, ...noWait })).rejects.toBe(cancelled);
    await expect(create.execute({ ...base, ...noWait })).rejects.toBe(network);
    expect(await spent()).toBe(0.8);
  });

  it('records the job as the caller’s create and reports what is left of each budget to a call that does not wait', async () => {
    const { create, registry, spent } = setup({ caps: { budgetUsd: 1, teamBudgetUsd: 5 } });
    const result = await create.execute({ ...base, ...noWait }, { caller: 'ana' });
    expect(await registry.find('video_1')).toMatchObject({ owner: 'ana', operation: 'create', state: 'started', estimateUsd: 0.4 });
    expect(await spent('ana')).toBe(0.4);
    expect(await spent('default')).toBe(0);
    expect(result.budget).toEqual({
      period: 'day',
      user: { budgetUsd: 1, spentUsd: 0.4, leftUsd: 0.6 },
      team: { budgetUsd: 5, spentUsd: 0.4, leftUsd: 4.6 },
    });
  });

  it('follows a job it waits for to the end and saves it, settling its reported cost, with no stale budget', async () => {
    const { create, store, provider, spent } = setup({ caps: { budgetUsd: 1 } });
    provider.retrieves = [{ status: 'completed', progress: 100, cost_usd: 0.25 }];
    const started: string[] = [];
    const result = await create.execute({ ...base, ...waiting, file: 'fox' }, { onStarted: (job) => started.push(job.status) });
    expect(started).toEqual(['queued']);
    expect(result.video?.status).toBe('completed');
    expect([...store.items.keys()]).toEqual(['fox.mp4']);
    expect(result.estimate).toMatchObject({ usd: 0.4 });
    expect(result.budget).toBeUndefined();
    // The provider's reported cost replaces the estimate in the budget.
    expect(await spent()).toBe(0.25);
  });

  describe('idempotency', () => {
    const keyed = { ...base, ...noWait, idempotencyKey: 'k-1' };

    it('follows the job a repeated key made: nothing is sent or reserved again', async () => {
      const { create, provider, spent } = setup({ caps: { budgetUsd: 10 } });
      const first = await create.execute(keyed);
      // A gateway may answer under another id: the caller keeps the one it holds.
      provider.retrieves = [{ id: 'upstream_1', status: 'in_progress', progress: 40 }];
      const started: Video[] = [];
      const signal = new AbortController().signal;
      const again = await create.execute(keyed, { onStarted: (job) => started.push(job), signal });
      expect(provider.count('create')).toBe(1);
      expect(provider.calls.at(-1)).toEqual({ method: 'retrieve', args: ['video_1', { signal }] });
      expect(again.video).toMatchObject({ id: 'video_1', provider_id: 'upstream_1', status: 'in_progress' });
      expect(started.map((job) => job.id)).toEqual(['video_1']);
      expect(await spent()).toBe(0.4);
      expect(first.budget).toBeDefined();
      expect(again.budget).toBeUndefined();
      expect(again.estimate).toMatchObject({ usd: 0.4 });
      // A repeat that asks to hear of nothing is answered all the same.
      await expect(create.execute(keyed)).resolves.toMatchObject({ video: { id: 'video_1' } });
    });

    it.each<[string, Partial<CreateVideoInput>]>([
      ['another prompt', { prompt: 'a hare' }],
      ['another fit', { inputReferenceFit: 'cover' }],
      ['another background', { inputReferenceBackground: 'white' }],
      ['another length', { seconds: '8' }],
    ])('refuses the key with %s, sending nothing', async (_case, change) => {
      const { create, provider } = setup();
      await create.execute(keyed);
      await expect(refusalOf(create.execute({ ...keyed, ...change }))).resolves.toMatchObject({
        code: 'idempotency_conflict',
        details: { rule: 'other_arguments' },
      });
      expect(provider.count('create')).toBe(1);
    });

    it('sends the request again with the key once the provider refused it, and without a key every call is a new job', async () => {
      const { create, provider } = setup();
      const sending = jest
        .spyOn(provider, 'create')
        .mockRejectedValueOnce(new DomainError('bad_request', 'no', { details: { status: 400 } }));
      await expect(create.execute(keyed)).rejects.toMatchObject({ code: 'bad_request' });
      await create.execute(keyed);
      await create.execute({ ...base, ...noWait });
      await create.execute({ ...base, ...noWait });
      expect(sending).toHaveBeenCalledTimes(4);
    });
  });

  it('stops a repeat waiting for the first call with its key to finish sending, once the repeat’s caller has gone', async () => {
    const { create, provider } = setup();
    const keyed = { ...base, ...noWait, idempotencyKey: 'k-1' };
    const held = holdNext(jest.spyOn(provider, 'create'));
    const first = create.execute(keyed);
    // Were the first call never to send, its settling ends this wait (and the test fails) rather than hanging it.
    await Promise.race([held.sending, first]);
    expect(held.sent).toBe(true);
    const gone = new AbortController();
    gone.abort();
    await expect(refusalOf(create.execute(keyed, { signal: gone.signal }))).resolves.toMatchObject({ code: 'cancelled' });
    held.answer(video({ id: 'video_1' }));
    await expect(first).resolves.toMatchObject({ video: { id: 'video_1' } });
  });

  it('keeps a run without a caller as the default user’s', async () => {
    const { create, registry } = setup({ team: true });
    const run: RunOptions = {};
    await create.execute({ ...base, ...noWait }, run);
    expect(await registry.find('video_1')).toMatchObject({ owner: 'default' });
  });
});

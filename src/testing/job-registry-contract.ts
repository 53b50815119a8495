import assert from 'node:assert/strict';
import type { JobRegistry, ReservationRequest } from '../domain/ports/job-registry';
import type { Video } from '../domain/video';
import { freshForEachCase, type TestRunner } from './test-runner';

export interface JobRegistryHarness {
  registry: JobRegistry;
  /** A second handle on the same state (another replica), when the registry is shared; else the same one. */
  other?: JobRegistry;
  close(): Promise<void>;
}

const DAY = Date.parse('2026-12-07T00:00:00Z');

function request(owner: string, usd: number | null, extra: Partial<ReservationRequest> = {}): ReservationRequest {
  return {
    owner,
    operation: 'create',
    model: 'sora-2',
    estimateUsd: usd,
    budgets: { since: DAY },
    at: Date.parse('2026-12-07T10:00:00Z'),
    ...extra,
  };
}

function video(id: string, status = 'queued'): Video {
  return {
    id,
    object: 'video',
    model: 'sora-2',
    status,
    progress: status === 'completed' ? 100 : 0,
    created_at: 1_796_000_000,
    completed_at: null,
    expires_at: null,
    prompt: 'a paper boat',
    size: '1280x720',
    seconds: '4',
    remixed_from_video_id: null,
    error: null,
  };
}

/**
 * What every JobRegistry must do (PostgreSQL, the embedded database, memory, yours): reservations that never pass a
 * budget, even many at once; idempotency keys that name one job; owners; spending that counts reported costs.
 * Run it with `jobRegistryContract({ describe, it, beforeEach, afterEach }, 'mine', make)`; each case gets an
 * empty registry.
 */
export function jobRegistryContract(runner: TestRunner, name: string, makeHarness: () => Promise<JobRegistryHarness>): void {
  const { describe, it } = runner;
  describe(`JobRegistry contract: ${name}`, () => {
    let h!: JobRegistryHarness;
    freshForEachCase(runner, makeHarness, (made) => (h = made));

    it('reserves, starts and finds a job under its owner, and lists only that owner’s jobs', async () => {
      const reserved = await h.registry.reserve(request('alice', 0.4));
      assert.equal(reserved.kind, 'reserved');
      if (reserved.kind !== 'reserved') return;
      assert.equal(await h.registry.find('video_a'), undefined, 'nothing is found before the job started');
      await h.registry.started(reserved.entry, video('video_a'));
      const found = await (h.other ?? h.registry).find('video_a');
      assert.equal(found?.owner, 'alice');
      assert.equal(found?.state, 'started');
      assert.equal(found?.estimateUsd, 0.4);
      assert.equal(found?.video?.prompt, 'a paper boat');
      assert.deepEqual(
        (await h.registry.list('alice', { limit: 10, order: 'desc' })).jobs.map((job) => job.videoId),
        ['video_a'],
      );
      assert.deepEqual((await h.registry.list('bob', { limit: 10, order: 'desc' })).jobs, []);
    });

    it('refuses a reservation over the owner’s budget or the team’s, saying which and what was spent', async () => {
      const budgets = { ownerUsd: 1, teamUsd: 1.5, since: DAY };
      const first = await h.registry.reserve(request('alice', 0.8, { budgets }));
      assert.equal(first.kind, 'reserved');
      assert.deepEqual(first.kind === 'reserved' && first.spent, { ownerUsd: 0.8, teamUsd: 0.8 }, 'what is spent, this one included');
      assert.deepEqual(await h.registry.reserve(request('alice', 0.4, { budgets })), {
        kind: 'over_budget',
        scope: 'owner',
        spentUsd: 0.8,
        limitUsd: 1,
      });
      assert.equal((await h.registry.reserve(request('bob', 0.6, { budgets }))).kind, 'reserved');
      assert.deepEqual(await h.registry.reserve(request('carol', 0.2, { budgets })), {
        kind: 'over_budget',
        scope: 'team',
        spentUsd: 1.4,
        limitUsd: 1.5,
      });
      assert.equal(
        (await h.registry.reserve(request('carol', 0.1, { budgets }))).kind,
        'reserved',
        'an estimate that exactly fills it fits',
      );
    });

    it('never lets concurrent reservations pass a budget together', async () => {
      const budgets = { teamUsd: 2, since: DAY };
      const handles = [h.registry, h.other ?? h.registry];
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, index) => handles[index % 2]!.reserve(request(`user${index}`, 0.4, { budgets }))),
      );
      assert.equal(outcomes.filter((outcome) => outcome.kind === 'reserved').length, 5);
      assert.ok((await h.registry.spent('user0', DAY)).teamUsd <= 2 + 1e-9);
    });

    it('gives a released reservation back, and counts a reported cost instead of the estimate', async () => {
      const budgets = { ownerUsd: 1, since: DAY };
      const first = await h.registry.reserve(request('alice', 1, { budgets }));
      assert.equal(first.kind, 'reserved');
      if (first.kind !== 'reserved') return;
      await h.registry.release(first.entry);
      const second = await h.registry.reserve(request('alice', 1, { budgets }));
      assert.equal(second.kind, 'reserved', 'the released dollar is free again');
      if (second.kind !== 'reserved') return;
      await h.registry.started(second.entry, video('video_b'));
      await h.registry.release(second.entry);
      assert.equal((await h.registry.spent('alice', DAY)).ownerUsd, 1, 'a started job is never released');
      await h.registry.update('video_b', { costUsd: 0.25 });
      assert.equal((await h.registry.spent('alice', DAY)).ownerUsd, 0.25);
      assert.equal((await h.registry.spent('alice', Date.parse('2026-12-08T00:00:00Z'))).ownerUsd, 0, 'another period starts empty');
    });

    it('gives the job an idempotency key names to every repeat, once, and refuses the key with other arguments', async () => {
      const idempotency = { key: 'k-1', request: '{"prompt":"boat"}' };
      const outcomes = await Promise.all(
        Array.from({ length: 4 }, (_, index) =>
          (index % 2 ? (h.other ?? h.registry) : h.registry).reserve(request('alice', 0.4, { idempotency })),
        ),
      );
      const reserved = outcomes.filter((outcome) => outcome.kind === 'reserved');
      assert.equal(reserved.length, 1, 'one reservation for four calls with one key');
      const entry = (reserved[0] as { entry: string }).entry;
      for (const outcome of outcomes.filter((item) => item.kind !== 'reserved')) {
        assert.deepEqual(outcome, { kind: 'existing', entry, videoId: undefined });
      }
      await h.registry.started(entry, video('video_k'));
      assert.deepEqual(await h.registry.reserve(request('alice', 0.4, { idempotency })), { kind: 'existing', entry, videoId: 'video_k' });
      assert.deepEqual(await h.registry.reserve(request('alice', 0.4, { idempotency: { ...idempotency, request: '{"prompt":"ship"}' } })), {
        kind: 'conflict',
      });
      assert.equal((await h.registry.reserve(request('bob', 0.4, { idempotency }))).kind, 'reserved', 'keys are per user');
      assert.equal((await h.registry.spent('alice', DAY)).ownerUsd, 0.4, 'reserved once');
      assert.equal((await h.registry.findByKey('alice', 'k-1'))?.videoId, 'video_k', 'the job the key names');
      assert.equal(await h.registry.findByKey('bob', 'k-1'), undefined, 'reserved, not started');
      assert.equal(await h.registry.findByKey('alice', 'k-2'), undefined);
    });

    it('records the last state and the saved files of a job, and says whose files they are', async () => {
      const reserved = await h.registry.reserve(request('alice', 0.4));
      if (reserved.kind !== 'reserved') throw new Error('not reserved');
      await h.registry.started(reserved.entry, video('video_f'));
      await h.registry.update('video_f', { video: video('video_f', 'completed'), files: ['file:///v/a.mp4'] });
      await h.registry.update('video_f', { files: ['file:///v/a.mp4', 'file:///v/a.webp'] });
      const found = await h.registry.find('video_f');
      assert.equal(found?.video?.status, 'completed');
      assert.deepEqual(found?.files.sort(), ['file:///v/a.mp4', 'file:///v/a.webp']);
      assert.deepEqual((await h.registry.filesOf('alice')).sort(), ['file:///v/a.mp4', 'file:///v/a.webp']);
      assert.deepEqual(await h.registry.filesOf('bob'), []);
    });

    it('pages an owner’s jobs in either order after a given id', async () => {
      for (const id of ['v1', 'v2', 'v3']) {
        const reserved = await h.registry.reserve(request('alice', 0.1));
        if (reserved.kind !== 'reserved') throw new Error('not reserved');
        await h.registry.started(reserved.entry, video(id));
      }
      const first = await h.registry.list('alice', { limit: 2, order: 'desc' });
      assert.deepEqual(
        first.jobs.map((job) => job.videoId),
        ['v3', 'v2'],
      );
      assert.equal(first.hasMore, true);
      const next = await h.registry.list('alice', { limit: 2, order: 'desc', after: 'v2' });
      assert.deepEqual(
        next.jobs.map((job) => job.videoId),
        ['v1'],
      );
      assert.equal(next.hasMore, false);
      assert.deepEqual(
        (await h.registry.list('alice', { limit: 5, order: 'asc', after: 'v1' })).jobs.map((job) => job.videoId),
        ['v2', 'v3'],
      );
      assert.deepEqual((await h.registry.list('bob', { limit: 5, order: 'asc', after: 'v1' })).jobs, [], "another's id starts nothing");
    });

    it('keeps a sequence under a new id, replaces it whole when saved again, and finds it by id', async () => {
      const sequence = {
        owner: 'alice',
        continuity: 'last_frame' as const,
        status: 'running' as const,
        shots: [
          { request: { prompt: 'one', providerOptions: { nested: { deep: [1, 2] } } }, attempt: 1, estimateUsd: 0.4 },
          { request: { prompt: 'two' }, attempt: 1, estimateUsd: null },
        ],
        createdAt: DAY,
      };
      const id = await h.registry.saveSequence(sequence);
      const other = await h.registry.saveSequence({ ...sequence, owner: 'bob' });
      assert.notEqual(id, other, 'each sequence gets its own id');
      assert.deepEqual(await h.registry.findSequence(id), { ...sequence, id });
      const later = {
        ...sequence,
        id,
        status: 'failed' as const,
        shots: [{ ...sequence.shots[0]!, videoId: 'video_s1', status: 'completed' }],
      };
      assert.equal(await h.registry.saveSequence(later), id);
      assert.deepEqual(await h.registry.findSequence(id), later);
      assert.equal((await h.registry.findSequence(other))?.owner, 'bob');
      assert.equal(await h.registry.findSequence('seq_none'), undefined);
    });

    it('names a sequence by its owner’s idempotency key: saving it again under the key finds the first', async () => {
      const sequence = { owner: 'alice', key: 'k-1', continuity: 'none' as const, status: 'running' as const, shots: [], createdAt: DAY };
      const id = await h.registry.saveSequence(sequence);
      assert.equal(await h.registry.saveSequence({ ...sequence }), id, 'the same key from the same owner is the same sequence');
      assert.equal((await h.registry.findSequenceByKey('alice', 'k-1'))?.id, id);
      const bobs = await h.registry.saveSequence({ ...sequence, owner: 'bob' });
      assert.notEqual(bobs, id, 'keys are per user');
      assert.equal(await h.registry.findSequenceByKey('alice', 'k-2'), undefined);
    });
  });
}

import assert from 'node:assert/strict';
import { OPTIONAL_OPERATIONS, profileOf, type CreateVideoParams, type OptionalOperation, type VideoProvider } from '../domain/ports';
import type { Video } from '../domain/video';
import { freshForEachCase, skipped, type TestBody, type TestRunner } from './test-runner';

export interface ProviderHarness {
  provider: VideoProvider;
  /** Lets time pass for the provider (a fake clock tick, or nothing for a poll-driven fake). */
  tick(): Promise<void>;
  /** How many requests the provider's far side has received, when the harness can tell (for "nothing was sent"). */
  requestsSent?(): number;
  close(): Promise<void>;
}

export interface ContractOptions {
  /** Live providers cost money: run only the one-job lifecycle (one short job, deleted afterwards). */
  singleJob?: boolean;
  /**
   * What the provider does not offer: what its profile lacks (OpenRouter: no remix, list or delete),
   * and what a gateway lacks although its dialect has the route (LiteLLM: no delete; Bifrost's Runway:
   * no list or remix). A case for what is not offered is reported as skipped.
   */
  offers?: { list?: boolean; remix?: boolean; delete?: boolean; cancel?: boolean; imageVariants?: boolean };
  /**
   * Operations the profile offers that this gateway's upstream lacks (LiteLLM's missing delete route), each with why:
   * any other operation the profile offers must run here, success path included.
   */
  gatewayLacks?: Partial<Record<OptionalOperation, string>>;
  /** Extra create parameters the provider's model needs (a model id, a reference image, its durations). */
  createParams?: Partial<CreateVideoParams>;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: { code?: unknown; retryable?: unknown }) => {
    assert.equal(error.code, code);
    return true;
  });
}

/**
 * What every VideoProvider must do, written once and run against each adapter (the OpenAI adapter
 * over a spec-speaking loopback server and the gateway dialects, the simulator, the in-memory fake,
 * a live provider when explicitly enabled), under jest or `node:test`.
 */
export function videoProviderContract(
  runner: TestRunner,
  name: string,
  makeHarness: () => Promise<ProviderHarness>,
  options: ContractOptions = {},
): void {
  const { describe, it } = runner;
  const offers = { list: true, remix: true, delete: true, cancel: false, imageVariants: true, ...options.offers };
  const when = (offered: boolean) => (title: string, body: TestBody) =>
    offered && !options.singleJob ? it(title, body) : skipped(runner, title, body);
  const params = (base: CreateVideoParams): CreateVideoParams => ({ ...base, ...options.createParams });
  describe(`VideoProvider contract: ${name}`, () => {
    let harness!: ProviderHarness;
    freshForEachCase(runner, makeHarness, (made) => (harness = made));

    /** Follows a job as the server does: always by the id the create returned, with the provider's last answer. */
    async function untilDone(video: Video): Promise<Video> {
      const held = video.id;
      let current = video;
      for (let i = 0; i < 400 && current.status !== 'completed' && current.status !== 'failed'; i += 1) {
        await harness.tick();
        current = { ...(await harness.provider.retrieve({ id: held, last: current })), id: held };
      }
      return current;
    }

    it('runs one job through its whole life: create, follow, download, list, delete', async () => {
      const request = params({ prompt: 'A paper boat on a calm pond, morning light.', seconds: '4', size: '720x1280' });
      const created = await harness.provider.create(request);
      assert.equal(created.object, 'video');
      if (request.size !== undefined) assert.equal(created.size, request.size);
      assert.equal(created.seconds, request.seconds);
      // Whatever words the provider uses, a followed job is always in the spec's vocabulary.
      assert.ok(['queued', 'in_progress', 'completed', 'failed'].includes(created.status), `status ${created.status}`);
      try {
        const done = await untilDone(created);
        assert.equal(done.status, 'completed');
        const asset = await harness.provider.downloadContent({ id: done.id, last: done }, offers.imageVariants ? 'thumbnail' : 'video');
        assert.match(asset.contentType, offers.imageVariants ? /^image\// : /^video\//);
        assert.ok((await collect(asset.body)).length > 0, 'the asset has bytes');
        if (offers.list) {
          const page = await harness.provider.list({ limit: 20, order: 'desc' });
          assert.ok(
            page.data.some((video) => video.id === done.id),
            'the list holds the job',
          );
        }
      } finally {
        if (offers.delete) {
          const deleted = await harness.provider.delete({ id: created.id });
          assert.equal(deleted.id, created.id);
          assert.equal(deleted.deleted, true);
        }
      }
      if (offers.delete) await rejectsWithCode(harness.provider.retrieve({ id: created.id }), 'not_found');
    });

    when(true)('creates a job with the requested settings and follows it to completion', async () => {
      const request = params({ prompt: 'a red kite over a beach', seconds: '4', size: '1280x720', model: 'sora-2' });
      const created = await harness.provider.create(request);
      assert.equal(typeof created.id, 'string');
      assert.ok(['queued', 'in_progress'].includes(created.status), `status ${created.status}`);
      assert.equal(created.object, 'video');
      if (request.size !== undefined) assert.equal(created.size, request.size);
      assert.equal(created.seconds, request.seconds);
      // The model as asked for, or as the gateway names the route it took (`google-vertex/veo-…`).
      assert.ok(created.model === request.model || created.model.endsWith(`/${request.model}`), `model ${created.model}`);
      const done = await untilDone(created);
      assert.equal(done.status, 'completed');
      assert.equal(done.progress, 100);
      assert.equal(typeof done.completed_at, 'number');
    });

    when(offers.imageVariants)('downloads all three variants with their content types', async () => {
      const done = await untilDone(await harness.provider.create({ prompt: 'variants', size: '720x1280', seconds: '4' }));
      const expected = { video: 'video/mp4', thumbnail: 'image/webp', spritesheet: 'image/jpeg' } as const;
      for (const variant of ['video', 'thumbnail', 'spritesheet'] as const) {
        const content = await harness.provider.downloadContent({ id: done.id, last: done }, variant);
        assert.equal(content.contentType.split(';')[0], expected[variant]);
        const bytes = await collect(content.body);
        assert.ok(bytes.length > 0, `the ${variant} has bytes`);
        if (content.contentLength !== undefined) assert.equal(bytes.length, content.contentLength);
      }
    });

    when(offers.remix)('remixes a completed video', async () => {
      const source = await untilDone(await harness.provider.create(params({ prompt: 'original', seconds: '4' })));
      const remix = await harness.provider.remix({ id: source.id, last: source }, { prompt: 'same shot at dusk' });
      assert.notEqual(remix.id, source.id);
      assert.equal(remix.remixed_from_video_id, source.id);
      assert.equal((await untilDone(remix)).status, 'completed');
    });

    when(offers.list)('lists with cursor pagination in both orders', async () => {
      const ids: string[] = [];
      for (const prompt of ['one', 'two', 'three']) ids.push((await harness.provider.create({ prompt })).id);
      const first = await harness.provider.list({ limit: 2, order: 'asc' });
      assert.equal(first.object, 'list');
      assert.equal(first.data.length, 2);
      assert.equal(first.has_more, true);
      const second = await harness.provider.list({ limit: 2, order: 'asc', after: first.last_id! });
      const seen = [...first.data, ...second.data].map((video) => video.id);
      for (const id of ids) assert.ok(seen.includes(id), `${id} is listed`);
      assert.equal(new Set(seen).size, seen.length);
      const newest = await harness.provider.list({ limit: 1, order: 'desc' });
      assert.equal(newest.data[0]!.id, ids[2]);
      assert.equal(newest.first_id, ids[2]);
    });

    when(offers.delete)('deletes a job, after which it is not found', async () => {
      const done = await untilDone(await harness.provider.create(params({ prompt: 'to delete' })));
      const deleted = await harness.provider.delete({ id: done.id });
      assert.deepEqual(
        { id: deleted.id, deleted: deleted.deleted, object: deleted.object },
        { id: done.id, deleted: true, object: 'video.deleted' },
      );
      await rejectsWithCode(harness.provider.retrieve({ id: done.id }), 'not_found');
    });

    when(offers.cancel)('cancels a queued job: it ends failed, having made nothing', async () => {
      const created = await harness.provider.create(params({ prompt: 'to cancel' }));
      const outcome = await harness.provider.cancel!({ id: created.id, last: created });
      assert.equal(outcome.id, created.id);
      assert.equal(outcome.outcome, 'cancelled');
      const after = await untilDone(created);
      assert.equal(after.status, 'failed');
      await assert.rejects(harness.provider.downloadContent({ id: after.id, last: after }, 'video'));
    });

    it('refuses what its profile says it does not offer, without sending anything', async () => {
      const profile = profileOf(harness.provider);
      // The options may lack more than the profile does (a gateway's missing route, with its reason), never less.
      for (const operation of OPTIONAL_OPERATIONS) {
        if (!profile.operations.includes(operation)) assert.equal(offers[operation], false, `${operation} is not offered`);
        else if (!options.singleJob)
          assert.ok(offers[operation] || options.gatewayLacks?.[operation], `${operation} is offered, so its success path runs here`);
      }
      // What the profile offers, the provider implements (asserted for every subject, whatever it lacks).
      for (const operation of profile.operations) {
        assert.equal(typeof harness.provider[operation], 'function', `${operation} is offered, so the provider implements it`);
      }
      const before = harness.requestsSent?.();
      const missing: Promise<unknown>[] = [];
      if (!profile.operations.includes('remix')) missing.push(harness.provider.remix({ id: 'video_x' }, { prompt: 'p' }));
      if (!profile.operations.includes('list')) missing.push(harness.provider.list({ limit: 1 }));
      if (!profile.operations.includes('delete')) missing.push(harness.provider.delete({ id: 'video_x' }));
      if (!profile.operations.includes('cancel') && harness.provider.cancel) missing.push(harness.provider.cancel({ id: 'video_x' }));
      for (const variant of ['thumbnail', 'spritesheet'] as const) {
        if (!profile.variants.includes(variant)) missing.push(harness.provider.downloadContent({ id: 'video_x' }, variant));
      }
      for (const call of missing) {
        await assert.rejects(call, (error: { code?: unknown }) => {
          assert.ok(error.code === 'not_offered' || error.code === 'variant_unavailable', `code ${String(error.code)}`);
          return true;
        });
      }
      if (before !== undefined) assert.equal(harness.requestsSent?.(), before, 'nothing was sent');
    });

    it('reports an unknown video as not_found, not retryable', async () => {
      await assert.rejects(harness.provider.retrieve({ id: 'video_does_not_exist' }), (error: { code?: unknown; retryable?: unknown }) => {
        assert.equal(error.code, 'not_found');
        assert.equal(error.retryable, false);
        return true;
      });
    });
  });
}

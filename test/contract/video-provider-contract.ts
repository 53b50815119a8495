import { isDomainError } from '../../src/domain/errors';
import type { CreateVideoParams, VideoProvider } from '../../src/domain/ports';
import type { Video } from '../../src/domain/video';

export interface ProviderHarness {
  provider: VideoProvider;
  /** Lets time pass for the provider (a fake clock tick, or nothing for a poll-driven fake). */
  tick(): Promise<void>;
  close(): Promise<void>;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export interface ContractOptions {
  /** Live providers cost money: run only the one-job lifecycle (one short job, deleted afterwards). */
  singleJob?: boolean;
  /** How long one case may take (a live render takes minutes). */
  timeoutMs?: number;
  /** What a gateway does not offer (LLM Gateway: no list, remix or delete; Bifrost's Runway: no list or remix). */
  offers?: { list?: boolean; remix?: boolean; delete?: boolean; imageVariants?: boolean };
  /** Extra create parameters the provider's model needs (a model id, a reference image, its durations). */
  createParams?: Partial<CreateVideoParams>;
}

/**
 * What every VideoProvider must do, written once and run against each adapter (the OpenAI adapter
 * over a spec-speaking loopback server, the simulator, and a live provider when explicitly enabled).
 */
export function videoProviderContract(name: string, makeHarness: () => Promise<ProviderHarness>, options: ContractOptions = {}): void {
  const many = options.singleJob ? it.skip : it;
  const offers = { list: true, remix: true, delete: true, imageVariants: true, ...options.offers };
  const when = (offered: boolean) => (offered ? many : it.skip);
  const params = (base: CreateVideoParams): CreateVideoParams => ({ ...base, ...options.createParams });
  describe(`VideoProvider contract: ${name}`, () => {
    if (options.timeoutMs) jest.setTimeout(options.timeoutMs);
    let harness: ProviderHarness;
    beforeEach(async () => {
      harness = await makeHarness();
    });
    afterEach(async () => {
      await harness.close();
    });

    async function untilDone(video: Video): Promise<Video> {
      let current = video;
      for (let i = 0; i < 400 && current.status !== 'completed' && current.status !== 'failed'; i += 1) {
        await harness.tick();
        current = await harness.provider.retrieve(current.id);
      }
      return current;
    }

    it('runs one job through its whole life: create, follow, download, list, delete', async () => {
      const request = params({ prompt: 'A paper boat on a calm pond, morning light.', seconds: '4', size: '720x1280' });
      const created = await harness.provider.create(request);
      expect(created).toMatchObject({ object: 'video', size: request.size, seconds: request.seconds });
      // Whatever words the provider uses, a followed job is always in the spec's vocabulary.
      expect(['queued', 'in_progress', 'completed', 'failed']).toContain(created.status);
      try {
        const done = await untilDone(created);
        expect(done.status).toBe('completed');
        const asset = await harness.provider.downloadContent(done.id, offers.imageVariants ? 'thumbnail' : 'video');
        expect(asset.contentType).toMatch(offers.imageVariants ? /^image\// : /^video\//);
        expect((await collect(asset.body)).length).toBeGreaterThan(0);
        if (offers.list) {
          const page = await harness.provider.list({ limit: 20, order: 'desc' });
          expect(page.data.map((video) => video.id)).toContain(done.id);
        }
      } finally {
        if (offers.delete) {
          const deleted = await harness.provider.delete(created.id);
          expect(deleted).toMatchObject({ id: created.id, deleted: true });
        }
      }
      if (offers.delete) await expect(harness.provider.retrieve(created.id)).rejects.toMatchObject({ code: 'not_found' });
    });

    many('creates a job with the requested settings and follows it to completion', async () => {
      const request = params({ prompt: 'a red kite over a beach', seconds: '4', size: '1280x720', model: 'sora-2' });
      const created = await harness.provider.create(request);
      expect(created.id).toEqual(expect.any(String));
      expect(['queued', 'in_progress']).toContain(created.status);
      expect(created).toMatchObject({ object: 'video', size: request.size, seconds: request.seconds, model: request.model });
      const done = await untilDone(created);
      expect(done.status).toBe('completed');
      expect(done.progress).toBe(100);
      expect(done.completed_at).toEqual(expect.any(Number));
    });

    when(offers.imageVariants)('downloads all three variants with their content types', async () => {
      const done = await untilDone(await harness.provider.create({ prompt: 'variants', size: '720x1280', seconds: '4' }));
      const expected = { video: 'video/mp4', thumbnail: 'image/webp', spritesheet: 'image/jpeg' } as const;
      for (const variant of ['video', 'thumbnail', 'spritesheet'] as const) {
        const content = await harness.provider.downloadContent(done.id, variant);
        expect(content.contentType.split(';')[0]).toBe(expected[variant]);
        const bytes = await collect(content.body);
        expect(bytes.length).toBeGreaterThan(0);
        if (content.contentLength !== undefined) expect(bytes.length).toBe(content.contentLength);
      }
    });

    when(offers.remix)('remixes a completed video', async () => {
      const source = await untilDone(await harness.provider.create(params({ prompt: 'original', seconds: '4' })));
      const remix = await harness.provider.remix(source.id, 'same shot at dusk');
      expect(remix.id).not.toBe(source.id);
      expect(remix.remixed_from_video_id).toBe(source.id);
      expect((await untilDone(remix)).status).toBe('completed');
    });

    when(offers.list)('lists with cursor pagination in both orders', async () => {
      const ids: string[] = [];
      for (const prompt of ['one', 'two', 'three']) ids.push((await harness.provider.create({ prompt })).id);
      const first = await harness.provider.list({ limit: 2, order: 'asc' });
      expect(first.object).toBe('list');
      expect(first.data).toHaveLength(2);
      expect(first.has_more).toBe(true);
      const second = await harness.provider.list({ limit: 2, order: 'asc', after: first.last_id! });
      const seen = [...first.data, ...second.data].map((video) => video.id);
      for (const id of ids) expect(seen).toContain(id);
      expect(new Set(seen).size).toBe(seen.length);
      const newest = await harness.provider.list({ limit: 1, order: 'desc' });
      expect(newest.data[0]!.id).toBe(ids[2]);
      expect(newest.first_id).toBe(ids[2]);
    });

    when(offers.delete)('deletes a job, after which it is not found', async () => {
      const done = await untilDone(await harness.provider.create(params({ prompt: 'to delete' })));
      const deleted = await harness.provider.delete(done.id);
      expect(deleted).toMatchObject({ id: done.id, deleted: true, object: 'video.deleted' });
      await expect(harness.provider.retrieve(done.id)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('reports an unknown video as not_found', async () => {
      const error = await harness.provider.retrieve('video_does_not_exist').catch((e: unknown) => e);
      expect(isDomainError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'not_found', retryable: false });
    });
  });
}

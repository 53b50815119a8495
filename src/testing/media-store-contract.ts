import assert from 'node:assert/strict';
import type { MediaContent, MediaStore } from '../domain/ports';
import type { TestRunner } from './test-runner';

export interface MediaStoreHarness {
  store: MediaStore;
  close(): Promise<void>;
}

async function* chunks(...parts: (string | Error)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    if (part instanceof Error) throw part;
    yield new TextEncoder().encode(part);
  }
}

function body(contentType: string, ...parts: (string | Error)[]): MediaContent {
  return { contentType, body: chunks(...parts) };
}

async function text(store: MediaStore, uri: string, range?: { offset: number; length: number }): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const part of await store.open(uri, range)) parts.push(part);
  return Buffer.concat(parts).toString('utf8');
}

async function rejectsWith(promise: Promise<unknown>, expected: Record<string, unknown>): Promise<void> {
  await assert.rejects(promise, (error: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(expected)) assert.equal(error[key], value, `error.${key}`);
    return true;
  });
}

/**
 * What every MediaStore must do, asserted only through the port, so any backend (files, a bucket,
 * memory, yours) can run it: `mediaStoreContract({ describe, it, beforeEach, afterEach }, 'mine', make)`
 * under jest or `node:test`. Each case gets a fresh, empty store from `makeHarness`.
 */
export function mediaStoreContract(runner: TestRunner, name: string, makeHarness: () => Promise<MediaStoreHarness>): void {
  const { describe, it, beforeEach, afterEach } = runner;
  describe(`MediaStore contract: ${name}`, () => {
    let h: MediaStoreHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h.close();
    });

    it('streams a body to the default name with the extension of its content type, and finds and opens it by uri', async () => {
      const base = await h.store.reserve(undefined, 'video_123');
      const saved = await h.store.write(base, { contentType: 'video/mp4', contentLength: 6, body: chunks('abc', 'def') });
      assert.deepEqual(
        { name: saved.name, mimeType: saved.mimeType, sizeBytes: saved.sizeBytes },
        { name: 'video_123.mp4', mimeType: 'video/mp4', sizeBytes: 6 },
      );
      assert.match(saved.uri, /^[a-z][a-z0-9+.-]*:\/\//);
      assert.equal(await h.store.exists('video_123.mp4'), true);
      const found = await h.store.find(saved.uri);
      assert.deepEqual(found && { name: found.name, mimeType: found.mimeType, sizeBytes: found.sizeBytes, location: found.location }, {
        name: 'video_123.mp4',
        mimeType: 'video/mp4',
        sizeBytes: 6,
        location: saved.location,
      });
      assert.equal(await text(h.store, saved.uri), 'abcdef');
    });

    it('opens a byte range of an item', async () => {
      const saved = await h.store.write(await h.store.reserve('ranged', 'x'), body('video/mp4', '0123456789'));
      assert.equal(await text(h.store, saved.uri, { offset: 2, length: 5 }), '23456');
      assert.equal(await text(h.store, saved.uri, { offset: 8, length: 100 }), '89');
    });

    it('puts relative names in their folder, replaces a known extension, and puts the default name in a folder', async () => {
      const saved = await h.store.write(await h.store.reserve('clips/take1.mp4', 'ignored'), body('image/webp', 'webp'));
      assert.equal(saved.name, 'take1.webp');
      assert.equal(await h.store.exists('clips/take1.webp'), true);
      assert.equal(await h.store.exists('clips/take1.mp4'), false);
      const inFolder = await h.store.write(await h.store.reserve('clips/', 'video_9'), body('video/mp4', 'v'));
      assert.equal(inFolder.name, 'video_9.mp4');
      assert.equal(await h.store.exists('clips/video_9.mp4'), true);
    });

    it('leaves nothing when the body breaks off', async () => {
      const base = await h.store.reserve('broken', 'x');
      await rejectsWith(h.store.write(base, body('video/mp4', 'abc', new Error('socket hang up'))), { code: 'download_failed' });
      assert.equal(await h.store.exists('broken.mp4'), false);
    });

    it('leaves nothing when fewer bytes arrive than announced, and says it may be retried', async () => {
      const base = await h.store.reserve('short', 'x');
      await rejectsWith(h.store.write(base, { contentType: 'video/mp4', contentLength: 10, body: chunks('abc') }), {
        code: 'download_failed',
        retryable: true,
      });
      assert.equal(await h.store.exists('short.mp4'), false);
    });

    it('keeps an existing good item when a replacing write fails', async () => {
      const first = await h.store.write(await h.store.reserve('keep', 'x'), body('video/mp4', 'good'));
      const again = await h.store.reserve('keep', 'x', [''], { collision: 'replace' });
      await rejectsWith(h.store.write(again, body('video/mp4', 'ba', new Error('reset')), { collision: 'replace' }), {
        code: 'download_failed',
      });
      assert.equal(await text(h.store, first.uri), 'good');
    });

    it('stops when cancelled and leaves nothing', async () => {
      const base = await h.store.reserve('cancelled', 'x');
      const controller = new AbortController();
      async function* aborting(): AsyncGenerator<Uint8Array> {
        yield new TextEncoder().encode('first');
        controller.abort();
        yield new TextEncoder().encode('second');
      }
      await rejectsWith(h.store.write(base, { contentType: 'video/mp4', body: aborting() }, { signal: controller.signal }), {
        code: 'cancelled',
      });
      assert.equal(await h.store.exists('cancelled.mp4'), false);
    });

    it('never clobbers: a taken name is refused before and at the write, a free one is chosen, or it is replaced on request', async () => {
      const base = await h.store.reserve('mine', 'x');
      const precious = await h.store.write(base, body('video/mp4', 'precious'));
      await rejectsWith(h.store.reserve('mine', 'x'), { code: 'file_exists', field: 'file' });
      // The name can be taken between the check and the write (another writer): the write refuses too.
      await rejectsWith(h.store.write(base, body('video/mp4', 'new')), { code: 'file_exists' });
      assert.equal(await text(h.store, precious.uri), 'precious');
      const free = await h.store.reserve(undefined, 'mine', [''], { collision: 'next-free' });
      const second = await h.store.write(free, body('video/mp4', 'second'), { collision: 'next-free' });
      const third = await h.store.write(free, body('video/mp4', 'third'), { collision: 'next-free' });
      assert.deepEqual([second.name, third.name], ['mine-2.mp4', 'mine-3.mp4']);
      assert.equal(await text(h.store, precious.uri), 'precious');
      const replace = await h.store.reserve('mine', 'x', [''], { collision: 'replace' });
      const replaced = await h.store.write(replace, body('video/mp4', 'new'), { collision: 'replace' });
      assert.equal(await text(h.store, replaced.uri), 'new');
    });

    it('checks every name a job may write when reserving', async () => {
      await h.store.write(await h.store.reserve('job_thumbnail', 'x'), body('image/webp', 'thumb'));
      await rejectsWith(
        h.store.reserve('job', 'x', ['_video', '_thumbnail'], {
          extensions: [
            ['.mp4', '.mov'],
            ['.webp', '.jpg', '.png'],
          ],
        }),
        { code: 'file_exists', field: 'file' },
      );
      assert.equal(await h.store.exists('job_video.mp4'), false);
    });

    it('refuses a name in a hidden folder, which resources could never list or read', async () => {
      await rejectsWith(h.store.reserve('.drafts/take1', 'x'), { code: 'invalid_input', field: 'file' });
    });

    it("refuses names outside the store's space before writing anything", async () => {
      for (const file of ['../outside', '/etc/x', 'a/../../outside']) {
        await rejectsWith(h.store.reserve(file, 'x'), { code: 'path_outside_roots', field: 'file' });
      }
    });

    it('finds nothing for a uri it never gave out, and refuses to open one', async () => {
      assert.equal(await h.store.find('https://example.com/video.mp4'), undefined);
      await rejectsWith(h.store.open('https://example.com/video.mp4'), { code: 'not_found' });
    });
  });
}

import assert from 'node:assert/strict';
import type { MediaContent, MediaStore } from '../domain/ports';
import { freshForEachCase, type TestRunner } from './test-runner';

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
 * memory, yours) can run it. A store places bytes under the names it is given and reports a clash;
 * the names themselves (extensions, suffixes, free numbers) are the application's, so a new store
 * writes no naming code. Run it with `mediaStoreContract({ describe, it, beforeEach, afterEach }, 'mine', make)`
 * under jest or `node:test`. Each case gets a fresh, empty store from `makeHarness`.
 */
export function mediaStoreContract(runner: TestRunner, name: string, makeHarness: () => Promise<MediaStoreHarness>): void {
  const { describe, it } = runner;
  describe(`MediaStore contract: ${name}`, () => {
    let h!: MediaStoreHarness;
    freshForEachCase(runner, makeHarness, (made) => (h = made));

    it('stores a body under exactly the name it is given, and finds and opens it by uri', async () => {
      assert.equal(await h.store.inspect('video_123.mp4'), 'free');
      const saved = await h.store.write(['video_123.mp4'], { contentType: 'video/mp4', contentLength: 6, body: chunks('abc', 'def') });
      assert.deepEqual(
        { name: saved.name, mimeType: saved.mimeType, sizeBytes: saved.sizeBytes },
        { name: 'video_123.mp4', mimeType: 'video/mp4', sizeBytes: 6 },
      );
      assert.match(saved.uri, /^[a-z][a-z0-9+.-]*:\/\//);
      assert.equal(await h.store.inspect('video_123.mp4'), 'taken');
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
      const saved = await h.store.write(['ranged.mp4'], body('video/mp4', '0123456789'));
      assert.equal(await text(h.store, saved.uri, { offset: 2, length: 5 }), '23456');
      assert.equal(await text(h.store, saved.uri, { offset: 8, length: 100 }), '89');
    });

    it('makes no name up: no extension, suffix or counter of its own; a folder in the name holds the item, and is a folder', async () => {
      const saved = await h.store.write(['clips/take1.webp'], body('image/webp', 'webp'));
      assert.equal(saved.name, 'take1.webp');
      assert.equal(await h.store.inspect('clips/take1.webp'), 'taken');
      assert.equal(await h.store.inspect('clips/take1'), 'free');
      assert.equal(await h.store.inspect('clips'), 'folder');
      const bare = await h.store.write(['clips/no-extension'], body('video/mp4', 'v'));
      assert.equal(bare.name, 'no-extension');
    });

    it('leaves nothing when the body breaks off', async () => {
      await rejectsWith(h.store.write(['broken.mp4'], body('video/mp4', 'abc', new Error('socket hang up'))), { code: 'download_failed' });
      assert.equal(await h.store.inspect('broken.mp4'), 'free');
    });

    it('leaves nothing when fewer bytes arrive than announced, and says it may be retried', async () => {
      await rejectsWith(h.store.write(['short.mp4'], { contentType: 'video/mp4', contentLength: 10, body: chunks('abc') }), {
        code: 'download_failed',
        retryable: true,
      });
      assert.equal(await h.store.inspect('short.mp4'), 'free');
    });

    it('keeps an existing good item when a replacing write fails', async () => {
      const first = await h.store.write(['keep.mp4'], body('video/mp4', 'good'));
      await rejectsWith(h.store.write(['keep.mp4'], body('video/mp4', 'ba', new Error('reset')), { replace: true }), {
        code: 'download_failed',
      });
      assert.equal(await text(h.store, first.uri), 'good');
    });

    it('stops when cancelled and leaves nothing', async () => {
      const controller = new AbortController();
      async function* aborting(): AsyncGenerator<Uint8Array> {
        yield new TextEncoder().encode('first');
        controller.abort();
        yield new TextEncoder().encode('second');
      }
      await rejectsWith(h.store.write(['cancelled.mp4'], { contentType: 'video/mp4', body: aborting() }, { signal: controller.signal }), {
        code: 'cancelled',
      });
      assert.equal(await h.store.inspect('cancelled.mp4'), 'free');
    });

    it('never clobbers: a taken name is refused, the first free of the names given is taken, or the first is replaced on request', async () => {
      const precious = await h.store.write(['mine.mp4'], body('video/mp4', 'precious'));
      await rejectsWith(h.store.write(['mine.mp4'], body('video/mp4', 'new')), { code: 'file_exists', field: 'file' });
      assert.equal(await text(h.store, precious.uri), 'precious');
      const names = ['mine.mp4', 'mine-2.mp4', 'mine-3.mp4'];
      const second = await h.store.write(names, body('video/mp4', 'second'));
      const third = await h.store.write(names, body('video/mp4', 'third'));
      assert.deepEqual([second.name, third.name], ['mine-2.mp4', 'mine-3.mp4']);
      await rejectsWith(h.store.write(names, body('video/mp4', 'fourth')), { code: 'file_exists', field: 'file' });
      assert.equal(await text(h.store, precious.uri), 'precious');
      const replaced = await h.store.write(['mine.mp4'], body('video/mp4', 'new'), { replace: true });
      assert.equal(await text(h.store, replaced.uri), 'new');
    });

    it('refuses a name in a hidden folder, which resources could never list or read', async () => {
      await rejectsWith(h.store.inspect('.drafts/take1.mp4'), { code: 'invalid_input', field: 'file' });
      await rejectsWith(h.store.write(['.drafts/take1.mp4'], body('video/mp4', 'v')), { code: 'invalid_input', field: 'file' });
    });

    it("refuses names outside the store's space before writing anything", async () => {
      for (const file of ['../outside.mp4', '/etc/x.mp4', 'a/../../outside.mp4']) {
        await rejectsWith(h.store.inspect(file), { code: 'path_outside_roots', field: 'file' });
        await rejectsWith(h.store.write([file], body('video/mp4', 'v')), { code: 'path_outside_roots', field: 'file' });
      }
    });

    it('finds nothing for a uri it never gave out, and refuses to open one', async () => {
      assert.equal(await h.store.find('https://example.com/video.mp4'), undefined);
      await rejectsWith(h.store.open('https://example.com/video.mp4'), { code: 'not_found' });
    });
  });
}

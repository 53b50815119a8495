import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MediaStore } from '../../src/domain/ports';
import { chunks } from '../support/temp';

export interface StoreHarness {
  store: MediaStore;
  /** The first (default) root, as a real path. */
  root: string;
  close(): Promise<void>;
}

/** What every MediaStore must do; a new storage backend is one adapter plus one line running this. */
export function mediaStoreContract(name: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`MediaStore contract: ${name}`, () => {
    let h: StoreHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h.close();
    });

    it('streams content to the default name with the extension of its content type', async () => {
      const base = await h.store.resolveOutputBase(undefined, 'video_123');
      const saved = await h.store.save(base, {
        contentType: 'video/mp4',
        contentLength: 6,
        body: chunks(Buffer.from('abc'), Buffer.from('def')),
      });
      expect(saved).toMatchObject({ name: 'video_123.mp4', mimeType: 'video/mp4', sizeBytes: 6, path: path.join(h.root, 'video_123.mp4') });
      expect(await readFile(saved.path, 'utf8')).toBe('abcdef');
      expect(saved.uri).toMatch(/^(file|https?):\/\//);
    });

    it('puts relative paths under the first root and replaces a known extension', async () => {
      const base = await h.store.resolveOutputBase('clips/take1.mp4', 'ignored');
      const saved = await h.store.save(base, { contentType: 'image/webp', body: chunks(Buffer.from('webp')) });
      expect(saved.path).toBe(path.join(h.root, 'clips', 'take1.webp'));
    });

    it('leaves no file behind when the body breaks off', async () => {
      const base = await h.store.resolveOutputBase('broken', 'x');
      await expect(
        h.store.save(base, { contentType: 'video/mp4', body: chunks(Buffer.from('abc'), new Error('socket hang up')) }),
      ).rejects.toMatchObject({
        code: 'download_failed',
      });
      expect(await readdir(h.root)).toEqual([]);
    });

    it('leaves no file behind when fewer bytes arrive than announced', async () => {
      const base = await h.store.resolveOutputBase('short', 'x');
      await expect(
        h.store.save(base, { contentType: 'video/mp4', contentLength: 10, body: chunks(Buffer.from('abc')) }),
      ).rejects.toMatchObject({
        code: 'download_failed',
        retryable: true,
      });
      expect(await readdir(h.root)).toEqual([]);
    });

    it('keeps an existing good file when a re-download fails', async () => {
      const base = await h.store.resolveOutputBase('keep', 'x');
      await h.store.save(base, { contentType: 'video/mp4', body: chunks(Buffer.from('good')) });
      const again = await h.store.resolveOutputBase('keep', 'x', [''], { collision: 'replace' });
      await expect(
        h.store.save(again, { contentType: 'video/mp4', body: chunks(Buffer.from('ba'), new Error('reset')) }, { collision: 'replace' }),
      ).rejects.toMatchObject({
        code: 'download_failed',
      });
      expect(await readFile(path.join(h.root, 'keep.mp4'), 'utf8')).toBe('good');
      expect(await readdir(h.root)).toEqual(['keep.mp4']);
    });

    it('stops at once and leaves nothing when cancelled', async () => {
      const base = await h.store.resolveOutputBase('cancelled', 'x');
      const controller = new AbortController();
      async function* slow(): AsyncGenerator<Uint8Array> {
        yield Buffer.from('first');
        controller.abort();
        await new Promise((resolve) => setTimeout(resolve, 50));
        yield Buffer.from('second');
      }
      await expect(h.store.save(base, { contentType: 'video/mp4', body: slow() }, { signal: controller.signal })).rejects.toMatchObject({
        code: 'cancelled',
      });
      expect(await readdir(h.root)).toEqual([]);
    });

    it('never clobbers: a taken name is refused before anything is written, or a free one is chosen', async () => {
      const base = await h.store.resolveOutputBase('mine', 'x');
      await h.store.save(base, { contentType: 'video/mp4', body: chunks(Buffer.from('precious')) });
      await expect(h.store.resolveOutputBase('mine', 'x')).rejects.toMatchObject({ code: 'file_exists', field: 'file' });
      // The name can be taken between the check and the save (another writer): the save refuses too.
      await expect(h.store.save(base, { contentType: 'video/mp4', body: chunks(Buffer.from('new')) })).rejects.toMatchObject({
        code: 'file_exists',
      });
      expect(await readFile(path.join(h.root, 'mine.mp4'), 'utf8')).toBe('precious');
      const free = await h.store.resolveOutputBase(undefined, 'mine', [''], { collision: 'next-free' });
      const second = await h.store.save(
        free,
        { contentType: 'video/mp4', body: chunks(Buffer.from('second')) },
        { collision: 'next-free' },
      );
      const third = await h.store.save(free, { contentType: 'video/mp4', body: chunks(Buffer.from('third')) }, { collision: 'next-free' });
      expect([second.name, third.name]).toEqual(['mine-2.mp4', 'mine-3.mp4']);
      expect((await readdir(h.root)).sort()).toEqual(['mine-2.mp4', 'mine-3.mp4', 'mine.mp4']);
      const replaced = await h.store.save(
        await h.store.resolveOutputBase('mine', 'x', [''], { collision: 'replace' }),
        { contentType: 'video/mp4', body: chunks(Buffer.from('new')) },
        {
          collision: 'replace',
        },
      );
      expect(await readFile(replaced.path, 'utf8')).toBe('new');
    });

    it('refuses paths outside the roots before writing anything', async () => {
      for (const file of ['../outside', '/etc/x', 'a/../../outside']) {
        await expect(h.store.resolveOutputBase(file, 'x')).rejects.toMatchObject({ code: 'path_outside_roots', field: 'file' });
      }
    });
  });
}

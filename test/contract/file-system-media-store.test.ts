import { said, saying } from '../support/refusals';
import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { FileSystemLocalFileReader } from '../../src/adapters/filesystem/file-system-local-file-reader';
import { FileSystemMediaStore } from '../../src/adapters/filesystem/file-system-media-store';
import { OutputNames } from '../../src/application/output-names';
import type { VideoVariant } from '../../src/domain/video';
import { chunks, tempFolder } from '../support/temp';
import { mediaStoreContract } from '../../src/testing/media-store-contract';
import { jestRunner } from '../support/jest-runner';

mediaStoreContract(jestRunner, 'FileSystemMediaStore', async () => {
  const folder = tempFolder();
  const root = path.join(folder.path, 'out');
  return {
    store: new FileSystemMediaStore({ roots: [root], urlPrefixes: [] }),
    close: async () => folder.remove(),
  };
});

describe('FileSystemMediaStore confinement (real symlinks, hard links, FIFOs)', () => {
  let folder: ReturnType<typeof tempFolder>;
  let R: string;
  let O: string;
  let store: FileSystemMediaStore;
  const body = () => ({ contentType: 'video/mp4', body: chunks(Buffer.from('new bytes')) });

  beforeEach(() => {
    folder = tempFolder();
    R = path.join(folder.path, 'out');
    O = path.join(folder.path, 'elsewhere');
    mkdirSync(R);
    mkdirSync(O);
    store = new FileSystemMediaStore({ roots: [R], urlPrefixes: [] });
  });
  afterEach(() => folder.remove());

  it("refuses a sibling whose name starts with the root's name (CVE-2025-53110)", async () => {
    mkdirSync(`${R}_evil`);
    await expect(store.inspect(`${R}_evil/x.mp4`)).rejects.toMatchObject({ code: 'path_outside_roots' });
    await expect(store.write([`${R}_evil/x.mp4`], body())).rejects.toMatchObject({ code: 'path_outside_roots' });
    expect(readdirSync(`${R}_evil`)).toEqual([]);
  });

  it('refuses to write through a symlinked folder and creates nothing outside', async () => {
    symlinkSync(O, path.join(R, 'link'));
    await expect(store.inspect('link/sub/x.mp4')).rejects.toMatchObject({ code: 'path_outside_roots' });
    await expect(store.write(['link/sub/x.mp4'], body())).rejects.toMatchObject({ code: 'path_outside_roots' });
    expect(readdirSync(O)).toEqual([]);
  });

  it('never writes through an existing symlink at the target (CVE-2025-53109)', async () => {
    writeFileSync(path.join(O, 'victim'), 'precious');
    symlinkSync(path.join(O, 'victim'), path.join(R, 'x.mp4'));
    await expect(store.inspect('x.mp4')).rejects.toMatchObject({ code: 'path_outside_roots' });
    // A link there holds the name: never written through, and replaced (not followed) only when asked.
    await expect(store.write([path.join(R, 'x.mp4')], body())).rejects.toMatchObject({ code: 'file_exists' });
    expect(readFileSync(path.join(O, 'victim'), 'utf8')).toBe('precious');
  });

  it('never creates a file through a dangling symlink', async () => {
    symlinkSync(path.join(O, 'new.mp4'), path.join(R, 'n.mp4'));
    await expect(store.inspect('n.mp4')).rejects.toMatchObject({ code: 'path_outside_roots' });
    // And the write checks again by itself (the link could appear after the pre-flight check): the name is held, so refused.
    await expect(store.write([path.join(R, 'n.mp4')], body())).rejects.toMatchObject({ code: 'file_exists' });
    expect(readdirSync(O)).toEqual([]);
  });

  it('replaces a hard link instead of writing into the file it shares', async () => {
    writeFileSync(path.join(O, 'victim'), 'precious');
    linkSync(path.join(O, 'victim'), path.join(R, 'h.mp4'));
    const saved = await store.write(['h.mp4'], body(), { replace: true });
    expect(readFileSync(saved.location, 'utf8')).toBe('new bytes');
    expect(readFileSync(path.join(O, 'victim'), 'utf8')).toBe('precious');
  });

  it('leaves no byte outside the root when its folder is swapped for a link mid-write', async () => {
    mkdirSync(path.join(R, 'sub'));
    async function* swapping(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('first half ');
      // The attacker's move: the folder becomes a link to a folder outside the root.
      renameSync(path.join(R, 'sub'), path.join(R, 'moved'));
      symlinkSync(O, path.join(R, 'sub'));
      yield Buffer.from('second half');
    }
    await expect(store.write(['sub/clip.mp4'], { contentType: 'video/mp4', body: swapping() })).rejects.toMatchObject({
      code: 'path_outside_roots',
    });
    expect(readdirSync(O)).toEqual([]);
  });

  it('removes temporary files a crash left behind, and only old ones', async () => {
    const stale = path.join(R, '.clip.mp4.0b5c8e2a-1234-4abc-9def-0123456789ab.part');
    const fresh = path.join(R, '.clip.mp4.1b5c8e2a-1234-4abc-9def-0123456789ab.part');
    writeFileSync(stale, 'left by a crash');
    writeFileSync(fresh, 'a download in flight');
    utimesSync(stale, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
    await store.write(['clean.mp4'], body());
    expect(readdirSync(R).sort()).toEqual(['.clip.mp4.1b5c8e2a-1234-4abc-9def-0123456789ab.part', 'clean.mp4']);
  });

  it('refuses, with a clear error, a path that goes through a file (found by the property test)', async () => {
    writeFileSync(path.join(R, 'plain.mp4'), 'x');
    await expect(said(store.inspect('plain.mp4/inside.mp4'))).resolves.toMatch(saying('invalid_input', 'a file is in the way'));
    await expect(said(store.write([path.join(R, 'plain.mp4', 'inside.mp4')], body()))).resolves.toMatch(
      saying('invalid_input', 'a file is in the way'),
    );
  });

  describe('with the naming policy (OutputNames): the final names are checked before anything is paid for', () => {
    const names = () => new OutputNames(store, []);
    const plan = (file: string | undefined, variants: VideoVariant[] = ['video'], stem = 'id') =>
      names().plan({ file, stem, variants, overwrite: false });

    it('refuses a name whose .mp4 is a link out', async () => {
      symlinkSync(path.join(O, 'victim'), path.join(R, 'x.mp4'));
      await expect(plan('x.mp4')).rejects.toMatchObject({ code: 'path_outside_roots' });
    });

    it("refuses when a variant's file would be a folder", async () => {
      mkdirSync(path.join(R, 'clip_thumbnail.webp'));
      await expect(plan('clip')).resolves.toBeDefined();
      await expect(said(plan('clip', ['video', 'thumbnail']))).resolves.toMatch(saying('invalid_input', 'is a folder'));
    });

    it('refuses a name too long for the temporary file beside it, counting bytes', async () => {
      await expect(said(plan('n'.repeat(230)))).resolves.toMatch(saying('invalid_input', 'longer than'));
      await expect(said(plan('視'.repeat(75)))).resolves.toMatch(saying('invalid_input', 'longer than 200 bytes'));
      await expect(plan('視'.repeat(60))).resolves.toBeDefined();
    });

    it('refuses when a file stands where a folder must be created', async () => {
      writeFileSync(path.join(R, 'plain'), 'x');
      await expect(said(plan('plain/sub/x'))).resolves.toMatch(saying('invalid_input', 'a file is in the way'));
    });

    it('refuses a path with a NUL byte without crashing', async () => {
      await expect(said(plan('a\0b.mp4'))).resolves.toMatch(saying('invalid_input', 'control character U+0000'));
    });

    it('makes provider ids safe file names, in the first folder', async () => {
      const planned = await names().plan({ stem: names().stemFor('../../etc/passwd'), variants: ['video'], overwrite: false });
      const saved = await store.write(planned.namesFor('video', 'video/mp4'), body());
      expect(path.dirname(saved.location)).toBe(R);
    });

    it('saves into a folder named by file, under the default name', async () => {
      mkdirSync(path.join(R, 'clips'));
      const planned = await plan('clips', ['video'], 'video_9');
      const saved = await store.write(planned.namesFor('video', 'video/mp4'), body());
      expect(saved.location).toBe(path.join(R, 'clips', 'video_9.mp4'));
    });
  });

  it('builds resource URIs from MEDIA_GEN_MCP_URL_PREFIXES, percent-encoding the relative path', async () => {
    const second = path.join(folder.path, 'public');
    mkdirSync(second);
    const prefixed = new FileSystemMediaStore({ roots: [R, second], urlPrefixes: ['', 'https://cdn.example/media'] });
    const saved = await prefixed.write([path.join(second, 'a b', 'ü#1.mp4')], body());
    expect(saved.uri).toBe('https://cdn.example/media/a%20b/%C3%BC%231.mp4');
    const local = await prefixed.write(['plain.mp4'], body());
    expect(local.uri).toBe(`file://${path.join(R, 'plain.mp4')}`);
  });

  it('finds media by URI, but never hidden files or other types', async () => {
    writeFileSync(path.join(R, 'clip.mp4'), 'video');
    writeFileSync(path.join(R, '.env'), 'SECRET=1');
    writeFileSync(path.join(R, 'notes.txt'), 'text');
    mkdirSync(path.join(R, '.hidden'));
    writeFileSync(path.join(R, '.hidden', 'x.mp4'), 'video');
    writeFileSync(path.join(O, 'outside.png'), 'png');
    symlinkSync(path.join(O, 'outside.png'), path.join(R, 'inside-link.png'));
    expect(await store.find(`file://${R}/clip.mp4`)).toMatchObject({ mimeType: 'video/mp4', sizeBytes: 5 });
    expect(await store.find(`file://${O}/outside.png`)).toBeUndefined();
    expect(await store.find(`file://${R}/inside-link.png`)).toBeUndefined();
    for (const name of ['.env', 'notes.txt', '.hidden/x.mp4']) expect(await store.find(`file://${R}/${name}`)).toBeUndefined();
  });

  describe('reading local reference files (FileSystemLocalFileReader)', () => {
    it('reads a file under the root', async () => {
      writeFileSync(path.join(R, 'ref.png'), 'png bytes');
      expect(Buffer.from(await new FileSystemLocalFileReader([R]).read('ref.png', 100)).toString()).toBe('png bytes');
    });

    it.each(['/etc/passwd', '../elsewhere/secret', 'R/<up to />etc/hosts', '/dev/zero'])(
      'refuses %s as outside the roots, before reading',
      async (file) => {
        file = file.replace('R/<up to />', `${R}/${path.relative(R, '/')}/`);
        writeFileSync(path.join(O, 'secret'), 'secret');
        await expect(new FileSystemLocalFileReader([R]).read(file, 10 * 1024 * 1024)).rejects.toMatchObject({
          code: 'path_outside_roots',
          field: 'input_reference',
        });
      },
    );

    it('takes ~ literally (no home-folder expansion): ~/.ssh/id_rsa is a path inside the root, and absent', async () => {
      await expect(new FileSystemLocalFileReader([R]).read('~/.ssh/id_rsa', 1000)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('refuses a hard link in the root, whose other name may be outside', async () => {
      writeFileSync(path.join(O, 'secret.png'), 'SECRET');
      linkSync(path.join(O, 'secret.png'), path.join(R, 'linked.png'));
      await expect(said(new FileSystemLocalFileReader([R]).read('linked.png', 1000))).resolves.toMatch(
        saying('path_outside_roots', 'is a hard link, which may be a file from outside the allowed folders'),
      );
      expect(await store.find(`file://${R}/linked.png`)).toBeUndefined();
    });

    it('refuses a symlink in the root that points outside, before reading', async () => {
      writeFileSync(path.join(O, 'secret'), 'secret');
      symlinkSync(path.join(O, 'secret'), path.join(R, 'innocent.png'));
      await expect(new FileSystemLocalFileReader([R]).read('innocent.png', 1000)).rejects.toMatchObject({ code: 'path_outside_roots' });
    });

    it('refuses a device linked into the root, before reading', async () => {
      symlinkSync('/dev/zero', path.join(R, 'zero.png'));
      await expect(new FileSystemLocalFileReader([R]).read('zero.png', 1000)).rejects.toMatchObject({ code: 'path_outside_roots' });
    });

    it('refuses a FIFO from stat, without hanging', async () => {
      execFileSync('mkfifo', [path.join(R, 'pipe.png')]);
      await expect(new FileSystemLocalFileReader([R]).read('pipe.png', 1000)).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it('refuses a file over the size cap from stat', async () => {
      writeFileSync(path.join(R, 'big.png'), Buffer.alloc(2048));
      await expect(new FileSystemLocalFileReader([R]).read('big.png', 1024)).rejects.toMatchObject({ code: 'invalid_reference_image' });
    });
  });
});

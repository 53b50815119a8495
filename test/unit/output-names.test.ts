import { said, saying } from '../support/refusals';
import { OutputNames } from '../../src/application/output-names';
import { InMemoryMediaStore } from '../../src/testing/in-memory-media-store';

const SECRET = 'sk-names-SECRET-1234567890';

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

describe('OutputNames: the one naming policy, over a store that only places bytes', () => {
  let store: InMemoryMediaStore;
  let names: OutputNames;
  beforeEach(() => {
    store = new InMemoryMediaStore();
    names = new OutputNames(store, [SECRET]);
  });
  const put = (name: string) => store.write([name], { contentType: 'video/mp4', body: bytes('x') });
  /** The first names of a plan, never more (a generator of names may be endless). */
  const first = (iterable: Iterable<string>, count = 3) => {
    const names: string[] = [];
    for (const name of iterable) {
      if (names.length === count) break;
      names.push(name);
    }
    return names;
  };
  /**
   * Names over a store where every name is free (one that checks nothing itself), so the naming policy's own checks
   * are seen; with Windows paths by default.
   */
  const overFreeStore = (windowsPaths = true) =>
    new OutputNames(
      {
        ...store,
        inspect: async () => 'free' as const,
        write: store.write.bind(store),
        find: store.find.bind(store),
        open: store.open.bind(store),
      },
      [],
      { windowsPaths },
    );
  const windows = () => overFreeStore();

  it('names one variant after the stem, several with suffixes, each with the extension its bytes decide', async () => {
    const one = await names.plan({ stem: 'video_1', variants: ['video'], overwrite: false });
    expect(first(one.namesFor('video', 'video/mp4'), 1)).toEqual(['video_1.mp4']);
    const three = await names.plan({ stem: 'video_1', variants: ['video', 'thumbnail', 'spritesheet'], overwrite: false });
    expect(first(three.namesFor('thumbnail', 'image/webp'), 1)).toEqual(['video_1_thumbnail.webp']);
    expect(first(three.namesFor('spritesheet', 'image/jpeg'), 1)).toEqual(['video_1_spritesheet.jpg']);
    expect(first(three.namesFor('video', 'video/quicktime'), 1)).toEqual(['video_1_video.mov']);
  });

  it('moves a default name on to -2, -3… and never clobbers; a caller’s own name is one name, refused when taken', async () => {
    await put('video_1.mp4');
    const byDefault = await names.plan({ stem: 'video_1', variants: ['video'], overwrite: false });
    expect(byDefault.replace).toBe(false);
    expect(first(byDefault.namesFor('video', 'video/mp4'))).toEqual(['video_1.mp4', 'video_1-2.mp4', 'video_1-3.mp4']);
    await put('take.mov');
    // Taken in any form its bytes could give it: take.mov stands where a QuickTime take would go.
    await expect(names.plan({ file: 'take', stem: 'x', variants: ['video'], overwrite: false })).rejects.toMatchObject({
      code: 'file_exists',
      field: 'file',
    });
    const replacing = await names.plan({ file: 'take', stem: 'x', variants: ['video'], overwrite: true });
    expect(replacing.replace).toBe(true);
    expect([...replacing.namesFor('video', 'video/mp4')]).toEqual(['take.mp4']);
  });

  it('checks every name a job may write: one taken variant refuses the whole request before anything is paid for', async () => {
    await store.write(['job_thumbnail.png'], { contentType: 'image/png', body: bytes('png') });
    await expect(names.plan({ file: 'job', stem: 'x', variants: ['video', 'thumbnail'], overwrite: false })).rejects.toMatchObject({
      code: 'file_exists',
    });
  });

  it('replaces a media extension on the caller’s name, and puts the stem inside a folder the caller named', async () => {
    const renamed = await names.plan({ file: 'clips/take1.mp4', stem: 'x', variants: ['thumbnail'], overwrite: false });
    expect(first(renamed.namesFor('thumbnail', 'image/webp'), 1)).toEqual(['clips/take1.webp']);
    const slashed = await names.plan({ file: 'clips/', stem: 'video_9', variants: ['video'], overwrite: false });
    expect(first(slashed.namesFor('video', 'video/mp4'), 1)).toEqual(['clips/video_9.mp4']);
    await put('renders/old.mp4');
    const folder = await names.plan({ file: 'renders', stem: 'video_9', variants: ['video'], overwrite: false });
    expect(first(folder.namesFor('video', 'video/mp4'), 1)).toEqual(['renders/video_9.mp4']);
  });

  it('never puts a secret in a name: an id or a path part that carries one becomes a hash of itself', async () => {
    expect(names.stemFor(`video_${SECRET}`)).toMatch(/^video-[0-9a-f]{16}$/);
    expect(names.stemFor('video_plain_123')).toBe('video_plain_123');
    const plan = await names.plan({ file: `clips/${SECRET}/take`, stem: 'x', variants: ['video'], overwrite: false });
    expect(first(plan.namesFor('video', 'video/mp4'), 1)).toEqual([expect.stringMatching(/^clips\/redacted-[0-9a-f]{16}\/take\.mp4$/)]);
  });

  it.each([
    ['bad\nname', 'control character U+000A'],
    ['what?', '"?"'],
    ['a:b', '":"'],
    ['clips/.hidden', 'starts with a dot'],
  ])('refuses %j, naming the problem', async (file, words) => {
    await expect(said(names.plan({ file, stem: 'x', variants: ['video'], overwrite: false }))).resolves.toMatch(
      saying('invalid_input', words),
    );
  });

  it('takes Windows paths where the platform has them: a drive and backslashes', async () => {
    const plan = await windows().plan({ file: 'C:\\Videos\\take1', stem: 'x', variants: ['video'], overwrite: false });
    expect(first(plan.namesFor('video', 'video/mp4'), 1)).toEqual(['C:\\Videos\\take1.mp4']);
    await expect(names.plan({ file: 'C:\\Videos\\take1', stem: 'x', variants: ['video'], overwrite: false })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it.each([
    ['video', 'take.mp4'],
    ['video', 'take.mov'],
    ['thumbnail', 'take.webp'],
    ['thumbnail', 'take.jpg'],
    ['thumbnail', 'take.png'],
    ['spritesheet', 'take.webp'],
    ['spritesheet', 'take.jpg'],
    ['spritesheet', 'take.png'],
  ] as const)('refuses the caller’s name for a %s when %s stands where its bytes could go', async (variant, taken) => {
    await put(taken);
    await expect(names.plan({ file: 'take', stem: 'x', variants: [variant], overwrite: false })).rejects.toMatchObject({
      code: 'file_exists',
      details: { path: taken },
    });
  });

  it('gives the caller’s name as the one name to write (never a numbered one), and refuses it while the job has no id yet', async () => {
    const plan = await names.plan({ file: 'take', stem: 'x', variants: ['video'], overwrite: false });
    expect(plan.replace).toBe(false);
    expect([...plan.namesFor('video', 'video/mp4')]).toEqual(['take.mp4']);
    // Before the job exists (no stem), a caller's own name is known already, and checked all the same.
    const early = await names.plan({ file: 'take', variants: ['video'], overwrite: false });
    expect([...early.namesFor('video', 'video/mp4')]).toEqual(['take.mp4']);
    await put('take.mp4');
    await expect(names.plan({ file: 'take', variants: ['video'], overwrite: false })).rejects.toMatchObject({ code: 'file_exists' });
  });

  it('moves a default name on as far as -1000, and no further', async () => {
    const plan = await names.plan({ stem: 'video_1', variants: ['video'], overwrite: false });
    const all = first(plan.namesFor('video', 'video/mp4'), 1001);
    expect(all).toHaveLength(1000);
    expect(all.at(-1)).toBe('video_1-1000.mp4');
  });

  it('takes the job’s id for a default name once the job exists, hashing one that carries a secret', async () => {
    const plan = await names.plan({ variants: ['video'], overwrite: false });
    expect(() => plan.namesFor('video', 'video/mp4')).toThrow('forJob');
    expect(first(plan.forJob('video_9').namesFor('video', 'video/mp4'), 2)).toEqual(['video_9.mp4', 'video_9-2.mp4']);
    expect(first(plan.forJob(`video_${SECRET}`).namesFor('video', 'video/mp4'), 1)).toEqual([
      expect.stringMatching(/^video-[0-9a-f]{16}\.mp4$/),
    ]);
    const inFolder = await names.plan({ file: 'clips/', variants: ['video', 'thumbnail'], overwrite: false });
    expect(first(inFolder.forJob('video_9').namesFor('thumbnail', 'image/webp'), 1)).toEqual(['clips/video_9_thumbnail.webp']);
  });

  it('refuses a name that is a folder where the bytes would go, but not one where they will not', async () => {
    await put('clip.mp4/inside.mp4');
    await expect(names.plan({ file: 'clip', stem: 'x', variants: ['video'], overwrite: true })).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'file',
      details: { rule: 'name_unusable', path: 'clip.mp4', problem: 'is_folder' },
    });
    await expect(names.plan({ stem: 'clip', variants: ['video'], overwrite: false })).rejects.toMatchObject({
      details: { problem: 'is_folder' },
    });
    // A replacing call writes the first form only: a folder where a QuickTime take would go is in nobody's way.
    await put('reel.mov/inside.mp4');
    const plan = await names.plan({ file: 'reel', stem: 'x', variants: ['video'], overwrite: true });
    expect([...plan.namesFor('video', 'video/mp4')]).toEqual(['reel.mp4']);
  });

  it('refuses a hidden folder named for the default name as it refuses a hidden file', async () => {
    await expect(
      overFreeStore(false).plan({ file: 'clips/.hidden/', stem: 'x', variants: ['video'], overwrite: false }),
    ).rejects.toMatchObject({
      details: { rule: 'name_unusable', problem: 'leading_dot' },
    });
  });

  it.each(['a:b', 'C:/clips/take', 'clips/C:/take'])('refuses the colon in %j where paths have no drives', async (file) => {
    await expect(said(overFreeStore(false).plan({ file, stem: 'x', variants: ['video'], overwrite: false }))).resolves.toMatch(
      saying('invalid_input', '":"'),
    );
  });

  describe('with Windows paths', () => {
    it('takes a trailing backslash for a folder, and names inside it with the separator the folder was written with', async () => {
      const plan = await windows().plan({ file: 'C:\\Videos\\', stem: 'video_9', variants: ['video'], overwrite: false });
      expect(first(plan.namesFor('video', 'video/mp4'), 1)).toEqual(['C:\\Videos\\video_9.mp4']);
      const slashed = await windows().plan({ file: 'C:/Videos/', stem: 'video_9', variants: ['video'], overwrite: false });
      expect(first(slashed.namesFor('video', 'video/mp4'), 1)).toEqual(['C:/Videos/video_9.mp4']);
    });

    it.each(['Videos\\C:\\take', 'CD:\\take', 'C:take', 'C:\\Vid:eos\\take'])(
      'refuses the colon in %j: only a leading drive has one',
      async (file) => {
        await expect(said(windows().plan({ file, stem: 'x', variants: ['video'], overwrite: false }))).resolves.toMatch(
          saying('invalid_input', '":"'),
        );
      },
    );
  });
});

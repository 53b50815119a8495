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
  const first = (iterable: Iterable<string>, count = 3) => [...iterable].slice(0, count);

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
    const windows = new OutputNames(
      {
        ...store,
        inspect: async () => 'free' as const,
        write: store.write.bind(store),
        find: store.find.bind(store),
        open: store.open.bind(store),
      },
      [],
      { windowsPaths: true },
    );
    const plan = await windows.plan({ file: 'C:\\Videos\\take1', stem: 'x', variants: ['video'], overwrite: false });
    expect(first(plan.namesFor('video', 'video/mp4'), 1)).toEqual(['C:\\Videos\\take1.mp4']);
    await expect(names.plan({ file: 'C:\\Videos\\take1', stem: 'x', variants: ['video'], overwrite: false })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});

import { mp4, png } from '../support/sample-files';
import { refusalOf } from '../support/refusals';
import { MemoryMediaStore } from '../support/in-memory-ports';
import { OutputNames } from '../../src/application/output-names';
import { EditVideos } from '../../src/application/use-cases/edit-videos';
import { editFailed } from '../../src/domain/errors';
import type { ClipFacts, ClipSource, ExtractedFrame, FrameAt, JoinedClip, MediaContent, VideoEditor } from '../../src/domain/ports';

/*
 * The frame and join tools' core: the name is planned (and a caller's taken name refused) before the editor runs, the
 * editor's bytes are placed by the store under the naming policy's names, and a join is read back from what was written.
 * The editor is a fake that records what it was asked and gives known bytes and facts.
 */

const SOURCE: ClipFacts = { durationSeconds: 8, width: 1280, height: 720, codec: 'h264', frameRate: 24, audio: 'aac' };
const SECOND: ClipFacts = { durationSeconds: 4, width: 720, height: 1280, codec: 'hevc', frameRate: 30 };
/** What the joined file reads back as: not the sum of its sources, so the result is seen to come from the probe. */
const JOINED: ClipFacts = { durationSeconds: 12.04, width: 1280, height: 720, codec: 'h264', frameRate: 24 };

const FRAME_BYTES = png(16, 9);
const JOINED_BYTES = mp4();

/** Content whose cancellation is counted (or, `cancellable: false`, content that has no cancel). */
function content(contentType: string, bytes: Uint8Array, cancellable = true): MediaContent & { cancelled: number } {
  const made: MediaContent & { cancelled: number } = {
    contentType,
    cancelled: 0,
    body: (async function* () {
      yield bytes;
    })(),
  };
  if (cancellable) {
    made.cancel = () => {
      made.cancelled += 1;
    };
  }
  return made;
}

type EditorCall =
  | { method: 'frame'; source: ClipSource; at: FrameAt; signal: AbortSignal | undefined }
  | { method: 'join'; sources: readonly ClipSource[]; signal: AbortSignal | undefined }
  | { method: 'probe'; source: ClipSource; signal: AbortSignal | undefined };

class FakeEditor implements VideoEditor {
  readonly calls: EditorCall[] = [];
  failure: Error | undefined;
  reencoded = true;
  /** Whether the content it gives can be cancelled (a MediaContent need not be). */
  cancellable = true;
  /** Runs while the editor works (a name taken meanwhile). */
  meanwhile: (() => Promise<void>) | undefined;
  lastContent: (MediaContent & { cancelled: number }) | undefined;

  async probe(source: ClipSource, signal?: AbortSignal): Promise<ClipFacts> {
    this.calls.push({ method: 'probe', source, signal });
    return JOINED;
  }

  async frame(source: ClipSource, at: FrameAt, signal?: AbortSignal): Promise<ExtractedFrame> {
    this.calls.push({ method: 'frame', source, at, signal });
    if (this.failure) throw this.failure;
    await this.meanwhile?.();
    this.lastContent = content('image/png', FRAME_BYTES, this.cancellable);
    return { content: this.lastContent, source: SOURCE };
  }

  async join(sources: readonly ClipSource[], signal?: AbortSignal): Promise<JoinedClip> {
    this.calls.push({ method: 'join', sources, signal });
    if (this.failure) throw this.failure;
    await this.meanwhile?.();
    this.lastContent = content('video/mp4', JOINED_BYTES, this.cancellable);
    return { content: this.lastContent, reencoded: this.reencoded, sources: [SOURCE, SECOND] };
  }

  async describe(): Promise<string> {
    return 'fake editor';
  }
}

const refusal = refusalOf;

const OLD = Uint8Array.from([1, 2, 3]);

describe('EditVideos', () => {
  let store: MemoryMediaStore;
  let editor: FakeEditor;
  let edits: EditVideos;

  /** An item already in the store, as another tool left it. */
  const existing = async (name: string) => {
    await store.write([name], content(name.endsWith('.mp4') ? 'video/mp4' : 'image/png', OLD));
  };
  const bytesAt = (key: string) => (store.items.has(key) ? Buffer.from(store.items.get(key)!.bytes) : undefined);

  beforeEach(() => {
    store = new MemoryMediaStore();
    editor = new FakeEditor();
    edits = new EditVideos(editor, new OutputNames(store, []), store);
  });

  describe('frame', () => {
    it('names the frame after the source and which frame it is, beside the source, and returns the clip it came from', async () => {
      const signal = new AbortController().signal;
      const result = await edits.frame({ source: 'clips/shot.mp4', at: 'last' }, { signal });
      expect(result).toEqual({
        file: {
          uri: 'memory://sora2-mcp/clips/shot-last-frame.png',
          name: 'shot-last-frame.png',
          location: 'memory:/clips/shot-last-frame.png',
          mimeType: 'image/png',
          sizeBytes: FRAME_BYTES.length,
        },
        at: 'last',
        source: SOURCE,
      });
      expect(editor.calls).toEqual([{ method: 'frame', source: { path: 'clips/shot.mp4', field: 'source' }, at: 'last', signal }]);
      expect(bytesAt('clips/shot-last-frame.png')).toEqual(Buffer.from(FRAME_BYTES));
      expect([...store.items.keys()]).toEqual(['clips/shot-last-frame.png']);
    });

    it.each<[at: FrameAt, source: string, name: string]>([
      ['first', 'clips/shot.mp4', 'clips/shot-first-frame.png'],
      [2.5, 'clips/shot.mp4', 'clips/shot-frame-2.5s.png'],
      [0, 'shot.mp4', 'shot-frame-0s.png'],
      ['last', 'clips/Take.MOV', 'clips/Take-last-frame.png'],
      ['first', 'clips/notes.txt', 'clips/notes.txt-first-frame.png'],
    ])('names the %s frame of %s %s', async (at, source, name) => {
      const result = await edits.frame({ source, at });
      expect(result.file.location).toBe(`memory:/${name}`);
      expect(result.at).toBe(at);
    });

    it('moves a taken default name on to -2, and leaves what was there', async () => {
      await existing('clips/shot-last-frame.png');
      const result = await edits.frame({ source: 'clips/shot.mp4', at: 'last' });
      expect(result.file.location).toBe('memory:/clips/shot-last-frame-2.png');
      expect(bytesAt('clips/shot-last-frame.png')).toEqual(Buffer.from(OLD));
    });

    it('replaces a taken default name when asked to overwrite', async () => {
      await existing('clips/shot-last-frame.png');
      const result = await edits.frame({ source: 'clips/shot.mp4', at: 'last', overwrite: true });
      expect(result.file.location).toBe('memory:/clips/shot-last-frame.png');
      expect(bytesAt('clips/shot-last-frame.png')).toEqual(Buffer.from(FRAME_BYTES));
      expect(store.items.size).toBe(1);
    });

    it('uses the stem it is given for the default name, moving on from a taken one', async () => {
      expect((await edits.frame({ source: 'clips/shot.mp4', at: 'first', stem: 'scene-shot-2-first-frame' })).file.location).toBe(
        'memory:/scene-shot-2-first-frame.png',
      );
      expect((await edits.frame({ source: 'clips/shot.mp4', at: 'first', stem: 'scene-shot-2-first-frame' })).file.location).toBe(
        'memory:/scene-shot-2-first-frame-2.png',
      );
    });

    it.each([
      ['stills/hero.png', 'stills/hero.png'],
      ['stills/hero', 'stills/hero.png'],
      // The bytes decide the extension.
      ['stills/hero.jpg', 'stills/hero.png'],
    ])("writes the caller's file %s as %s", async (file, key) => {
      const result = await edits.frame({ source: 'clips/shot.mp4', at: 'first', file });
      expect(result.file.location).toBe(`memory:/${key}`);
      expect([...store.items.keys()]).toEqual([key]);
    });

    it.each([
      ['stills/hero.png', 'stills/hero.png'],
      // Any form its bytes could give it.
      ['stills/hero.webp', 'stills/hero.png'],
    ])("refuses the caller's file when %s is taken, before the editor runs", async (taken, file) => {
      await existing(taken);
      expect(await refusal(edits.frame({ source: 'clips/shot.mp4', at: 'first', file }))).toEqual({
        code: 'file_exists',
        field: 'file',
        details: { path: taken },
      });
      expect(editor.calls).toEqual([]);
      expect([...store.items.keys()]).toEqual([taken]);
    });

    it("replaces the caller's taken file when asked to overwrite", async () => {
      await existing('stills/hero.png');
      const result = await edits.frame({ source: 'clips/shot.mp4', at: 'first', file: 'stills/hero.png', overwrite: true });
      expect(result.file.location).toBe('memory:/stills/hero.png');
      expect(bytesAt('stills/hero.png')).toEqual(Buffer.from(FRAME_BYTES));
    });

    it('writes nothing when the editor fails, and passes its error on', async () => {
      const failure = editFailed({ reason: 'no_output' });
      editor.failure = failure;
      await expect(edits.frame({ source: 'clips/shot.mp4', at: 'last' })).rejects.toBe(failure);
      expect(store.items.size).toBe(0);
    });

    it('cancels the frame it made when the store refuses it (its name was taken meanwhile)', async () => {
      editor.meanwhile = () => existing('stills/hero.png');
      expect(await refusal(edits.frame({ source: 'clips/shot.mp4', at: 'first', file: 'stills/hero.png' }))).toEqual({
        code: 'file_exists',
        field: 'file',
        details: { path: 'stills/hero.png' },
      });
      expect(editor.lastContent?.cancelled).toBe(1);
      expect(bytesAt('stills/hero.png')).toEqual(Buffer.from(OLD));
    });

    it("passes the store's refusal on when the frame has no cancel", async () => {
      editor.cancellable = false;
      editor.meanwhile = () => existing('stills/hero.png');
      expect(await refusal(edits.frame({ source: 'clips/shot.mp4', at: 'first', file: 'stills/hero.png' }))).toEqual({
        code: 'file_exists',
        field: 'file',
        details: { path: 'stills/hero.png' },
      });
    });
  });

  describe('join', () => {
    it('names the join after the first source, and reads the whole back from what was written', async () => {
      const signal = new AbortController().signal;
      const result = await edits.join({ sources: ['a/one.mp4', 'b/two.mov'] }, { signal });
      const file = {
        uri: 'memory://sora2-mcp/a/one-joined.mp4',
        name: 'one-joined.mp4',
        location: 'memory:/a/one-joined.mp4',
        mimeType: 'video/mp4',
        sizeBytes: JOINED_BYTES.length,
      };
      expect(result).toEqual({ file, durationSeconds: 12.04, reencoded: true, sources: [SOURCE, SECOND] });
      expect(editor.calls).toEqual([
        {
          method: 'join',
          sources: [
            { path: 'a/one.mp4', field: 'sources[0]' },
            { path: 'b/two.mov', field: 'sources[1]' },
          ],
          signal,
        },
        { method: 'probe', source: { path: 'memory:/a/one-joined.mp4', field: 'file' }, signal },
      ]);
      expect(bytesAt('a/one-joined.mp4')).toEqual(Buffer.from(JOINED_BYTES));
    });

    it('says when the clips were copied as they are', async () => {
      editor.reencoded = false;
      const result = await edits.join({ sources: ['one.mp4', 'two.mp4'] });
      expect(result.reencoded).toBe(false);
      expect(result.file.location).toBe('memory:/one-joined.mp4');
    });

    it('moves a taken default name on to -2', async () => {
      await existing('a/one-joined.mp4');
      const result = await edits.join({ sources: ['a/one.mp4', 'a/two.mp4'] });
      expect(result.file.location).toBe('memory:/a/one-joined-2.mp4');
      expect(bytesAt('a/one-joined.mp4')).toEqual(Buffer.from(OLD));
    });

    it('replaces a taken default name when asked to overwrite', async () => {
      await existing('a/one-joined.mp4');
      const result = await edits.join({ sources: ['a/one.mp4', 'a/two.mp4'], overwrite: true });
      expect(result.file.location).toBe('memory:/a/one-joined.mp4');
      expect(bytesAt('a/one-joined.mp4')).toEqual(Buffer.from(JOINED_BYTES));
    });

    it('uses the stem it is given for the default name, moving on from a taken one', async () => {
      await existing('seq_1.mp4');
      const result = await edits.join({ sources: ['a/one.mp4', 'a/two.mp4'], stem: 'seq_1' });
      expect(result.file.location).toBe('memory:/seq_1-2.mp4');
    });

    it('refuses no sources, or more than one join takes, naming the field, before the editor runs', async () => {
      for (const sources of [[], Array.from({ length: 13 }, (_, index) => `a/${index}.mp4`)]) {
        expect(await refusal(edits.join({ sources }))).toEqual({
          code: 'invalid_input',
          field: 'sources',
          details: { rule: 'join_sources', given: sources.length, least: 1, most: 12 },
        });
      }
      expect(editor.calls).toEqual([]);
      expect(store.items.size).toBe(0);
    });

    it("writes the caller's file", async () => {
      const result = await edits.join({ sources: ['a/one.mp4', 'a/two.mp4'], file: 'cuts/all.mp4' });
      expect(result.file.location).toBe('memory:/cuts/all.mp4');
      expect(editor.calls.at(-1)).toEqual({ method: 'probe', source: { path: 'memory:/cuts/all.mp4', field: 'file' }, signal: undefined });
    });

    it("refuses the caller's taken file before the editor runs", async () => {
      await existing('cuts/all.mp4');
      expect(await refusal(edits.join({ sources: ['a/one.mp4', 'a/two.mp4'], file: 'cuts/all.mp4' }))).toEqual({
        code: 'file_exists',
        field: 'file',
        details: { path: 'cuts/all.mp4' },
      });
      expect(editor.calls).toEqual([]);
    });

    it("replaces the caller's taken file when asked to overwrite", async () => {
      await existing('cuts/all.mp4');
      const result = await edits.join({ sources: ['a/one.mp4', 'a/two.mp4'], file: 'cuts/all.mp4', overwrite: true });
      expect(result.file.location).toBe('memory:/cuts/all.mp4');
      expect(bytesAt('cuts/all.mp4')).toEqual(Buffer.from(JOINED_BYTES));
    });

    it('writes nothing and reads nothing back when the editor fails', async () => {
      const failure = editFailed({ reason: 'exit', step: 'concat', program: 'ffmpeg' });
      editor.failure = failure;
      await expect(edits.join({ sources: ['a/one.mp4', 'a/two.mp4'] })).rejects.toBe(failure);
      expect(store.items.size).toBe(0);
      expect(editor.calls.map((call) => call.method)).toEqual(['join']);
    });

    it('cancels the joined clip and reads nothing back when the store refuses it', async () => {
      editor.meanwhile = () => existing('cuts/all.mp4');
      expect(await refusal(edits.join({ sources: ['a/one.mp4', 'a/two.mp4'], file: 'cuts/all.mp4' }))).toEqual({
        code: 'file_exists',
        field: 'file',
        details: { path: 'cuts/all.mp4' },
      });
      expect(editor.lastContent?.cancelled).toBe(1);
      expect(editor.calls.map((call) => call.method)).toEqual(['join']);
      expect(bytesAt('cuts/all.mp4')).toEqual(Buffer.from(OLD));
    });
  });
});

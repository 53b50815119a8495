import { invalidInput } from '../../domain/errors';
import type { ClipFacts, ClipSource, FrameAt, MediaContent, MediaStore, StoredMedia, VideoEditor } from '../../domain/ports';
import { stripMediaExtension } from '../../domain/store-names';
import type { VideoVariant } from '../../domain/video';
import type { OutputNames } from '../output-names';
import type { RunOptions } from '../progress';

export interface ExtractFrameInput {
  /** A saved video inside the roots. */
  source: string;
  at: FrameAt;
  /** Where the PNG goes (a taken name is refused); by default beside the source (`clip-last-frame.png`, then `-2`, …). */
  file?: string;
  /** The default name's stem, when not the source's (`scene-shot-2-first-frame`): a taken one moves on to `-2`, … */
  stem?: string;
  overwrite?: boolean;
}

export interface FrameResult {
  file: StoredMedia;
  at: FrameAt;
  source: ClipFacts;
}

export interface JoinVideosInput {
  /** Saved videos inside the roots, in order. */
  sources: readonly string[];
  /** The MP4 to write; by default beside the first source (`clip-joined.mp4`). */
  file?: string;
  /** The default name's stem, when not the first source's (a sequence's id): a taken one moves on to `-2`, … */
  stem?: string;
  overwrite?: boolean;
}

/** How many videos one join takes (the tools ask for two at least: one alone is the create's); more would outlast a call. */
export const JOIN_SOURCES = { least: 1, most: 12 } as const;

/** Refuses, naming `field`, a count of clips one join cannot take: checked before anything is paid for or written. */
export function checkJoinCount(given: number, field: string): void {
  if (given < JOIN_SOURCES.least || given > JOIN_SOURCES.most) throw invalidInput(field, { rule: 'join_sources', given, ...JOIN_SOURCES });
}

export interface JoinResult {
  file: StoredMedia;
  durationSeconds: number;
  reencoded: boolean;
  /** Each source's facts, in order. */
  sources: ClipFacts[];
}

/**
 * The frame and join tools (issue 33), and the sequence's continuity and joining under them: a decoder reads the saved
 * clips (VideoEditor), the one naming policy names what it makes (never clobbering), and the store places it.
 */
export class EditVideos {
  constructor(
    private readonly editor: VideoEditor,
    private readonly names: OutputNames,
    private readonly store: MediaStore,
  ) {}

  async frame(input: ExtractFrameInput, run: RunOptions = {}): Promise<FrameResult> {
    const source = { path: input.source, field: 'source' };
    const stem =
      input.stem ?? `${stripMediaExtension(input.source)}-${typeof input.at === 'number' ? `frame-${input.at}s` : `${input.at}-frame`}`;
    // Named and checked before ffmpeg runs: a taken name costs nothing.
    const plan = await this.names.plan({ file: input.file, stem, variants: [FRAME], overwrite: input.overwrite ?? false });
    const frame = await this.editor.frame(source, input.at, run.signal);
    return { file: await this.place(plan, FRAME, frame.content, run.signal), at: input.at, source: frame.source };
  }

  /** Checks, before anything is paid for, that a video could be written to `file` (a caller's taken name is refused). */
  async checkVideoTarget(file: string, overwrite: boolean): Promise<void> {
    // A folder gets the default name inside it, known only once the shots are made (and moved on from when taken).
    if (file.endsWith('/') || (await this.store.inspect(file)) === 'folder') return;
    await this.names.plan({ file, stem: 'joined', variants: ['video'], overwrite });
  }

  async join(input: JoinVideosInput, run: RunOptions = {}): Promise<JoinResult> {
    checkJoinCount(input.sources.length, 'sources');
    const sources: ClipSource[] = input.sources.map((path, index) => ({ path, field: `sources[${index}]` }));
    const stem = input.stem ?? `${stripMediaExtension(input.sources[0]!)}-joined`;
    const plan = await this.names.plan({ file: input.file, stem, variants: ['video'], overwrite: input.overwrite ?? false });
    const joined = await this.editor.join(sources, run.signal);
    const file = await this.place(plan, 'video', joined.content, run.signal);
    // The whole, read back from what was written.
    const result = await this.editor.probe({ path: file.location, field: 'file' }, run.signal);
    return { file, durationSeconds: result.durationSeconds, reencoded: joined.reencoded, sources: joined.sources };
  }

  private place(
    plan: Awaited<ReturnType<OutputNames['plan']>>,
    kind: VideoVariant,
    content: MediaContent,
    signal?: AbortSignal,
  ): Promise<StoredMedia> {
    return this.store.write(plan.namesFor(kind, content.contentType), content, { replace: plan.replace, signal }).catch((error) => {
      content.cancel?.();
      throw error;
    });
  }
}

/** A frame is named like a still of the job (`.png` from its bytes): the naming policy's image kind. */
const FRAME: VideoVariant = 'thumbnail';

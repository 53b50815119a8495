import type { MediaContent } from './video-provider';

/** Which frame of a clip: its first, its last, or the one shown at a time in seconds from its start. */
export type FrameAt = 'first' | 'last' | number;

/** What a decoder reads back from a saved clip. */
export interface ClipFacts {
  durationSeconds: number;
  width: number;
  height: number;
  /** The video codec's short name (`h264`, `hevc`, `av1`). */
  codec: string;
  /** Frames per second, as the stream says (24, 29.97). */
  frameRate: number;
  /** The audio codec's short name, when the clip has sound. */
  audio?: string;
}

/** A saved clip to read: the caller's path (inside the roots), and the field it came from, for errors. */
export interface ClipSource {
  path: string;
  field: string;
}

/** A frame: its PNG bytes, and the facts of the clip it was taken from. */
export interface ExtractedFrame {
  content: MediaContent;
  source: ClipFacts;
}

/** A joined clip: its bytes, whether the clips were copied as they are or re-encoded to one geometry, and each clip's facts. */
export interface JoinedClip {
  content: MediaContent;
  reencoded: boolean;
  sources: ClipFacts[];
}

/**
 * Reads and edits saved videos with a real decoder and muxer (ADR 0020): one frame as a PNG, clips joined into one MP4,
 * the facts of a clip. Sources are callers' paths, confined to the roots like every other path (`path_outside_roots`,
 * field named); what it makes is handed back as content for the MediaStore to place, never written where a caller said.
 * A clip it cannot read is `invalid_input` naming the field; a tool that fails or runs out of time is `edit_failed`.
 */
export interface VideoEditor {
  probe(source: ClipSource, signal?: AbortSignal): Promise<ClipFacts>;
  frame(source: ClipSource, at: FrameAt, signal?: AbortSignal): Promise<ExtractedFrame>;
  join(sources: readonly ClipSource[], signal?: AbortSignal): Promise<JoinedClip>;
  /** Which programs it runs and their versions, for `doctor`. */
  describe(): Promise<string>;
}

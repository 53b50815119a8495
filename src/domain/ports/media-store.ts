import type { MediaContent } from './video-provider';

export interface SavedMedia {
  /** Absolute path of the written file, inside a root. */
  path: string;
  /** `file://` URI, or the configured public prefix for its root plus the encoded relative path. */
  uri: string;
  /** File name without folders. */
  name: string;
  /** MIME type as the provider declared it in `content-type`. */
  mimeType: string;
  sizeBytes: number;
}

/**
 * What happens when the final name is taken: `refuse` (a caller's own `file`: never clobbered),
 * `next-free` (a default name: `video_x.mp4`, then `video_x-2.mp4`, …) or `replace` (the caller said
 * `overwrite: true`; a link at the target is replaced, never written through).
 */
export type NameCollision = 'refuse' | 'next-free' | 'replace';

export interface OutputCheck {
  /** Default `refuse`. */
  collision?: NameCollision;
  /** Extensions each suffix may end up with (by position), for the existence check; default every media extension. */
  extensions?: readonly (readonly string[])[];
}

export interface SaveOptions {
  signal?: AbortSignal;
  /** Default `refuse`. */
  collision?: NameCollision;
  /** Called as bytes land on disk; `total` is known when the provider sent a length. */
  onBytes?: (written: number, total: number | undefined) => void;
}

/** A file under the roots, as found again for listing or reading. */
export interface StoredFile {
  path: string;
  uri: string;
  name: string;
  mimeType: string;
  sizeBytes: number;
}

/**
 * Where the server reads and writes files. Every path is confined to the configured roots after
 * symlinks are resolved; a violation is a DomainError `path_outside_roots` and nothing is touched.
 */
export interface MediaStore {
  /**
   * Validates a caller's output `file` (absolute under a root, or relative to the first root) and
   * returns the absolute base path, without extension. Every file that may then be written,
   * `base + suffix + extension` for each suffix and each media extension, is checked now: inside the
   * roots, not a folder or a link out, its folder creatable, its name not too long. Creates only the
   * default root, so a bad path is refused before anything is paid for.
   */
  resolveOutputBase(file: string | undefined, defaultName: string, suffixes?: readonly string[], check?: OutputCheck): Promise<string>;
  /**
   * Streams `content` to `basePath` + the extension implied by its content type. The file appears
   * under its final name only when complete; on any failure no partial file remains.
   */
  save(basePath: string, content: MediaContent, options?: SaveOptions): Promise<SavedMedia>;
  /** Reads a local file under the roots, refusing non-regular files and files over `maxBytes`. */
  readFile(path: string, maxBytes: number): Promise<Uint8Array>;
  /**
   * Finds a media file (image or video, not hidden) by the URI this store gave it (`file://` or a
   * configured public prefix), confined to the roots; undefined for anything else.
   */
  find(uri: string): Promise<StoredFile | undefined>;
}

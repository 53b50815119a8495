import type { MediaContent } from './video-provider';

/** A stored image or video, as the store gave it out or found it again. */
export interface StoredMedia {
  /**
   * How a client reaches it: a `file://` URI, a presigned HTTPS URL, or a configured public prefix
   * plus the item's encoded name. The store finds the item again from this URI.
   */
  uri: string;
  /** The item's own name, without folders (`video_123.mp4`). */
  name: string;
  /**
   * Where a person finds it, for messages and the `file` field: an absolute path for files,
   * `s3://bucket/key` for objects.
   */
  location: string;
  /** The type its bytes showed when it was written (or its extension says, when found again). */
  mimeType: string;
  sizeBytes: number;
}

/**
 * What happens when the final name is taken: `refuse` (a caller's own `file`: never clobbered),
 * `next-free` (a default name: `video_x.mp4`, then `video_x-2.mp4`, …) or `replace` (the caller said
 * `overwrite: true`; a link at the target is replaced, never written through).
 */
export type NameCollision = 'refuse' | 'next-free' | 'replace';

export interface NameCheck {
  /** Default `refuse`. */
  collision?: NameCollision;
  /** Extensions each suffix may end up with (by position), for the existence check; default every media extension. */
  extensions?: readonly (readonly string[])[];
}

export interface WriteOptions {
  signal?: AbortSignal;
  /** Default `refuse`. */
  collision?: NameCollision;
  /** Called as bytes are stored; `total` is known when the provider sent a length. */
  onBytes?: (written: number, total: number | undefined) => void;
}

/** A byte range of a stored item: `length` bytes from `offset` (fewer at its end). */
export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * Where generated media is kept (a folder tree, a bucket, memory). Names are the caller's `file`
 * values: relative to the store's space (or, for files, absolute inside the roots). A name outside
 * the store's space is a DomainError `path_outside_roots`, a taken one `file_exists`, both with
 * field `file`; in either case nothing is touched.
 */
export interface MediaStore {
  /**
   * Checks, before anything is paid for, every name one job may write: `base + suffix + extension`
   * for each suffix and each of its possible extensions (`check.extensions`). Returns the base name
   * to give `write` (with a suffix appended), without extension. `name` undefined means `defaultName`
   * in the store's default place; a `name` that is a folder means `defaultName` inside it.
   */
  reserve(name: string | undefined, defaultName: string, suffixes?: readonly string[], check?: NameCheck): Promise<string>;
  /**
   * Streams `content` into `base` + the extension its content type implies. The item appears under
   * its final name only when complete; on any failure or cancellation nothing of it remains.
   */
  write(base: string, content: MediaContent, options?: WriteOptions): Promise<StoredMedia>;
  /** Whether an item (or anything else) already holds this name, extension included. */
  exists(name: string): Promise<boolean>;
  /** The media item this store gave `uri` to; undefined for anything else. */
  find(uri: string): Promise<StoredMedia | undefined>;
  /** The bytes of the item at `uri` (a range of them, when given); DomainError `not_found` when there is none. */
  open(uri: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array>>;
  /** Media items the store holds, newest first, up to `limit` (stores shared by a team list everyone's). */
  list?(limit: number): Promise<StoredMedia[]>;
  /** A harmless check that the store is reachable and writable in principle, for `doctor`; says where it is. */
  probe?(): Promise<string>;
}

/**
 * Reads a caller's local reference image: confined to the allowed folders, regular files only, at
 * most `maxBytes`. Kept apart from MediaStore, which may not be local at all.
 */
export interface LocalFileReader {
  read(path: string, maxBytes: number): Promise<Uint8Array>;
}

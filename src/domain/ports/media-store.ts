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

/** What a name holds now: nothing, an item (or anything else), or a folder (items go inside it). */
export type NameState = 'free' | 'taken' | 'folder';

export interface WriteOptions {
  signal?: AbortSignal;
  /** Replace what holds the first name (a link there is replaced, never written through). Default: never. */
  replace?: boolean;
  /** Called as bytes are stored; `total` is known when the provider sent a length. */
  onBytes?: (written: number, total: number | undefined) => void;
}

/** A byte range of a stored item: `length` bytes from `offset` (fewer at its end). */
export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * Where generated media is kept (a folder tree, a bucket, memory). A store places bytes under names
 * it is given and reports a clash; it never makes a name up (no extension, suffix or counter of its
 * own): the application's naming policy (`OutputNames`) decides them. Names are `/`-separated and
 * relative to the store's space (for files, also absolute inside the roots). A name the store cannot
 * hold (outside its space, in a hidden folder, too long for it) is a DomainError
 * `path_outside_roots` or `invalid_input`, a taken one `file_exists`, each with field `file`; in
 * every case nothing is touched.
 */
export interface MediaStore {
  /** What `name` holds now, after checking the store could hold it; touches nothing. */
  inspect(name: string): Promise<NameState>;
  /**
   * Streams `content` to the first of `names` that is free (all in one folder, in order of
   * preference), atomically where the store can; with `replace`, to the first name, whatever holds it.
   * The item appears only when complete; on any failure or cancellation nothing of it remains.
   * `file_exists` for the first name when none is free.
   */
  write(names: Iterable<string>, content: MediaContent, options?: WriteOptions): Promise<StoredMedia>;
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

import { DomainError } from '../domain/errors';
import type { MediaStore, SavedMedia, StoredFile } from '../domain/ports';

/** Bytes of saved files, by URI, for a client to see them inline (small images, small downloads). */
export type Previews = ReadonlyMap<string, Uint8Array>;

/**
 * The media this server has written, for MCP resources: listed while the files still exist, readable
 * by their URI (confined to the roots by the store), with listeners told when the list changes.
 */
export class MediaCatalog {
  private readonly files = new Map<string, StoredFile>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly store: MediaStore) {}

  record(file: SavedMedia): void {
    this.files.set(file.uri, file);
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Files written by this server that are still there, newest first. */
  async list(): Promise<StoredFile[]> {
    const found = await Promise.all([...this.files.keys()].map((uri) => this.store.find(uri)));
    const present = found.filter((file): file is StoredFile => file !== undefined);
    const gone = [...this.files.keys()].filter((uri) => !present.some((file) => file.uri === uri));
    for (const uri of gone) this.files.delete(uri);
    if (gone.length > 0) for (const listener of this.listeners) listener();
    return present.reverse();
  }

  /**
   * The bytes of the saved files that `wanted` accepts and that are at most `maxBytes`, read back from
   * the store: previews are the presentation's business, so the write path never keeps bytes for them.
   */
  async previews(files: readonly SavedMedia[], maxBytes: number, wanted: (file: SavedMedia) => boolean): Promise<Previews> {
    const out = new Map<string, Uint8Array>();
    for (const file of files) {
      if (!wanted(file) || file.sizeBytes > maxBytes) continue;
      const read = await this.read(file.uri, maxBytes).catch(() => undefined);
      if (read) out.set(file.uri, read.bytes);
    }
    return out;
  }

  /** Reads any media file under the roots by URI, up to `maxBytes`. */
  async read(uri: string, maxBytes: number): Promise<{ file: StoredFile; bytes: Uint8Array }> {
    const file = await this.store.find(uri);
    if (!file) throw new DomainError('not_found', `No media file for ${uri} in the allowed folders.`);
    if (file.sizeBytes > maxBytes) {
      throw new DomainError(
        'invalid_input',
        `${file.name} is ${file.sizeBytes} bytes, more than the ${maxBytes}-byte limit for reading through MCP. Open it directly at ${file.path}.`,
      );
    }
    return { file, bytes: await this.store.readFile(file.path, maxBytes) };
  }
}

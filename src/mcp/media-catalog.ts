import { concatBytes } from '../domain/bytes';
import { invalidInput, notFound } from '../domain/errors';
import type { MediaStore, StoredMedia } from '../domain/ports';

/** Bytes of saved files, by URI, for a client to see them inline (small images, small downloads). */
export type Previews = ReadonlyMap<string, Uint8Array>;

/** Most items a shared store lists as resources (a bucket prefix can hold thousands). */
export const MAX_LISTED_ITEMS = 200;

/**
 * The media this server has written (plus, for a store shared by a team, what the store lists), for
 * MCP resources: listed while the items still exist, readable by their URI (confined by the store),
 * with listeners told when the list changes.
 */
export class MediaCatalog {
  private readonly items = new Map<string, StoredMedia>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly store: MediaStore) {}

  record(item: StoredMedia): void {
    this.items.set(item.location, item);
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Items written by this server that are still there, then the store's own list, newest first, one entry per item;
   * only those in `owned` (by URI) when the caller's files are set apart.
   */
  async list(owned?: ReadonlySet<string>): Promise<StoredMedia[]> {
    if (owned) return this.ownList(owned);
    const recorded = [...this.items.values()];
    const found = await Promise.all(recorded.map((item) => this.store.find(item.uri)));
    const present = found.filter((item): item is StoredMedia => item !== undefined);
    const gone = recorded.filter((item) => !present.some((still) => still.location === item.location));
    for (const item of gone) this.items.delete(item.location);
    if (gone.length > 0) for (const listener of this.listeners) listener();
    const listed = (await this.store.list?.(MAX_LISTED_ITEMS)) ?? [];
    const seen = new Set(present.map((item) => item.location));
    return [...present.reverse(), ...listed.filter((item) => !seen.has(item.location))].slice(0, MAX_LISTED_ITEMS);
  }

  /**
   * The bytes of the saved items that `wanted` accepts and that are at most `maxBytes`, read back from
   * the store: previews are the presentation's business, so the write path never keeps bytes for them.
   */
  async previews(items: readonly StoredMedia[], maxBytes: number, wanted: (item: StoredMedia) => boolean): Promise<Previews> {
    const out = new Map<string, Uint8Array>();
    for (const item of items) {
      if (!wanted(item) || item.sizeBytes > maxBytes) continue;
      const read = await this.read(item.uri, maxBytes).catch(() => undefined);
      if (read) out.set(item.uri, read.bytes);
    }
    return out;
  }

  /** The caller's own saved files that are still there (from the registry every replica shares). */
  private async ownList(owned: ReadonlySet<string>): Promise<StoredMedia[]> {
    const found = await Promise.all([...owned].slice(-MAX_LISTED_ITEMS).map((uri) => this.store.find(uri).catch(() => undefined)));
    return found.filter((item): item is StoredMedia => item !== undefined).reverse();
  }

  /** Reads any media item the store can find by URI (one in `owned`, when set), up to `maxBytes`. */
  async read(uri: string, maxBytes: number, owned?: ReadonlySet<string>): Promise<{ file: StoredMedia; bytes: Uint8Array }> {
    const file = owned && !owned.has(uri) ? undefined : await this.store.find(uri);
    if (!file) throw notFound({ reason: 'no_media', uri });
    if (file.sizeBytes > maxBytes) {
      throw invalidInput('uri', {
        rule: 'read_too_large',
        name: file.name,
        size_bytes: file.sizeBytes,
        most_bytes: maxBytes,
        location: file.location,
      });
    }
    return { file, bytes: await readAll(await this.store.open(uri, { offset: 0, length: maxBytes }), maxBytes) };
  }

  /** A byte range of an item, for views that load a video in pieces (same confinement as `read`). */
  async readRange(
    uri: string,
    offset: number,
    length: number,
    owned?: ReadonlySet<string>,
  ): Promise<{ file: StoredMedia; bytes: Uint8Array }> {
    const file = owned && !owned.has(uri) ? undefined : await this.store.find(uri);
    if (!file) throw notFound({ reason: 'no_media', uri });
    const clamped = Math.max(0, Math.min(length, file.sizeBytes - offset));
    return { file, bytes: await readAll(await this.store.open(uri, { offset, length: clamped }), clamped) };
  }
}

async function readAll(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const part of body) {
    parts.push(part);
    total += part.length;
    if (total > maxBytes) throw invalidInput('uri', { rule: 'read_grew', most_bytes: maxBytes });
  }
  return concatBytes(parts);
}

import { concatBytes } from '../domain/bytes';
import { fileExists, notFound } from '../domain/errors';
import { bareMimeType, mimeTypeForExtension } from '../domain/media';
import { meteredBody } from '../domain/metered-body';
import type { ByteRange, MediaContent, MediaStore, NameState, StoredMedia, WriteOptions } from '../domain/ports';
import { relativeKey } from '../domain/store-names';

interface Item {
  bytes: Uint8Array;
  mimeType: string;
  sequence: number;
}

const URI_PREFIX = 'memory://sora2-mcp/';

/**
 * A MediaStore that keeps items in memory, for tests and for embedding: it passes the same contract
 * as the filesystem and S3 stores (names confined to its own space, placed as given, nothing
 * clobbered, nothing left by a failed or cancelled write). `items` is public so a test can look inside.
 */
export class InMemoryMediaStore implements MediaStore {
  readonly items = new Map<string, Item>();
  private sequence = 0;

  async inspect(name: string): Promise<NameState> {
    const key = relativeKey(name);
    if (this.items.has(key)) return 'taken';
    return [...this.items.keys()].some((item) => item.startsWith(`${key}/`)) ? 'folder' : 'free';
  }

  async write(names: Iterable<string>, content: MediaContent, options: WriteOptions = {}): Promise<StoredMedia> {
    const keys = [...names].map((name) => relativeKey(name));
    const first = keys[0];
    if (first === undefined) throw new Error('InMemoryMediaStore.write: no name given');
    if (!options.replace && keys.every((key) => this.items.has(key))) throw fileExists(first);
    const parts: Uint8Array[] = [];
    for await (const chunk of meteredBody(content, options)) parts.push(chunk);
    const bytes = concatBytes(parts);
    // Placed in one step, after the whole body arrived: the names are checked again now.
    const key = options.replace ? first : keys.find((candidate) => !this.items.has(candidate));
    if (key === undefined) throw fileExists(first);
    this.sequence += 1;
    this.items.set(key, { bytes, mimeType: bareMimeType(content.contentType), sequence: this.sequence });
    return this.describe(key)!;
  }

  async find(uri: string): Promise<StoredMedia | undefined> {
    if (!uri.startsWith(URI_PREFIX)) return undefined;
    let key: string;
    try {
      key = uri.slice(URI_PREFIX.length).split('/').map(decodeURIComponent).join('/');
    } catch {
      return undefined;
    }
    const found = this.describe(key);
    return found && /^(image|video)\//.test(found.mimeType) ? found : undefined;
  }

  async open(uri: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array>> {
    const found = await this.find(uri);
    const item = found && this.items.get(keyOf(found));
    if (!item) throw notFound({ reason: 'no_media', uri });
    const bytes = range ? item.bytes.subarray(range.offset, range.offset + Math.max(0, range.length)) : item.bytes;
    return (async function* () {
      yield bytes;
    })();
  }

  async list(limit: number): Promise<StoredMedia[]> {
    return [...this.items.entries()]
      .sort(([, a], [, b]) => b.sequence - a.sequence)
      .slice(0, limit)
      .map(([key]) => this.describe(key)!);
  }

  async probe(): Promise<string> {
    return `memory (${this.items.size} item(s))`;
  }

  private describe(key: string): StoredMedia | undefined {
    const item = this.items.get(key);
    if (!item) return undefined;
    const name = key.split('/').at(-1)!;
    return {
      uri: URI_PREFIX + key.split('/').map(encodeURIComponent).join('/'),
      name,
      location: `memory:/${key}`,
      mimeType: item.mimeType || mimeTypeForExtension(name.slice(name.lastIndexOf('.'))),
      sizeBytes: item.bytes.length,
    };
  }
}

function keyOf(item: StoredMedia): string {
  return item.location.slice('memory:/'.length);
}

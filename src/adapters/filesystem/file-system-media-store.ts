// node:fs/promises loads on first use (fs.promises is a lazy getter), not at start-up: it brings readline and watchers.
import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CancelledError,
  DomainError,
  downloadFailed,
  fileExists,
  invalidInput,
  isDomainError,
  notFound,
  outsideRoots,
  storageFailed,
  type NameProblem,
} from '../../domain/errors';
import { bareMimeType, mimeTypeForExtension } from '../../domain/media';
import type { ByteRange, MediaContent, MediaStore, NameState, StoredMedia, WriteOptions } from '../../domain/ports';
import { absoluteFrom, makeDirectoryInside, resolveInsideRoots, type ContainedPath } from './containment';

export interface FileSystemMediaStoreOptions {
  /** Allowed roots, absolute; the first is the default output folder and is created on first use. */
  roots: readonly string[];
  /** Public URL prefix per root, by position; files under a root without one get a `file://` URI. */
  urlPrefixes: readonly string[];
}

/** How deep and how wide listing looks: output folders, not the whole disk. */
const MAX_LISTED_DEPTH = 3;
const MAX_LISTED_ENTRIES = 5000;

/** Longest file name written, in bytes: leaves room for the temporary name's extra 43 bytes within 255. */
const MAX_NAME_BYTES = 200;

/** Files under MEDIA_GEN_DIRS: every read and write goes through the one containment check. */
export class FileSystemMediaStore implements MediaStore {
  constructor(private readonly options: FileSystemMediaStoreOptions) {}

  async inspect(name: string): Promise<NameState> {
    await this.ensureDefaultRoot();
    const { target } = await this.place(name);
    const existing = await fsp.lstat(target).catch(() => undefined);
    if (!existing) return 'free';
    if (existing.isDirectory()) return 'folder';
    // A link there must lead inside the roots (a dangling one, or one leading out, is refused as such).
    if (existing.isSymbolicLink()) {
      await resolveInsideRoots(this.options.roots, target, 'file', name);
      return 'taken';
    }
    if (!existing.isFile()) throw refuseName(name, { problem: 'not_regular_file' });
    return 'taken';
  }

  /**
   * Where a name goes: its folder resolved once (symlinks followed, confined) and its final component,
   * checked for what this file system can hold (length, a folder that can be created, not hidden under a root).
   */
  private async place(name: string): Promise<{ folder: ContainedPath; target: string }> {
    const absolute = absoluteFrom(this.options.roots, name, 'file');
    const folder = await resolveInsideRoots(this.options.roots, path.dirname(absolute), 'file', name);
    // Nothing in a hidden folder under a root: resources never list or read it, so its link would lead nowhere.
    if (
      path
        .relative(folder.root, folder.path)
        .split(path.sep)
        .some((segment) => segment.startsWith('.'))
    ) {
      throw refuseName(name, { problem: 'in_hidden_folder' });
    }
    if (Buffer.byteLength(path.basename(absolute)) > MAX_NAME_BYTES)
      throw refuseName(name, { problem: 'too_long', most_bytes: MAX_NAME_BYTES });
    await checkFolderCreatable(folder.path, name);
    return { folder, target: path.join(folder.path, path.basename(absolute)) };
  }

  async write(names: Iterable<string>, content: MediaContent, options: WriteOptions = {}): Promise<StoredMedia> {
    const candidates = [...names];
    const requested = candidates[0];
    if (requested === undefined) throw new Error('FileSystemMediaStore.write: no name given');
    await this.ensureDefaultRoot();
    const { folder, target } = await this.place(requested);
    const targets = candidates.map((candidate) => {
      const other = absoluteFrom(this.options.roots, candidate, 'file');
      if (path.dirname(other) !== path.dirname(absoluteFrom(this.options.roots, requested, 'file'))) {
        throw new Error('FileSystemMediaStore.write: the names must share one folder');
      }
      if (Buffer.byteLength(path.basename(other)) > MAX_NAME_BYTES)
        throw refuseName(candidate, { problem: 'too_long', most_bytes: MAX_NAME_BYTES });
      return path.join(folder.path, path.basename(other));
    });
    if (options.replace) {
      const existing = await fsp.lstat(target).catch(() => undefined);
      if (existing && !existing.isFile() && !existing.isSymbolicLink()) throw refuseName(requested, { problem: 'not_regular_file' });
    }
    await makeDirectoryInside(this.options.roots, folder.path, 'file', requested);
    await removeStaleParts(folder.path);
    const placed = await writeAtomically(folder.path, targets, options.replace === true, content, options, () =>
      this.assertStillInside(folder.path, requested),
    ).catch((error: unknown) => {
      throw isDomainError(error) && error.code === 'file_exists' ? fileExists(requested) : error;
    });
    const final = { path: placed.path, root: folder.root, rootIndex: folder.rootIndex };
    return {
      location: final.path,
      uri: this.uriFor(final),
      name: path.basename(final.path),
      mimeType: bareMimeType(content.contentType),
      sizeBytes: placed.sizeBytes,
    };
  }

  /** The folder still resolves to itself: nobody swapped a part of its path for a link while we wrote. */
  private async assertStillInside(folder: string, requested: string): Promise<void> {
    const now = await resolveInsideRoots(this.options.roots, folder, 'file', requested);
    if (now.path !== folder || (await fsp.realpath(folder)) !== folder) {
      throw outsideRoots('file', { problem: 'changed_while_writing', path: requested });
    }
  }

  async open(uri: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array>> {
    const found = await this.find(uri);
    if (!found) throw notFound({ reason: 'no_media', uri });
    if (range && range.length <= 0) return emptyBody();
    // O_NOFOLLOW: the name was checked by find; a link swapped in since is not followed.
    const handle = await fsp.open(found.location, constants.O_RDONLY | constants.O_NOFOLLOW);
    return handle.createReadStream({
      start: range?.offset ?? 0,
      end: range ? range.offset + range.length - 1 : undefined,
    });
  }

  async find(uri: string): Promise<StoredMedia | undefined> {
    const candidate = this.pathForUri(uri);
    if (candidate === undefined) return undefined;
    try {
      const contained = await resolveInsideRoots(this.options.roots, candidate, 'uri');
      // Media only: no hidden files or folders (.env, the simulator's own store), no other types.
      const relative = path.relative(contained.root, contained.path).split(path.sep);
      const mimeType = mimeTypeForExtension(path.extname(contained.path));
      if (relative.some((segment) => segment.startsWith('.')) || !/^(image|video)\//.test(mimeType)) return undefined;
      const info = await fsp.stat(contained.path);
      // Regular files only, and no hard links (their other name may be outside the roots).
      if (!info.isFile() || info.nlink > 1) return undefined;
      return {
        location: contained.path,
        uri: this.uriFor(contained),
        name: path.basename(contained.path),
        mimeType,
        sizeBytes: info.size,
      };
    } catch {
      return undefined;
    }
  }

  /**
   * The media files under the roots, newest first: what a server started earlier saved is listed after a restart too.
   * Bounded (a few folder levels, a few thousand entries), never into hidden folders, never through a link.
   */
  async list(limit: number): Promise<StoredMedia[]> {
    const found: { file: string; at: number }[] = [];
    let visited = 0;
    const walk = async (folder: string, depth: number): Promise<void> => {
      const entries = await fsp.readdir(folder, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (++visited > MAX_LISTED_ENTRIES || entry.name.startsWith('.')) continue;
        const file = path.join(folder, entry.name);
        if (entry.isDirectory() && depth < MAX_LISTED_DEPTH) await walk(file, depth + 1);
        else if (entry.isFile() && /^(image|video)\//.test(mimeTypeForExtension(path.extname(entry.name)))) {
          const info = await fsp.lstat(file).catch(() => undefined);
          if (info?.isFile()) found.push({ file, at: info.mtimeMs });
        }
      }
    };
    for (const root of this.options.roots) await walk(root, 0);
    found.sort((a, b) => b.at - a.at);
    const items: StoredMedia[] = [];
    for (const { file } of found) {
      if (items.length >= limit) break;
      // The same checks as any URI the store gave out (containment, no hard links).
      const item = await this.find(pathToFileURL(file).href);
      if (item) items.push(item);
    }
    return items;
  }

  /** The inverse of `uriFor`: a `file://` URI, or a configured prefix plus a percent-encoded relative path. */
  private pathForUri(uri: string): string | undefined {
    try {
      if (uri.startsWith('file:')) return fileURLToPath(uri);
      for (const [index, prefix] of this.options.urlPrefixes.entries()) {
        const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
        if (prefix && uri.startsWith(base)) {
          const segments = uri.slice(base.length).split('/').map(decodeURIComponent);
          // Encoded separators or `..` would let a URI name a path the store never gave out.
          if (segments.some((segment) => segment === '..' || segment.includes('/'))) return undefined;
          return path.join(this.options.roots[index]!, ...segments);
        }
      }
    } catch {
      return undefined;
    }
    return undefined;
  }

  private async ensureDefaultRoot(): Promise<void> {
    await fsp.mkdir(this.options.roots[0]!, { recursive: true });
  }

  private uriFor(file: ContainedPath): string {
    const prefix = this.options.urlPrefixes[file.rootIndex];
    if (!prefix) return pathToFileURL(file.path).href;
    const relative = path.relative(file.root, file.path).split(path.sep).map(encodeURIComponent).join('/');
    return `${prefix.endsWith('/') ? prefix : `${prefix}/`}${relative}`;
  }
}

/** A temp file older than this in a folder being written to is a crash's leftover. */
const STALE_PART_MS = 60 * 60 * 1000;
const PART_FILE = /^\..+\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.part$/;

/**
 * Streams to a hidden temporary file in `folder` (created exclusively, so it can never be an existing
 * file or link), checks the length, then puts it in place: `replace` renames over the target (a link
 * there is replaced, not written through); `refuse` and `next-free` hard-link it to a name only if
 * that name is free (atomic, so a file that appears meanwhile is not clobbered either). On any
 * failure the temp file is removed.
 */
async function writeAtomically(
  folder: string,
  candidates: readonly string[],
  replace: boolean,
  content: MediaContent,
  options: WriteOptions,
  stillInside: () => Promise<void>,
): Promise<{ path: string; sizeBytes: number }> {
  const temp = path.join(folder, `.${crypto.randomUUID()}.${crypto.randomUUID()}.part`);
  const handle = await fsp.open(temp, 'wx', 0o644).catch((error: unknown) => {
    throw notWritten(folder, error);
  });
  let written = 0;
  let storageError: unknown;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      options.onBytes?.(written, content.contentLength);
      callback(null, chunk);
    },
  });
  try {
    // The temp file must be where we meant: a folder swapped for a link before the open is caught here.
    await stillInside();
    // A failure of the file (a full disk, a permission) is the store's; one of the body is the download's.
    const sink = handle.createWriteStream();
    sink.once('error', (error) => (storageError = error));
    await pipeline(content.body, counter, sink, { signal: options.signal });
    if (content.contentLength !== undefined && written !== content.contentLength) {
      throw downloadFailed({ reason: 'cut_short', received: written, expected: content.contentLength }, { retryable: true });
    }
    await stillInside();
    const placed = await putInPlace(temp, candidates, replace).catch((error: unknown) => {
      throw isDomainError(error) ? error : notWritten(folder, error);
    });
    return { path: placed, sizeBytes: written };
  } catch (error) {
    if (options.signal?.aborted) throw new CancelledError({ stored: false });
    if (isDomainError(error)) throw error;
    if (storageError !== undefined) throw notWritten(folder, storageError);
    throw downloadFailed({ reason: 'cut_short' }, { retryable: true, cause: error });
  } finally {
    await handle.close().catch(() => undefined);
    await fsp.rm(temp, { force: true });
  }
}

/** Puts the temp file at the first free candidate (or over the first, when replacing); `file_exists` when none is free. */
async function putInPlace(temp: string, candidates: readonly string[], replace: boolean): Promise<string> {
  if (replace) {
    const target = candidates[0]!;
    const existing = await fsp.lstat(target).catch(() => undefined);
    if (existing && !existing.isFile() && !existing.isSymbolicLink()) throw refuseName(target, { problem: 'not_regular_file' });
    await fsp.rename(temp, target);
    return target;
  }
  for (const target of candidates) {
    try {
      await fsp.link(temp, target);
      return target;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw error;
      // A filesystem without hard links: an exclusive copy is just as safe, only slower.
      try {
        await fsp.copyFile(temp, target, constants.COPYFILE_EXCL);
        return target;
      } catch (copyError) {
        if ((copyError as NodeJS.ErrnoException).code !== 'EEXIST') throw copyError;
      }
    }
  }
  throw fileExists(candidates[0]!);
}

/** Removes temporary files a crash left in `folder` (best effort; a live download's are fresh). */
async function removeStaleParts(folder: string): Promise<void> {
  const names = await fsp.readdir(folder).catch(() => [] as string[]);
  const now = Date.now();
  for (const name of names) {
    if (!PART_FILE.test(name)) continue;
    const info = await fsp.lstat(path.join(folder, name)).catch(() => undefined);
    if (info?.isFile() && now - info.mtimeMs > STALE_PART_MS) await fsp.rm(path.join(folder, name), { force: true });
  }
}

function refuseName(requested: string, problem: NameProblem): DomainError {
  return invalidInput('file', { rule: 'name_unusable', path: requested, ...problem });
}

/** The nearest existing ancestor of the folder must be a folder, so the path can be created. */
async function checkFolderCreatable(folder: string, requested: string): Promise<void> {
  let current = folder;
  let info = await fsp.lstat(current).catch(() => undefined);
  while (!info) {
    current = path.dirname(current);
    info = await fsp.lstat(current).catch(() => undefined);
  }
  if (!info.isDirectory()) throw refuseName(requested, { problem: 'folder_blocked' });
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {
  // Nothing to yield: a zero-length range.
}

/**
 * The folder could not take the file (ENOSPC, EACCES, EROFS, EDQUOT…): not a network failure, so the
 * download is not tried again; it is said once, with the system's code.
 */
function notWritten(folder: string, error: unknown): DomainError {
  return storageFailed({ store: 'filesystem', folder, errno: describe(error) }, { field: 'file', cause: error });
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : 'unknown error');
}

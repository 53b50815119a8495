import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CancelledError, DomainError, isDomainError } from '../../domain/errors';
import { bareMimeType, extensionForContentType, KNOWN_MEDIA_EXTENSIONS, mimeTypeForExtension } from '../../domain/media';
import type { MediaContent, MediaStore, SavedMedia, SaveOptions, StoredFile } from '../../domain/ports';
import { absoluteFrom, makeDirectoryInside, resolveInsideRoots, type ContainedPath } from './containment';

export interface FileSystemMediaStoreOptions {
  /** Allowed roots, absolute; the first is the default output folder and is created on first use. */
  roots: readonly string[];
  /** Public URL prefix per root, by position; files under a root without one get a `file://` URI. */
  urlPrefixes: readonly string[];
}

/** Longest file name written, in bytes: leaves room for the temporary name's extra 43 bytes within 255. */
const MAX_NAME_BYTES = 200;

/** Files under MEDIA_GEN_DIRS: every read and write goes through the one containment check. */
export class FileSystemMediaStore implements MediaStore {
  constructor(private readonly options: FileSystemMediaStoreOptions) {}

  async resolveOutputBase(file: string | undefined, defaultName: string, suffixes: readonly string[] = ['']): Promise<string> {
    await this.ensureDefaultRoot();
    const safeDefault = safeFileName(defaultName);
    let requested = file ?? safeDefault;
    if (file !== undefined && (file.endsWith('/') || (await isDirectory(absoluteFrom(this.options.roots, file, 'file'))))) {
      requested = path.join(file, safeDefault);
    }
    const base = absoluteFrom(this.options.roots, stripMediaExtension(requested), 'file');
    await resolveInsideRoots(this.options.roots, base, 'file');
    for (const suffix of suffixes) {
      for (const extension of KNOWN_MEDIA_EXTENSIONS) await this.checkWritable(base + suffix + extension);
    }
    return base;
  }

  /** Everything `save` will need of this target, checked without writing. */
  private async checkWritable(requested: string): Promise<void> {
    const refuse = (reason: string) => new DomainError('invalid_input', `file: "${requested}" ${reason}. Choose another file name.`, { field: 'file' });
    // File systems count bytes, not characters: 75 CJK characters already take 225.
    if (Buffer.byteLength(path.basename(requested)) > MAX_NAME_BYTES) throw refuse(`has a name longer than ${MAX_NAME_BYTES} bytes`);
    const target = await resolveInsideRoots(this.options.roots, requested, 'file');
    const existing = await lstat(target.path).catch(() => undefined);
    if (existing && !existing.isFile()) throw refuse('exists and is not a regular file');
    let folder = path.dirname(target.path);
    let info = await lstat(folder).catch(() => undefined);
    while (!info) {
      folder = path.dirname(folder);
      info = await lstat(folder).catch(() => undefined);
    }
    if (!info.isDirectory()) throw refuse('cannot be created (a file is in the way of its folder)');
  }

  async save(basePath: string, content: MediaContent, options: SaveOptions = {}): Promise<SavedMedia> {
    const requested = basePath + extensionForContentType(content.contentType);
    const final = await resolveInsideRoots(this.options.roots, requested, 'file');
    const existing = await lstat(final.path).catch(() => undefined);
    if (existing && !existing.isFile()) {
      throw new DomainError('invalid_input', `file: "${requested}" exists and is not a regular file. Choose another file name.`, { field: 'file' });
    }
    await makeDirectoryInside(this.options.roots, path.dirname(final.path), 'file', requested);
    const { sizeBytes, bytes } = await writeAtomically(final.path, content, options);
    return {
      path: final.path,
      uri: this.uriFor(final),
      name: path.basename(final.path),
      mimeType: bareMimeType(content.contentType),
      sizeBytes,
      ...(bytes ? { bytes } : {}),
    };
  }

  async find(uri: string): Promise<StoredFile | undefined> {
    const candidate = this.pathForUri(uri);
    if (candidate === undefined) return undefined;
    try {
      const contained = await resolveInsideRoots(this.options.roots, candidate, 'uri');
      // Media only: no hidden files or folders (.env, the simulator's own store), no other types.
      const relative = path.relative(contained.root, contained.path).split(path.sep);
      const mimeType = mimeTypeForExtension(path.extname(contained.path));
      if (relative.some((segment) => segment.startsWith('.')) || !/^(image|video)\//.test(mimeType)) return undefined;
      const info = await stat(contained.path);
      // Regular files only, and no hard links (their other name may be outside the roots).
      if (!info.isFile() || info.nlink > 1) return undefined;
      return {
        path: contained.path,
        uri: this.uriFor(contained),
        name: path.basename(contained.path),
        mimeType,
        sizeBytes: info.size,
      };
    } catch {
      return undefined;
    }
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

  async readFile(requested: string, maxBytes: number): Promise<Uint8Array> {
    const contained = await resolveInsideRoots(this.options.roots, requested, 'input_reference');
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
    const handle = await open(contained.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') throw new DomainError('not_found', `input_reference: no file "${requested}".`, { field: 'input_reference' });
        throw new DomainError('invalid_input', `input_reference: "${requested}" cannot be opened (${error.code ?? 'error'}).`, { field: 'input_reference' });
      },
    );
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        throw new DomainError('invalid_input', `input_reference: "${requested}" is not a regular file.`, { field: 'input_reference' });
      }
      // A hard link's other name can be anywhere, outside the roots too: nothing says which.
      if (stat.nlink > 1) {
        throw new DomainError('path_outside_roots', `input_reference: "${requested}" is a hard link, which may be a file from outside MEDIA_GEN_DIRS. Copy the image instead of linking it.`, {
          field: 'input_reference',
        });
      }
      if (stat.size > maxBytes) {
        throw new DomainError('invalid_reference_image', `input_reference: "${requested}" is ${stat.size} bytes; the limit is ${maxBytes}. Use a smaller image.`, {
          field: 'input_reference',
        });
      }
      // Unsafe is fine: only the bytes actually read are returned, and skipping the zero-fill halves the cost.
      const buffer = Buffer.allocUnsafe(stat.size);
      let offset = 0;
      while (offset < buffer.length) {
        const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      return new Uint8Array(buffer.buffer, buffer.byteOffset, offset);
    } finally {
      await handle.close();
    }
  }

  private async ensureDefaultRoot(): Promise<void> {
    await mkdir(this.options.roots[0]!, { recursive: true });
  }

  private uriFor(file: ContainedPath): string {
    const prefix = this.options.urlPrefixes[file.rootIndex];
    if (!prefix) return pathToFileURL(file.path).href;
    const relative = path.relative(file.root, file.path).split(path.sep).map(encodeURIComponent).join('/');
    return `${prefix.endsWith('/') ? prefix : `${prefix}/`}${relative}`;
  }
}

/**
 * Streams to a hidden temporary file beside the target (created exclusively, so it can never be an
 * existing file or link), checks the length, then renames it into place. Renaming replaces a link
 * or hard link at the target rather than writing through it. On any failure the temp file is removed.
 */
async function writeAtomically(target: string, content: MediaContent, options: SaveOptions): Promise<{ sizeBytes: number; bytes?: Uint8Array }> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.part`);
  const handle = await open(temp, 'wx', 0o644).catch((error: NodeJS.ErrnoException) => {
    throw new DomainError('invalid_input', `file: cannot write in the folder of "${target}" (${error.code ?? 'error'}). Choose another path.`, { field: 'file' });
  });
  let written = 0;
  let retained: Buffer[] | undefined = options.retainUpTo !== undefined ? [] : undefined;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      if (retained && written <= options.retainUpTo!) retained.push(chunk);
      else retained = undefined;
      options.onBytes?.(written, content.contentLength);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(content.body, counter, handle.createWriteStream(), { signal: options.signal });
    if (content.contentLength !== undefined && written !== content.contentLength) {
      throw new DomainError('download_failed', `the body was cut short: received ${written} of ${content.contentLength} bytes`, { retryable: true });
    }
    await rename(temp, target);
    return { sizeBytes: written, ...(retained ? { bytes: new Uint8Array(Buffer.concat(retained)) } : {}) };
  } catch (error) {
    await rm(temp, { force: true });
    if (options.signal?.aborted) throw new CancelledError('The download was cancelled; no file was left behind.');
    if (isDomainError(error)) throw error;
    throw new DomainError('download_failed', `the body was cut short: the connection closed before it was complete (${describe(error)})`, {
      retryable: true,
      cause: error,
    });
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : 'unknown error');
}

function stripMediaExtension(file: string): string {
  const ext = path.extname(file).toLowerCase();
  return KNOWN_MEDIA_EXTENSIONS.includes(ext) ? file.slice(0, -ext.length) : file;
}

/** Provider ids become file names: keep them to one harmless path component. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return cleaned.length > 0 ? cleaned.slice(0, 200) : 'video';
}

async function isDirectory(target: string): Promise<boolean> {
  const stat = await lstat(target).catch(() => undefined);
  return stat?.isDirectory() ?? false;
}

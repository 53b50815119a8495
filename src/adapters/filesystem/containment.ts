// node:fs/promises loads on first use (fs.promises is a lazy getter), not at start-up: it brings readline and watchers.
import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { DomainError, invalidInput, notFound, outsideRoots, type OutsideRoots } from '../../domain/errors';

/**
 * The one containment check for every path the server reads or writes. A path is inside a root only
 * if, after `..` is folded and every existing symlink on it is followed, it lies in the root's own
 * real path: sibling prefixes (`/data/out_evil` for `/data/out`), symlinked folders and dangling links
 * cannot escape. Components that do not exist yet cannot be links, so they need no resolving.
 */

/** Longest path accepted, well inside every OS's limit (Linux PATH_MAX is 4096 with the root prepended). */
const MAX_PATH_BYTES = 1024;

export interface ContainedPath {
  /** The real, absolute path (symlinks of existing components resolved). */
  path: string;
  /** Real path of the root that contains it. */
  root: string;
  /** Index of that root in the configured list. */
  rootIndex: number;
}

export function isWithin(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** The path as the caller gave it, why it was refused, and the folders it may use: the MCP layer writes the sentence. */
/** What is wrong with a path, without the path (each variant of OutsideRoots). */
type Problem = OutsideRoots extends infer Each ? (Each extends unknown ? Omit<Each, 'path' | 'allowed_folders'> : never) : never;

function refuse(requested: string, field: string, problem: Problem, roots: readonly string[]): DomainError {
  return outsideRoots(field, { ...problem, path: requested, allowed_folders: [...roots] });
}

/** Real paths of the roots that exist; a missing root simply contains nothing. */
export async function realRoots(roots: readonly string[]): Promise<(string | undefined)[]> {
  return Promise.all(roots.map((root) => fsp.realpath(root).catch(() => undefined)));
}

/** Absolute form of a caller's path: absolute as given, or relative to the first root. */
export function absoluteFrom(roots: readonly string[], requested: string, field: string): string {
  if (requested.includes('\0')) throw refuse(requested.replace(/\0/g, '\\0'), field, { problem: 'nul_byte' }, roots);
  if (requested.trim() === '') throw refuse(requested, field, { problem: 'empty' }, roots);
  if (Buffer.byteLength(requested) > MAX_PATH_BYTES) {
    throw invalidInput(field, { rule: 'path_too_long', bytes: Buffer.byteLength(requested), most_bytes: MAX_PATH_BYTES });
  }
  return path.isAbsolute(requested) ? path.resolve(requested) : path.resolve(roots[0]!, requested);
}

/**
 * Resolves `requested` and proves it is inside a root. The final component may be missing (a file to
 * write); if it exists as a symlink, the link is followed, and a dangling link is refused.
 */
export async function resolveInsideRoots(
  roots: readonly string[],
  requested: string,
  field: string,
  /** The path the caller gave, when `requested` is derived from it (a file's folder): errors quote what the caller wrote. */
  given = requested,
): Promise<ContainedPath> {
  const absolute = absoluteFrom(roots, requested, field);
  const real = await realpathOfDeepestExisting(absolute, given, field, roots);
  const reals = await realRoots(roots);
  const rootIndex = reals.findIndex((root) => root !== undefined && isWithin(root, real));
  if (rootIndex < 0) throw refuse(given, field, { problem: 'outside' }, roots);
  return { path: real, root: reals[rootIndex]!, rootIndex };
}

async function realpathOfDeepestExisting(absolute: string, requested: string, field: string, roots: readonly string[]): Promise<string> {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    const stat = await fsp.lstat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw refuse(requested, field, { problem: 'unchecked', errno: error.code ?? 'error' }, roots);
    });
    if (stat) {
      try {
        const real = await fsp.realpath(current);
        return missing.length === 0 ? real : path.join(real, ...missing.reverse());
      } catch {
        throw refuse(requested, field, { problem: 'dangling_link' }, roots);
      }
    }
    const parent = path.dirname(current);
    if (parent === current) return absolute;
    missing.push(path.basename(current));
    current = parent;
  }
}

/**
 * Creates the folders leading to `dir` one at a time, re-checking containment after each, so a
 * folder is never created through a link that points outside the roots.
 */
export async function makeDirectoryInside(roots: readonly string[], dir: string, field: string, requested: string): Promise<void> {
  const contained = await resolveInsideRoots(roots, dir, field, requested);
  const missing: string[] = [];
  let current = contained.path;
  while (!(await exists(current))) {
    missing.push(current);
    current = path.dirname(current);
  }
  if (!(await fsp.lstat(current)).isDirectory()) {
    throw invalidInput(field, { rule: 'folder_blocked', path: requested });
  }
  for (const folder of missing.reverse()) {
    await fsp.mkdir(folder).catch(async (error: NodeJS.ErrnoException) => {
      const existing = error.code === 'EEXIST' ? await fsp.lstat(folder).catch(() => undefined) : undefined;
      if (existing?.isDirectory()) return;
      const blocked = error.code === 'EEXIST' || error.code === 'ENOTDIR';
      throw invalidInput(field, { rule: 'folder_blocked', path: requested, ...(blocked ? {} : { errno: error.code ?? 'error' }) });
    });
    // Its parent was proven inside; a plain folder just made resolves to itself. One call per level
    // keeps deep paths linear (re-walking the whole path for each level would be quadratic).
    if ((await fsp.realpath(folder)) !== folder) throw refuse(requested, field, { problem: 'resolves_outside' }, roots);
  }
}

async function exists(target: string): Promise<boolean> {
  return fsp.lstat(target).then(
    () => true,
    () => false,
  );
}

/**
 * Opens a caller's file for reading, inside the roots: resolved through the one containment check, then opened without
 * following a link that appeared since (O_NOFOLLOW), only a regular file with one name (a hard link's other name may be
 * anywhere, outside the roots too). O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
 */
export async function openInsideRoots(roots: readonly string[], requested: string, field: string): Promise<FileHandle> {
  const contained = await resolveInsideRoots(roots, requested, field);
  const handle = await fsp
    .open(contained.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
    .catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw notFound({ reason: 'no_file', path: requested }, { field });
      throw invalidInput(field, { rule: 'cannot_open', path: requested, errno: error.code ?? 'error' });
    });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw invalidInput(field, { rule: 'not_regular_file', path: requested });
    if (stat.nlink > 1) {
      throw outsideRoots(field, { problem: 'hard_link', path: requested });
    }
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { DomainError, ledgerUnavailable } from '../../domain/errors';
import type { SqlDatabase, SqlSession } from './sql';

export interface SharingOptions {
  /** Closed (and the folder given up) after this long without a statement, so another local server can take it. */
  idleMs?: number;
  /** How long a statement waits for another process to give the folder up. */
  waitMs?: number;
}

/**
 * The embedded default (ADR 0018) as one person's local servers share it: PGlite is one process's at a time, so each
 * server opens the folder when a statement needs it and gives it up after a few idle seconds; a server that finds it
 * taken waits for it (a create or a budget check waits about a second more than it would), and says who holds it
 * when it never comes free. What a budget counts is then one ledger for every local server, as with a database server.
 */
export function sharedPgliteDatabase(folder: string, options: SharingOptions = {}): SqlDatabase {
  const idleMs = options.idleMs ?? 3000;
  const waitMs = options.waitMs ?? 60_000;
  let open: Promise<SqlDatabase> | undefined;
  let closing: Promise<void> = Promise.resolve();
  let active = 0;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const shut = (): Promise<void> => {
    const current = open;
    open = undefined;
    closing = closing.then(async () => (await current?.catch(() => undefined))?.close()).catch(() => undefined);
    return closing;
  };
  async function use<T>(work: (db: SqlDatabase) => Promise<T>): Promise<T> {
    clearTimeout(idle);
    active += 1;
    try {
      if (!open) {
        // A close still under way gives the lock back first: this process never holds the folder twice.
        await closing;
        open ??= openWhenFree(folder, waitMs);
        const opening = open;
        opening.catch(() => {
          if (open === opening) open = undefined;
        });
      }
      return await work(await open);
    } finally {
      active -= 1;
      if (active === 0) {
        idle = setTimeout(() => void shut(), idleMs);
        idle.unref();
      }
    }
  }
  return {
    query: (text, params) => use((db) => db.query(text, params)),
    transaction: (work) => use((db) => db.transaction(work)),
    close: async () => {
      clearTimeout(idle);
      await shut();
    },
  };
}

/** Opens the folder once no other process holds it, waiting up to `waitMs` for one that does. */
async function openWhenFree(folder: string, waitMs: number): Promise<SqlDatabase> {
  const deadline = Date.now() + waitMs;
  for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
    try {
      return await openPgliteDatabase(folder);
    } catch (error) {
      const inUse = error instanceof DomainError && error.details?.reason === 'embedded_in_use';
      if (!inUse || Date.now() + pause > deadline) throw error;
      // The other server gives the folder up after its idle seconds; nothing signals it across processes but the lock file.
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), in this process, its files in `folder`: the same SQL as the server,
 * persistent across restarts, nothing to install or run. One process at a time may open a folder (PGlite is
 * single-user, and two processes on one folder corrupt it): a lock file names the holder, and a second process is
 * told which one it is rather than opening it too.
 */
async function openPgliteDatabase(folder: string): Promise<SqlDatabase> {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const unlock = lock(path.join(path.dirname(folder), `${path.basename(folder)}.lock`));
  try {
    // Loaded on first use (27 MB of WebAssembly and data): a server that keeps no ledger never loads it.
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(folder);
    const session = (client: { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }> }): SqlSession => ({
      query: async <Row extends Record<string, unknown>>(text: string, params?: readonly unknown[]) =>
        (await client.query(text, params as unknown[] | undefined)).rows as Row[],
    });
    return {
      ...session(db),
      transaction: (work) => db.transaction((tx) => work(session(tx))),
      close: async () => {
        try {
          await db.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

/** Takes `file` for this process (a holder that no longer runs is replaced); returns how to give it back. */
function lock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(file);
        } catch {
          // Already gone.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw ledgerUnavailable({ reason: 'embedded_in_use', pid: holder, folder: path.dirname(file) });
      }
      unlinkSync(file);
    }
  }
  throw ledgerUnavailable({ reason: 'embedded_in_use', folder: path.dirname(file) });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../domain/errors';
import type { SqlDatabase, SqlSession } from './sql';

/**
 * The embedded default (ADR 0018): PostgreSQL compiled to WebAssembly (PGlite), in this process, its files in
 * `folder`. The same SQL as the server, persistent across restarts, nothing to install or run. One process at a
 * time may open a folder (PGlite is single-user): a lock file names the holder, and a second process is told
 * which one it is and how to share (a database server), rather than corrupting the files.
 */
export async function openPgliteDatabase(folder: string): Promise<SqlDatabase> {
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
        throw new DomainError(
          'ledger_unavailable',
          `the embedded ledger at ${path.dirname(file)} is open in another sora2-mcp process (pid ${holder})`,
          {
            details: { reason: 'embedded_in_use', pid: holder, folder: path.dirname(file) },
          },
        );
      }
      unlinkSync(file);
    }
  }
  throw new DomainError('ledger_unavailable', `the embedded ledger's lock ${file} could not be taken`, {
    details: { reason: 'embedded_in_use', folder: path.dirname(file) },
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { isDomainError, ledgerUnavailable } from '../../domain/errors';
import type { JobRegistry } from '../../domain/ports';
import { openPgDatabase } from './pg-database';
import { sharedPgliteDatabase } from './pglite-database';
import { migrate } from './schema';
import { SqlJobRegistry } from './sql-job-registry';

export type RegistryLocation = { kind: 'postgres'; url: string } | { kind: 'embedded'; folder: string };

/**
 * The job registry, opened (and migrated) on first use: a server that never reserves, records or checks a job never
 * loads a database driver, so it starts as fast as one without a ledger. A failed open is reported as
 * `ledger_unavailable` (nothing is sent without the ledger) and tried again by the next call.
 */
export class LazyJobRegistry implements JobRegistry {
  private opening: Promise<JobRegistry> | undefined;

  constructor(private readonly location: RegistryLocation) {}

  private registry(): Promise<JobRegistry> {
    this.opening ??= this.open().catch((error: unknown) => {
      this.opening = undefined;
      throw isDomainError(error)
        ? error
        : ledgerUnavailable({ reason: this.location.kind === 'postgres' ? 'unreachable' : 'embedded_failed' }, error);
    });
    return this.opening;
  }

  private async open(): Promise<JobRegistry> {
    const db = this.location.kind === 'postgres' ? await openPgDatabase(this.location.url) : sharedPgliteDatabase(this.location.folder);
    try {
      await migrate(db);
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
    return new SqlJobRegistry(db);
  }

  reserve: JobRegistry['reserve'] = async (request) => (await this.registry()).reserve(request);
  started: JobRegistry['started'] = async (entry, video) => (await this.registry()).started(entry, video);
  release: JobRegistry['release'] = async (entry) => (await this.registry()).release(entry);
  update: JobRegistry['update'] = async (videoId, change) => (await this.registry()).update(videoId, change);
  find: JobRegistry['find'] = async (videoId) => (await this.registry()).find(videoId);
  findByKey: JobRegistry['findByKey'] = async (owner, key) => (await this.registry()).findByKey(owner, key);
  list: JobRegistry['list'] = async (owner, query) => (await this.registry()).list(owner, query);
  spent: JobRegistry['spent'] = async (owner, since) => (await this.registry()).spent(owner, since);
  filesOf: JobRegistry['filesOf'] = async (owner) => (await this.registry()).filesOf(owner);
  saveSequence: JobRegistry['saveSequence'] = async (sequence) => (await this.registry()).saveSequence(sequence);
  findSequence: JobRegistry['findSequence'] = async (id) => (await this.registry()).findSequence(id);
  findSequenceByKey: JobRegistry['findSequenceByKey'] = async (owner, key) => (await this.registry()).findSequenceByKey(owner, key);

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    if (opening) await (await opening.catch(() => undefined))?.close();
  }
}

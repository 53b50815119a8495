// node:fs/promises loads on first use (fs.promises is a lazy getter), not at start-up: it brings readline and watchers.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Video } from '../../domain/video';

/** A simulated job as stored on disk: the public Video plus what the simulator needs to play it. */
export interface SimulatedJob {
  video: Video;
  /** Creation order, to break ties between jobs created in the same second. */
  sequence: number;
  startedAtMs: number;
  renderMs: number;
  /** Set by the `[fail]` prompt marker: the job fails half-way with this error. */
  failure: { code: string; message: string } | null;
}

/** `bytes` random bytes in hex (Web Crypto, which Node loads on first use rather than at start-up). */
const randomHex = (bytes: number): string => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');

const ID_PATTERN = /^video_[a-z0-9]{32}$/;

/**
 * Jobs as JSON files and media beside them, in one folder under the first root, so they survive a
 * restart. Ids are checked against their own format before they touch a path.
 */
export class JobRepository {
  private sequence = 0;

  constructor(readonly folder: string) {}

  static newId(): string {
    return `video_${randomHex(16)}`;
  }

  static isValidId(id: string): boolean {
    return ID_PATTERN.test(id);
  }

  nextSequence(): number {
    this.sequence += 1;
    return Date.now() * 1000 + (this.sequence % 1000);
  }

  async get(id: string): Promise<SimulatedJob | undefined> {
    if (!JobRepository.isValidId(id)) return undefined;
    try {
      return JSON.parse(await fsp.readFile(this.jobPath(id), 'utf8')) as SimulatedJob;
    } catch {
      return undefined;
    }
  }

  async put(job: SimulatedJob): Promise<void> {
    await fsp.mkdir(this.folder, { recursive: true });
    const temp = `${this.jobPath(job.video.id)}.${randomHex(4)}.tmp`;
    await fsp.writeFile(temp, JSON.stringify(job));
    await fsp.rename(temp, this.jobPath(job.video.id));
  }

  async all(): Promise<SimulatedJob[]> {
    const names = await fsp.readdir(this.folder).catch(() => [] as string[]);
    const jobs = await Promise.all(names.filter((name) => name.endsWith('.json')).map((name) => this.get(name.slice(0, -5))));
    return jobs.filter((job): job is SimulatedJob => job !== undefined);
  }

  async remove(id: string): Promise<void> {
    await Promise.all(
      [this.jobPath(id), ...['video', 'thumbnail', 'spritesheet', 'reference'].map((variant) => this.mediaPath(id, variant))].map((file) =>
        fsp.rm(file, { force: true }),
      ),
    );
  }

  mediaPath(id: string, variant: string): string {
    return path.join(this.folder, `${id}.${variant}`);
  }

  private jobPath(id: string): string {
    return path.join(this.folder, `${id}.json`);
  }
}

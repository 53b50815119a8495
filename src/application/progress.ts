import type { Video } from '../domain/video';

/** What a long call reports while it works; the MCP layer turns it into `notifications/progress`. */
export interface ProgressUpdate {
  progress: number;
  total: number;
  message: string;
}
export type ProgressListener = (update: ProgressUpdate) => void;

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** The user the call acts for (default: the one user of a server that tells none apart). */
  caller?: string;
  /** Told the job as soon as it exists (before any wait), so a caller that is cancelled later still knows it. */
  onStarted?: (video: Video) => void;
}

/**
 * Keeps reported progress strictly increasing (MCP requires it) whatever order the provider's numbers
 * arrive in, and drops repeats so a client sees at most one update per real change.
 */
export class MonotonicProgress {
  private last = -1;
  private lastMessage = '';

  constructor(private readonly listener: ProgressListener | undefined) {}

  report(progress: number, message: string, total = 100): void {
    if (!this.listener) return;
    const value = Math.min(Math.max(progress, this.last), total);
    if (value < this.last || (value === this.last && message === this.lastMessage)) return;
    // Equal value with a new message: nudge forward by a hair so the value still increases.
    const next = value === this.last ? Math.min(this.last + 0.01, total) : value;
    if (next <= this.last) return;
    this.last = next;
    this.lastMessage = message;
    this.listener({ progress: Number(next.toFixed(2)), total, message });
  }

  get current(): number {
    return Math.max(this.last, 0);
  }
}

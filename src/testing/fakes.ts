import { CancelledError } from '../domain/errors';
import type { Clock, Logger, LogLevel } from '../domain/ports';

/** A Logger that drops everything. */
export const silentLogger: Logger = { log: () => undefined };

/** A Logger that keeps every line, for assertions. */
export class RecordingLogger implements Logger {
  readonly lines: { level: LogLevel; message: string }[] = [];
  log(level: LogLevel, message: string): void {
    this.lines.push({ level, message });
  }
}

/** A clock whose sleeps return at once after moving time forward: waits of minutes take microseconds. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private readonly deadlines: { at: number; controller: AbortController }[] = [];
  constructor(public time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new CancelledError();
    this.sleeps.push(ms);
    this.time += ms;
    this.fireDeadlines();
    await Promise.resolve();
    if (signal?.aborted) throw new CancelledError();
  }
  /** Aborts when fake time passes the deadline (in a later sleep). */
  timeout(ms: number, parent?: AbortSignal): AbortSignal {
    const controller = new AbortController();
    this.deadlines.push({ at: this.time + ms, controller });
    return parent ? AbortSignal.any([parent, controller.signal]) : controller.signal;
  }
  private fireDeadlines(): void {
    for (const deadline of this.deadlines) if (deadline.at <= this.time && !deadline.controller.signal.aborted) deadline.controller.abort();
  }
}

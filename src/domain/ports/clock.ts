export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with CancelledError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * A signal that aborts once `ms` have passed on this clock (to bound a call by a deadline), or as
   * soon as `parent` aborts, whichever comes first.
   */
  timeout(ms: number, parent?: AbortSignal): AbortSignal;
}

import { CancelledError } from '../../domain/errors';
import type { Clock } from '../../domain/ports';

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  timeout(ms: number, parent?: AbortSignal): AbortSignal {
    const deadline = AbortSignal.timeout(ms);
    return parent ? AbortSignal.any([parent, deadline]) : deadline;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new CancelledError());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

import { CancelledError, DomainError, isDomainError } from './errors';
import type { MediaContent, WriteOptions } from './ports';

/**
 * A body as a store should consume it: counted (`onBytes`), stopped at once on cancellation (even
 * while it waits for the next chunk), and failing, before its end is accepted, when the connection
 * broke or fewer bytes came than announced. Stores that write through a pipe of their own (files)
 * may do the same checks their way.
 */
export async function* meteredBody(content: MediaContent, options: WriteOptions = {}): AsyncGenerator<Uint8Array> {
  const { signal } = options;
  const cancelled = () => new CancelledError('The download was cancelled; nothing was stored.');
  if (signal?.aborted) throw cancelled();
  const source = content.body[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(cancelled());
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  let written = 0;
  let done = false;
  try {
    for (;;) {
      const next = await (signal ? Promise.race([source.next(), aborted]) : source.next());
      if (next.done) break;
      written += next.value.length;
      options.onBytes?.(written, content.contentLength);
      yield next.value;
    }
    done = true;
  } catch (error) {
    if (signal?.aborted) throw cancelled();
    if (isDomainError(error)) throw error;
    throw new DomainError('download_failed', 'the body was cut short: the connection closed before it was complete', {
      retryable: true,
      cause: error,
    });
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    // Stopped early (failure, cancellation, or the consumer gave up): release the source.
    if (!done) {
      content.cancel?.();
      void source.return?.()?.catch?.(() => undefined);
    }
  }
  if (signal?.aborted) throw cancelled();
  if (content.contentLength !== undefined && written !== content.contentLength) {
    throw new DomainError('download_failed', `the body was cut short: received ${written} of ${content.contentLength} bytes`, {
      retryable: true,
    });
  }
}

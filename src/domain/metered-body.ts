import { CancelledError, downloadFailed, isDomainError } from './errors';
import type { MediaContent, WriteOptions } from './ports';

/**
 * A body as a store should consume it: counted (`onBytes`), stopped at once on cancellation (even
 * while it waits for the next chunk), and failing, before its end is accepted, when the connection
 * broke or fewer bytes came than announced. Stores that write through a pipe of their own (files)
 * may do the same checks their way.
 */
export async function* meteredBody(content: MediaContent, options: WriteOptions = {}): AsyncGenerator<Uint8Array> {
  const { signal } = options;
  const cancelled = () => new CancelledError({ stored: false });
  if (signal?.aborted) throw cancelled();
  const source = content.body[Symbol.asyncIterator]();
  // One listener per wait, removed when the chunk comes: racing every chunk against one long-lived
  // promise would keep every chunk reachable from it, and memory would grow with the video.
  const next = (): Promise<IteratorResult<Uint8Array>> =>
    signal
      ? new Promise((resolve, reject) => {
          // Aborted while the consumer held the last chunk: an abort listener added now would never fire.
          if (signal.aborted) return reject(cancelled());
          const onAbort = () => reject(cancelled());
          signal.addEventListener('abort', onAbort, { once: true });
          source.next().then(
            (result) => {
              signal.removeEventListener('abort', onAbort);
              resolve(result);
            },
            (error: Error) => {
              signal.removeEventListener('abort', onAbort);
              reject(error);
            },
          );
        })
      : source.next();
  let written = 0;
  let done = false;
  try {
    for (;;) {
      const chunk = await next();
      if (chunk.done) break;
      written += chunk.value.length;
      options.onBytes?.(written, content.contentLength);
      yield chunk.value;
    }
    done = true;
  } catch (error) {
    if (signal?.aborted) throw cancelled();
    if (isDomainError(error)) throw error;
    throw downloadFailed({ reason: 'cut_short' }, { retryable: true, cause: error });
  } finally {
    // Stopped early (failure, cancellation, or the consumer gave up): release the source.
    if (!done) {
      content.cancel?.();
      void source.return?.()?.catch?.(() => undefined);
    }
  }
  if (signal?.aborted) throw cancelled();
  if (content.contentLength !== undefined && written !== content.contentLength) {
    throw downloadFailed({ reason: 'cut_short', received: written, expected: content.contentLength }, { retryable: true });
  }
}

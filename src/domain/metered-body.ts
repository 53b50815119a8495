import { CancelledError, DomainError, isDomainError } from './errors';
import type { MediaContent, WriteOptions } from './ports';

/**
 * A body as a store should consume it: counted (`onBytes`), stopped at once on cancellation, and
 * failing, before its end is accepted, when the connection broke or fewer bytes came than announced.
 * Stores that write through a pipe of their own (files) may do the same checks their way.
 */
export async function* meteredBody(content: MediaContent, options: WriteOptions = {}): AsyncGenerator<Uint8Array> {
  let written = 0;
  const cancelled = () => new CancelledError('The download was cancelled; nothing was stored.');
  if (options.signal?.aborted) throw cancelled();
  try {
    for await (const chunk of content.body) {
      if (options.signal?.aborted) throw cancelled();
      written += chunk.length;
      options.onBytes?.(written, content.contentLength);
      yield chunk;
    }
  } catch (error) {
    if (options.signal?.aborted) throw cancelled();
    if (isDomainError(error)) throw error;
    throw new DomainError('download_failed', 'the body was cut short: the connection closed before it was complete', {
      retryable: true,
      cause: error,
    });
  }
  if (options.signal?.aborted) throw cancelled();
  if (content.contentLength !== undefined && written !== content.contentLength) {
    throw new DomainError('download_failed', `the body was cut short: received ${written} of ${content.contentLength} bytes`, {
      retryable: true,
    });
  }
}

import { Readable, Transform } from 'node:stream';
import { downloadFailed } from '../../domain/errors';
import type { MediaContent } from '../../domain/ports';

/**
 * A fetch Response's body as the store consumes it: a plain Node stream that `pipeline` pipes
 * directly, aborted when it sends nothing for `idleMs` (the SDK's timeout stops at the headers), its
 * length taken from the headers when they can be trusted.
 */
export function mediaContentOf(response: Response, idleMs: number, stall: AbortController): MediaContent {
  if (!response.body) throw downloadFailed({ reason: 'no_body' }, { retryable: true });
  const body = guardIdle(Readable.fromWeb(response.body), idleMs, stall);
  return {
    contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    contentLength: decodedLength(response.headers),
    body,
    cancel: () => {
      stall.abort();
      body.destroy();
    },
  };
}

/**
 * The length the decoded body will have, when the headers say. With a content-encoding (gzip…),
 * `content-length` counts the compressed bytes while fetch yields decoded ones, so it cannot be used.
 */
function decodedLength(headers: Headers): number | undefined {
  const encoding = (headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  const length = Number(headers.get('content-length'));
  if (encoding !== 'identity' || !headers.has('content-length') || !Number.isSafeInteger(length) || length < 0) return undefined;
  return length;
}

/**
 * Aborts the request when the body sends nothing for `idleMs`. A pass-through notes when each chunk
 * passes (no 'data' listener: that would start the flow before the consumer is attached) and one
 * interval timer compares: nothing else per chunk.
 */
function guardIdle(source: Readable, idleMs: number, stall: AbortController): Readable {
  let last = Date.now();
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      last = Date.now();
      callback(null, chunk);
    },
  });
  const check = setInterval(
    () => {
      // Data waiting for a slow consumer is backpressure, not a stalled network.
      if (guard.readableLength > 0 || guard.writableLength > 0) last = Date.now();
      if (Date.now() - last < idleMs) return;
      stall.abort();
      guard.destroy(downloadFailed({ reason: 'stalled', idle_ms: idleMs }, { retryable: true }));
    },
    Math.max(10, Math.floor(idleMs / 4)),
  );
  check.unref();
  source.on('error', (error) => guard.destroy(error));
  // The body can fail before the consumer attaches (while the store checks the target): the error
  // stays in the stream's errored state, which the consumer's pipeline reports, so it must not be
  // thrown here as an unhandled 'error' event (that would end the process).
  guard.on('error', () => undefined);
  guard.once('close', () => {
    clearInterval(check);
    source.destroy();
  });
  return source.pipe(guard);
}

import { DomainError, isDomainError } from '../../src/domain/errors';
import { meteredBody } from '../../src/domain/metered-body';
import type { MediaContent } from '../../src/domain/ports';

describe('meteredBody', () => {
  it('stops at once when cancelled while the consumer holds a chunk, even if the source never sends another', async () => {
    const controller = new AbortController();
    async function* stalls(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array([1, 2, 3]);
      await new Promise(() => undefined); // a provider that stops sending
    }
    const body = meteredBody({ contentType: 'video/mp4', body: stalls() }, { signal: controller.signal });
    expect((await body.next()).value).toEqual(new Uint8Array([1, 2, 3]));
    controller.abort(); // while the consumer (an upload) is busy with the chunk
    await expect(body.next()).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('counts bytes and refuses a body shorter than announced', async () => {
    const seen: number[] = [];
    const body = meteredBody(
      {
        contentType: 'video/mp4',
        contentLength: 5,
        body: (async function* () {
          yield new Uint8Array(3);
        })(),
      },
      { onBytes: (written) => seen.push(written) },
    );
    await expect(
      (async () => {
        for await (const _ of body) void _;
      })(),
    ).rejects.toMatchObject({ code: 'download_failed', retryable: true });
    expect(seen).toEqual([3]);
  });
});

/** Content over `iterator`, whose openings and cancellations are counted. */
function counted(iterator: () => AsyncIterator<Uint8Array>, contentLength?: number) {
  const seen = { opened: 0, cancelled: 0 };
  const content: MediaContent = {
    contentType: 'video/mp4',
    ...(contentLength === undefined ? {} : { contentLength }),
    cancel: () => {
      seen.cancelled += 1;
    },
    body: {
      [Symbol.asyncIterator]: () => {
        seen.opened += 1;
        return iterator();
      },
    },
  };
  return { content, seen };
}

function chunks(...sizes: number[]): () => AsyncIterator<Uint8Array> {
  return () =>
    (async function* () {
      for (const size of sizes) yield new Uint8Array(size);
    })();
}

async function drain(body: AsyncGenerator<Uint8Array>): Promise<number[]> {
  const sizes: number[] = [];
  for await (const chunk of body) sizes.push(chunk.length);
  return sizes;
}

/** What a body failed with: its code, retryable and details (never its message, a log note). */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return facts(error);
  }
  return 'accepted';
}

function facts(error: unknown): unknown {
  return isDomainError(error) ? { code: error.code, retryable: error.retryable, details: error.details } : error;
}

/** An abort signal that counts the abort listeners still attached to it. */
function countedSignal() {
  const controller = new AbortController();
  const live = new Set<unknown>();
  const add = controller.signal.addEventListener.bind(controller.signal);
  const remove = controller.signal.removeEventListener.bind(controller.signal);
  type Add = Parameters<AbortSignal['addEventListener']>;
  type Remove = Parameters<AbortSignal['removeEventListener']>;
  controller.signal.addEventListener = (...args: Add) => {
    if (args[0] === 'abort') live.add(args[1]);
    add(...args);
  };
  controller.signal.removeEventListener = (...args: Remove) => {
    if (args[0] === 'abort') live.delete(args[1]);
    remove(...args);
  };
  return { controller, live };
}

const CANCELLED = { code: 'cancelled', retryable: false, details: { stored: false } };

describe('meteredBody, value by value', () => {
  it('passes every chunk through, counts the running total against the announced length, and accepts the exact length', async () => {
    const seen: [number, number | undefined][] = [];
    const { content, seen: source } = counted(chunks(2, 3, 5), 10);
    expect(await drain(meteredBody(content, { onBytes: (written, total) => seen.push([written, total]) }))).toEqual([2, 3, 5]);
    expect(seen).toEqual([
      [2, 10],
      [5, 10],
      [10, 10],
    ]);
    // Read to its end: nothing to release.
    expect(source).toEqual({ opened: 1, cancelled: 0 });
  });

  it('accepts any length when none was announced', async () => {
    const { content, seen } = counted(chunks(4, 4));
    expect(await drain(meteredBody(content))).toEqual([4, 4]);
    expect(seen.cancelled).toBe(0);
  });

  it.each([
    [[3], 5, { reason: 'cut_short', received: 3, expected: 5 }],
    [[3, 3], 5, { reason: 'cut_short', received: 6, expected: 5 }],
    [[], 1, { reason: 'cut_short', received: 0, expected: 1 }],
  ])('refuses chunks %j when %d bytes were announced, saying how many came', async (sizes, length, details) => {
    const { content } = counted(chunks(...sizes), length);
    expect(await failure(drain(meteredBody(content)))).toEqual({ code: 'download_failed', retryable: true, details });
  });

  it('refuses a signal aborted before it starts without opening the body', async () => {
    const controller = new AbortController();
    controller.abort();
    const { content, seen } = counted(chunks(1));
    expect(await failure(meteredBody(content, { signal: controller.signal }).next())).toEqual(CANCELLED);
    expect(seen).toEqual({ opened: 0, cancelled: 0 });
  });

  it('stops at once when cancelled while waiting for a chunk, and a chunk that comes later is not passed on', async () => {
    const controller = new AbortController();
    let send: (result: IteratorResult<Uint8Array>) => void = () => undefined;
    const { content, seen } = counted(() => ({
      next: () => new Promise<IteratorResult<Uint8Array>>((resolve) => (send = resolve)),
    }));
    const body = meteredBody(content, { signal: controller.signal });
    const waiting = body.next();
    await Promise.resolve();
    controller.abort();
    send({ done: false, value: new Uint8Array(1) });
    expect(await failure(waiting)).toEqual(CANCELLED);
    expect(seen.cancelled).toBe(1);
  });

  it('refuses a body cancelled just as it ended: a store must not accept it', async () => {
    const controller = new AbortController();
    const { content } = counted(() => ({
      // The end arrives, and the caller cancels before the body has taken it in.
      next: () =>
        ({
          then: (resolve: (result: IteratorResult<Uint8Array>) => void) => {
            resolve({ done: true, value: undefined });
            controller.abort();
          },
        }) as unknown as Promise<IteratorResult<Uint8Array>>,
    }));
    expect(await failure(drain(meteredBody(content, { signal: controller.signal })))).toEqual(CANCELLED);
  });

  it('leaves no abort listener behind, chunk after chunk, or when the connection breaks', async () => {
    const whole = countedSignal();
    await drain(meteredBody(counted(chunks(1, 2, 3)).content, { signal: whole.controller.signal }));
    expect(whole.live.size).toBe(0);

    const broken = countedSignal();
    const { content } = counted(() => ({ next: () => Promise.reject(new Error('socket hang up')) }));
    expect(await failure(drain(meteredBody(content, { signal: broken.controller.signal })))).toMatchObject({ code: 'download_failed' });
    expect(broken.live.size).toBe(0);
  });

  it.each([false, true])('calls a broken connection a retryable cut-short download (signal given: %s)', async (withSignal) => {
    const reset = new Error('ECONNRESET');
    const { content, seen } = counted(() => ({ next: () => Promise.reject(reset) }));
    const body = meteredBody(content, withSignal ? { signal: new AbortController().signal } : {});
    let caught: unknown;
    await drain(body).catch((error: unknown) => (caught = error));
    expect(facts(caught)).toEqual({ code: 'download_failed', retryable: true, details: { reason: 'cut_short' } });
    expect((caught as Error).cause).toBe(reset);
    // Stopped early: the connection is released.
    expect(seen.cancelled).toBe(1);
  });

  it("passes a provider's own refusal through as it is", async () => {
    const refused = new DomainError('provider_unavailable', 'gone', { retryable: true, details: { status: 503 } });
    const { content } = counted(() => ({ next: () => Promise.reject(refused) }));
    await expect(drain(meteredBody(content))).rejects.toBe(refused);
  });

  it('calls a failure that follows a cancellation the cancellation', async () => {
    const controller = new AbortController();
    const { content } = counted(chunks(1));
    const body = meteredBody(content, {
      signal: controller.signal,
      onBytes: () => {
        controller.abort();
        throw new Error('the store closed on cancel');
      },
    });
    expect(await failure(drain(body))).toEqual(CANCELLED);
  });

  it('releases the source when the consumer gives up early, and only then', async () => {
    let returned = 0;
    const { content, seen } = counted(() => {
      const inner = chunks(1, 1, 1)();
      return {
        next: () => inner.next(),
        return: () => {
          returned += 1;
          return Promise.resolve({ done: true as const, value: undefined });
        },
      };
    });
    const body = meteredBody(content);
    await body.next();
    await body.return(undefined);
    expect({ ...seen, returned }).toEqual({ opened: 1, cancelled: 1, returned: 1 });
  });

  it.each([
    ['no return at all', {}],
    ['a return that gives nothing back', { return: () => undefined }],
    ['a return that gives back no promise', { return: () => ({}) }],
    ['a return that fails', { return: () => Promise.reject(new Error('already closed')) }],
  ])('gives up cleanly on a source with %s', async (_name, extra) => {
    const { content, seen } = counted(() => {
      const inner = chunks(1, 1)();
      return { next: () => inner.next(), ...extra } as AsyncIterator<Uint8Array>;
    });
    const body = meteredBody(content);
    await body.next();
    await expect(body.return(undefined)).resolves.toEqual({ done: true, value: undefined });
    expect(seen.cancelled).toBe(1);
  });
});

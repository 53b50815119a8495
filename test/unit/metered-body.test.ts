import { meteredBody } from '../../src/domain/metered-body';

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

'use strict';
// A fast loopback /v1/videos provider for the benchmark: one completed video whose content is
// generated on the fly (no memory held), of the size the benchmark sets.
const { createServer } = require('node:http');

const CHUNK = Buffer.alloc(1024 * 1024, 0x42);

/** A box: 32-bit size, type, payload. */
function box(type, payload) {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, payload]);
}

/**
 * The start of a structurally whole MP4 of `total` bytes (the server verifies what it saves):
 * ftyp, moov, then an mdat header whose size covers the rest, which is filler streamed on the fly.
 */
function mp4Head(total) {
  const ftyp = box('ftyp', Buffer.from('isom\0\0\0\0isomiso2mp41', 'latin1'));
  const moov = box('moov', box('mvhd', Buffer.alloc(100)));
  const rest = total - ftyp.length - moov.length;
  const mdat = Buffer.alloc(16);
  mdat.writeUInt32BE(1);
  mdat.write('mdat', 4, 'latin1');
  mdat.writeBigUInt64BE(BigInt(rest), 8);
  return Buffer.concat([ftyp, moov, mdat]);
}

function video(id) {
  return {
    id,
    object: 'video',
    model: 'sora-2',
    status: 'completed',
    progress: 100,
    created_at: 1,
    completed_at: 2,
    expires_at: 3,
    prompt: 'bench',
    size: '720x1280',
    seconds: '4',
    remixed_from_video_id: null,
    error: null,
  };
}

async function startLoopbackProvider() {
  const state = { contentBytes: 1024 };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const content = /^\/v1\/videos\/([^/]+)\/content$/.exec(url.pathname);
    if (content) {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(state.contentBytes) });
      const head = mp4Head(state.contentBytes);
      res.write(head);
      let left = state.contentBytes - head.length;
      const pump = () => {
        while (left > 0) {
          const part = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
          left -= part.length;
          if (!res.write(part)) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    const one = /^\/v1\/videos\/([^/]+)$/.exec(url.pathname);
    if (one) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(video(one[1])));
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end('{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    baseURL: `http://127.0.0.1:${server.address().port}/v1`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

module.exports = { startLoopbackProvider };

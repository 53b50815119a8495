'use strict';
// A fast loopback /v1/videos provider for the benchmark: one completed video whose content is
// generated on the fly (no memory held), of the size the benchmark sets.
const { createServer } = require('node:http');

const CHUNK = Buffer.alloc(1024 * 1024, 0x42);

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
      let left = state.contentBytes;
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

'use strict';
// A loopback /v1/videos provider whose jobs render in wall-clock time, reporting progress in whole percents as real
// providers do, in one of several shapes (`x-progress-shape`): linear; queued first (0% for the first 30% of the time);
// stepped (quarters); stalled (to 50%, then still for 40% of the time); accelerating (the square of the time taken). It
// counts status requests per job and remembers when each job completed, so the benchmark can compare polling strategies.
const { createServer } = require('node:http');

async function startRenderingProvider() {
  const jobs = new Map();
  let counter = 0;
  const SHAPES = {
    linear: (f) => f,
    queued: (f) => (f < 0.3 ? 0 : (f - 0.3) / 0.7),
    stepped: (f) => Math.floor(f * 4) / 4,
    stalled: (f) => (f < 0.3 ? (f / 0.3) * 0.5 : f < 0.7 ? 0.5 : 0.5 + ((f - 0.7) / 0.3) * 0.5),
    accelerating: (f) => f * f,
  };
  const view = (job) => {
    const fraction = (Date.now() - job.startedAt) / job.renderMs;
    const done = fraction >= 1;
    const shown = (SHAPES[job.shape] ?? SHAPES.linear)(Math.min(fraction, 1));
    return {
      id: job.id,
      object: 'video',
      model: 'bench-model',
      status: done ? 'completed' : shown <= 0 ? 'queued' : 'in_progress',
      progress: done ? 100 : Math.floor(100 * shown),
      created_at: 1,
      completed_at: done ? 2 : null,
      expires_at: null,
      prompt: 'bench',
      size: '720x1280',
      seconds: '4',
      remixed_from_video_id: null,
      error: null,
    };
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'POST' && url.pathname === '/v1/videos') {
      req.resume();
      return req.on('end', () => {
        counter += 1;
        const renderMs = Number(req.headers['x-render-ms'] ?? 20_000);
        const shape = String(req.headers['x-progress-shape'] ?? 'linear');
        const job = { id: `video_${counter}`, renderMs, shape, startedAt: Date.now(), statusRequests: 0 };
        jobs.set(job.id, job);
        send(200, view(job));
      });
    }
    const one = /^\/v1\/videos\/([^/]+)$/.exec(url.pathname);
    const job = one && jobs.get(one[1]);
    if (job) {
      job.statusRequests += 1;
      return send(200, view(job));
    }
    send(404, { error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    jobs,
    baseURL: `http://127.0.0.1:${server.address().port}/v1`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

module.exports = { startRenderingProvider };

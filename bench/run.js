#!/usr/bin/env node
/*
 * npm run bench: each figure of docs/performance.md, measured against its floor on this machine,
 * alternating the two sides and reporting min / median / max and the ratio of medians.
 *   node bench/run.js [--quick] [--write]     --write updates the results in docs/performance.md
 * Needs `npm run build` (npm run bench does it). Everything runs on loopback.
 */
'use strict';
const { spawn } = require('node:child_process');
const { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startLoopbackProvider } = require('./loopback-provider');

const ROOT = path.resolve(__dirname, '..');
const SERVER = path.join(ROOT, 'build', 'index.js');
const QUICK = process.argv.includes('--quick');
const ROUNDS = QUICK ? 3 : 9;
const MiB = 1024 * 1024;
const results = [];

// ---------- helpers ----------
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const stats = (values) => ({ min: Math.min(...values), median: median(values), max: Math.max(...values) });
const status = (pid, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
const resetPeak = (pid) => writeFileSync(`/proc/${pid}/clear_refs`, '5');
/** CPU time a process has used (user and system, all its threads), in ms: /proc/<pid>/stat fields 14 and 15, in ticks of 10 ms. */
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
/** CPU time of a process in seconds, all threads (libuv's pool too), from the scheduler's nanosecond counters. */
const cpuSeconds = (pid) =>
  readdirSync(`/proc/${pid}/task`).reduce(
    (sum, task) => sum + Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]) / 1e9,
    0,
  );

/** A raw newline-delimited JSON-RPC client: measures the server, not an SDK client's own work. */
class RawServer {
  constructor(args, env) {
    this.child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['pipe', 'pipe', 'ignore'] });
    this.nextId = 1;
    this.waiting = new Map();
    let buffer = '';
    this.child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const message = JSON.parse(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        const resolve = this.waiting.get(message.id);
        if (resolve) {
          this.waiting.delete(message.id);
          resolve(message);
        }
      }
    });
  }
  get pid() {
    return this.child.pid;
  }
  request(method, params = {}) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }
  async initialize() {
    await this.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } });
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    return this;
  }
  call(name, args) {
    return this.request('tools/call', { name, arguments: args }).then((message) => {
      if (message.error || message.result.isError)
        throw new Error(`${name} failed: ${JSON.stringify(message.error ?? message.result.content)}`);
      return message.result;
    });
  }
  close() {
    this.child.kill();
  }
}

function record(name, unit, ours, floor, target, pass, note = '') {
  results.push({ name, unit, ours, floor, target, pass, note });
  const digits = unit === 'ms' || unit.startsWith('%') ? 1 : 0;
  const fmt = (s) => (s ? `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} / ${s.max.toFixed(digits)}` : '-');
  const ratio = floor ? (ours.median / floor.median).toFixed(2) : '-';
  console.log(
    `${pass ? 'PASS' : 'MISS'}  ${name}: ours ${fmt(ours)} ${unit}, floor ${fmt(floor)} ${unit}, ratio ${ratio}, target ${target}${note ? ` (${note})` : ''}`,
  );
}

// ---------- 1. cold start ----------
async function coldStartOnce(args, env = {}) {
  const started = process.hrtime.bigint();
  const server = new RawServer(args, env);
  await server.initialize();
  await server.request('tools/list');
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  server.close();
  return ms;
}

/** A start takes under 200 ms and varies by a tenth between runs: more of them than other figures take, for a steady median. */
const START_ROUNDS = QUICK ? 5 : 25;

async function coldStart() {
  const floor = [];
  const ours = [];
  await coldStartOnce([SERVER]); // page cache warm for both sides
  await coldStartOnce([path.join(__dirname, 'floor-server.js')]);
  for (let i = 0; i < START_ROUNDS; i += 1) {
    floor.push(await coldStartOnce([path.join(__dirname, 'floor-server.js')]));
    ours.push(await coldStartOnce([SERVER]));
  }
  const o = stats(ours);
  const f = stats(floor);
  record('Cold start: spawn → initialize → tools/list', 'ms', o, f, '≤ 1.05×', o.median / f.median <= 1.05);
  // With an S3 store configured, start-up loads no AWS SDK: the same figure, within the same target.
  const s3 = { SORA2_MCP_STORE: 's3://bench/prefix', AWS_REGION: 'us-east-1' };
  const oursS3 = [];
  const floorS3 = [];
  for (let i = 0; i < START_ROUNDS; i += 1) {
    floorS3.push(await coldStartOnce([path.join(__dirname, 'floor-server.js')]));
    oursS3.push(await coldStartOnce([SERVER], s3));
  }
  const o3 = stats(oursS3);
  const f3 = stats(floorS3);
  record('Cold start with SORA2_MCP_STORE=s3://…', 'ms', o3, f3, '≤ 1.05×', o3.median / f3.median <= 1.05);
}

// ---------- 2. call overhead ----------
async function startSimulator(folder) {
  const child = spawn(process.execPath, [SERVER, 'simulator', '--port', '0'], {
    env: { PATH: process.env.PATH, MEDIA_GEN_DIRS: folder, SORA2_MCP_SIMULATOR_RENDER_MS: '0', SORA2_MCP_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const baseURL = await new Promise((resolve) =>
    child.stdout.on('data', (chunk) => {
      const match = /listening on (\S+)/.exec(String(chunk));
      if (match) resolve(match[1]);
    }),
  );
  return { child, baseURL };
}

async function timeCalls(call, count) {
  const times = [];
  for (let i = 0; i < count; i += 1) {
    const started = process.hrtime.bigint();
    await call();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(times);
}

async function callOverhead() {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sora2-bench-'));
  const simulator = await startSimulator(folder);
  try {
    const headers = { authorization: 'Bearer sk-bench', 'content-type': 'application/json' };
    const video = await (
      await fetch(`${simulator.baseURL}/videos`, { method: 'POST', headers, body: JSON.stringify({ prompt: 'bench' }) })
    ).json();
    const env = { OPENAI_BASE_URL: simulator.baseURL, SORA2_MCP_LOG_LEVEL: 'warn', MEDIA_GEN_DIRS: folder };
    const ours = await new RawServer([SERVER], { ...env, SORA2_MCP_API_KEY: 'sk-bench' }).initialize();
    const floor = await new RawServer([path.join(__dirname, 'floor-call-server.js')], { ...env, OPENAI_API_KEY: 'sk-bench' }).initialize();
    const OpenAI = require('openai');
    const direct = new OpenAI({ apiKey: 'sk-bench', baseURL: simulator.baseURL });
    const sides = {
      ours: () => ours.call('openai-videos-retrieve', { video_id: video.id }),
      floor: () => floor.call('retrieve', { video_id: video.id }),
      direct: () => direct.videos.retrieve(video.id),
    };
    const calls = QUICK ? 100 : 300;
    for (const side of Object.values(sides)) await timeCalls(side, 100); // JIT warm-up
    const rounds = { ours: [], floor: [], direct: [] };
    for (let i = 0; i < Math.max(7, ROUNDS); i += 1) {
      const order = i % 2 === 0 ? ['floor', 'ours', 'direct'] : ['ours', 'floor', 'direct'];
      for (const name of order) rounds[name].push(await timeCalls(sides[name], calls));
    }
    ours.close();
    floor.close();
    const o = stats(rounds.ours);
    const f = stats(rounds.floor);
    record(
      'Call overhead: openai-videos-retrieve over stdio (median per call)',
      'ms',
      o,
      f,
      '≤ 1.15×',
      o.median / f.median <= 1.15,
      `direct SDK call, no MCP: ${stats(rounds.direct).median.toFixed(2)} ms`,
    );
  } finally {
    simulator.child.kill();
    rmSync(folder, { recursive: true, force: true });
  }
}

// ---------- 3. download ----------
/** Runs a floor script, which prints one JSON line: its RSS before, its peak RSS, and the time taken. */
function runPlain(script, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${script} exited ${code}`))));
  });
}

/**
 * One download of `size` bytes by a fresh server, warmed up like the plain scripts (a small download loads the SDKs):
 * its peak RSS growth over its RSS just before the call, in MiB, and its throughput in MiB/s.
 */
async function ourDownload(env, provider, size, file) {
  const ours = await new RawServer([SERVER], env).initialize();
  provider.state.contentBytes = MiB;
  await ours.call('openai-videos-download-content', { video_id: 'video_bench', file: 'warm', overwrite: true });
  provider.state.contentBytes = size;
  const before = status(ours.pid, 'VmRSS');
  resetPeak(ours.pid);
  const started = process.hrtime.bigint();
  await ours.call('openai-videos-download-content', { video_id: 'video_bench', file, overwrite: true });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const growth = (status(ours.pid, 'VmHWM') - before) / MiB;
  ours.close();
  return { growth, speed: size / MiB / (ms / 1000) };
}

/** Adds one measurement of each side (the plain script's figures converted the same way). */
function addSides(sides, size, ours, plain) {
  sides.ours.growth.push(ours.growth);
  sides.ours.speed.push(ours.speed);
  sides.floor.growth.push((plain.peak - plain.before) / MiB);
  sides.floor.speed.push(size / MiB / (plain.ms / 1000));
}

async function download() {
  const provider = await startLoopbackProvider();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sora2-bench-dl-'));
  const env = { OPENAI_BASE_URL: provider.baseURL, SORA2_MCP_API_KEY: 'sk-bench', MEDIA_GEN_DIRS: folder, SORA2_MCP_LOG_LEVEL: 'warn' };
  try {
    const growth = {};
    for (const size of QUICK ? [256 * MiB] : [256 * MiB, 1024 * MiB]) {
      const sides = { ours: { growth: [], speed: [] }, floor: { growth: [], speed: [] } };
      for (let i = 0; i < 7; i += 1) {
        const ours = await ourDownload(env, provider, size, 'ours');
        rmSync(path.join(folder, 'ours.mp4'), { force: true });
        const plain = await runPlain('plain-download.js', [
          `${provider.baseURL}/videos/video_bench/content`,
          path.join(folder, 'plain.mp4'),
        ]);
        rmSync(path.join(folder, 'plain.mp4'), { force: true });
        addSides(sides, size, ours, plain);
      }
      const label = `${size / MiB} MiB`;
      const og = stats(sides.ours.growth);
      const fg = stats(sides.floor.growth);
      growth[label] = og.median;
      record(`Download ${label}: peak RSS growth`, 'MiB', og, fg, '≤ plain + 10%', og.median <= fg.median * 1.1);
      const os_ = stats(sides.ours.speed);
      const fs_ = stats(sides.floor.speed);
      record(`Download ${label}: throughput`, 'MiB/s', os_, fs_, '≥ 0.80×', os_.median / fs_.median >= 0.8);
    }
    const sizes = Object.keys(growth);
    if (sizes.length === 2) {
      const [small, large] = sizes.map((label) => growth[label]);
      // "The same at both sizes": buffering that grew with the asset would add hundreds of MiB for 768 MiB
      // more data; run-to-run noise (GC timing) is about ±20 MiB, so 16 MiB is the tolerance.
      record(
        'Download: growth at 1 GiB (first column) vs at 256 MiB (second column)',
        'MiB',
        stats([large]),
        stats([small]),
        '≤ 256 MiB figure + 16 MiB',
        large <= small + 16,
      );
    }
  } finally {
    await provider.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

// ---------- 3b. download into S3 ----------
/** A 256 MiB video downloaded into S3 (s3rver on loopback) by the server, against a plain lib-storage upload of the same stream. */
async function s3Upload() {
  const S3rver = require('s3rver');
  const provider = await startLoopbackProvider();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sora2-bench-s3-'));
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: folder, configureBuckets: [{ name: 'bench' }] });
  const { port } = await s3.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const env = {
    OPENAI_BASE_URL: provider.baseURL,
    SORA2_MCP_API_KEY: 'sk-bench',
    MEDIA_GEN_DIRS: path.join(folder, 'local'),
    SORA2_MCP_LOG_LEVEL: 'warn',
    SORA2_MCP_STORE: 's3://bench/ours',
    SORA2_MCP_S3_FORCE_PATH_STYLE: '1',
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const growth = [];
  try {
    for (const size of QUICK ? [256 * MiB] : [256 * MiB, 1024 * MiB]) {
      const sides = { ours: { growth: [], speed: [] }, floor: { growth: [], speed: [] } };
      // The 1 GiB size only shows whether memory grows with the asset: fewer rounds.
      for (let i = 0; i < (QUICK || size > 256 * MiB ? 3 : 5); i += 1) {
        const ours = await ourDownload(env, provider, size, 'video');
        const plain = await runPlain(
          'plain-s3-upload.js',
          [`${provider.baseURL}/videos/video_bench/content`, endpoint, 'bench', 'plain/video.mp4'],
          {
            ...process.env,
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          },
        );
        addSides(sides, size, ours, plain);
      }
      const label = `${size / MiB} MiB`;
      const og = stats(sides.ours.growth);
      const fg = stats(sides.floor.growth);
      growth.push(og.median);
      // Both sides hold a few parts in flight (ours 2 × 5 MiB, lib-storage's default 4 × 5 MiB); the
      // server's own heap (MCP, verification) adds some: 32 MiB of room, and no growth with the size.
      record(`Download ${label} into S3: peak RSS growth`, 'MiB', og, fg, '≤ plain lib-storage + 32 MiB', og.median <= fg.median + 32);
      const os_ = stats(sides.ours.speed);
      const fs_ = stats(sides.floor.speed);
      record(`Download ${label} into S3: throughput`, 'MiB/s', os_, fs_, '≥ 0.80×', os_.median / fs_.median >= 0.8);
    }
    if (growth.length === 2) {
      record(
        'Download into S3: growth at 1 GiB (first column) vs at 256 MiB (second column)',
        'MiB',
        stats([growth[1]]),
        stats([growth[0]]),
        '≤ 256 MiB figure + 16 MiB',
        growth[1] <= growth[0] + 16,
      );
    }
  } finally {
    await provider.close();
    await s3.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

// ---------- 3c. serving a team over HTTP ----------
/** Ends a server started by startListening, and waits until it has exited (so it takes no CPU from what runs next). */
function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill();
  });
}

function startListening(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/**
 * 20 HTTP clients, 200 concurrent calls: 160 trivial ones (timed), and on our side 20 calls that wait for a job and 20 that
 * are cancelled while they wait. Against the floor, the same clients make the same 160 trivial calls, answered with the
 * same document.
 */
async function httpLoad() {
  // The 2026-07-28 client (the v2 SDK pinned), as Claude Code and Claude Desktop speak to a server first.
  const { Client, StreamableHTTPClientTransport } = require('@modelcontextprotocol/client');
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sora2-bench-http-'));
  const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];
  /**
   * What each side is asked: the same 200 concurrent calls from 20 clients, 160 of them trivial (timed) and 40 that wait
   * about a second with progress, half of them cancelled after 200 ms. Ours waits for a video job (on the simulator,
   * rendering for 1 s); the floor's wait tool sleeps for a second, sending progress as ours does.
   */
  const OURS = {
    trivial: 'openai-videos-models',
    // A size and duration sora-2 takes: a refused create answers at once and would wait for nothing.
    wait: (prompt) => ({
      name: 'openai-videos-create',
      arguments: { prompt, size: '720x1280', seconds: '4', wait_for_completion: true, download_variants: [] },
    }),
    done: (result) => !result.isError && result.structuredContent?.status === 'completed',
  };
  const FLOOR = { trivial: 'models', wait: () => ({ name: 'wait', arguments: {} }), done: (result) => !result.isError };
  const waitFor = (client, side, prompt) =>
    client.callTool(side.wait(prompt), { timeout: 120_000, onprogress: () => undefined }).then((result) => {
      if (!side.done(result)) throw new Error(`a wait under load did not complete: ${JSON.stringify(result.content).slice(0, 300)}`);
    });
  const cancelledWait = (client, side, prompt) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    return client
      .callTool(side.wait(prompt), { signal: controller.signal, timeout: 120_000, onprogress: () => undefined })
      .catch(() => undefined);
  };
  async function run(url, pid, side) {
    const clients = [];
    let answer;
    for (let i = 0; i < 20; i += 1) {
      const client = new Client({ name: `bench-${i}`, version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      answer = await client.callTool({ name: side.trivial, arguments: {} }); // warm
      clients.push(client);
    }
    // One untimed round first, the same calls as the timed one: both sides are measured warm (code loaded and compiled),
    // as a server that has been up for a while is, not on its first calls.
    const load = async (latencies) => {
      const calls = [];
      for (const [index, client] of clients.entries()) {
        for (let j = 0; j < 8; j += 1) {
          calls.push(
            (async () => {
              const started = process.hrtime.bigint();
              await client.callTool({ name: side.trivial, arguments: {} });
              latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            })(),
          );
        }
        calls.push(waitFor(client, side, `load ${index}`), cancelledWait(client, side, `cancelled ${index}`));
      }
      await Promise.all(calls);
      return calls.length;
    };
    await load([]);
    const before = status(pid, 'VmRSS');
    resetPeak(pid);
    const latencies = [];
    const calls = await load(latencies);
    const peak = status(pid, 'VmHWM');
    // Then what the server spends per trivial call: 1,000 of them, 20 at a time (one per client), and its CPU time.
    const cpuBefore = cpuMs(pid);
    for (let batch = 0; batch < 50; batch += 1)
      await Promise.all(clients.map((client) => client.callTool({ name: side.trivial, arguments: {} })));
    const cpuPerCall = (cpuMs(pid) - cpuBefore) / (50 * clients.length);
    await Promise.all(clients.map((client) => client.close()));
    return {
      cpuPerCall,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      growth: (peak - before) / MiB,
      peak: peak / MiB,
      calls,
      answer,
    };
  }
  const ours = { p50: [], p99: [], peak: [], cpu: [] };
  const floor = { p50: [], p99: [], peak: [], cpu: [] };
  try {
    // The order alternates, round by round, so that neither side is always measured second (with a client process
    // that has warmed up more, or a machine still settling after the other server).
    const answerFile = path.join(folder, 'floor-answer.json');
    const measureOurs = async () => {
      const server = await startListening([SERVER, 'http', '--port', '0', '--no-auth'], {
        SORA2_MCP_PROVIDER: 'simulator',
        SORA2_MCP_SIMULATOR_RENDER_MS: '1000',
        MEDIA_GEN_DIRS: folder,
        SORA2_MCP_LOG_LEVEL: 'error',
      });
      const o = await run(server.url, server.child.pid, OURS).finally(() => stop(server.child));
      // The floor answers with the same document as ours (the models list is ~40 kB since it carries prices and
      // controls): the figure is then what our server adds per call, not what the answer weighs.
      writeFileSync(answerFile, JSON.stringify({ content: o.answer.content, structuredContent: o.answer.structuredContent }));
      ours.p50.push(o.p50);
      ours.p99.push(o.p99);
      ours.peak.push(o.peak);
      ours.cpu.push(o.cpuPerCall);
    };
    const measureFloor = async () => {
      const plain = await startListening([path.join(__dirname, 'floor-http-server.js')], { FLOOR_ANSWER: answerFile });
      const f = await run(plain.url, plain.child.pid, FLOOR).finally(() => stop(plain.child));
      floor.p50.push(f.p50);
      floor.p99.push(f.p99);
      floor.peak.push(f.peak);
      floor.cpu.push(f.cpuPerCall);
    };
    for (let round = 0; round < (QUICK ? 2 : 6); round += 1) {
      if (round % 2 === 0) {
        await measureOurs();
        await measureFloor();
      } else {
        await measureFloor();
        await measureOurs();
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const note =
    '20 clients, 200 concurrent calls each side: 160 trivial + 20 waits of about 1 s with progress + 20 waits cancelled after 200 ms';
  const p50 = [stats(ours.p50), stats(floor.p50)];
  record('HTTP load: p50 latency of a trivial call', 'ms', p50[0], p50[1], '≤ 1.2×', p50[0].median <= 1.2 * p50[1].median, note);
  const p99 = [stats(ours.p99), stats(floor.p99)];
  record('HTTP load: p99 latency of a trivial call', 'ms', p99[0], p99[1], '≤ 1.3×', p99[0].median <= 1.3 * p99[1].median);
  const cpu = [stats(ours.cpu), stats(floor.cpu)];
  record(
    'HTTP: server CPU per trivial call (1,000 calls, 20 at a time, after the load)',
    'ms',
    cpu[0],
    cpu[1],
    '≤ 1.2×',
    cpu[0].median <= 1.2 * cpu[1].median,
  );
  const peak = [stats(ours.peak), stats(floor.peak)];
  record('HTTP load: server peak RSS', 'MiB', peak[0], peak[1], '< 250 MiB', peak[0].median < 250);
}

// ---------- 4. reference fitting ----------
async function fitting() {
  const sharp = require('sharp');
  const { FileSystemLocalFileReader } = require('../build/adapters/filesystem/file-system-local-file-reader');
  const { SharpImageProcessor } = require('../build/adapters/sharp/sharp-image-processor');
  const { GuardedImageFetcher } = require('../build/adapters/http/guarded-image-fetcher');
  const { ReferenceImagePreparer } = require('../build/application/reference-image-preparer');
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sora2-bench-fit-'));
  try {
    const source = path.join(folder, 'source.jpg');
    const jpeg = await sharp({ create: { width: 6000, height: 4000, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 50 } } })
      .jpeg({ quality: 90 })
      .toBuffer();
    writeFileSync(source, jpeg);
    const preparer = new ReferenceImagePreparer(
      new FileSystemLocalFileReader([folder]),
      new SharpImageProcessor({ limitInputPixels: 50_000_000 }),
      new GuardedImageFetcher({ allowlist: undefined }),
    );
    const ours = () => preparer.prepare({ input: 'source.jpg', size: '1280x720', fit: 'cover', background: 'blur' });
    const bare = async () => sharp(readFileSync(source)).rotate().resize(1280, 720, { fit: 'cover' }).png().toBuffer();
    await ours();
    await bare();
    const times = { ours: [], bare: [] };
    for (let i = 0; i < ROUNDS; i += 1) {
      for (const [name, run] of i % 2 === 0
        ? [
            ['bare', bare],
            ['ours', ours],
          ]
        : [
            ['ours', ours],
            ['bare', bare],
          ]) {
        const started = process.hrtime.bigint();
        await run();
        times[name].push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
    const o = stats(times.ours);
    const f = stats(times.bare);
    record(
      `Reference fitting: 6000×4000 JPEG (${(jpeg.length / MiB).toFixed(1)} MiB) → cover 1280×720`,
      'ms',
      o,
      f,
      '≤ 1.15×',
      o.median / f.median <= 1.15,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

// ---------- 5. waiting ----------
async function waiting() {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sora2-bench-wait-'));
  const server = await new RawServer([SERVER], {
    SORA2_MCP_PROVIDER: 'simulator',
    SORA2_MCP_SIMULATOR_RENDER_MS: '3600000',
    MEDIA_GEN_DIRS: folder,
    SORA2_MCP_LOG_LEVEL: 'warn',
  }).initialize();
  try {
    const idle = status(server.pid, 'VmRSS') / MiB;
    resetPeak(server.pid);
    for (let i = 0; i < 50; i += 1)
      void server.request('tools/call', {
        name: 'openai-videos-create',
        arguments: { prompt: `job ${i}`, wait_for_completion: true, timeout_ms: 3_600_000 },
      });
    await sleep(3000);
    const cpuBefore = cpuSeconds(server.pid);
    const window = QUICK ? 5 : 10;
    await sleep(window * 1000);
    const cpu = ((cpuSeconds(server.pid) - cpuBefore) / window) * 100;
    const peak = status(server.pid, 'VmHWM') / MiB;
    const page = await server.call('openai-videos-list', { limit: 100 });
    const waitingJobs = page.structuredContent.data.filter((video) => video.status === 'queued' || video.status === 'in_progress').length;
    if (waitingJobs !== 50) throw new Error(`expected 50 unfinished jobs, found ${waitingJobs}`);
    record(
      'Waiting: 50 concurrent wait_for_completion jobs, peak RSS',
      'MiB',
      stats([peak]),
      undefined,
      '< 150 MiB',
      peak < 150,
      `${idle.toFixed(0)} MiB before the jobs`,
    );
    record(
      'Waiting: CPU while idle-waiting (polls every 2 s)',
      '% of a core',
      stats([cpu]),
      undefined,
      '< 5%',
      cpu < 5,
      `over ${window} s, 50 jobs waiting`,
    );
  } finally {
    server.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

// ---------- report ----------
function markdown() {
  const fmt = (s, unit) => {
    const digits = unit === 'ms' || unit.startsWith('%') ? 1 : 0;
    return s ? `${s.min.toFixed(digits)} / **${s.median.toFixed(digits)}** / ${s.max.toFixed(digits)}` : '';
  };
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `Measured on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.version}.`,
    '',
    '| figure | unit | sora2-mcp min / **median** / max | floor min / **median** / max | ratio | target | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.name}${r.note ? ` (${r.note})` : ''} | ${r.unit} | ${fmt(r.ours, r.unit)} | ${fmt(r.floor, r.unit)} | ${r.floor ? (r.ours.median / r.floor.median).toFixed(2) : ''} | ${r.target} | ${r.pass ? 'met' : '**missed**'} |`,
    ),
  ];
  return lines.join('\n');
}

// ---------- 6. polling: status requests per job, and how late the result comes ----------
/**
 * A 3 s, a 20 s and a 2-minute job in each progress shape (linear, queued first, stepped, stalled, accelerating), each
 * followed by the server (create with wait_for_completion and no poll_interval_ms: the adaptive schedule) and by round
 * one's fixed 2 s polling (a plain loop against the same provider), all at once. The provider reports whole percents.
 */
const POLL_SHAPES = ['linear', 'queued', 'stepped', 'stalled', 'accelerating'];

async function polling() {
  const { startRenderingProvider } = require('./rendering-provider');
  const provider = await startRenderingProvider();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sora2-bench-poll-'));
  const headers = (renderMs, shape) => ({
    'content-type': 'application/json',
    authorization: 'Bearer bench-key',
    'x-render-ms': String(renderMs),
    'x-progress-shape': shape,
  });
  const fixedLoop = async (renderMs, shape) => {
    const created = await (
      await fetch(`${provider.baseURL}/videos`, { method: 'POST', headers: headers(renderMs, shape), body: '{}' })
    ).json();
    for (;;) {
      await sleep(2000);
      const video = await (await fetch(`${provider.baseURL}/videos/${created.id}`, { headers: headers(renderMs, shape) })).json();
      if (video.status === 'completed') return { job: provider.jobs.get(created.id), endedAt: Date.now() };
    }
  };
  const oursLoop = async (renderMs, shape) => {
    const server = await new RawServer([SERVER], {
      SORA2_MCP_API_KEY: 'bench-key',
      OPENAI_BASE_URL: provider.baseURL,
      MEDIA_GEN_DIRS: folder,
      SORA2_MCP_LOG_LEVEL: 'warn',
      SORA2_MCP_EXTRA_HEADERS: JSON.stringify({ 'x-render-ms': String(renderMs), 'x-progress-shape': shape }),
    }).initialize();
    const before = new Set(provider.jobs.keys());
    // An unknown model: nothing but the provider's progress says when it will be done.
    await server.call('openai-videos-create', {
      prompt: 'bench',
      model: 'bench-model',
      wait_for_completion: true,
      download_variants: [],
      timeout_ms: 600_000,
    });
    const endedAt = Date.now();
    server.close();
    const job = [...provider.jobs.values()].find(
      (candidate) => !before.has(candidate.id) && candidate.renderMs === renderMs && candidate.shape === shape,
    );
    return { job, endedAt };
  };
  const figure = ({ job, endedAt }) => ({ requests: job.statusRequests, lateMs: endedAt - (job.startedAt + job.renderMs) });
  const lengths = [3000, 20_000, 120_000];
  const cases = POLL_SHAPES.flatMap((shape) => lengths.map((renderMs) => ({ shape, renderMs })));
  const runs = await Promise.all(cases.flatMap(({ shape, renderMs }) => [oursLoop(renderMs, shape), fixedLoop(renderMs, shape)]));
  await provider.close();
  rmSync(folder, { recursive: true, force: true });
  const one = (value) => ({ min: value, median: value, max: value });
  for (const [index, { shape, renderMs }] of cases.entries()) {
    const label = `${renderMs < 60_000 ? `${renderMs / 1000} s` : `${renderMs / 60_000} min`} ${shape}`;
    const ours = figure(runs[index * 2]);
    const fixed = figure(runs[index * 2 + 1]);
    // A 3 s job takes two fixed polls: a third of that is not a whole request, so only the lateness is a target there.
    if (renderMs >= 20_000) {
      record(
        `Polling a ${label} job: status requests until the result`,
        'requests',
        one(ours.requests),
        one(fixed.requests),
        '≤ 0.33× fixed 2 s polling',
        ours.requests <= fixed.requests / 3,
      );
    }
    record(
      `Polling a ${label} job: completion → result`,
      'ms',
      one(ours.lateMs),
      one(fixed.lateMs),
      '≤ 1000 ms',
      ours.lateMs <= 1000,
      'floor: fixed 2 s polling',
    );
  }
}

// ---------- 9. a team: the ledger on PostgreSQL, replicas behind nginx ----------
/** PostgreSQL and nginx as the tests start them (test/support, TypeScript, loaded through ts-node: one copy of each). */
function teamServices() {
  require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'node16', moduleResolution: 'node16' } });
  return { ...require('../test/support/postgres'), ...require('../test/support/nginx') };
}

async function team() {
  const { startPostgres, startNginx } = teamServices();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sora2-bench-team-'));
  const simulator = await startSimulator(folder);
  const postgres = await startPostgres();
  try {
    // (a) What the ledger adds to a create: reserve (one transaction under an advisory lock) and record the job.
    const env = { OPENAI_BASE_URL: simulator.baseURL, SORA2_MCP_API_KEY: 'sk-bench', SORA2_MCP_LOG_LEVEL: 'warn', MEDIA_GEN_DIRS: folder };
    const withLedger = await new RawServer([SERVER], {
      ...env,
      SORA2_MCP_DATABASE_URL: postgres.database('bench'),
      SORA2_MCP_BUDGET_USD: '1000000',
    }).initialize();
    const without = await new RawServer([SERVER], env).initialize();
    const args = { prompt: 'bench', model: 'sora-2', seconds: '4' };
    const sides = { ours: () => withLedger.call('openai-videos-create', args), floor: () => without.call('openai-videos-create', args) };
    for (const side of Object.values(sides)) await timeCalls(side, 30); // warm: JIT, the pool's connections, the migration
    const rounds = { ours: [], floor: [] };
    for (let i = 0; i < ROUNDS; i += 1) {
      for (const name of i % 2 === 0 ? ['floor', 'ours'] : ['ours', 'floor'])
        rounds[name].push(await timeCalls(sides[name], QUICK ? 30 : 100));
    }
    withLedger.close();
    without.close();
    const o = stats(rounds.ours);
    const f = stats(rounds.floor);
    record(
      'Team: a create with the PostgreSQL ledger (median per call)',
      'ms',
      o,
      f,
      '≤ floor + 5 ms',
      o.median - f.median <= 5,
      'floor: the same create, no ledger',
    );

    // (b) Throughput of three replicas behind nginx against one replica behind the same nginx. The load is raw HTTP
    // (keep-alive, 2026-07-28 requests written once), so the load generator costs little of the two cores it shares.
    const http = require('node:http');
    const users = path.join(folder, 'users.json');
    const token = 'bench-token-0123456789abcdef';
    writeFileSync(
      users,
      JSON.stringify({ users: [{ id: 'bench', token_sha256: require('node:crypto').createHash('sha256').update(token).digest('hex') }] }),
    );
    const replicaEnv = {
      ...env,
      SORA2_MCP_DATABASE_URL: postgres.database('bench_http'),
      SORA2_MCP_HTTP_USERS: users,
      SORA2_MCP_LOG_LEVEL: 'error',
    };
    const clientsCount = QUICK ? 20 : 60;
    const callsEach = QUICK ? 50 : 200;
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'openai-videos-list',
        arguments: { limit: 5 },
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    });
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'openai-videos-list',
      'content-length': Buffer.byteLength(body),
    };
    function call(agent, url) {
      return new Promise((resolve, reject) => {
        const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => (response.statusCode === 200 && !text.includes('"isError":true') ? resolve() : reject(new Error(text))));
        });
        request.on('error', reject);
        request.end(body);
      });
    }
    const cpu = {};
    async function throughput(replicaCount) {
      const replicas = [];
      for (let i = 0; i < replicaCount; i += 1) replicas.push(await startListening([SERVER, 'http', '--port', '0'], replicaEnv));
      const nginx = await startNginx(replicas.map((replica) => Number(new URL(replica.url).port)));
      const agent = new http.Agent({ keepAlive: true, maxSockets: clientsCount });
      for (let i = 0; i < clientsCount; i += 1) await call(agent, nginx.url); // warm: connections, JIT, the pool
      const started = process.hrtime.bigint();
      const cpuBefore = { replicas: replicas.map((replica) => cpuSeconds(replica.child.pid)), load: process.cpuUsage() };
      await Promise.all(
        Array.from({ length: clientsCount }, async () => {
          for (let j = 0; j < callsEach; j += 1) await call(agent, nginx.url);
        }),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const load = process.cpuUsage(cpuBefore.load);
      const used = replicas.map((replica, index) => cpuSeconds(replica.child.pid) - cpuBefore.replicas[index]);
      // What bounds it: the cores the replicas get, against what the load and the rest take.
      cpu[replicaCount] =
        `${(used.reduce((sum, u) => sum + u, 0) / seconds).toFixed(2)} cores in ${replicaCount} replica(s), ${((load.user + load.system) / 1e6 / seconds).toFixed(2)} in the load`;
      console.log(`  ${replicaCount} replica(s): ${((clientsCount * callsEach) / seconds).toFixed(0)} calls/s; ${cpu[replicaCount]}`);
      agent.destroy();
      await nginx.stop();
      for (const replica of replicas) replica.child.kill();
      return (clientsCount * callsEach) / seconds;
    }
    const three = [];
    const one = [];
    for (let i = 0; i < (QUICK ? 1 : 3); i += 1) {
      one.push(await throughput(1));
      three.push(await throughput(3));
    }
    const t3 = stats(three);
    const t1 = stats(one);
    record(
      'Team: calls per second through nginx, three replicas (first column) vs one (second column)',
      'calls/s',
      t3,
      t1,
      '≥ 1.7×',
      t3.median >= 1.7 * t1.median,
      `${clientsCount} clients × ${callsEach} list calls (2026-07-28, each read from PostgreSQL), on ${os.cpus().length} cores shared with nginx, PostgreSQL and the load; last run: ${cpu[1]}; ${cpu[3]}`,
    );
  } finally {
    await postgres.stop();
    simulator.child.kill();
    rmSync(folder, { recursive: true, force: true });
  }
}

(async () => {
  console.log(`sora2-mcp benchmark (${QUICK ? 'quick' : 'full'}), ${os.cpus().length} cores, Node ${process.version}`);
  // --only NAME runs one figure (coldStart, callOverhead, download, s3Upload, httpLoad, fitting, waiting, polling, team), without --write.
  const only = process.argv[process.argv.indexOf('--only') + 1];
  const figures = { coldStart, callOverhead, download, s3Upload, httpLoad, fitting, waiting, polling, team };
  for (const [name, measure] of Object.entries(figures)) if (!process.argv.includes('--only') || name === only) await measure();
  const table = markdown();
  console.log(`\n${table}\n`);
  if (process.argv.includes('--write') && !process.argv.includes('--only')) {
    const doc = path.join(ROOT, 'docs', 'performance.md');
    const text = readFileSync(doc, 'utf8');
    writeFileSync(doc, text.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${table}\n<!-- bench:end -->`));
    console.log(`updated ${path.relative(process.cwd(), doc)}`);
  }
  process.exitCode = results.every((r) => r.pass) ? 0 : 1;
})().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});

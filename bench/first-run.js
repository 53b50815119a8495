#!/usr/bin/env node
/*
 * First-run check: how long a new user waits from `npx -y <tarball>` on a cold npm cache to the
 * answer of tools/list (npm fetching sharp and openai from the registry included).
 *   node bench/first-run.js      (needs the npm registry; run `npm run build` first)
 */
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'sora2-first-run-'));
const tarball = path.join(
  scratch,
  JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: ROOT }))[0].filename,
);
const env = {
  ...process.env,
  npm_config_cache: path.join(scratch, 'cache'),
  npm_config_update_notifier: 'false',
  MEDIA_GEN_DIRS: path.join(scratch, 'out'),
};
const started = process.hrtime.bigint();
const child = spawn('npx', ['-y', '--package', tarball, 'sora2-mcp'], {
  cwd: scratch,
  env,
  stdio: ['pipe', 'pipe', process.env.FIRST_RUN_DEBUG ? 'inherit' : 'ignore'],
});
let buffer = '';
child.stdout.on('data', (chunk) => {
  buffer += chunk;
  for (const line of buffer.split('\n').slice(0, -1)) {
    const message = JSON.parse(line);
    if (message.id === 1) {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`);
    }
    if (message.id === 2) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(
        `first run: npx -y <tarball> on a cold npm cache to tools/list (${message.result.tools.length} tools): ${seconds.toFixed(1)} s`,
      );
      child.kill();
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
});
child.stdin.write(
  `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'first-run', version: '1' } } })}\n`,
);

#!/usr/bin/env node
// The floor for downloads: a plain Node script that streams a URL to a file. Prints its own RSS
// before the download and its peak RSS during it (the peak is reset first), and the time taken.
'use strict';
const { createWriteStream, writeFileSync, readFileSync } = require('node:fs');
const { Readable } = require('node:stream');
const { pipeline } = require('node:stream/promises');

const [url, file] = process.argv.slice(2);
const kib = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
(async () => {
  // Warm-up, as the server gets one: load fetch (undici) with a small request before measuring.
  await (await fetch(url.replace(/\/content$/, ''))).text();
  const before = kib('VmRSS');
  writeFileSync('/proc/self/clear_refs', '5');
  const started = process.hrtime.bigint();
  const response = await fetch(url);
  await pipeline(Readable.fromWeb(response.body), createWriteStream(file));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${JSON.stringify({ before, peak: kib('VmHWM'), ms })}\n`);
})();

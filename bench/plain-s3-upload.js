#!/usr/bin/env node
// The floor for uploads into S3: a plain Node script that streams a URL into a bucket with
// @aws-sdk/lib-storage at its defaults. Prints its RSS before, its peak RSS during (reset first), and the time.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { Readable } = require('node:stream');
const { S3Client } = require('@aws-sdk/client-s3');
const { Upload } = require('@aws-sdk/lib-storage');

const [url, endpoint, bucket, key] = process.argv.slice(2);
const kib = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
const client = new S3Client({
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  requestChecksumCalculation: 'WHEN_REQUIRED',
});
const upload = (body, to) => new Upload({ client, params: { Bucket: bucket, Key: to, Body: body, ContentType: 'video/mp4' } }).done();
(async () => {
  // Warm-up, as the server gets one: load fetch (undici) and the SDK with a small request and upload.
  await (await fetch(url.replace(/\/content$/, ''))).text();
  await upload(Buffer.alloc(1024), `${key}.warm`);
  const before = kib('VmRSS');
  writeFileSync('/proc/self/clear_refs', '5');
  const started = process.hrtime.bigint();
  await upload(Readable.fromWeb((await fetch(url)).body), key);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${JSON.stringify({ before, peak: kib('VmHWM'), ms })}\n`);
})();

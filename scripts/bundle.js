#!/usr/bin/env node
/*
 * Bundles the server into build/index.js (the bin), after tsc has type-checked and emitted the
 * per-module build. One file loads faster than hundreds: start-up is measured by `npm run bench`.
 * sharp (a native addon) and openai (loaded lazily, on the first provider call) stay external.
 */
'use strict';
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
// The input is tsc's CommonJS output, so every package resolves to its `require` build, exactly as
// in the unbundled build (bundling the TypeScript would pick ESM builds and change module init order).
esbuild.buildSync({
  entryPoints: [path.join(root, 'build', 'index.js')],
  outfile: path.join(root, 'build', 'index.js'),
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['sharp', 'openai'],
  legalComments: 'none',
  logLevel: 'warning',
});

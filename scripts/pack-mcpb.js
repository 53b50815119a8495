#!/usr/bin/env node
/*
 * npm run pack:mcpb: builds dist/sora2-mcp-<version>-<platform>-<arch>.mcpb, a Claude Desktop bundle
 * (MCPB), from the built bin and the production dependencies already installed here. sharp is native,
 * so a bundle only works on the platform it was built on: build one per platform. Offline: nothing
 * is downloaded; run `npm run build` first (the script checks).
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const bin = path.join(root, 'build', 'index.js');
if (!existsSync(bin)) throw new Error('build/index.js is missing: run npm run build first');

const stage = path.join(root, '.tmp', 'mcpb');
rmSync(stage, { recursive: true, force: true });
mkdirSync(path.join(stage, 'server'), { recursive: true });

// The manifest's version follows package.json.
const manifest = JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8'));
writeFileSync(path.join(stage, 'manifest.json'), `${JSON.stringify({ ...manifest, version: pkg.version }, null, 2)}\n`);
cpSync(bin, path.join(stage, 'server', 'index.js'));
cpSync(path.join(root, 'build', 'commands.js'), path.join(stage, 'server', 'commands.js'));
// The MCP Apps view, read by the server from beside its own file.
cpSync(path.join(root, 'build', 'view'), path.join(stage, 'server', 'view'), { recursive: true });
for (const file of ['README.md', 'LICENSE', 'THIRD_PARTY_NOTICES']) cpSync(path.join(root, file), path.join(stage, file));
// The server resolves package.json two folders up from its own module for --version; give it one.
writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify({ name: pkg.name, version: pkg.version, private: true }, null, 2)}\n`);

// Production dependencies only (sharp with its platform's libvips, openai, the AWS SDK), copied from node_modules.
const list = execFileSync('npm', ['ls', '--omit=dev', '--parseable', '--all'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((line) => line.startsWith(path.join(root, 'node_modules')));
for (const dir of list) cpSync(dir, path.join(stage, path.relative(root, dir)), { recursive: true, dereference: true });

const out = path.join(root, 'dist', `${pkg.name}-${pkg.version}-${process.platform}-${process.arch}.mcpb`);
mkdirSync(path.dirname(out), { recursive: true });
rmSync(out, { force: true });
const mcpb = path.join(root, 'node_modules', '.bin', 'mcpb');
execFileSync(mcpb, ['validate', path.join(stage, 'manifest.json')], { stdio: 'inherit' });
execFileSync(mcpb, ['pack', stage, out], { stdio: 'inherit' });
console.log(`wrote ${path.relative(process.cwd(), out)}`);

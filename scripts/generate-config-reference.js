#!/usr/bin/env node
// Writes the README's configuration table and server.json's environment variables from the one table of
// variables (src/config/variables.ts). Run `npm run build` first; `npm run docs:config` does both.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { registryVariables, renderConfigTable } = require('../build/config/reference');

const root = path.resolve(__dirname, '..');
const readme = path.join(root, 'README.md');
const text = readFileSync(readme, 'utf8');
const marked = /<!-- config:start -->[\s\S]*?<!-- config:end -->/;
if (!marked.test(text)) throw new Error('README.md has no <!-- config:start --> … <!-- config:end --> block');
writeFileSync(readme, text.replace(marked, `<!-- config:start -->\n${renderConfigTable()}\n<!-- config:end -->`));

const serverFile = path.join(root, 'server.json');
const server = JSON.parse(readFileSync(serverFile, 'utf8'));
server.packages[0].environmentVariables = registryVariables();
(async () => {
  // Formatted as the project formats JSON, so `npm run lint` stays quiet.
  const prettier = require('prettier');
  const options = { ...(await prettier.resolveConfig(serverFile)), parser: 'json' };
  writeFileSync(serverFile, await prettier.format(JSON.stringify(server), options));
  console.log('wrote README.md (configuration table) and server.json (environment variables)');
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

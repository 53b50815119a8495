#!/usr/bin/env node
/*
 * Writes an ESM copy of the library's declarations (build/types/**\/*.d.mts beside each .d.ts), for the `import` condition
 * of package.json's exports. Without it an ESM consumer gets the CommonJS declarations, whose MCP SDK types come from the
 * SDK's CommonJS build: `createMcpHandler(() => sora2.createMcpServer())` then fails to type-check, the SDK's McpServer
 * being two types (the dual-package hazard, for types). Relative specifiers get the `.mjs` ESM resolution requires.
 */
'use strict';
const path = require('node:path');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');

const root = path.resolve(__dirname, '..', 'build', 'types');

function* declarations(folder) {
  for (const name of readdirSync(folder)) {
    const file = path.join(folder, name);
    if (statSync(file).isDirectory()) yield* declarations(file);
    else if (name.endsWith('.d.ts')) yield file;
  }
}

for (const file of declarations(root)) {
  const here = path.dirname(file);
  const esm = readFileSync(file, 'utf8').replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]*)\2/g, (whole, lead, quote, spec) => {
    if (existsSync(path.join(here, `${spec}.d.ts`))) return `${lead}${quote}${spec}.mjs${quote}`;
    if (existsSync(path.join(here, spec, 'index.d.ts'))) return `${lead}${quote}${spec}/index.mjs${quote}`;
    return whole;
  });
  writeFileSync(file.replace(/\.d\.ts$/, '.d.mts'), esm);
}

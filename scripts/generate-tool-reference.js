#!/usr/bin/env node
// Writes docs/tools.md from the built tool schemas (run `npm run build` first; `npm run docs:tools` does both).
'use strict';
const { writeFileSync } = require('node:fs');
const path = require('node:path');
const { renderToolReference } = require('../build/mcp/tool-reference');
const { documentedToolsets } = require('../build/mcp/toolsets');

const target = path.resolve(__dirname, '..', 'docs', 'tools.md');
writeFileSync(target, renderToolReference(documentedToolsets()));
console.log(`wrote ${path.relative(process.cwd(), target)}`);

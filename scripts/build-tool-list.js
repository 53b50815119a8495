#!/usr/bin/env node
/*
 * Writes build/tool-list.json: every tool as `tools/list` shows it (name, words, JSON Schemas, hints, view link), for
 * both tool sets and the view's reader, made from tsc's per-module build. The server reads it at start-up instead of
 * converting its zod schemas to JSON Schema then (the conversion is about 14 ms of a cold start); without the file (the
 * sources under ts-jest) it converts them on the first `tools/list`. test/unit/toolsnaps.test.ts holds the two equal.
 */
'use strict';
const path = require('node:path');
const { writeFileSync } = require('node:fs');

const build = path.resolve(__dirname, '..', 'build');
const { TOOLSET_TABLES, toolsOf } = require(path.join(build, 'mcp', 'toolsets.js'));
const { listedTool } = require(path.join(build, 'mcp', 'tools.js'));
const { viewMeta, viewReadTool } = require(path.join(build, 'mcp', 'video-view.js'));

const tools = [...Object.keys(TOOLSET_TABLES).flatMap((set) => toolsOf(set)), viewReadTool(undefined, undefined)];
const listed = Object.fromEntries(tools.map((tool) => [tool.name, listedTool(tool, viewMeta(tool))]));
writeFileSync(path.join(build, 'tool-list.json'), `${JSON.stringify(listed)}\n`);

#!/usr/bin/env node
/*
 * Writes build/tool-list/<file>.json: every tool as `tools/list` shows it (name, words, JSON Schemas, hints, view link),
 * for both tool sets and the view's reader, one file for each provider the server knows (each dialect, and the official
 * shape the simulator speaks), named for the provider's words (listingFileName). Made from tsc's per-module build. The
 * server reads its own file at start-up instead of converting its zod schemas to JSON Schema then (the conversion is about
 * 14 ms of a cold start); for a provider not here (a library user's own) it converts them on the first `tools/list`.
 * test/unit/toolsnaps.test.ts holds the two equal.
 */
'use strict';
const path = require('node:path');
const { mkdirSync, writeFileSync } = require('node:fs');

const build = path.resolve(__dirname, '..', 'build');
const { listingFileName, listingsFor } = require(path.join(build, 'mcp', 'toolsets.js'));
const { listedTool } = require(path.join(build, 'mcp', 'tools.js'));
const { viewMeta, viewReadTool } = require(path.join(build, 'mcp', 'video-view.js'));
const { DIALECTS } = require(path.join(build, 'adapters', 'openai', 'dialects', 'index.js'));
const { OpenAiVideoProvider } = require(path.join(build, 'adapters', 'openai', 'openai-video-provider.js'));
const { OFFICIAL_PROFILE } = require(path.join(build, 'domain', 'ports', 'index.js'));

const quiet = { log() {}, attach() {} };
const profiles = [
  OFFICIAL_PROFILE,
  ...Object.values(DIALECTS).map(
    (dialect) =>
      new OpenAiVideoProvider({
        dialect,
        apiKey: undefined,
        baseURL: undefined,
        requestTimeoutMs: 1,
        downloadIdleTimeoutMs: 1,
        readRetries: 0,
        logLevel: 'silent',
        logger: quiet,
      }).profile,
  ),
];
mkdirSync(path.join(build, 'tool-list'), { recursive: true });
for (const profile of profiles) {
  const tools = [...listingsFor(profile), viewReadTool(undefined, undefined)];
  const listed = Object.fromEntries(tools.map((tool) => [tool.name, listedTool(tool, viewMeta(tool))]));
  writeFileSync(path.join(build, 'tool-list', listingFileName(profile)), `${JSON.stringify(listed)}\n`);
}

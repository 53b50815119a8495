#!/usr/bin/env node
// The floor for serving over HTTP: a bare SDK v2 `createMcpHandler` (stateless, a server per request, as sora2-mcp
// serves), mounted with `toNodeHandler` on node:http, with one trivial tool that answers with the document in
// FLOOR_ANSWER (the benchmark passes sora2-mcp's own models answer, so both sides send the same bytes). Prints its URL.
'use strict';
const { readFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { createMcpHandler, McpServer } = require('@modelcontextprotocol/server');
const { toNodeHandler } = require('@modelcontextprotocol/node');

const answer = process.env.FLOOR_ANSWER
  ? JSON.parse(readFileSync(process.env.FLOOR_ANSWER, 'utf8'))
  : { content: [{ type: 'text', text: JSON.stringify({ data: [{ id: 'sora-2' }, { id: 'sora-2-pro' }] }) }] };
const handler = createMcpHandler(() => {
  const server = new McpServer({ name: 'floor', version: '1.0.0' });
  server.registerTool('models', { description: 'Lists models.' }, async () => answer);
  return server;
});
const http = createServer(toNodeHandler(handler));
http.listen(0, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${http.address().port}/mcp\n`));

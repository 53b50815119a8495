#!/usr/bin/env node
// The floor for serving over HTTP: a minimal SDK Streamable HTTP server, one McpServer per session
// (as sora2-mcp does), with one trivial tool that answers with the document in FLOOR_ANSWER (the benchmark passes
// sora2-mcp's own models answer, so both sides send the same bytes). Prints its URL on stdout.
'use strict';
const { randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { StreamableHTTPServerTransport } = require('@modelcontextprotocol/sdk/server/streamableHttp.js');
const { isInitializeRequest } = require('@modelcontextprotocol/sdk/types.js');

const answer = process.env.FLOOR_ANSWER
  ? JSON.parse(readFileSync(process.env.FLOOR_ANSWER, 'utf8'))
  : { content: [{ type: 'text', text: JSON.stringify({ data: [{ id: 'sora-2' }, { id: 'sora-2-pro' }] }) }] };
const sessions = new Map();
const http = createServer(async (req, res) => {
  let body;
  if (req.method === 'POST') {
    const parts = [];
    for await (const chunk of req) parts.push(chunk);
    body = JSON.parse(Buffer.concat(parts).toString('utf8'));
  }
  const id = req.headers['mcp-session-id'];
  let transport = id ? sessions.get(id) : undefined;
  if (!transport) {
    if (!isInitializeRequest(body)) return res.writeHead(400).end();
    const server = new McpServer({ name: 'floor', version: '1.0.0' });
    server.registerTool('models', { description: 'Lists models.' }, async () => answer);
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => sessions.set(sid, transport),
    });
    await server.connect(transport);
  }
  await transport.handleRequest(req, res, body);
});
http.listen(0, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${http.address().port}/mcp\n`));

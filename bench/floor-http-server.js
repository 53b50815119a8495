#!/usr/bin/env node
// The floor for serving over HTTP: a bare SDK v2 `createMcpHandler` (stateless, a server per request, as sora2-mcp
// serves), mounted with `toNodeHandler` on node:http, with one trivial tool that answers with the document in
// FLOOR_ANSWER (the benchmark passes sora2-mcp's own models answer, so both sides send the same bytes), and one that
// waits a second as a video job does, sending progress three times (as sora2-mcp does for a 1 s job: started, queued,
// done) and stopping when its request is cancelled. Prints its URL.
'use strict';
const { readFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { setTimeout } = require('node:timers/promises');
const { createMcpHandler, McpServer } = require('@modelcontextprotocol/server');
const { toNodeHandler } = require('@modelcontextprotocol/node');

const answer = process.env.FLOOR_ANSWER
  ? JSON.parse(readFileSync(process.env.FLOOR_ANSWER, 'utf8'))
  : { content: [{ type: 'text', text: JSON.stringify({ data: [{ id: 'sora-2' }, { id: 'sora-2-pro' }] }) }] };
const handler = createMcpHandler(() => {
  const server = new McpServer({ name: 'floor', version: '1.0.0' });
  server.registerTool('models', { description: 'Lists models.' }, async () => answer);
  server.registerTool('wait', { description: 'Waits about a second, reporting progress.' }, async (ctx) => {
    const token = ctx.mcpReq._meta?.progressToken;
    for (const progress of [0, 50, 100]) {
      if (token !== undefined)
        await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress, total: 100 } });
      if (progress < 100) await setTimeout(500, undefined, { signal: ctx.mcpReq.signal });
    }
    return { content: [{ type: 'text', text: 'done' }] };
  });
  return server;
});
const http = createServer(toNodeHandler(handler));
http.listen(0, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${http.address().port}/mcp\n`));
